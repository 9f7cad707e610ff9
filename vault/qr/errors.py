"""Errors of the QR transport; each message says what the person can do about it."""

from __future__ import annotations

from vault.errors import VaultError


class InvalidQr(VaultError):
    """A QR text or image that is not a readable presentation code: garbled, truncated,
    foreign, made by a newer version, or parts that do not join. Never another exception."""

    def __init__(self, message: str):
        super().__init__(message)


class CborldError(InvalidQr):
    """CBOR-LD data (a Learner Credential Wallet ``VP1-`` code) that cannot be decoded:
    damaged, not CBOR-LD, or made with tables or contexts this vault does not have."""


class ForeignPart(InvalidQr):
    """A part of another multi-part code (or a single code) turned up while collecting a
    sequence. The collection so far is kept: the scanner can go on with the right code."""


class QrTooLarge(VaultError):
    """A payload too large for the QR transport, even as a sequence of parts."""
