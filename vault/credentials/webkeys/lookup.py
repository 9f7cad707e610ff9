"""The documents lookup one verification uses (``VerificationContext.documents``).

Offline (the default) it reads the vault's saved copies: DID documents, https key
documents, SD-JWT VC issuer metadata, Open Badges 2.0 keys. When the user allowed network
use it fetches what the web publishes (a did:web's DID document, an https key or
controller document, an issuer's ``/.well-known/jwt-vc-issuer``) through the bounded
fetcher, within the verification's own budget (``KEY_DOCUMENTS`` documents, one
deadline), checks it as the offline path would, and saves it with the date and the
address it came from. A fetch that fails falls back to the saved copy, saying so; a
document that came back but is not consistent is refused (the saved copy stays as it
was, unused this time: the issuer's server said something else).

Whenever a saved copy is used, a sentence says so with its date ("Issuer key as fetched
on 3 Nov 2025 ..."); ``take_notes`` hands them to the verdict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from ... import safejson
from ...did.did_web import document_url
from ...errors import InvalidDid
from ...net.fetch import FetchError
from ..cache import VerificationCache
from ..keys import check_document, check_web_document
from ..verdict import CredentialFailure, Reason
from .jwt_issuer import check_jwks, check_metadata, metadata_url

KEY_DOCUMENTS = 8        # documents one verification may fetch (a jwks_uri counts too)

Fetch = Callable[[str], bytes]    # url -> body, or FetchError (a StatusRun of "issuer key"s)


def _day(moment: str) -> str:
    try:
        when = datetime.fromisoformat(moment)
    except (TypeError, ValueError):
        return str(moment)[:10]
    return f"{when.day} {when:%b %Y}"


def _json(body: bytes) -> object:
    try:
        return safejson.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"it is not JSON ({str(exc)[:80]})") from None


class KeyDocuments:
    def __init__(self, cache: VerificationCache | None, fetch: Fetch | None = None):
        """``fetch``: None is offline (only saved copies are read)."""
        self.cache, self.fetch = cache, fetch
        self._fresh: dict[str, dict] = {}     # fetched during this verification
        self._notes: dict[str, str] = {}      # key -> the sentence saying a saved copy was used

    # ---- the three kinds -----------------------------------------------------------------

    def __call__(self, key: str) -> dict | None:
        """A DID document (a did:web one fetched when online), or the saved copy of any
        other document kept under ``key`` (e.g. an Open Badges 2.0 key, never fetched)."""
        if self.fetch is not None and isinstance(key, str) and key.startswith("did:web:"):
            try:
                url = document_url(key)
            except InvalidDid:
                return self._saved(key, "the DID document of " + key[:100])
            return self._online(key, url, f"the DID document of {key[:100]}", lambda body: self._did(key, body),
                                lambda document: self.cache.put_did_document(key, document, url))
        return self._saved(key, f"the document of {str(key)[:100]}")

    def web_document(self, url: str) -> dict | None:
        """The https key or controller document at ``url``."""
        what = f"the key document at {url[:200]}"
        if self.fetch is None:
            return self._saved(url, what)
        return self._online(url, url, what, lambda body: self._web(url, body),
                            lambda document: self.cache.put_web_document(url, document, url))

    def issuer_metadata(self, iss: str) -> dict | None:
        """An SD-JWT VC issuer's metadata, its keys inline (a ``jwks_uri`` fetched too)."""
        url = metadata_url(iss)
        what = f"the metadata of the issuer {iss[:120]}"
        if self.fetch is None:
            return self._saved(url, what)
        return self._online(url, url, what, lambda body: self._metadata(iss, body),
                            lambda document: self.cache.put_issuer_metadata(iss, document, url))

    def take_notes(self) -> list[str]:
        """The sentences about saved copies used since the last call (and forget them)."""
        notes, self._notes = list(self._notes.values()), {}
        return notes

    # ---- reading what came back ------------------------------------------------------------

    @staticmethod
    def _did(did: str, body: bytes) -> dict:
        document = _json(body)
        check_document(document, did)
        return document

    @staticmethod
    def _web(url: str, body: bytes) -> dict:
        document = _json(body)
        check_web_document(document, url)
        return document

    def _metadata(self, iss: str, body: bytes) -> dict:
        metadata = check_metadata(_json(body), iss, inline=False)
        if "jwks_uri" in metadata:   # same host (checked), within this verification's budget
            jwks = check_jwks(_json(self.fetch(metadata["jwks_uri"])), f"the key set at {metadata['jwks_uri'][:200]}")
            metadata = {k: v for k, v in metadata.items() if k != "jwks_uri"} | {"jwks": jwks}
        return metadata

    # ---- fetched or saved ----------------------------------------------------------------------

    def _online(self, key: str, url: str, what: str, read: Callable[[bytes], dict],
                save: Callable[[dict], object]) -> dict | None:
        if key in self._fresh:
            return self._fresh[key]
        try:
            body = self.fetch(url)
            document = read(body)
        except FetchError as failure:
            saved = self._saved(key, what, failure)
            if saved is None:
                raise CredentialFailure(Reason.UNKNOWN_KEY, f"The issuer's key could not be fetched: "
                                        f"{str(failure)[:300]}") from None
            return saved
        except (ValueError, InvalidDid) as exc:
            raise CredentialFailure(Reason.UNKNOWN_KEY, f"{what[:1].upper()}{what[1:]}, fetched from "
                                    f"{url[:200]}, is not used: {str(exc).rstrip('.')[:300]}.") from None
        if self.cache is not None:
            save(document)
        self._fresh[key] = document
        return document

    def _saved(self, key: str, what: str, failure: FetchError | None = None) -> dict | None:
        if self.cache is None:
            return None
        document = self.cache.did_document(key)
        saved = self.cache.saved(key) if document is not None else None
        if saved is None:
            return None
        day, source = _day(saved[0]), saved[1]
        if failure is not None:
            self._notes[key] = (f"Issuer key as {'fetched' if source else 'added'} on {day}: fetching {what} "
                                f"again failed ({str(failure).rstrip('.')[:200]}), so the copy saved in your "
                                "vault was used.")
        elif source:
            self._notes[key] = (f"Issuer key as fetched on {day}: the copy of {what} saved in your vault "
                                "(offline: not fetched again).")
        else:
            self._notes[key] = (f"Issuer key as added on {day}: the copy of {what} you added to your vault "
                                "(offline: not fetched).")
        return document
