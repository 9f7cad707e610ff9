"""The Verify page: an employer checks a presentation: images, parts, files, text, camera."""

from .page import VerifyPage

__all__ = ["VerifyPage"]
