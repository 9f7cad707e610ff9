#!/usr/bin/env node
// The interop peer of vault/chain/dao/merkle.py: @openzeppelin/merkle-tree builds the tree
// of the same (address, uint256) leaves, and loads (validates) the tree Python dumped.
// stdin:  {"values": [["0x…", "123"], …], "dump": <the Python tree's dump>}
// stdout: {"root", "proofs": {address: [hash, …]}, "dump": <its own dump>,
//          "loaded_root", "python_proofs_valid": bool}
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);
const ENCODING = ["address", "uint256"];

const tree = StandardMerkleTree.of(request.values, ENCODING);
const proofs = {};
for (const [i, v] of tree.entries()) proofs[v[0]] = tree.getProof(i);

const loaded = StandardMerkleTree.load(request.dump); // throws when the Python tree is not valid
let valid = true;
for (const [, v] of loaded.entries()) {
  const proof = request.python_proofs[v[0]];
  valid = valid && StandardMerkleTree.verify(loaded.root, ENCODING, v, proof);
}
process.stdout.write(JSON.stringify({ root: tree.root, proofs, dump: tree.dump(), loaded_root: loaded.root,
  python_proofs_valid: valid }));
