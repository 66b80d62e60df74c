/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * The Node half of AssetLedger's Fabric compatibility test (tests/Infrastructure.Tests/Ledger/Fabric/).
 * Usage: node compare.js <input.json>   (prints one JSON document on stdout)
 *
 * Input: a throwaway identity (certificate PEM, PKCS#8 key PEM, MSP id), the invocation (channel, chaincode,
 * function, arguments), and what AssetLedger's C# client built for it: the unsigned proposal in the official
 * offline-signing form (gateway.ProposedTransaction), its signature, the same signed, and a signed commit-status
 * request.
 *
 * This script builds the same invocation with the official client, @hyperledger/fabric-gateway, through its
 * offline-signing flow (newProposal -> getBytes/getDigest -> sign outside -> newSignedProposal), hands our bytes
 * and signature to the same offline-signing entry points, and decodes both proposals with the official protos
 * (@hyperledger/fabric-protos) into flat field lists. The C# test compares them; the checks done here are reported,
 * not asserted.
 */
'use strict';

const fs = require('node:fs');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const { connect, hash, signers } = require('@hyperledger/fabric-gateway');
const { common, gateway, msp, peer } = require('@hyperledger/fabric-protos');

const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const fromB64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));

/** Decodes bytes as a message, and proves the decoding complete: re-encoding gives the same bytes (no unknown field). */
function decode(type, bytes, path, layers) {
    const message = type.deserializeBinary(bytes);
    layers.push({ path, reencodesIdentically: Buffer.compare(Buffer.from(message.serializeBinary()), Buffer.from(bytes)) === 0 });
    return message;
}

/** Flattens a jspb toObject() tree into path -> string; bytes are shown as hex. */
function flatten(prefix, value, out) {
    if (value instanceof Uint8Array) {
        out[prefix] = 'hex:' + hex(value);
    } else if (Array.isArray(value)) {
        out[prefix + '.length'] = String(value.length);
        value.forEach((v, i) => flatten(`${prefix}[${i}]`, v, out));
    } else if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
    } else {
        out[prefix] = String(value);
    }
    return out;
}

/** Every field of a ProposedTransaction, down to the chaincode arguments, decoded with the official protos. */
function fieldsOf(proposedTransactionBytes) {
    const layers = [];
    const fields = {};
    const pt = decode(gateway.ProposedTransaction, proposedTransactionBytes, 'ProposedTransaction', layers);
    fields['ProposedTransaction.transactionId'] = pt.getTransactionId();
    flatten('ProposedTransaction.endorsingOrganizations', pt.getEndorsingOrganizationsList(), fields);
    const sp = pt.getProposal();
    fields['SignedProposal.signature.length'] = String(sp.getSignature_asU8().length);
    const proposal = decode(peer.Proposal, sp.getProposalBytes_asU8(), 'Proposal', layers);
    fields['Proposal.extension'] = 'hex:' + hex(proposal.getExtension_asU8());
    const header = decode(common.Header, proposal.getHeader_asU8(), 'Header', layers);
    const ch = decode(common.ChannelHeader, header.getChannelHeader_asU8(), 'ChannelHeader', layers);
    fields['ChannelHeader.type'] = String(ch.getType());
    fields['ChannelHeader.version'] = String(ch.getVersion());
    fields['ChannelHeader.timestamp.present'] = String(ch.hasTimestamp());
    fields['ChannelHeader.timestamp.seconds'] = String(ch.getTimestamp()?.getSeconds());
    fields['ChannelHeader.timestamp.nanos'] = String(ch.getTimestamp()?.getNanos());
    fields['ChannelHeader.channelId'] = ch.getChannelId();
    fields['ChannelHeader.txId'] = ch.getTxId();
    fields['ChannelHeader.epoch'] = String(ch.getEpoch());
    fields['ChannelHeader.tlsCertHash'] = 'hex:' + hex(ch.getTlsCertHash_asU8());
    const ext = decode(peer.ChaincodeHeaderExtension, ch.getExtension_asU8(), 'ChaincodeHeaderExtension', layers);
    flatten('ChaincodeHeaderExtension.chaincodeId', ext.getChaincodeId()?.toObject() ?? null, fields);
    const sh = decode(common.SignatureHeader, header.getSignatureHeader_asU8(), 'SignatureHeader', layers);
    fields['SignatureHeader.nonce'] = 'hex:' + hex(sh.getNonce_asU8());
    fields['SignatureHeader.creator'] = 'hex:' + hex(sh.getCreator_asU8());
    const id = decode(msp.SerializedIdentity, sh.getCreator_asU8(), 'SerializedIdentity', layers);
    fields['SerializedIdentity.mspid'] = id.getMspid();
    fields['SerializedIdentity.idBytes'] = Buffer.from(id.getIdBytes_asU8()).toString('utf8');
    const payload = decode(peer.ChaincodeProposalPayload, proposal.getPayload_asU8(), 'ChaincodeProposalPayload', layers);
    fields['ChaincodeProposalPayload.transientMap.size'] = String(payload.getTransientmapMap().getLength());
    const cis = decode(peer.ChaincodeInvocationSpec, payload.getInput_asU8(), 'ChaincodeInvocationSpec', layers);
    const spec = cis.getChaincodeSpec();
    fields['ChaincodeSpec.type'] = String(spec.getType());
    fields['ChaincodeSpec.timeout'] = String(spec.getTimeout());
    flatten('ChaincodeSpec.chaincodeId', spec.getChaincodeId()?.toObject() ?? null, fields);
    const input = spec.getInput();
    fields['ChaincodeInput.args.length'] = String(input.getArgsList().length);
    input.getArgsList_asU8().forEach((a, i) => { fields[`ChaincodeInput.args[${i}]`] = Buffer.from(a).toString('utf8'); });
    fields['ChaincodeInput.decorations.size'] = String(input.getDecorationsMap().getLength());
    fields['ChaincodeInput.isInit'] = String(input.getIsInit());
    return {
        fields,
        layers,
        nonce: hex(sh.getNonce_asU8()),
        creator: hex(sh.getCreator_asU8()),
        proposalBytes: b64(sp.getProposalBytes_asU8()),
        signature: b64(sp.getSignature_asU8()),
    };
}

