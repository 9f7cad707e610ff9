"""Cross-chain votes, the offline half: the root file, a voter's package and the signed
remote ballot (vault/chain/dao/crosschain.py is the on-chain half).

- root file ("blocktrack-remote-root"): which proposal of which network (chain id and
  CrossChainVotes address), the other chain's id and snapshot block, the root, and the
  whole tree in @openzeppelin/merkle-tree's own format ("standard-v1"), so anyone can
  check it with that library or with ``load_root_file`` (which rebuilds the tree from its
  values and refuses a file whose tree or root does not match them);
- package ("blocktrack-remote-package"): one holder's part (weight and proof);
- ballot ("blocktrack-remote-ballot"): a package with the holder's support and EIP-712
  signature (domain: CrossChainVotes on the proposal's chain), as a JSON file or a
  "remote-ballot" QR code (ballots.py's file and QR code, shared with poll ballots).

Every file is read with the safe parser and checked field by field: a hostile one is a
ChainError saying what is wrong, never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_keys.exceptions import BadSignature
from eth_utils import to_checksum_address

from ... import safejson
from ...errors import ChainError
from .ballots import MAX_BALLOT_BYTES, export_ballot_qr, read_ballot_file
from .merkle import FORMAT, LEAF_ENCODING, BalanceTree, verify

ROOT_TYPE = "blocktrack-remote-root"
PACKAGE_TYPE = "blocktrack-remote-package"
BALLOT_TYPE = "blocktrack-remote-ballot"
QR_KIND = "remote-ballot"
DOMAIN_NAME = "Blocktrack Cross-Chain Votes"   # CrossChainVotes' EIP-712 domain, version "1"
SUPPORT = ("against", "for", "abstain")
MAX_ROOT_FILE = 64 * 1024 * 1024               # ~250,000 holders; a larger file is refused unread
MAX_PROOF = 64                                 # a tree of 2**64 leaves is deeper than any real one
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_HASH = re.compile(r"0x[0-9a-fA-F]{64}")
_SIGNATURE = re.compile(r"0x[0-9a-fA-F]{130}")
_HEADER = ("chain_id", "contract", "proposal_id", "remote_chain_id", "remote_block", "root")


def _invalid(what: str, message: str) -> ChainError:
    return ChainError(f"invalid-{what}", message)


def support_index(support) -> int:
    text = str(support).strip().lower()
    if text in SUPPORT:
        return SUPPORT.index(text)
    if text in ("0", "1", "2"):
        return int(text)
    raise ChainError("invalid-argument", f"{support!r} is not a vote: say for, against or abstain.")


# ---- signing -------------------------------------------------------------------------------

def typed_ballot(chain_id: int, contract: str, proposal_id: int, support: int, remote_chain_id: int, weight: int):
    return {"domain": {"name": DOMAIN_NAME, "version": "1", "chainId": int(chain_id),
                       "verifyingContract": to_checksum_address(contract)},
            "types": {"RemoteBallot": [{"name": "proposalId", "type": "uint256"}, {"name": "support", "type": "uint8"},
                                       {"name": "remoteChainId", "type": "uint256"},
                                       {"name": "weight", "type": "uint256"}]},
            "message": {"proposalId": int(proposal_id), "support": int(support),
                        "remoteChainId": int(remote_chain_id), "weight": int(weight)}}


def ballot_signable(b: dict):
    t = typed_ballot(b["chain_id"], b["contract"], int(b["proposal_id"]), b["support"], b["remote_chain_id"], int(b["weight"]))
    return encode_typed_data(domain_data=t["domain"], message_types=t["types"], message_data=t["message"])


def sign_remote_ballot(key: bytes, package: dict, support) -> dict:
    """``key``'s ballot from its package (offline: nothing is read from any chain). Refused
    when the package is not the key's or its proof does not lead to its root."""
    package = load_package(package) if not isinstance(package, dict) else check_package(package)
    voter = Account.from_key(key).address
    if voter.lower() != package["voter"].lower():
        raise ChainError("not-your-package", f"This package is {package['voter']}'s; the key is {voter}'s.")
    ballot = dict(package, type=BALLOT_TYPE, support=support_index(support))
    ballot["signature"] = "0x" + bytes(Account.sign_message(ballot_signable(ballot), key).signature).hex()
    return ballot


def recover_signer(ballot: dict) -> str:
    try:
        return Account.recover_message(ballot_signable(ballot), signature=bytes.fromhex(ballot["signature"][2:]))
    except (BadSignature, ValueError):
        raise _invalid("ballot", "The ballot's signature is not a valid signature at all: the file was "
                                 "altered.") from None


# ---- reading files -------------------------------------------------------------------------

def _parse(data, what: str, expected_type: str, limit: int) -> dict:
    if isinstance(data, dict):
        raw = data
    else:
        if len(data) > limit:
            raise _invalid(what, f"This is not a {what} file: it is larger than {limit // 1024:,} KB.")
        try:
            raw = safejson.loads(data, parse_int=lambda s: int(s) if len(s) <= 78 else -1)
        except safejson.TooDeep as exc:
            raise _invalid(what, f"This is not a {what} file: its JSON is {exc}.") from None
        except (ValueError, UnicodeDecodeError):
            raise _invalid(what, f"This is not a {what} file (not JSON).") from None
    if not isinstance(raw, dict) or raw.get("type") != expected_type:
        raise _invalid(what, f"This is not a cross-chain {what} (its type is not \"{expected_type}\").")
    return raw


