// Compiles contracts/CheckpointAnchor.sol with the pinned solc from npm and writes
// artifacts/CheckpointAnchor.json (ABI, creation bytecode, runtime bytecode, selectors, compiler settings).
// The C# client embeds that file, so a build needs no npm; a test recompiles and compares.
//   node compile.mjs            write the artifact
//   node compile.mjs --stdout   print it instead (used by the test that checks the committed artifact)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const here = dirname(fileURLToPath(import.meta.url));
const sourceName = 'CheckpointAnchor.sol';
const source = readFileSync(join(here, 'contracts', sourceName), 'utf8');

// paris: no PUSH0 and no later opcodes, so the same bytecode deploys on EVM consortium chains that lag mainnet.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'paris',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'] } },
};
const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources: { [sourceName]: { content: source } }, settings })));
const errors = (output.errors ?? []).filter(e => e.severity === 'error');
for (const e of output.errors ?? []) process.stderr.write(e.formattedMessage + '\n');
if (errors.length > 0) process.exit(1);

const c = output.contracts[sourceName].CheckpointAnchor;
const artifact = {
  contractName: 'CheckpointAnchor',
  source: `contracts/${sourceName}`,
  sourceSha256: createHash('sha256').update(source).digest('hex'),
  compiler: { name: 'solc', version: solc.version(), settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion } },
  abi: c.abi,
  methodIdentifiers: c.evm.methodIdentifiers,
  bytecode: '0x' + c.evm.bytecode.object,
  deployedBytecode: '0x' + c.evm.deployedBytecode.object,
};
const text = JSON.stringify(artifact, null, 2) + '\n';
if (process.argv.includes('--stdout')) {
  process.stdout.write(text);
} else {
  mkdirSync(join(here, 'artifacts'), { recursive: true });
  writeFileSync(join(here, 'artifacts', 'CheckpointAnchor.json'), text);
  console.log(`artifacts/CheckpointAnchor.json: solc ${solc.version()}, ${c.evm.deployedBytecode.object.length / 2} bytes of runtime code`);
}
