"""The link between a presentation's holder DID and a blockchain account: the account's
key signs (EIP-191 personal message, by eth-account) a statement naming the holder DID,
the verifier's domain and its challenge. It travels inside the presentation as
``blocktrackStanding``, so the holder's proof covers it too; a verifier accepts it only
in a presentation whose proof verified, for its own domain and challenge, naming the
presentation's holder, and signed by the account it names. Nothing here asks a chain.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from eth_account import Account
from eth_account.messages import encode_defunct

log = logging.getLogger(__name__)

STANDING_KEY = "blocktrackStanding"
STANDING_TYPE = "BlocktrackStanding"


def message(holder: str, account: str, chain_id: int, domain: str, challenge: str) -> str:
    """The statement the account signs (what a wallet would show the person)."""
    return (f"Blocktrack standing\nAccount {account} on chain {chain_id} stands behind {holder}\n"
            f"in a presentation to {domain}, challenge {challenge}.")


def make(key: bytes, holder: str, chain_id: int, domain: str, challenge: str) -> dict:
    """The standing object for a presentation, signed with the account's ``key``."""
    account = Account.from_key(key).address
    signed = Account.sign_message(encode_defunct(text=message(holder, account, chain_id, domain, challenge)), key)
    return {"type": STANDING_TYPE, "account": f"did:pkh:eip155:{chain_id}:{account}",
            "signature": "0x" + bytes(signed.signature).hex()}


@dataclass(frozen=True)
class Link:
    """What a presentation's standing says: the account and chain it names, and whether
    the link is proven (``problem`` says why not, in a sentence)."""

    account: str | None
    chain_id: int | None
    proven: bool
    problem: str | None = None

    def to_json(self) -> dict:
        return {"account": self.account, "chain_id": self.chain_id, "proven": self.proven, "problem": self.problem}


def _account_of(did: str) -> tuple[int, str] | None:
    parts = did.split(":") if isinstance(did, str) else []
    if len(parts) != 5 or parts[:3] != ["did", "pkh", "eip155"] or not parts[3].isdigit():
        return None
    address = parts[4]
    if len(address) != 42 or not address.startswith("0x"):
        return None
    try:
        int(address[2:], 16)
    except ValueError:
        return None
    return int(parts[3]), address


def read(document, holder: str | None, domain: str, challenge: str) -> Link | None:
    """The standing of a presentation ``document`` (its parsed JSON) whose proof verified
    for ``holder``, ``domain`` and ``challenge``; None when it carries none."""
    standing = document.get(STANDING_KEY) if isinstance(document, dict) else None
    if standing is None:
        return None
    if not isinstance(standing, dict) or not isinstance(standing.get("signature"), str):
        return Link(None, None, False, "The standing in the presentation is not readable.")
    parsed = _account_of(standing.get("account"))
    if parsed is None:
        return Link(None, None, False, "The standing names no account (a did:pkh:eip155 DID is expected).")
    chain_id, account = parsed
    if not holder:
        return Link(account, chain_id, False, "The presentation has no holder the standing could belong to.")
    try:
        signature = bytes.fromhex(standing["signature"].removeprefix("0x"))
        signer = Account.recover_message(encode_defunct(text=message(holder, account, chain_id, domain, challenge)),
                                         signature=signature)
    except Exception:  # a malformed signature is a failed link, never a crash
        log.debug("the standing's signature could not be read", exc_info=True)
        signer = None
    if signer is None or signer.lower() != account.lower():
        return Link(account, chain_id, False, "The account's signature does not link it to this holder for this "
                                              "request: the standing is not proven.")
    return Link(signer, chain_id, True)
