/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * checkpoint-anchor: records AssetLedger checkpoints on a Fabric channel. Only hashes go on chain: a
 * checkpoint's tree size, its Merkle root, the root of the checkpoint before it, and the ledger key's
 * signature over the checkpoint note. No asset data, participant identity or amount is ever sent here.
 *
 * World state:
 *   checkpoint/<size, 20 digits>  -> {"size","root","prev","sig","txId","timestamp"}
 *   latest                        -> the same record for the largest size anchored
 *
 * Rules (each refusal is an error, so the transaction is not endorsed and nothing is written):
 *   - size is a positive decimal integer that grows: larger than the latest anchored size;
 *   - root is 64 lowercase hex digits (SHA-256);
 *   - prev is the root of the latest anchored checkpoint, or empty when nothing is anchored yet;
 *   - sig is the ledger's note signature, base64, non-empty.
 */
'use strict';

const { Contract } = require('fabric-contract-api');

const LATEST_KEY = 'latest';
const CHECKPOINT_PREFIX = 'checkpoint/';
const EVENT_NAME = 'CheckpointAnchored';
const HEX64 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SIZE = /^[1-9][0-9]{0,18}$/;
const MAX_SIG_LENGTH = 1024;

class CheckpointAnchor extends Contract {
    constructor() {
        super('CheckpointAnchor');
    }

    /**
     * Anchors one checkpoint. Returns the stored record as JSON.
     * @param {Context} ctx the transaction context
     * @param {string} size tree size, decimal
     * @param {string} root Merkle root, 64 lowercase hex digits
     * @param {string} prev root of the previous anchored checkpoint, or '' for the first
     * @param {string} sig the ledger's signature over the checkpoint note, base64
     */
    async AnchorCheckpoint(ctx, size, root, prev, sig) {
        size = String(size ?? '');
        root = String(root ?? '');
        prev = String(prev ?? '');
        sig = String(sig ?? '');
        if (!SIZE.test(size) || !Number.isSafeInteger(Number(size))) {
            throw new Error(`size '${size}' is not a positive integer`);
        }
        if (!HEX64.test(root)) {
            throw new Error('root is not 64 lowercase hex digits');
        }
        if (prev !== '' && !HEX64.test(prev)) {
            throw new Error('prev is neither empty nor 64 lowercase hex digits');
        }
        if (sig.length === 0 || sig.length > MAX_SIG_LENGTH || !BASE64.test(sig) || sig.length % 4 !== 0) {
            throw new Error('sig is not a base64 signature');
        }

        const latest = await this._latest(ctx);
        const n = Number(size);
        if (latest === null) {
            if (prev !== '') {
                throw new Error(`prev ${prev} is not the last root held: nothing is anchored yet`);
            }
        } else {
            if (n <= latest.size) {
                throw new Error(`size ${n} does not grow: the latest anchored size is ${latest.size}`);
            }
            if (prev !== latest.root) {
                throw new Error(`prev ${prev || '(empty)'} is not the last root held, ${latest.root}`);
            }
        }

        const record = {
            size: n,
            root,
            prev,
            sig,
            txId: ctx.stub.getTxID(),
            timestamp: timestampOf(ctx.stub.getTxTimestamp()),
        };
        const bytes = Buffer.from(JSON.stringify(record));
        await ctx.stub.putState(checkpointKey(n), bytes);
        await ctx.stub.putState(LATEST_KEY, bytes);
        ctx.stub.setEvent(EVENT_NAME, bytes);
        return JSON.stringify(record);
    }

    /** The anchored checkpoint of this size as JSON; an error if there is none. */
    async GetCheckpoint(ctx, size) {
        size = String(size ?? '');
        if (!SIZE.test(size) || !Number.isSafeInteger(Number(size))) {
            throw new Error(`size '${size}' is not a positive integer`);
        }
        const bytes = await ctx.stub.getState(checkpointKey(Number(size)));
        if (!bytes || bytes.length === 0) {
            throw new Error(`no checkpoint of size ${size} is anchored`);
        }
        return bytes.toString();
    }

    /** The latest anchored checkpoint as JSON, or 'null' when nothing is anchored yet. */
    async GetLatest(ctx) {
        const latest = await this._latest(ctx);
        return JSON.stringify(latest);
    }

    async _latest(ctx) {
        const bytes = await ctx.stub.getState(LATEST_KEY);
        if (!bytes || bytes.length === 0) {
            return null;
        }
        return JSON.parse(bytes.toString());
    }
}

function checkpointKey(size) {
    return CHECKPOINT_PREFIX + String(size).padStart(20, '0');
}

/** The proposal's timestamp (the same on every endorser) as ISO-8601 UTC, or null if the stub has none. */
function timestampOf(ts) {
    if (!ts || ts.seconds === undefined || ts.seconds === null) {
        return null;
    }
    const seconds = typeof ts.seconds === 'object' && typeof ts.seconds.toNumber === 'function' ? ts.seconds.toNumber() : Number(ts.seconds);
    const millis = seconds * 1000 + Math.floor(Number(ts.nanos || 0) / 1e6);
    return new Date(millis).toISOString();
}

CheckpointAnchor.EVENT_NAME = EVENT_NAME;
CheckpointAnchor.checkpointKey = checkpointKey;
module.exports = CheckpointAnchor;
