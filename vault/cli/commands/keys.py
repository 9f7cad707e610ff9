"""`vault key cache`: an issuer key given by hand, kept for offline checks."""

from __future__ import annotations

from ... import safejson
from ...errors import VaultError
from ..io import UsageError, emit, read_input
from ..options import command
from ..session import unlocked


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
    # start-up: credentials.cache ~50 ms, openbadges2 ~100 ms (measured after the group's own
    # imports); only `key cache` needs them
    from ...credentials.cache import VerificationCache
    from ...credentials.keys import check_web_document
    from ...credentials.openbadges2 import check_key
    from ...credentials.webkeys.jwt_issuer import check_metadata
    try:
        document = safejson.loads(read_input(args.file))
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
    with unlocked(args) as identity:
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
    emit(args, {"cached": cached, "kind": kind} | ({"owner": document["owner"]} if kind == "ob2" else {}),
         f"Cached {text}")


def add_parser(sub) -> None:
    """`vault key cache`."""
    kp = sub.add_parser("key", help="issuer keys kept for offline checks").add_subparsers(dest="sub", required=True)
    p = command(kp, "cache", cmd_key_cache, "keep an issuer key given by hand (an Open Badges 2.0 CryptographicKey, "
                                            "an https key or issuer profile, SD-JWT VC issuer metadata) so its "
                                            "credentials verify offline")
    p.add_argument("file")
