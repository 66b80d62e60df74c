/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * A stand-in for a Fabric Gateway peer, for AssetLedger's end-to-end test of its C# client over real gRPC
 * (tests/Infrastructure.Tests/Ledger/Fabric/). It is not the compatibility proof (compare.js is): it serves the
 * Gateway service with the official service definition and messages (@grpc/grpc-js, @hyperledger/fabric-protos),
 * checks every request as a peer would (signature by the creator's certificate, low S, transaction id =
 * SHA-256(nonce ‖ creator), the same id and channel everywhere), and runs the real checkpoint-anchor chaincode
 * (../chaincode) against an in-memory world state, one block per submitted transaction.
 *
 * Usage: node gateway-double.js <config.json>
 *   config: {"tls": {"certPem", "keyPem"} | null, "channel": "mychannel", "chaincode": "checkpoint-anchor",
 *            "stateFile": path | null, "port": 0}   (the committed ledger survives a kill and restart through stateFile)
 * Prints "listening <port>" once bound on 127.0.0.1, serves until its standard input closes.
 */
'use strict';

const fs = require('node:fs');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const { common, gateway, msp, peer } = require('@hyperledger/fabric-protos');
const { GatewayService } = require('@hyperledger/fabric-protos/lib/gateway/gateway_grpc_pb');
const CheckpointAnchor = require('../chaincode/lib/checkpoint-anchor');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const FUNCTIONS = new Set(['AnchorCheckpoint', 'GetCheckpoint', 'GetLatest']);
const VALID = 0;
const MVCC_READ_CONFLICT = 11;

const contract = new CheckpointAnchor();
const world = new Map();          // committed state
let worldVersion = 0;             // bumped by every committed write
let blockNumber = 0;
const endorsed = new Map();       // txId -> { creator, writes, version }
const committed = new Map();      // txId -> { code, block }
const requests = { Endorse: 0, Submit: 0, CommitStatus: 0, Evaluate: 0 };

if (config.stateFile && fs.existsSync(config.stateFile)) {
    const saved = JSON.parse(fs.readFileSync(config.stateFile, 'utf8'));
    for (const [k, v] of saved.world) world.set(k, Buffer.from(v, 'base64'));
    for (const [k, v] of saved.committed) committed.set(k, v);
    ({ worldVersion, blockNumber } = saved);
}

function save() {
    if (!config.stateFile) return;
    const saved = { worldVersion, blockNumber, world: [...world].map(([k, v]) => [k, v.toString('base64')]), committed: [...committed] };
    fs.writeFileSync(config.stateFile + '.tmp', JSON.stringify(saved));
    fs.renameSync(config.stateFile + '.tmp', config.stateFile);
}

class Refused extends Error {
    constructor(code, message) { super(message); this.code = code; }
}

function verify(creatorBytes, message, signature) {
    const identity = msp.SerializedIdentity.deserializeBinary(creatorBytes);
    const publicKey = new crypto.X509Certificate(Buffer.from(identity.getIdBytes_asU8())).publicKey;
    if (!crypto.verify('sha256', Buffer.from(message), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signature))) {
        throw new Refused(grpc.status.PERMISSION_DENIED, 'signature does not verify with the creator\'s certificate');
    }
    const der = Buffer.from(signature);
    let i = 2;
    const read = () => { const len = der[i + 1]; const v = der.subarray(i + 2, i + 2 + len); i += 2 + len; return BigInt('0x' + v.toString('hex')); };
    read();
    if (read() > N / 2n) throw new Refused(grpc.status.PERMISSION_DENIED, 'signature has a high S');
    return identity;
}

/** Opens a signed proposal as a peer does; answers what it invokes. */
function openProposal(request) {
    const signed = request.getProposedTransaction();
    if (!signed) throw new Refused(grpc.status.INVALID_ARGUMENT, 'no proposal');
    const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    const creator = signatureHeader.getCreator_asU8();
    const identity = verify(creator, signed.getProposalBytes_asU8(), signed.getSignature_asU8());
    const txId = crypto.createHash('sha256').update(Buffer.concat([signatureHeader.getNonce_asU8(), creator])).digest('hex');
    if (channelHeader.getTxId() !== txId || request.getTransactionId() !== txId) {
        throw new Refused(grpc.status.INVALID_ARGUMENT, 'transaction id is not SHA-256(nonce || creator)');
    }
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) throw new Refused(grpc.status.INVALID_ARGUMENT, 'not an endorser transaction');
    if (channelHeader.getChannelId() !== config.channel || request.getChannelId() !== config.channel) {
        throw new Refused(grpc.status.NOT_FOUND, `channel ${channelHeader.getChannelId()} not found`);
    }
    const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
    const spec = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8()).getChaincodeSpec();
    if (spec.getChaincodeId().getName() !== config.chaincode) throw new Refused(grpc.status.NOT_FOUND, `chaincode ${spec.getChaincodeId().getName()} not found`);
    const [fn, ...args] = spec.getInput().getArgsList_asU8().map((a) => Buffer.from(a).toString('utf8'));
    return { txId, creator, identity, fn, args, header, timestamp: channelHeader.getTimestamp() };
}

