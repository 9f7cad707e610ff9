"""The Issue page: issuer profiles, achievements, issuing, delivery, the issued log."""

from .page import IssuePage

__all__ = ["IssuePage"]
