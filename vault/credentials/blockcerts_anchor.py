"""Blockcerts anchors online: the transaction that published a Merkle root, and the issuer
profile that says which addresses may publish it.

Only when the user allowed network use, through the one bounded fetcher and the same
per-verification budget as status lists (``online.StatusLists``, noun "blockchain anchor"):

- Bitcoin (mainnet, testnet): an esplora explorer's ``GET {base}/tx/{txid}``; the
  transaction's OP_RETURN output must carry the certificate's merkleRoot.
- Ethereum (mainnet, Sepolia): a JSON-RPC ``eth_getTransactionByHash`` POSTed to the
  endpoint; the transaction's input data must be the merkleRoot.

That a root was published says nothing of who published it: anyone can anchor the root
of a certificate naming any issuer. So the sending address must also be one the issuer's
own profile (fetched from its https id) lists, as cert-verifier-js checks. What was
fetched is saved in the vault with its date (a transaction never changes; a profile may)
and read offline later ("anchor checked on 3 Nov 2026").
"""

from __future__ import annotations

import json
import re
from base64 import urlsafe_b64decode
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Callable

from .. import safejson
from ..errors import VaultError
from ..net.fetch import Cancel, FetchError, NetworkUse, get

NOUN = "blockchain anchor"
# Public explorers (no account needed); replaceable per verification (``explorers``).
EXPLORERS = {"Bitcoin": "https://blockstream.info/api",
             "Bitcoin testnet": "https://blockstream.info/testnet/api",
             "Ethereum": "https://ethereum-rpc.publicnode.com",
             "Ethereum Sepolia (test)": "https://ethereum-sepolia-rpc.publicnode.com"}
# What a person types for a chain (``vault ... --explorer bitcoin=URL``).
CHAIN_WORDS = {"bitcoin": "Bitcoin", "bitcoin-testnet": "Bitcoin testnet", "ethereum": "Ethereum",
               "sepolia": "Ethereum Sepolia (test)"}
_RPC = "#eth_getTransactionByHash:"   # a fragment is never sent: it marks a JSON-RPC request key
_TXID = re.compile(r"(0x)?[0-9a-fA-F]{64}")
_KOBLITZ = "ecdsa-koblitz-pubkey:"

Fetch = Callable[[str], bytes]   # a request key -> body, or FetchError (a StatusRun)


@dataclass(frozen=True)
class AnchorTx:
    """What a transaction says, as far as a Blockcerts anchor goes."""
    chain: str
    txid: str
    data: list[str]            # hex payloads: the OP_RETURN outputs, or the input data
    sender: str | None         # the address that sent it (the first input's, for Bitcoin)
    block_time: str | None     # ISO UTC time of its block (Bitcoin), when known
    block: int | None = None


