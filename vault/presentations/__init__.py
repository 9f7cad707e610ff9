"""Verifiable Presentations: build (holder), verify (verifier), and the vault's log.

    from vault.presentations import build_presentation, preview, verify_presentation
    from vault.presentations.service import PresentationService   # in an unlocked vault

``verify_presentation`` needs no vault: import it alone on the verifier's side.
(``vault.presentations.build`` is the module; its ``build`` function is exported here as
``build_presentation``.)
"""

from .build import (DEFAULT_CRYPTOSUITE, DEFAULT_EXPIRES_IN, DisclosedCredential, Presentation,
                    PresentationError, PresentationPreview, build_presentation, preview)
from .verify import CredentialResult, PresentationVerdict, verify_presentation

__all__ = [
    "DEFAULT_CRYPTOSUITE", "DEFAULT_EXPIRES_IN", "CredentialResult", "DisclosedCredential", "Presentation",
    "PresentationError", "PresentationPreview", "PresentationVerdict", "build_presentation",
    "preview", "verify_presentation",
]
