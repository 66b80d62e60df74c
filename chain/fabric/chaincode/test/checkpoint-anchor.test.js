/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * In-process unit tests of the checkpoint-anchor contract against a sinon stub of fabric-shim's
 * ChaincodeStub whose world state is an in-memory map (as fabric-samples' unit tests do).
 */
'use strict';

const { describe, it, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const sinon = require('sinon');
const { ChaincodeStub, ClientIdentity } = require('fabric-shim');
const CheckpointAnchor = require('../lib/checkpoint-anchor');

const root = (label) => crypto.createHash('sha256').update(label).digest('hex');
const sig = (label) => crypto.createHash('sha512').update(label).digest('base64');

function newContext() {
    const state = new Map();
    const events = [];
    let tx = 0;
    const stub = sinon.createStubInstance(ChaincodeStub);
    stub.getState.callsFake(async (key) => state.get(key));
    stub.putState.callsFake(async (key, value) => { state.set(key, Buffer.from(value)); });
    stub.setEvent.callsFake((name, payload) => { events.push({ name, payload: Buffer.from(payload).toString() }); });
    stub.getTxID.callsFake(() => `tx${tx}`);
    stub.getTxTimestamp.callsFake(() => ({ seconds: { toNumber: () => 1767225600 + tx }, nanos: 250000000 }));
    const ctx = { stub, clientIdentity: sinon.createStubInstance(ClientIdentity) };
    return {
        ctx, state, events,
        /** Runs one transaction: state changes of a refused transaction are rolled back, as Fabric does. */
        async invoke(fn, ...args) {
            tx++;
            const before = new Map(state);
            const eventCount = events.length;
            try {
                return await contract[fn](ctx, ...args);
            } catch (err) {
                state.clear();
                for (const [k, v] of before) state.set(k, v);
                events.length = eventCount;
                throw err;
            }
        },
    };
}

let contract;
let chain;

describe('checkpoint-anchor', () => {
    beforeEach(() => {
        contract = new CheckpointAnchor();
        chain = newContext();
    });

    it('is named CheckpointAnchor and exported as the package\'s contract', () => {
        assert.equal(contract.getName(), 'CheckpointAnchor');
        assert.deepEqual(require('..').contracts, [CheckpointAnchor]);
    });

    it('GetLatest answers null before anything is anchored', async () => {
        assert.equal(await chain.invoke('GetLatest'), 'null');
    });

    it('anchors a first checkpoint with an empty prev, stores it under its size and as latest, and emits an event', async () => {
        const answer = JSON.parse(await chain.invoke('AnchorCheckpoint', '5', root('a'), '', sig('a')));
        const expected = { size: 5, root: root('a'), prev: '', sig: sig('a'), txId: 'tx1', timestamp: '2026-01-01T00:00:01.250Z' };
        assert.deepEqual(answer, expected);
        assert.deepEqual(JSON.parse(chain.state.get('checkpoint/00000000000000000005').toString()), expected);
        assert.deepEqual(JSON.parse(chain.state.get('latest').toString()), expected);
        assert.equal(chain.events.length, 1);
        assert.equal(chain.events[0].name, 'CheckpointAnchored');
        assert.deepEqual(JSON.parse(chain.events[0].payload), expected);
        assert.deepEqual(JSON.parse(await chain.invoke('GetCheckpoint', '5')), expected);
        assert.deepEqual(JSON.parse(await chain.invoke('GetLatest')), expected);
    });

    it('chains checkpoints: each prev is the root before it, sizes grow, every one stays readable', async () => {
        let prev = '';
        for (const size of [3, 10, 11, 1000, 123456789012]) {
            await chain.invoke('AnchorCheckpoint', String(size), root(`r${size}`), prev, sig(`s${size}`));
            prev = root(`r${size}`);
        }
        for (const size of [3, 10, 11, 1000, 123456789012]) {
            const record = JSON.parse(await chain.invoke('GetCheckpoint', String(size)));
            assert.equal(record.size, size);
            assert.equal(record.root, root(`r${size}`));
        }
        assert.equal(JSON.parse(await chain.invoke('GetLatest')).size, 123456789012);
        assert.equal(JSON.parse(await chain.invoke('GetCheckpoint', '10')).prev, root('r3'));
        assert.equal(chain.events.length, 5);
    });

    it('refuses a size that does not grow (equal or smaller) and writes nothing', async () => {
        await chain.invoke('AnchorCheckpoint', '10', root('a'), '', sig('a'));
        await assert.rejects(chain.invoke('AnchorCheckpoint', '10', root('b'), root('a'), sig('b')), /size 10 does not grow: the latest anchored size is 10/);
        await assert.rejects(chain.invoke('AnchorCheckpoint', '9', root('b'), root('a'), sig('b')), /size 9 does not grow/);
        // a replay of the very same checkpoint is refused too: the client finds it with GetCheckpoint instead
        await assert.rejects(chain.invoke('AnchorCheckpoint', '10', root('a'), '', sig('a')), /does not grow/);
        assert.equal(JSON.parse(await chain.invoke('GetLatest')).root, root('a'));
        assert.equal(chain.events.length, 1);
    });

    it('refuses a prev that is not the last root it holds', async () => {
        await assert.rejects(chain.invoke('AnchorCheckpoint', '1', root('a'), root('x'), sig('a')), /not the last root held: nothing is anchored yet/);
        await chain.invoke('AnchorCheckpoint', '1', root('a'), '', sig('a'));
        await chain.invoke('AnchorCheckpoint', '2', root('b'), root('a'), sig('b'));
        await assert.rejects(chain.invoke('AnchorCheckpoint', '3', root('c'), root('a'), sig('c')), /is not the last root held/);
        await assert.rejects(chain.invoke('AnchorCheckpoint', '3', root('c'), '', sig('c')), /\(empty\) is not the last root held/);
        await assert.rejects(chain.invoke('GetCheckpoint', '3'), /no checkpoint of size 3 is anchored/);
        assert.equal(chain.ctx.stub.putState.callCount, 4);
    });

    it('refuses malformed arguments', async () => {
        const cases = [
            [['0', root('a'), '', sig('a')], /size '0' is not a positive integer/],
            [['-1', root('a'), '', sig('a')], /not a positive integer/],
            [['01', root('a'), '', sig('a')], /not a positive integer/],
            [['1.5', root('a'), '', sig('a')], /not a positive integer/],
            [['99999999999999999999', root('a'), '', sig('a')], /not a positive integer/],
            [['1', root('a').toUpperCase(), '', sig('a')], /root is not 64 lowercase hex digits/],
            [['1', root('a').slice(2), '', sig('a')], /root is not/],
            [['1', root('a'), 'abc', sig('a')], /prev is neither empty nor/],
            [['1', root('a'), '', ''], /sig is not a base64 signature/],
            [['1', root('a'), '', 'not base64!'], /sig is not/],
            [['1', root('a'), '', 'A'.repeat(2048)], /sig is not/],
        ];
        for (const [args, error] of cases) {
            await assert.rejects(chain.invoke('AnchorCheckpoint', ...args), error, args.join(' '));
        }
        await assert.rejects(chain.invoke('GetCheckpoint', 'x'), /not a positive integer/);
        assert.equal(chain.ctx.stub.putState.callCount, 0);
        assert.equal(chain.events.length, 0);
    });

    it('keeps only hashes: the stored record has no field but size, roots, signature, transaction id and time', async () => {
        await chain.invoke('AnchorCheckpoint', '7', root('a'), '', sig('a'));
        const record = JSON.parse(chain.state.get('latest').toString());
        assert.deepEqual(Object.keys(record), ['size', 'root', 'prev', 'sig', 'txId', 'timestamp']);
    });
});