def explorers_with(choices: list[str] | None, base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (EXPLORERS unless given: the saved settings) with the person's ``CHAIN=URL``
    choices; VaultError naming a bad one."""
    explorers = dict(EXPLORERS if base is None else base)
    for choice in choices or []:
        word, _, url = choice.partition("=")
        chain = CHAIN_WORDS.get(word.strip().lower())
        if chain is None or not url.strip().startswith(("https://", "http://")):
            raise VaultError(f"--explorer {choice[:80]!r}: give CHAIN=URL, CHAIN one of "
                             f"{', '.join(CHAIN_WORDS)}, URL an esplora API (Bitcoin) or a JSON-RPC "
                             "endpoint (Ethereum).")
        explorers[chain] = url.strip()
    return explorers


def request_key(chain: str, txid: str, explorers: dict[str, str]) -> str:
    """What to fetch for ``txid`` on ``chain``; FetchError when no explorer knows that chain."""
    base = explorers.get(chain)
    if base is None:
        raise FetchError(f"no explorer is known for {chain[:60]}, so its transactions cannot be read.")
    if not _TXID.fullmatch(txid):
        raise FetchError(f"{txid[:80]!r} is not a transaction id.")
    if chain.startswith("Ethereum"):
        return base + _RPC + ("0x" + txid[-64:]).lower()
    return f"{base.rstrip('/')}/tx/{txid[-64:].lower()}"


def fetch_key(key: str, network: NetworkUse, ends: float | None, cancel: Cancel) -> bytes:
    """The answer to a request key (``StatusLists`` fetch): a GET, or the JSON-RPC POST it names."""
    if _RPC not in key:
        return get(key, network, deadline=ends, cancel=cancel)
    url, txid = key.split(_RPC, 1)
    call = {"jsonrpc": "2.0", "id": 1, "method": "eth_getTransactionByHash", "params": [txid]}
    return get(url, network, deadline=ends, cancel=cancel, data=json.dumps(call).encode())


def _json(body: bytes, what: str) -> object:
    try:
        return safejson.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FetchError(f"{what} answered something that is not JSON.") from None


def _op_return(script: str) -> str | None:
    """The bytes an OP_RETURN output script pushes (hex), or None."""
    try:
        raw = bytes.fromhex(script)
    except ValueError:
        return None
    if len(raw) < 2 or raw[0] != 0x6A:
        return None
    if raw[1] <= 0x4B:
        return raw[2:2 + raw[1]].hex()
    if raw[1] == 0x4C and len(raw) > 2:          # OP_PUSHDATA1
        return raw[3:3 + raw[2]].hex()
    return None


def read_tx(chain: str, txid: str, body: bytes, where: str) -> AnchorTx:
    """The transaction in an explorer's answer; FetchError when it is not one (or not ``txid``)."""
    answer = _json(body, where)
    if chain.startswith("Ethereum"):
        tx = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(tx, dict):
            raise FetchError(f"{where} knows no transaction {txid[:80]}.")
        if str(tx.get("hash", "")).lower().removeprefix("0x") != txid.lower().removeprefix("0x"):
            raise FetchError(f"{where} answered with another transaction than {txid[:80]}.")
        if not tx.get("blockNumber"):
            raise FetchError(f"transaction {txid[:80]} is not in a block yet.")
        data = str(tx.get("input", "")).lower().removeprefix("0x")
        try:
            block = int(str(tx["blockNumber"]), 16)
        except ValueError:
            raise FetchError(f"{where} answered a transaction without a readable block number.") from None
        sender = tx.get("from") if isinstance(tx.get("from"), str) else None
        return AnchorTx(chain, txid, [data], sender, None, block)
    if not isinstance(answer, dict) or str(answer.get("txid", "")).lower() != txid.lower()[-64:]:
        raise FetchError(f"{where} answered with another transaction than {txid[:80]}.")
    status = answer.get("status") if isinstance(answer.get("status"), dict) else {}
    if not status.get("confirmed"):
        raise FetchError(f"transaction {txid[:80]} is not in a block yet.")
    outputs = answer.get("vout") if isinstance(answer.get("vout"), list) else []
    data = [d for d in (_op_return(o.get("scriptpubkey", "")) for o in outputs if isinstance(o, dict)) if d]
    inputs = answer.get("vin") if isinstance(answer.get("vin"), list) else []
    prevout = inputs[0].get("prevout") if inputs and isinstance(inputs[0], dict) else None
    sender = prevout.get("scriptpubkey_address") if isinstance(prevout, dict) else None
    when = status.get("block_time")
    block_time = (datetime.fromtimestamp(when, timezone.utc).isoformat()
                  if isinstance(when, int) and 0 < when < 2 ** 33 else None)
    block = status.get("block_height") if isinstance(status.get("block_height"), int) else None
    return AnchorTx(chain, txid, data, sender if isinstance(sender, str) else None, block_time, block)


def profile_addresses(profile: object, chain: str, moment: str | None) -> set[str]:
    """The addresses an issuer profile lists as its own (lower case), at ``moment`` (the
    block time) when their ``created``/``revoked``/``expires`` dates say so."""
    if not isinstance(profile, dict):
        return set()
    found = set()
    entries = []
    for name in ("publicKey", "verificationMethod"):
        value = profile.get(name)
        entries += value if isinstance(value, list) else [value] if value is not None else []
    for entry in entries:
        key = entry if isinstance(entry, dict) else {"id": entry}
        address = None
        kid = key.get("id") if isinstance(key.get("id"), str) else ""
        if kid.startswith(_KOBLITZ):
            address = kid[len(_KOBLITZ):]
        elif isinstance(key.get("blockchainAccountId"), str):     # CAIP-10: chain:ref:address
            address = key["blockchainAccountId"].rsplit(":", 1)[-1]
        elif chain.startswith("Ethereum") and isinstance(key.get("publicKeyJwk"), dict):
            address = _eth_address(key["publicKeyJwk"])
        if not address or not _in_force(key, moment):
            continue
        found.add(address.lower())
    return found


def _in_force(key: dict, moment: str | None) -> bool:
    if moment is None:
        return not key.get("revoked")
    for name, before in (("created", True), ("revoked", False), ("expires", False)):
        value = key.get(name)
        if isinstance(value, str) and value[:19]:
            if before and moment[:19] < value[:19] or not before and moment[:19] >= value[:19]:
                return False
    return True


def _eth_address(jwk: dict) -> str | None:
    """The Ethereum address of a secp256k1 JWK (the issuer's key published in its profile)."""
    from eth_keys import keys   # start-up: eth_keys (~280 ms) only for an Ethereum issuer's JWK
    if jwk.get("kty") != "EC" or jwk.get("crv") != "secp256k1":
        return None
    try:
        raw = b"".join(urlsafe_b64decode(str(jwk[c]) + "=" * (-len(str(jwk[c])) % 4)) for c in ("x", "y"))
        return keys.PublicKey(raw).to_checksum_address()
    except (KeyError, ValueError, TypeError):
        return None


class Anchors:
    """One verification's reader of anchors and issuer profiles: fetched when online (``fetch``,
    a StatusRun of "blockchain anchor"s), else the copies saved in the vault, with their day."""

    def __init__(self, cache, fetch: Fetch | None, explorers: dict[str, str] | None = None):
        self.cache, self.fetch = cache, fetch
        self.explorers = EXPLORERS if explorers is None else explorers

    def transaction(self, chain: str, txid: str) -> tuple[AnchorTx, str | None]:
        """(the transaction, the day of the saved copy used or None); FetchError saying why not."""
        saved_key = f"blockcerts-anchor:{chain}:{txid.lower()}"
        failure = None
        if self.fetch is not None:
            try:
                key = request_key(chain, txid, self.explorers)
                url = key.split(_RPC, 1)[0]
                tx = read_tx(chain, txid, self.fetch(key), f"the explorer at {url[:120]}")
                if self.cache is not None:   # a transaction in a block never changes: keep it
                    self.cache.put_saved(saved_key, asdict(tx), url)
                return tx, None
            except FetchError as exc:
                failure = exc
        saved = self._saved(saved_key)
        if saved is None:
            raise failure or FetchError("offline (checking online is off)")
        document, day = saved
        try:
            return AnchorTx(**document), day
        except TypeError:
            raise failure or FetchError("the copy saved in the vault is not readable") from None

    def profile(self, url: str) -> tuple[dict, str | None]:
        """The issuer profile at ``url`` (https), and the day of the saved copy used, if one was."""
        saved_key = f"blockcerts-issuer:{url}"
        failure = None
        if self.fetch is not None:
            try:
                profile = _json(self.fetch(url), f"the issuer profile at {url[:120]}")
                if not isinstance(profile, dict):
                    raise FetchError(f"the issuer profile at {url[:120]} is not a JSON object.")
                if self.cache is not None:
                    self.cache.put_saved(saved_key, profile, url)
                return profile, None
            except FetchError as exc:
                failure = exc
        saved = self._saved(saved_key)
        if saved is None:
            raise failure or FetchError("offline (checking online is off)")
        return saved

    def _saved(self, key: str) -> tuple[dict, str] | None:
        if self.cache is None:
            return None
        document, when = self.cache.did_document(key), self.cache.saved(key)
        if document is None or when is None:
            return None
        return document, day_of(when[0])


def day_of(moment: str) -> str:
    try:
        when = datetime.fromisoformat(moment)
    except (TypeError, ValueError):
        return str(moment)[:10]
    return f"{when.day} {when:%b %Y}"
