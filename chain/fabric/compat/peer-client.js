/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * The official Fabric Gateway client (@hyperledger/fabric-gateway) against the real network of
 * scripts/fabric-network.sh, as one org's User1. Prints one JSON document on stdout.
 *
 *   node peer-client.js <network.env> <org 1|2> ready <chaincode>...           every name endorsed by both orgs' peers
 *   node peer-client.js <network.env> <org> evaluate <chaincode> <function> [args...]
 *   node peer-client.js <network.env> <org> submit <chaincode> <function> [args...]
 *   node peer-client.js <network.env> <org> read-tx <transaction id>            the committed transaction via qscc
 *
 * `ready` endorses a read-only call (GetLatest) without submitting it: the Gateway plans that endorsement from
 * discovery, so it succeeds only once gossip has disclosed the other org's peer with the chaincode (RECIPE.md §4).
 * `read-tx` decodes ProcessedTransaction -> Envelope -> Payload -> Transaction -> ChaincodeActionPayload and checks
 * each endorsement's signature over proposal_response_payload ‖ endorser with the endorser's certificate.
 */
'use strict';
process.noDeprecation = true; // DEP0123: grpc-js sets an IP address as the TLS server name (harmless here)

const fs = require('node:fs');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const { connect, hash, signers } = require('@hyperledger/fabric-gateway');
const { common, msp, peer } = require('@hyperledger/fabric-protos');

function readEnv(file) {
    const env = {};
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
        if (m) env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
    }
    return env;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (bytes) => Buffer.from(bytes).toString('utf8');

async function ready(network, names) {
    const deadline = Date.now() + 90_000;
    const waited = {};
    for (const name of names) {
        const started = Date.now();
        for (;;) {
            try {
                await network.getContract(name).newProposal('GetLatest').endorse();
                break;
            } catch (err) {
                if (Date.now() > deadline) throw err;
                await sleep(250);
            }
        }
        waited[name] = Date.now() - started;
    }
    return { ready: names, waitedMs: waited };
}

async function submit(network, name, fn, args) {
    const transaction = await network.getContract(name).newProposal(fn, { arguments: args }).endorse();
    const commit = await transaction.submit();
    const status = await commit.getStatus();
    return { transactionId: status.transactionId, blockNumber: Number(status.blockNumber), code: status.code, result: text(transaction.getResult()) };
}

async function readTransaction(network, channel, txId) {
    const qscc = network.getContract('qscc');
    const processed = peer.ProcessedTransaction.deserializeBinary(await qscc.evaluateTransaction('GetTransactionByID', channel, txId));
    const block = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByTxID', channel, txId));
    const payload = common.Payload.deserializeBinary(processed.getTransactionenvelope().getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader().getChannelHeader_asU8());
    const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
    const action = peer.ChaincodeActionPayload.deserializeBinary(tx.getActionsList()[0].getPayload_asU8()).getAction();
    const prp = action.getProposalResponsePayload_asU8();
    const endorsements = action.getEndorsementsList().map((e) => {
        const id = msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8());
        const cert = new crypto.X509Certificate(Buffer.from(id.getIdBytes_asU8()));
        const signed = Buffer.concat([Buffer.from(prp), Buffer.from(e.getEndorser_asU8())]);
        return {
            mspId: id.getMspid(),
            subject: cert.subject.replace(/\n/g, ', '),
            signatureValid: crypto.verify('sha256', signed, cert.publicKey, Buffer.from(e.getSignature_asU8())),
        };
    });
    const codes = Object.fromEntries(Object.entries(peer.TxValidationCode).map(([k, v]) => [v, k]));
    return { transactionId: channelHeader.getTxId(), blockNumber: block.getHeader().getNumber(), validationCode: codes[processed.getValidationcode()], endorsements };
}

async function main() {
    const [envFile, org, command, ...args] = process.argv.slice(2);
    const env = readEnv(envFile);
    const o = (key) => env[`ORG${org}_${key}`];
    const client = new grpc.Client(o('PEER'), grpc.credentials.createSsl(fs.readFileSync(o('TLS_CA'))));
    const gateway = connect({
        client,
        identity: { mspId: o('MSP_ID'), credentials: fs.readFileSync(o('USER_CERT')) },
        signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(o('USER_KEY')))),
        hash: hash.sha256,
    });
    try {
        const network = gateway.getNetwork(env.CHANNEL);
        let result;
        switch (command) {
            case 'ready': result = await ready(network, args); break;
            case 'evaluate': result = { result: text(await network.getContract(args[0]).evaluateTransaction(args[1], ...args.slice(2))) }; break;
            case 'submit': result = await submit(network, args[0], args[1], args.slice(2)); break;
            case 'read-tx': result = await readTransaction(network, env.CHANNEL, args[0]); break;
            default: throw new Error(`unknown command ${command}`);
        }
        process.stdout.write(JSON.stringify(result) + '\n');
    } finally {
        gateway.close();
        client.close();
    }
}

main().catch((err) => {
    process.stderr.write(`${err.stack || err}\n${JSON.stringify(err.details || [])}\n`);
    process.exit(1);
});
