"""The Present page: choose credentials and claims, answer a verifier's request, show the QR."""

from .page import PresentPage

__all__ = ["PresentPage"]