/** Runs the chaincode on a copy-on-write view of the world state. */
async function simulate(invocation) {
    if (!FUNCTIONS.has(invocation.fn)) throw new Refused(grpc.status.ABORTED, `chaincode has no function ${invocation.fn}`);
    const writes = new Map();
    const stub = {
        getState: async (key) => writes.get(key) ?? world.get(key) ?? Buffer.alloc(0),
        putState: async (key, value) => { writes.set(key, Buffer.from(value)); },
        setEvent: () => {},
        getTxID: () => invocation.txId,
        getTxTimestamp: () => ({ seconds: invocation.timestamp.getSeconds(), nanos: invocation.timestamp.getNanos() }),
    };
    try {
        const result = await contract[invocation.fn]({ stub }, ...invocation.args);
        return { result: Buffer.from(String(result ?? '')), writes };
    } catch (err) {
        throw new Refused(grpc.status.ABORTED, `failed to endorse transaction, see attached details for more info: chaincode response 500, ${err.message}`);
    }
}

function unary(name, handler) {
    return (call, callback) => {
        requests[name]++;
        Promise.resolve().then(() => handler(call.request)).then(
            (response) => callback(null, response),
            (err) => callback({ code: err.code ?? grpc.status.INTERNAL, details: err.message }));
    };
}

const service = {
    endorse: unary('Endorse', async (request) => {
        const invocation = openProposal(request);
        const { writes } = await simulate(invocation);
        endorsed.set(invocation.txId, { creator: invocation.creator, writes, version: worldVersion });
        const payload = new common.Payload();
        payload.setHeader(invocation.header);
        payload.setData(Buffer.from(`endorsed ${invocation.txId}`));
        const envelope = new common.Envelope();
        envelope.setPayload(payload.serializeBinary());
        const response = new gateway.EndorseResponse();
        response.setPreparedTransaction(envelope);
        return response;
    }),
    submit: unary('Submit', async (request) => {
        const txId = request.getTransactionId();
        const pending = endorsed.get(txId);
        if (!pending || request.getChannelId() !== config.channel) throw new Refused(grpc.status.NOT_FOUND, `transaction ${txId} was not endorsed here`);
        const envelope = request.getPreparedTransaction();
        verify(pending.creator, envelope.getPayload_asU8(), envelope.getSignature_asU8());
        endorsed.delete(txId);
        blockNumber++;
        // As a committing peer: the writes apply only if nothing changed since the endorsement read the state.
        const code = pending.version === worldVersion ? VALID : MVCC_READ_CONFLICT;
        if (code === VALID && pending.writes.size > 0) {
            for (const [k, v] of pending.writes) world.set(k, v);
            worldVersion++;
        }
        committed.set(txId, { code, block: blockNumber });
        save();
        return new gateway.SubmitResponse();
    }),
    commitStatus: unary('CommitStatus', async (signed) => {
        const request = gateway.CommitStatusRequest.deserializeBinary(signed.getRequest_asU8());
        verify(request.getIdentity_asU8(), signed.getRequest_asU8(), signed.getSignature_asU8());
        const status = committed.get(request.getTransactionId());
        if (!status || request.getChannelId() !== config.channel) throw new Refused(grpc.status.NOT_FOUND, `transaction ${request.getTransactionId()} not found`);
        const response = new gateway.CommitStatusResponse();
        response.setResult(status.code);
        response.setBlockNumber(status.block);
        return response;
    }),
    evaluate: unary('Evaluate', async (request) => {
        const invocation = openProposal(request);
        const { result } = await simulate(invocation);
        const answer = new peer.Response();
        answer.setStatus(200);
        answer.setPayload(result);
        const response = new gateway.EvaluateResponse();
        response.setResult(answer);
        return response;
    }),
    chaincodeEvents: (call) => call.destroy({ code: grpc.status.UNIMPLEMENTED, details: 'not served here' }),
};

const server = new grpc.Server();
server.addService(GatewayService, service);
const credentials = config.tls
    ? grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(config.tls.keyPem), cert_chain: Buffer.from(config.tls.certPem) }], false)
    : grpc.ServerCredentials.createInsecure();
server.bindAsync(`127.0.0.1:${config.port || 0}`, credentials, (err, port) => {
    if (err) {
        console.error(err);
        process.exit(1);
    }
    process.stdout.write(`listening ${port}\n`);
});
process.stdin.on('data', (line) => {
    if (String(line).trim() === 'stats') process.stdout.write(JSON.stringify({ requests, blockNumber, keys: [...world.keys()] }) + '\n');
});
process.stdin.on('end', () => server.tryShutdown(() => process.exit(0)));
process.stdin.resume();