/** Fabric's transaction id: hex SHA-256 of nonce ‖ creator. */
const txIdOf = (nonceHex, creatorHex) => crypto.createHash('sha256').update(Buffer.concat([Buffer.from(nonceHex, 'hex'), Buffer.from(creatorHex, 'hex')])).digest('hex');

/** ECDSA over SHA-256 of the message, DER, with the certificate's key; and whether s ≤ n/2 (Fabric's low-S rule). */
function checkSignature(certPem, message, derSignature) {
    const publicKey = new crypto.X509Certificate(certPem).publicKey;
    const verifies = crypto.verify('sha256', Buffer.from(message), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(derSignature));
    const n = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    const { s } = derIntegers(Buffer.from(derSignature));
    return { verifies, lowS: s > 0n && s <= n / 2n };
}

function derIntegers(der) {
    let i = 2;                                  // SEQUENCE, short length (a P-256 signature is < 128 bytes)
    const read = () => { const len = der[i + 1]; const v = der.subarray(i + 2, i + 2 + len); i += 2 + len; return BigInt('0x' + (v.toString('hex') || '0')); };
    return { r: read(), s: read() };
}

async function main() {
    const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
    const client = new grpc.Client('127.0.0.1:9', grpc.credentials.createInsecure()); // never dialled: offline signing only
    const gw = connect({ client, identity: { mspId: input.mspId, credentials: Buffer.from(input.certPem) }, hash: hash.sha256 });
    try {
        // 1. The official client builds the same invocation and it is signed outside it, with the official signer.
        const contract = gw.getNetwork(input.channel).getContract(input.chaincode);
        const unsigned = contract.newProposal(input.function, { arguments: input.arguments });
        const sign = signers.newPrivateKeySigner(crypto.createPrivateKey(input.keyPem));
        const officialSignature = await sign(unsigned.getDigest());
        const official = gw.newSignedProposal(unsigned.getBytes(), officialSignature);
        const officialDecoded = fieldsOf(official.getBytes());

        // 2. Our unsigned bytes and our signature through the same offline-signing entry point.
        const ours = gw.newSignedProposal(fromB64(input.ours.proposedTransaction), fromB64(input.ours.signature));
        const oursDecoded = fieldsOf(ours.getBytes());

        // 3. Our signed commit-status request through the official client's entry point for it.
        const commitBytes = fromB64(input.ours.signedCommitStatusRequest);
        const signedCommit = gateway.SignedCommitStatusRequest.deserializeBinary(commitBytes);
        const commit = gw.newSignedCommit(commitBytes, signedCommit.getSignature_asU8());
        const commitRequest = gateway.CommitStatusRequest.deserializeBinary(signedCommit.getRequest_asU8());

        const report = (decoded, proposal) => ({
            fields: decoded.fields,
            layers: decoded.layers,
            transactionIdReadBack: proposal.getTransactionId(),
            transactionIdFromNonceAndCreator: txIdOf(decoded.nonce, decoded.creator),
            digest: hex(proposal.getDigest()),
            sha256OfProposalBytes: crypto.createHash('sha256').update(Buffer.from(decoded.proposalBytes, 'base64')).digest('hex'),
            signature: checkSignature(input.certPem, Buffer.from(decoded.proposalBytes, 'base64'), Buffer.from(decoded.signature, 'base64')),
            signedBytes: b64(proposal.getBytes()),
        });
        const result = {
            officialClient: require('@hyperledger/fabric-gateway/package.json').version,
            officialProtos: require('@hyperledger/fabric-protos/package.json').version,
            official: { ...report(officialDecoded, official), proposalBytes: officialDecoded.proposalBytes, signatureBytes: officialDecoded.signature },
            ours: report(oursDecoded, ours),
            commit: {
                transactionIdReadBack: commit.getTransactionId(),
                transactionId: commitRequest.getTransactionId(),
                channelId: commitRequest.getChannelId(),
                identity: hex(commitRequest.getIdentity_asU8()),
                digest: hex(commit.getDigest()),
                reencodesIdentically: Buffer.compare(Buffer.from(commitRequest.serializeBinary()), Buffer.from(signedCommit.getRequest_asU8())) === 0,
                signature: checkSignature(input.certPem, signedCommit.getRequest_asU8(), signedCommit.getSignature_asU8()),
            },
        };
        process.stdout.write(JSON.stringify(result, null, 1) + '\n');
    } finally {
        gw.close();
        client.close();
    }
}

main().catch((err) => { console.error(err && err.stack || err); process.exit(1); });
