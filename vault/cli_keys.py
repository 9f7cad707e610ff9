"""`vault key cache`, `vault trust add-ca|list-ca|remove-ca`, and the vault that the
standalone `vault credential verify` and `vault verify` read their saved keys from.

The standalone verifiers need no vault. When one exists in the data folder, its saved
issuer keys, DID documents, status lists, certificate authorities and trust list are
inside the encrypted database: they are used when the passphrase is given without a
prompt (``--passphrase-file`` or the environment), so a script never hangs on one;
otherwise a line on stderr says the verification went without them.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from . import safejson
from .cli import UsageError, _read_input, emit, has_noninteractive_passphrase, open_identity, passphrase, say
from .errors import VaultError
from .safe_text import safe_text
from .store import VaultStore

WITHOUT_VAULT = ("Verified without your vault's saved issuer keys, status lists and certificate authorities: "
                 "give its passphrase (--passphrase-file, or $BLOCKTRACK_VAULT_PASSPHRASE) to use them.")


@contextmanager
def saved_keys(args) -> Iterator[VaultStore | None]:
    """The unlocked vault of ``args.data_dir`` for one verification (locked afterwards), or
    None: no vault there, or no passphrase given without a prompt. A wrong passphrase is
    an error, not a silent verification without the vault."""
    store = VaultStore(args.data_dir)
    if not store.exists:
        yield None
        return
    if not has_noninteractive_passphrase(args):
        say(WITHOUT_VAULT)
        yield None
        return
    store.unlock(passphrase(args))
    try:
        yield store
    finally:
        store.lock()


# ---- vault key cache ------------------------------------------------------------------------

_KINDS = {"ob2": "an Open Badges 2.0 issuer key", "metadata": "SD-JWT VC issuer metadata with its keys",
          "web": "an issuer key or controller document published at an https address"}


def _key_kind(document: dict) -> str:
    types = document.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if "CryptographicKey" in types:
        return "ob2"
    if "issuer" in document and ("jwks" in document or "jwks_uri" in document):
        return "metadata"
    return "web"


def cmd_key_cache(args) -> None:
    """An issuer's key given by hand: an Open Badges 2.0 CryptographicKey, an https key or
    controller document (Open Badges 3.0 issuer profiles), or SD-JWT VC issuer metadata."""
    from .credentials.cache import VerificationCache
    from .credentials.keys import check_web_document
    from .credentials.openbadges2 import check_key
    from .credentials.webkeys.jwt_issuer import check_metadata
    try:
        document = safejson.loads(_read_input(args.file))
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{args.file} is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise VaultError(f"{args.file} was not cached: it is not a JSON object.")
    kind = _key_kind(document)
    try:   # refused before the vault is opened: nothing is stored
        if kind == "ob2":
            check_key(document)
        elif kind == "metadata":
            check_metadata(document, str(document.get("issuer")))
        else:
            check_web_document(document, document.get("id") if isinstance(document.get("id"), str) else "")
    except (ValueError, VaultError) as exc:
        raise VaultError(f"{args.file} was not cached: it is not usable as {_KINDS[kind]}: "
                         f"{str(exc).rstrip('.')}.") from None
    identity = open_identity(args)
    try:
        cache = VerificationCache(identity.store)
        if kind == "ob2":
            cached = cache.put_issuer_key(document)
            text = (f"the issuer key {cached} of {document['owner']}: its signed Open Badges 2.0 badges now "
                    "verify offline.")
        elif kind == "metadata":
            cached = document["issuer"]
            cache.put_issuer_metadata(cached, document)
            text = f"the keys of the issuer {cached}: its SD-JWT credentials now verify offline."
        else:
            cached = document["id"]
            if cache.put_web_document(cached, document) == "key":
                text = (f"the key {cached} of {document['controller']}: it verifies offline once the document of "
                        f"{document['controller']}, which must list it, is cached too.")
            else:
                text = f"the controller document {cached}: credentials signed with its keys now verify offline."
    finally:
        identity.store.lock()
    emit(args, {"cached": cached, "kind": kind} | ({"owner": document["owner"]} if kind == "ob2" else {}),
         f"Cached {text}")


# ---- vault trust add-ca | list-ca | remove-ca ----------------------------------------------

def cmd_trust_ca(args) -> None:
    from .credentials.webkeys.anchors import TrustAnchors, check_authority, read_certificate
    if args.action in ("add-ca", "remove-ca") and not args.did:
        raise UsageError(f"usage: vault trust {args.action} "
                         + ("CERT.pem" if args.action == "add-ca" else "FINGERPRINT"))
    if args.action == "add-ca":   # read and checked before the vault is opened
        data = _read_input(args.did)
        check_authority(read_certificate(data))
    identity = open_identity(args)
    try:
        anchors = TrustAnchors(identity.store)
        if args.action == "add-ca":
            entry = anchors.add(data)
            say(f"Added the certificate authority {entry['subject']} (sha-256 {entry['fingerprint']}): "
                "SD-JWT credentials whose certificate chain leads to it are checked against it.")
        elif args.action == "remove-ca":
            entry = anchors.remove(args.did)
            say(f"Removed the certificate authority {entry['subject']}.")
        entries = anchors.entries()
    finally:
        identity.store.lock()
    emit(args, entries, "\n".join(f"{e['fingerprint'][:16]}…  {safe_text(e['subject'])}  (added {e['added_at'][:10]})"
                                  for e in entries) or "You have added no certificate authority.")
