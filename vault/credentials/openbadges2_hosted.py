"""Open Badges 2.0 hosted badges checked online, as the OB 2.0 "Verification" section says.

A hosted badge is vouched for by its issuer serving it at its ``id``. When the user
allowed network use (a fetch within the verification's budget: ``online.StatusLists``,
noun "hosted badge"):

1. the assertion is fetched from its ``id``: HTTP 410 Gone, or ``"revoked": true`` in the
   hosted copy, is a revocation; the hosted copy must be the presented one (its ``id``
   the same, every property equal, an embedded BadgeClass or Profile counted by its id),
   else the presented badge was changed: TAMPERED, naming the properties;
2. its BadgeClass and the issuer Profile that BadgeClass names are fetched (the hosted
   ones, not what the file embeds; an embedded copy must say the same);
3. the assertion's URL must be on the issuer Profile's origin, or within what the
   Profile's ``verification`` allows (``allowedOrigins``, ``startsWith``): a badge hosted
   anywhere else is not the issuer's.

Offline nothing is fetched: "hosted badge, not checked" (openbadges2.verify).
"""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import urlsplit

from .. import safejson
from ..net.fetch import FetchError
from .openbadges2 import HOSTED_NAME, Reading, display_for, text_of
from .verdict import CredentialFailure, Reason

NOUN = "hosted badge"
FETCHES = 3            # the assertion, its BadgeClass, the issuer Profile

Fetch = Callable[[str], bytes]   # url -> body, or FetchError (a StatusRun)


def _node_id(value: Any) -> Any:
    """An embedded node counts by its id (a URL and the object it names are the same node)."""
    return value.get("id") if isinstance(value, dict) else value


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or ""), parts.port


def _fetch_json(fetch: Fetch, url: str, what: str) -> dict:
    """The JSON object at ``url``; CredentialFailure UNKNOWN_KEY (not checked) when it could not be read."""
    try:
        body = fetch(url)
    except FetchError as failure:
        if failure.status == 410 and what == "assertion":
            raise CredentialFailure(Reason.REVOKED, f"The issuer has revoked this {HOSTED_NAME}: its hosted "
                                    f"copy at {url[:200]} is gone (HTTP 410).") from None
        raise _unchecked(f"its {what} could not be fetched: {str(failure).rstrip('.')}") from None
    try:
        document = safejson.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _unchecked(f"its {what} at {url[:200]} is not JSON") from None
    if not isinstance(document, dict):
        raise _unchecked(f"its {what} at {url[:200]} is not a JSON object")
    return document


def _unchecked(why: str) -> CredentialFailure:
    return CredentialFailure(Reason.UNKNOWN_KEY, f"{HOSTED_NAME}, not checked: {why}. What it shows is "
                             "what the file says, unconfirmed by the issuer.")


def _differences(presented: dict, hosted: dict, nodes: tuple[str, ...]) -> list[str]:
    names = sorted(set(presented) | set(hosted))
    return [n for n in names if (_node_id(presented.get(n)) if n in nodes else presented.get(n))
            != (_node_id(hosted.get(n)) if n in nodes else hosted.get(n))]


def _check_embedded(presented: Any, hosted: dict, what: str, nodes: tuple[str, ...]) -> None:
    """What the file embeds of a node must be what its issuer hosts (it is what is shown)."""
    if isinstance(presented, dict):
        changed = _differences(presented, hosted, nodes)
        if changed:
            raise CredentialFailure(Reason.TAMPERED, f"The {HOSTED_NAME}'s {what} differs from the one its "
                                    f"issuer hosts at {str(hosted.get('id'))[:200]}: "
                                    f"{', '.join(c[:40] for c in changed[:6])}.")


def _allowed(url: str, profile: dict) -> bool:
    """Is ``url`` where the issuer Profile lets its hosted assertions live? (OB 2.0 VerificationObject)"""
    rules = profile.get("verification") if isinstance(profile.get("verification"), dict) else {}
    starts = rules.get("startsWith")
    origins = rules.get("allowedOrigins")
    if starts is not None:
        prefixes = starts if isinstance(starts, list) else [starts]
        return any(isinstance(p, str) and p.startswith("https://") and url.startswith(p) for p in prefixes)
    if origins is not None:
        hosts = origins if isinstance(origins, list) else [origins]
        return urlsplit(url).netloc.lower() in {h.lower() for h in hosts if isinstance(h, str)}
    return _origin(url) == _origin(str(profile.get("id", "")))


def verify(assertion: dict, reading: Reading, fetch: Fetch) -> None:
    """Check a hosted badge online; raise CredentialFailure (revoked, changed, not the
    issuer's, or not checked with the reason). On success ``reading`` shows the hosted
    BadgeClass and Profile and says the status was checked."""
    url = assertion.get("id")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise CredentialFailure(Reason.MALFORMED, f"The {HOSTED_NAME} has no http(s) URL as its id, so "
                                "there is nowhere it could be checked.")
    hosted = _fetch_json(fetch, url, "assertion")
    if hosted.get("revoked") is True:
        why = text_of(hosted.get("revocationReason"))
        raise CredentialFailure(Reason.REVOKED, f"The issuer has revoked this {HOSTED_NAME}: its hosted copy "
                                f"at {url[:200]} says so" + (f" ({why[:200]})." if why else "."))
    if hosted.get("id") != url:
        raise CredentialFailure(Reason.TAMPERED, f"The {HOSTED_NAME}'s URL {url[:200]} serves another "
                                f"assertion ({str(hosted.get('id'))[:200]}), so it does not vouch for this one.")
    changed = _differences(assertion, hosted, ("badge",))
    if changed:
        raise CredentialFailure(Reason.TAMPERED, f"The {HOSTED_NAME} differs from the copy its issuer hosts at "
                                f"{url[:200]}: {', '.join(c[:40] for c in changed[:6])} "
                                f"{'was' if len(changed) == 1 else 'were'} changed.")
    badge_url = _node_id(hosted.get("badge"))
    if not isinstance(badge_url, str) or not badge_url.startswith(("https://", "http://")):
        raise _unchecked("its BadgeClass is not named by a URL, so its issuer cannot be found")
    badge = _fetch_json(fetch, badge_url, "BadgeClass")
    _check_embedded(assertion.get("badge"), badge, "BadgeClass", ("issuer",))
    profile_url = _node_id(badge.get("issuer"))
    if not isinstance(profile_url, str) or not profile_url.startswith(("https://", "http://")):
        raise _unchecked("its BadgeClass names no issuer Profile URL")
    profile = _fetch_json(fetch, profile_url, "issuer Profile")
    embedded = assertion.get("badge")
    _check_embedded(embedded.get("issuer") if isinstance(embedded, dict) else None, profile,
                    "issuer Profile", ())
    if profile.get("id") != profile_url:
        raise _unchecked(f"the issuer Profile at {profile_url[:200]} says it is another profile")
    if not _allowed(url, profile):
        raise CredentialFailure(Reason.WRONG_KEY, f"The {HOSTED_NAME} is hosted at {url[:200]}, which is not "
                                f"where its issuer ({profile_url[:200]}) hosts its badges: anyone can host a "
                                "copy of a badge that names an issuer.")
    # What is shown is what the issuer hosts (a file often names its BadgeClass by URL only).
    reading.display = display_for(hosted | {"badge": badge | {"issuer": profile}},
                                  types=reading.types, fallback_title=reading.display.title)
    reading.issuer = profile_url
    reading.status_checked = f"the issuer still hosts it at {url[:200]}, not revoked"
