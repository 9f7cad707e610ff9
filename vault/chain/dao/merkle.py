"""OpenZeppelin's standard Merkle tree (@openzeppelin/merkle-tree, "standard-v1"), for
(address, uint256) leaves: the root and proofs that MerkleProof.verify accepts.

Hand-rolled on purpose: no well-kept PyPI library builds this exact format (double-hashed
ABI-encoded leaves, sorted leaves, sorted pairs, the tree as one array with the leaves at
its end). It is small, and tests/contracts/test_contract_crosschain_merkle.py checks it against the npm
library itself, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from ...errors import ChainError

LEAF_ENCODING = ["address", "uint256"]
FORMAT = "standard-v1"


def leaf_hash(address: str, amount: int) -> bytes:
    """keccak256(bytes.concat(keccak256(abi.encode(address, amount)))): hashed twice so
    that a leaf can never be mistaken for an inner node (64 bytes)."""
    return keccak(keccak(encode(LEAF_ENCODING, [to_checksum_address(address), int(amount)])))


def _pair(a: bytes, b: bytes) -> bytes:
    return keccak(min(a, b) + max(a, b))


class BalanceTree:
    """The tree of ``{address: amount}``: ``root``, ``proof(address)``, ``dump()``."""

    def __init__(self, balances: dict[str, int]):
        if not balances:
            raise ChainError("empty-tree", "No holder had a balance at that block: there is nothing to vote with.")
        values = [(to_checksum_address(a), int(v)) for a, v in balances.items()]
        hashed = sorted(((leaf_hash(a, v), (a, v)) for a, v in values), key=lambda x: x[0])
        n = len(hashed)
        tree: list[bytes] = [b""] * (2 * n - 1)
        # Leaves fill the array's end in reverse; each inner node i hashes 2i+1 and 2i+2.
        for i, (h, _) in enumerate(hashed):
            tree[len(tree) - 1 - i] = h
        for i in range(len(tree) - 1 - n, -1, -1):
            tree[i] = _pair(tree[2 * i + 1], tree[2 * i + 2])
        self.tree = tree
        self.values = [{"value": [a, str(v)], "treeIndex": len(tree) - 1 - i} for i, (_, (a, v)) in enumerate(hashed)]
        self._index = {a.lower(): (v, len(tree) - 1 - i) for i, (_, (a, v)) in enumerate(hashed)}

    @property
    def root(self) -> str:
        return "0x" + self.tree[0].hex()

    @property
    def total(self) -> int:
        return sum(v for v, _ in self._index.values())

    def weight(self, address: str) -> int | None:
        found = self._index.get(str(address).lower())
        return found[0] if found else None

    def proof(self, address: str) -> list[str]:
        found = self._index.get(str(address).lower())
        if found is None:
            raise ChainError("not-a-holder", f"{address} held no BTK at the snapshot: it has no vote here.")
        index, proof = found[1], []
        while index > 0:
            sibling = index + 1 if index % 2 else index - 1
            proof.append("0x" + self.tree[sibling].hex())
            index = (index - 1) // 2
        return proof

    def dump(self) -> dict:
        """The npm library's own format: ``StandardMerkleTree.load(dump)`` reads it."""
        return {"format": FORMAT, "leafEncoding": LEAF_ENCODING, "tree": ["0x" + h.hex() for h in self.tree],
                "values": self.values}


def verify(proof: list[str], root: str, address: str, amount: int) -> bool:
    """MerkleProof.verify, off chain (a relayer checks before paying gas)."""
    node = leaf_hash(address, amount)
    for sibling in proof:
        node = _pair(node, bytes.fromhex(sibling.removeprefix("0x")))
    return "0x" + node.hex() == root.lower()
