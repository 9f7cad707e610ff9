"""Who issued a credential, as a person should see it.

A credential names its own issuer: anyone can sign one that says "Harvard University".
Only the holder's (or verifier's) trust list ties a name to a DID. So an issuer on the
trust list is shown by the list's name; any other by the name it gives itself, marked as
not verified, next to its DID, which is the only thing the signature proves. Every
string is made safe to show (vault.safe_text). The app's sample issuer (a published key,
vault.issuing.sample) is named as such whatever a list or the credential says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from . import sample_issuer as _sample
from ..safe_text import safe_text

NOT_VERIFIED = "name not verified"
UNKNOWN = "Unknown issuer"


@dataclass(frozen=True)
class ShownIssuer:
    did: str                  # the issuer identifier the signature is by (made safe)
    name: str                 # the trust list's name when ``verified``, else the self-declared one
    trusted: bool             # the DID is on the trust list
    verified: bool            # ``name`` comes from the trust list
    sample: bool = False      # the app's demo issuer: never trusted, always marked

    @property
    def label(self) -> str:
        """The name alone: "Riverside College", "Harvard University (name not verified)",
        or the DID when there is no name at all."""
        if self.sample:
            return _sample.LABEL
        if self.verified:
            return self.name
        if self.name:
            return f"{self.name} ({NOT_VERIFIED})"
        return self.did or UNKNOWN

    @property
    def line(self) -> str:
        """The label and the DID: what to show wherever there is room for one line."""
        label = self.label
        return f"{label} · {self.did}" if self.did and label != self.did else label

    def to_json(self) -> dict:
        return {"did": self.did, "name": self.name, "trusted": self.trusted, "name_verified": self.verified,
                "sample": self.sample}


def shown_issuer(did: str | None, declared: str | None, trusted: Mapping[str, str] | None = None) -> ShownIssuer:
    """``did`` the issuer, ``declared`` the name the credential gives it, ``trusted`` the
    trust list as {DID: name} (None or empty: nothing is trusted, e.g. a verifier
    without a vault)."""
    did = did or ""
    if _sample.is_sample_issuer(did):
        return ShownIssuer(safe_text(did), _sample.NAME, False, False, True)
    listed = (trusted or {}).get(did) if did else None
    name = safe_text((listed or "").strip())
    if name:
        return ShownIssuer(safe_text(did), name, True, True)
    return ShownIssuer(safe_text(did), safe_text((declared or "").strip()), listed is not None, False)
