"""Poll ballots: EIP-712 signatures over (pollId, option, revision), made offline and
passed around as JSON files or "ballot" QR codes, read from anyone.

A ballot is parsed with the safe parser and checked field by field (like signed votes,
vault/chain/votefile.py): a hostile file is a ChainError saying what is wrong, never a
traceback. Its signature is checked by ``recover_ballot_signer`` (eth-account).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_keys.exceptions import BadSignature
from eth_utils import to_checksum_address

from ... import safejson
from ...errors import ChainError

BALLOT_TYPE = "blocktrack-poll-ballot"
POLLS_NAME = "Blocktrack Polls"   # the EIP-712 domain name (version "1", the registry's address)
MAX_BALLOT_BYTES = 64 * 1024
MAX_BALLOTS = 10_000              # a folder of more is refused rather than read for minutes
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_HASH = re.compile(r"0x[0-9a-fA-F]{64}")
_SIGNATURE = re.compile(r"0x[0-9a-fA-F]{130}")


def _invalid(message: str) -> ChainError:
    return ChainError("invalid-ballot", message)


def _typed(chain_id: int, registry: str, poll_id: str, option: int, revision: int) -> dict:
    return {"domain": {"name": POLLS_NAME, "version": "1", "chainId": int(chain_id),
                       "verifyingContract": to_checksum_address(registry)},
            "types": {"Ballot": [{"name": "pollId", "type": "bytes32"}, {"name": "option", "type": "uint256"},
                                 {"name": "revision", "type": "uint256"}]},
            "message": {"pollId": bytes.fromhex(poll_id.removeprefix("0x")), "option": int(option),
                        "revision": int(revision)}}


def sign_ballot(key: bytes, *, chain_id: int, registry: str, poll_id: str, option: int, revision: int = 0) -> dict:
    """``key``'s ballot for ``option`` (its index) of a poll; a later ballot of the same
    voter with a higher ``revision`` replaces it."""
    t = _typed(chain_id, registry, poll_id, option, revision)
    signable = encode_typed_data(domain_data=t["domain"], message_types=t["types"], message_data=t["message"])
    signed = Account.sign_message(signable, key)
    return {"type": BALLOT_TYPE, "chain_id": int(chain_id), "registry": t["domain"]["verifyingContract"],
            "poll_id": poll_id.lower(), "option": int(option), "revision": int(revision),
            "voter": Account.from_key(key).address, "signature": "0x" + bytes(signed.signature).hex()}


def recover_ballot_signer(ballot: dict) -> str:
    t = _typed(ballot["chain_id"], ballot["registry"], ballot["poll_id"], ballot["option"], ballot["revision"])
    signable = encode_typed_data(domain_data=t["domain"], message_types=t["types"], message_data=t["message"])
    try:
        return Account.recover_message(signable, signature=bytes.fromhex(ballot["signature"][2:]))
    except (BadSignature, ValueError):
        raise _invalid("The ballot's signature is not a valid signature at all: the file was altered.") from None


def _number(ballot: dict, key: str, limit: int) -> int:
    value = ballot[key]
    if type(value) is not int or not 0 <= value < limit:
        raise _invalid(f"This ballot is malformed: '{key}' must be a whole number below {limit}.")
    return value


def _text(ballot: dict, key: str, pattern: re.Pattern, expected: str) -> str:
    value = ballot[key]
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise _invalid(f"This ballot is malformed: '{key}' must be {expected}.")
    return value


def load_ballot(data: bytes | str) -> dict:
    """A ballot from its JSON, checked field by field; only a ballot's fields are kept."""
    if len(data) > MAX_BALLOT_BYTES:
        raise _invalid(f"This is not a ballot: it is larger than {MAX_BALLOT_BYTES // 1024} KB.")
    try:
        ballot = safejson.loads(data, parse_int=lambda s: int(s) if len(s) <= 78 else -1)
    except safejson.TooDeep as exc:
        raise _invalid(f"This is not a ballot: its JSON is {exc}.") from None
    except (ValueError, UnicodeDecodeError):
        raise _invalid("This is not a ballot file (not JSON).") from None
    if not isinstance(ballot, dict) or ballot.get("type") != BALLOT_TYPE:
        raise _invalid(f"This is not a Blocktrack poll ballot (its type is not \"{BALLOT_TYPE}\").")
    missing = [k for k in ("chain_id", "registry", "poll_id", "option", "revision", "voter", "signature")
               if k not in ballot]
    if missing:
        raise _invalid(f"This is not a complete ballot (fields missing: {', '.join(missing)}).")
    return {"type": BALLOT_TYPE, "chain_id": _number(ballot, "chain_id", 2**64),
            "registry": _text(ballot, "registry", _ADDRESS, "an address"),
            "poll_id": _text(ballot, "poll_id", _HASH, "a poll id (0x and 64 hex digits)").lower(),
            "option": _number(ballot, "option", 2**16), "revision": _number(ballot, "revision", 2**64),
            "voter": _text(ballot, "voter", _ADDRESS, "an address"),
            "signature": _text(ballot, "signature", _SIGNATURE, "a signature (0x and 130 hex digits)")}


def ballot_to_bytes(ballot: dict) -> bytes:
    return json.dumps(ballot, sort_keys=True, separators=(",", ":")).encode()


def ballot_qr_texts(ballot: dict, kind: str = "ballot") -> list[str]:
    from ...qr import parts   # start-up: the QR stack (zxing-cpp, PIL), ~80 ms, only for QR ballots

    return parts.encode_parts(ballot_to_bytes(ballot), kind=kind)


def export_ballot_qr(ballot: dict, out, kind: str = "ballot") -> list:
    """``kind``: the QR payload kind ("ballot"; "remote-ballot" for cross-chain ones)."""
    from ...qr.output import write_codes   # start-up: the QR stack, ~80 ms, only for QR ballots

    return write_codes(ballot_qr_texts(ballot, kind), Path(out))


def read_ballot_file(path: Path, load=load_ballot, kind: str = "ballot") -> dict:
    """One ballot from a JSON file or a QR image; ``load`` checks its JSON (poll ballots by
    default; cross-chain ones pass their own, with their QR ``kind``)."""
    with path.open("rb") as f:
        raw = f.read(MAX_BALLOT_BYTES + 1)
    if raw.lstrip().startswith(b"{"):
        return load(raw)
    # start-up: the QR stack (zxing-cpp, PIL), ~80 ms, only for ballots that are images
    from ...qr import scan
    from ...qr.errors import InvalidQr

    try:
        decoded = scan.read_presentation(str(path))
    except InvalidQr as exc:
        raise _invalid(f"{path.name} holds no ballot: {exc}") from exc
    if decoded.kind != kind:
        raise _invalid(f"{path.name} holds a {decoded.kind} code, not a {kind}.")
    return load(decoded.payload)


def read_ballots(paths) -> tuple[list[dict], list[dict]]:
    """The ballots in ``paths`` (files, or folders of .json / .png files): (ballots,
    unreadable [{file, error}]). A file that is not a ballot is reported, not fatal."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix.lower() in (".json", ".png") and f.is_file())
        elif p.exists():
            files.append(p)
        else:
            raise _invalid(f"{p} does not exist.")
        if len(files) > MAX_BALLOTS:
            raise _invalid(f"More than {MAX_BALLOTS:,} ballot files: split the tally.")
    ballots, unreadable = [], []
    for f in files:
        try:
            ballots.append(read_ballot_file(f))
        except ChainError as exc:
            unreadable.append({"file": str(f), "error": str(exc)})
    return ballots, unreadable
