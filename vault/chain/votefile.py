"""The signed-vote file: the JSON ``sign_vote`` writes (a file, pasted text, or the payload
of a "vote" QR code), read from anyone.

It is parsed with the safe parser (plain ``json.loads`` on "[[[[…" kills a worker thread
once eth-account has raised the recursion limit) with numbers of at most 78 digits, and
checked field by field, so a hostile vote is a ChainError that says what is wrong before
anything reads its fields, never a traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .. import safejson
from ..errors import ChainError

__all__ = ["MAX_VOTE_BYTES", "SUPPORT", "SUPPORT_NAMES", "VOTE_FILE_TYPE", "load_vote"]

VOTE_FILE_TYPE = "blocktrack-signed-vote"
SUPPORT = {"against": 0, "for": 1, "abstain": 2}
SUPPORT_NAMES = {v: k for k, v in SUPPORT.items()}
MAX_VOTE_BYTES = 1 << 20      # a vote is a few hundred bytes, a few KB with a long reason
_MAX_DIGITS = 78              # 2**256 - 1 has 78 decimal digits
_UINT256 = 2**256
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_SIGNATURE = re.compile(r"0x[0-9a-fA-F]{130}")
_DECIMAL = re.compile(r"[0-9]{1,78}")


def _invalid(message: str) -> ChainError:
    return ChainError("invalid-vote", message)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _invalid(f"This is not a signed vote: it holds a number of {len(text)} digits (no field of a "
                       f"vote has more than {_MAX_DIGITS}).")
    return int(text)


def _kind(value) -> str:
    return {bool: "true/false", int: "a number", float: "a fraction", str: "text", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def _wrong(key: str, expected: str, value) -> ChainError:
    return _invalid(f"This signed vote is malformed: '{key}' must be {expected}, not {_kind(value)}.")


def _uint(vote: dict, key: str, *, digits: bool = False, low: int = 0) -> int:
    value = vote[key]
    if digits and isinstance(value, str) and _DECIMAL.fullmatch(value):
        value = int(value)
    if type(value) is not int:   # bool is an int subclass: true is not a chain id
        raise _wrong(key, "a whole number" + (" (or its decimal digits)" if digits else ""), value)
    if not low <= value < _UINT256:
        raise _invalid(f"This signed vote is malformed: '{key}' is out of range.")
    return value


def _text(vote: dict, key: str, pattern: re.Pattern | None = None, expected: str = "text") -> str:
    value = vote[key]
    if not isinstance(value, str) or (pattern is not None and not pattern.fullmatch(value)):
        raise _wrong(key, expected, value)
    return value


def _checked(vote) -> dict:
    if not isinstance(vote, dict) or vote.get("type") != VOTE_FILE_TYPE:
        raise _invalid("This is not a signed Blocktrack vote (its type is not "
                       f"\"{VOTE_FILE_TYPE}\").")
    needed = ("chain_id", "governor", "proposal_id", "support", "voter", "nonce", "signature")
    missing = [k for k in needed if k not in vote]
    if missing:
        raise _invalid(f"This is not a signed Blocktrack vote (fields missing: {', '.join(missing)}).")
    support = vote["support"]
    if type(support) is not int or support not in SUPPORT_NAMES:
        raise _wrong("support", "0, 1 or 2 (against, for, abstain)", support)
    clean = {"type": VOTE_FILE_TYPE, "chain_id": _uint(vote, "chain_id", low=1),
             "governor": _text(vote, "governor", _ADDRESS, "an address (0x and 40 hex digits)"),
             "proposal_id": str(_uint(vote, "proposal_id", digits=True)), "support": support,
             "voter": _text(vote, "voter", _ADDRESS, "an address (0x and 40 hex digits)"),
             "nonce": _uint(vote, "nonce"),
             "signature": _text(vote, "signature", _SIGNATURE, "a signature (0x and 130 hex digits)")}
    for key in ("name", "reason"):
        if key in vote:
            clean[key] = _text(vote, key)
    if "support_name" in vote:   # a label, not signed: always the one of the signed support
        clean["support_name"] = SUPPORT_NAMES[support]
    return clean


def load_vote(data: bytes | str) -> dict:
    """A signed vote from its JSON (file content, or a QR payload), checked field by field;
    only the fields of a vote are kept."""
    if len(data) > MAX_VOTE_BYTES:
        raise _invalid(f"This is not a signed vote: it is larger than {MAX_VOTE_BYTES >> 20} MB.")
    try:
        vote = safejson.loads(data, parse_int=_parse_int)
    except safejson.TooDeep as exc:
        raise _invalid(f"This is not a signed vote: its JSON is {exc}.") from None
    except (ValueError, UnicodeDecodeError):
        raise _invalid("This is not a signed vote file (not JSON).") from None
    return _checked(vote)


# ---- signing and reading votes offline (moved from governance.py, which re-exports them)

GOVERNOR_NAME = "Blocktrack Governor"  # its EIP-712 domain name, for signing without a connection


def parse_support(value) -> int:
    if isinstance(value, int) and value in SUPPORT_NAMES:
        return value
    key = str(value).strip().lower()
    if key not in SUPPORT:
        raise ChainError("invalid-argument", f"{value!r} is not a vote: use for, against or abstain.")
    return SUPPORT[key]


def _typed_data(chain_id: int, governor: str, name: str, proposal_id: int, support: int, voter: str,
                nonce: int, reason: str) -> dict:
    # start-up: eth_utils ~150 ms, only to read a vote
    from eth_utils import to_checksum_address

    domain = {"name": name, "version": "1", "chainId": int(chain_id), "verifyingContract": to_checksum_address(governor)}
    if reason:
        types = {"ExtendedBallot": [{"name": "proposalId", "type": "uint256"}, {"name": "support", "type": "uint8"},
                                    {"name": "voter", "type": "address"}, {"name": "nonce", "type": "uint256"},
                                    {"name": "reason", "type": "string"}, {"name": "params", "type": "bytes"}]}
        message = {"proposalId": int(proposal_id), "support": int(support), "voter": to_checksum_address(voter),
                   "nonce": int(nonce), "reason": reason, "params": b""}
    else:
        types = {"Ballot": [{"name": "proposalId", "type": "uint256"}, {"name": "support", "type": "uint8"},
                            {"name": "voter", "type": "address"}, {"name": "nonce", "type": "uint256"}]}
        message = {"proposalId": int(proposal_id), "support": int(support), "voter": to_checksum_address(voter),
                   "nonce": int(nonce)}
    return {"domain": domain, "types": types, "message": message}


def sign_vote(key: bytes, *, chain_id: int, governor: str, proposal_id: int, support, nonce: int,
              reason: str = "", name: str = GOVERNOR_NAME) -> dict:
    """An EIP-712 Ballot (or ExtendedBallot with a reason) signed with ``key``, offline."""
    # start-up: eth_account ~640 ms, only to sign or check a vote
    from eth_account import Account
    from eth_account.messages import encode_typed_data

    support = parse_support(support)
    voter = Account.from_key(key).address
    t = _typed_data(chain_id, governor, name, proposal_id, support, voter, nonce, reason)
    signable = encode_typed_data(domain_data=t["domain"], message_types=t["types"], message_data=t["message"])
    signed = Account.sign_message(signable, key)
    return {"type": VOTE_FILE_TYPE, "chain_id": int(chain_id), "governor": t["domain"]["verifyingContract"],
            "name": name, "proposal_id": str(int(proposal_id)), "support": support,
            "support_name": SUPPORT_NAMES[support], "voter": voter, "nonce": int(nonce), "reason": reason,
            "signature": "0x" + bytes(signed.signature).hex()}


def recover_vote_signer(vote: dict) -> str:
    # start-up: eth_account ~640 ms, only to sign or check a vote
    from eth_account import Account
    from eth_account.messages import encode_typed_data
    from eth_keys.exceptions import BadSignature

    t = _typed_data(vote["chain_id"], vote["governor"], vote.get("name", GOVERNOR_NAME), int(vote["proposal_id"]),
                    int(vote["support"]), vote["voter"], int(vote["nonce"]), vote.get("reason", ""))
    signable = encode_typed_data(domain_data=t["domain"], message_types=t["types"], message_data=t["message"])
    try:
        return Account.recover_message(signable, signature=bytes.fromhex(vote["signature"].removeprefix("0x")))
    except (BadSignature, ValueError):
        raise ChainError("invalid-signature", "The vote's signature is not a valid signature at all: the file "
                                              "was altered or damaged.") from None


def vote_to_bytes(vote: dict) -> bytes:
    return json.dumps(vote, sort_keys=True, separators=(",", ":")).encode()


def read_vote_source(path) -> dict:
    """A signed vote from a JSON file, or from a QR image / folder of QR parts."""
    p = Path(path)
    if not p.exists():
        raise ChainError("invalid-vote", f"{p} does not exist.")
    if p.is_file():
        with p.open("rb") as f:
            raw = f.read(MAX_VOTE_BYTES + 1)   # load_vote refuses more
        if raw.lstrip().startswith(b"{"):
            return load_vote(raw)
    # start-up: vault.qr ~26 ms + its scanner ~31 ms, only for a vote given as a code
    from ..qr import scan
    from ..qr.errors import InvalidQr

    try:
        decoded = scan.read_presentation(str(p))
    except InvalidQr as exc:
        raise ChainError("invalid-vote", f"{p} holds no signed vote: {exc}") from exc
    if decoded.kind != "vote":
        raise ChainError("invalid-vote", f"{p} holds a {decoded.kind} code, not a signed vote.")
    return load_vote(decoded.payload)


def vote_qr_texts(vote: dict) -> list[str]:
    """The vote as BTV1 code text(s) of kind "vote" (one code: a vote is small)."""
    # start-up: vault.qr ~26 ms, only to export a vote as a code
    from ..qr import parts

    return parts.encode_parts(vote_to_bytes(vote), kind="vote")


def read_vote_text(text: str) -> dict:
    """A signed vote pasted as text: its JSON, or the text of its QR code(s) (BTV1…)."""
    text = (text or "").lstrip("\ufeff").strip()
    if not text:
        raise ChainError("invalid-vote", "Paste a signed vote: its JSON or the text of its QR code.")
    if text.startswith("{"):
        return load_vote(text)
    # start-up: vault.qr ~26 ms + its scanner ~31 ms, only for a vote given as a code
    from ..qr import scan
    from ..qr.errors import InvalidQr

    try:
        decoded = scan.read_text(text)
    except InvalidQr as exc:
        raise ChainError("invalid-vote", f"This text holds no signed vote: {exc}") from exc
    if decoded.kind != "vote":
        raise ChainError("invalid-vote", f"This is a {decoded.kind} code, not a signed vote.")
    return load_vote(decoded.payload)


def export_vote_qr(vote: dict, out) -> list:
    """Write the vote as QR code(s) (BTV1 kind "vote"); returns the files written."""
    # start-up: vault.qr.output ~88 ms (image writers), only to export a vote as a code
    from ..qr.output import write_codes

    return write_codes(vote_qr_texts(vote), Path(out))
