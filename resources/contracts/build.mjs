#!/usr/bin/env node
// Compiles src/**/*.sol with the pinned solc (npm, WebAssembly: no compiler download)
// through standard JSON and writes one deterministic artifact per deployable contract:
//   artifacts/<Name>.json        the suite the wallet deploys
//   artifacts/test/<Name>.json   test-only contracts from src/test/ ("testOnly": true)
// Usage:
//   node build.mjs            rebuild the artifacts
//   node build.mjs --check    rebuild in memory; exit 1 if artifacts/ differs (CI)
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(fileURLToPath(import.meta.url));
const SRC = join(ROOT, "src");
const ARTIFACTS = join(ROOT, "artifacts");
const TEST_DIR = "src/test/";
const require = createRequire(import.meta.url);

const SETTINGS = {
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 200 },
  viaIR: false,
  metadata: { bytecodeHash: "ipfs", useLiteralContent: false },
  remappings: [],
};

function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(2);
}

function loadSolc() {
  if (!existsSync(join(ROOT, "node_modules", "solc"))) {
    fail("node_modules is missing: run `npm ci --prefix resources/contracts` first");
  }
  const solc = require("solc");
  const pinned = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).dependencies.solc;
  if (!solc.version().startsWith(`${pinned}+`)) {
    fail(`solc ${solc.version()} is installed but package.json pins ${pinned}: run npm ci`);
  }
  return solc;
}

function listSources(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listSources(path));
    else if (entry.name.endsWith(".sol")) found.push(relative(ROOT, path).split(sep).join("/"));
  }
  return found.sort();
}

function sha256(text) {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

// Imports resolve to the pinned packages in node_modules (only @openzeppelin/contracts).
function findImports(path) {
  if (!path.startsWith("@openzeppelin/contracts/")) return { error: `import outside the pinned packages: ${path}` };
  const file = join(ROOT, "node_modules", path);
  if (!existsSync(file)) return { error: `not found in node_modules: ${path}` };
  return { contents: readFileSync(file, "utf8") };
}

// Every source a contract was compiled from (its own and its imports, transitively), with
// the sha-256 of the exact text solc read: the Python tests re-hash src/ to catch a source
// edited without a rebuild, and the OpenZeppelin entries pin the library byte for byte.
function sourceHashes(metadata, sources) {
  const hashes = {};
  for (const name of Object.keys(JSON.parse(metadata).sources).sort()) {
    const text = sources[name] ?? findImports(name).contents;
    if (text === undefined) fail(`cannot re-read source ${name}`);
    hashes[name] = sha256(text);
  }
  return hashes;
}

function build() {
  const solc = loadSolc();
  const files = listSources(SRC);
  if (files.length === 0) fail("no .sol files under src/");
  const sources = {};
  for (const file of files) sources[file] = readFileSync(join(ROOT, file), "utf8");

  const input = {
    language: "Solidity",
    sources: Object.fromEntries(files.map((f) => [f, { content: sources[f] }])),
    settings: {
      ...SETTINGS,
      outputSelection: {
        "*": { "*": ["abi", "evm.bytecode.object", "evm.bytecode.linkReferences", "evm.deployedBytecode.object", "metadata"] },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  for (const e of output.errors ?? []) {
    // Warnings from our own sources are shown; the library's are its own business.
    if (e.severity === "error" || files.includes(e.sourceLocation?.file)) console.error(e.formattedMessage);
  }
  if (errors.length > 0) fail(`${errors.length} compilation error(s)`);

  const version = solc.version();
  const artifacts = new Map(); // relative path under artifacts/ -> file text
  for (const file of files) {
    for (const [name, contract] of Object.entries(output.contracts[file] ?? {})) {
      const bytecode = contract.evm.bytecode.object;
      if (bytecode === "") continue; // interfaces and abstract contracts
      if (Object.keys(contract.evm.bytecode.linkReferences).length > 0) {
        fail(`${name} needs linked libraries; the suite must stay link-free`);
      }
      const testOnly = file.startsWith(TEST_DIR);
      const artifact = {
        contractName: name,
        sourceName: file,
        testOnly,
        abi: contract.abi,
        bytecode: `0x${bytecode}`,
        deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
        compiler: { version, settings: SETTINGS },
        sourceHashes: sourceHashes(contract.metadata, sources),
      };
      const path = testOnly ? `test/${name}.json` : `${name}.json`;
      if (artifacts.has(path)) fail(`two contracts are named ${name}`);
      artifacts.set(path, `${JSON.stringify(artifact, null, 2)}\n`);
    }
  }
  return artifacts;
}

function onDisk() {
  const found = new Map();
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".json")) found.set(relative(ARTIFACTS, path).split(sep).join("/"), readFileSync(path, "utf8"));
    }
  };
  walk(ARTIFACTS);
  return found;
}

const check = process.argv.includes("--check");
const started = process.hrtime.bigint();
const fresh = build();
const existing = onDisk();
const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);

if (check) {
  const problems = [];
  for (const [path, text] of fresh) {
    if (!existing.has(path)) problems.push(`missing: artifacts/${path}`);
    else if (existing.get(path) !== text) problems.push(`differs: artifacts/${path}`);
  }
  for (const path of existing.keys()) if (!fresh.has(path)) problems.push(`stale (no source): artifacts/${path}`);
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    console.error("build.mjs --check: the committed artifacts do not match the sources; run `node resources/contracts/build.mjs`");
    process.exit(1);
  }
  console.log(`build.mjs --check: ${fresh.size} artifacts match a fresh build (${seconds} s)`);
} else {
  for (const path of existing.keys()) if (!fresh.has(path)) rmSync(join(ARTIFACTS, path));
  for (const [path, text] of fresh) {
    mkdirSync(dirname(join(ARTIFACTS, path)), { recursive: true });
    if (existing.get(path) !== text) writeFileSync(join(ARTIFACTS, path), text);
  }
  console.log(`build.mjs: ${fresh.size} artifacts in ${relative(process.cwd(), ARTIFACTS) || "."} (${seconds} s)`);
}