def _int(raw: dict, key: str, what: str, limit: int = 2**256) -> int:
    value = raw.get(key)
    if isinstance(value, str) and value.isdigit() and len(value) <= 78:
        value = int(value)
    if type(value) is not int or not 0 <= value < limit:
        raise _invalid(what, f"This {what} is malformed: '{key}' must be a whole number below {limit}.")
    return value


def _text(raw: dict, key: str, pattern: re.Pattern, what: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise _invalid(what, f"This {what} is malformed: '{key}' is missing or not of its form.")
    return value


def _header(raw: dict, what: str) -> dict:
    return {"chain_id": _int(raw, "chain_id", what, 2**64),
            "contract": to_checksum_address(_text(raw, "contract", _ADDRESS, what)),
            "proposal_id": str(_int(raw, "proposal_id", what)),
            "remote_chain_id": _int(raw, "remote_chain_id", what, 2**64),
            "remote_block": _int(raw, "remote_block", what, 2**64),
            "root": _text(raw, "root", _HASH, what).lower()}


def check_package(raw: dict, what: str = "package") -> dict:
    """A package's fields (also a ballot's), checked, with its proof checked against its root."""
    out = _header(raw, what) | {"type": PACKAGE_TYPE, "voter": to_checksum_address(_text(raw, "voter", _ADDRESS, what)),
                                "weight": str(_int(raw, "weight", what))}
    proof = raw.get("proof")
    if not isinstance(proof, list) or len(proof) > MAX_PROOF or not all(
            isinstance(p, str) and _HASH.fullmatch(p) for p in proof):
        raise _invalid(what, f"This {what} is malformed: 'proof' must be a list of at most {MAX_PROOF} hashes.")
    out["proof"] = [p.lower() for p in proof]
    if not verify(out["proof"], out["root"], out["voter"], int(out["weight"])):
        raise ChainError("bad-proof", f"The Merkle proof does not show that {out['voter']} held "
                                      f"{out['weight']} wei of BTK under root {out['root'][:18]}…: the {what} was "
                                      "altered, or made for another tree.")
    return out


def load_package(data) -> dict:
    return check_package(_parse(data, "package", PACKAGE_TYPE, MAX_BALLOT_BYTES))


def load_remote_ballot(data) -> dict:
    """A signed ballot, checked field by field (its proof too; its signature by recover_signer)."""
    raw = _parse(data, "ballot", BALLOT_TYPE, MAX_BALLOT_BYTES)
    out = check_package(raw, "ballot") | {"type": BALLOT_TYPE}
    support = raw.get("support")
    if type(support) is not int or not 0 <= support <= 2:
        raise _invalid("ballot", "This ballot is malformed: 'support' must be 0 (against), 1 (for) or 2 (abstain).")
    out["support"] = support
    out["signature"] = _text(raw, "signature", _SIGNATURE, "ballot")
    return out


def read_remote_ballot(path) -> dict:
    """A signed ballot from a JSON file or a QR image."""
    return read_ballot_file(Path(path), load=load_remote_ballot, kind=QR_KIND)


def export_remote_ballot_qr(ballot: dict, out) -> list:
    return export_ballot_qr(ballot, out, kind=QR_KIND)


# ---- the root file -------------------------------------------------------------------------

def root_file(*, chain_id: int, contract: str, proposal_id: int, remote_chain_id: int, remote_block: int,
              tree: BalanceTree) -> dict:
    return {"type": ROOT_TYPE, "version": 1, "chain_id": int(chain_id), "contract": to_checksum_address(contract),
            "proposal_id": str(int(proposal_id)), "remote_chain_id": int(remote_chain_id),
            "remote_block": int(remote_block), "root": tree.root, "total": str(tree.total), "tree": tree.dump()}


def load_root_file(data) -> tuple[dict, BalanceTree]:
    """(header, tree) of a root file; the tree is rebuilt from the file's values, so a file
    whose tree array or root was edited is refused."""
    raw = _parse(data, "root", ROOT_TYPE, MAX_ROOT_FILE)
    header = _header(raw, "root")
    dump = raw.get("tree")
    if not isinstance(dump, dict) or dump.get("format") != FORMAT or dump.get("leafEncoding") != LEAF_ENCODING \
            or not isinstance(dump.get("values"), list):
        raise _invalid("root", f"This root file's tree is not an OpenZeppelin {FORMAT} tree of (address, uint256).")
    balances = {}
    for entry in dump["values"]:
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], str) \
                or not _ADDRESS.fullmatch(value[0]) or value[0].lower() in balances:
            raise _invalid("root", "This root file's tree has a malformed or repeated holder.")
        balances[value[0].lower()] = _int({"v": value[1]}, "v", "root")
    tree = BalanceTree(balances)
    if tree.root != header["root"] or dump.get("tree") != tree.dump()["tree"]:
        raise ChainError("bad-root", f"This root file's balances give root {tree.root[:18]}…, not the "
                                     f"{header['root'][:18]}… it states: it was altered.")
    return header | {"total": str(tree.total)}, tree


def package_for(header: dict, tree: BalanceTree, voter: str) -> dict:
    """``voter``'s package: what they need to sign, offline."""
    weight = tree.weight(voter)
    if weight is None:
        raise ChainError("not-a-holder", f"{to_checksum_address(voter)} held no BTK on chain "
                                         f"{header['remote_chain_id']} at block {header['remote_block']:,}: it has "
                                         "no vote from there on this proposal.")
    return {"type": PACKAGE_TYPE, **{k: header[k] for k in _HEADER}, "voter": to_checksum_address(voter),
            "weight": str(weight), "proof": tree.proof(voter)}
