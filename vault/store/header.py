"""The header file beside the database: KDF parameters, salt, key-check value.

It lives outside the encrypted database because the key cannot be derived without it.
It carries its own checksum so that a damaged header (CorruptVault) is never mistaken
for a wrong passphrase (WrongPassphrase): a flipped bit in the salt would otherwise just
produce a key that fails the key check.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, replace
from pathlib import Path

import rfc8785

from ..errors import CorruptVault
from .atomic import write_atomic
from .kdf import KdfOutOfRange, KdfParams
from .. import safejson

HEADER_NAME = "vault.header"
FORMAT = "blocktrack-vault-header"
FORMAT_VERSION = 1
_KEY_CHECK_LABEL = b"blocktrack-vault/key-check/v1"


def key_check_value(key: bytes, params: KdfParams) -> str:
    """HMAC of a fixed label under the key: proves a key right without revealing it."""
    return hmac.new(key, _KEY_CHECK_LABEL + params.salt, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Header:
    kdf: KdfParams
    key_check: str
    generation: int
    created: str

    @property
    def database_name(self) -> str:
        return f"vault-{self.generation}.db"

    def key_matches(self, key: bytes) -> bool:
        return hmac.compare_digest(key_check_value(key, self.kdf), self.key_check)

    def next_generation(self, kdf: KdfParams, key: bytes) -> "Header":
        return replace(self, kdf=kdf, key_check=key_check_value(key, kdf), generation=self.generation + 1)

    def _body(self) -> dict:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "kdf": self.kdf.to_json(),
            "key_check": self.key_check,
            "generation": self.generation,
            "created": self.created,
        }

    def to_bytes(self) -> bytes:
        body = self._body()
        body["checksum"] = hashlib.sha256(rfc8785.dumps(body)).hexdigest()
        return json.dumps(body, indent=2).encode() + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes) -> "Header":
        damaged = CorruptVault("The vault header file is damaged, so the vault cannot be opened. "
                               "Restore it from a backup.")
        try:
            body = safejson.loads(data.decode("utf-8"))
            if not isinstance(body, dict):
                raise damaged
            checksum = body.pop("checksum")
            if not hmac.compare_digest(hashlib.sha256(rfc8785.dumps(body)).hexdigest(), checksum):
                raise damaged
            if body.get("format") != FORMAT:
                raise damaged
            if body.get("version") != FORMAT_VERSION:
                raise CorruptVault(f"The vault header has format version {body.get('version')}, "
                                   "which this version of Blocktrack Vault cannot read.")
            key_check = body["key_check"]
            # 64 lower-case hex digits, as key_check_value() writes them. Anything else is
            # damage, not a wrong passphrase (and non-ASCII text would make key_matches'
            # compare_digest raise TypeError).
            if not (isinstance(key_check, str) and len(key_check) == 64
                    and set(key_check) <= set("0123456789abcdef")):
                raise damaged
            return cls(KdfParams.from_json(body["kdf"]), key_check,
                       int(body["generation"]), str(body["created"]))
        except CorruptVault:
            raise
        except KdfOutOfRange as exc:  # said before any Argon2 run, not "wrong passphrase" after minutes
            raise CorruptVault(f"The vault header's key-derivation parameters are out of range ({exc}), "
                               "so it is damaged or was tampered with and the vault cannot be opened. "
                               "Restore it from a backup.") from exc
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError,
                # json.loads raises RecursionError on deeply nested input ("[[[[..."),
                # which random damage can produce: still a damaged header.
                RecursionError) as exc:
            raise damaged from exc

    @classmethod
    def read(cls, folder: Path) -> "Header":
        try:
            return cls.from_bytes((folder / HEADER_NAME).read_bytes())
        except FileNotFoundError:
            raise CorruptVault("The vault header file is missing, so the vault cannot be opened. "
                               "Restore it from a backup.") from None

    def write(self, folder: Path) -> None:
        write_atomic(folder / HEADER_NAME, self.to_bytes())
