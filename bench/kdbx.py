"""A minimal KDBX 4.0 writer, for the benchmark against ``keepassxc-cli`` only.

``keepassxc-cli db-create`` / ``import`` tune their KDF to a target time and cannot be
given Argon2id parameters, so the benchmark writes the peer's file itself, with exactly
the Argon2id memory, iterations and lanes of our vault. Written from the KDBX 4 format
as KeePass documents it: outer header (AES-256-CBC, gzip, Argon2id parameters in a
VariantDictionary), header SHA-256 and HMAC-SHA-256, then HMAC-SHA-256 blocks of the
encrypted, gzipped inner header + XML. Values are stored unprotected (no inner stream
encryption is needed for a benchmark file); keepassxc-cli itself checks the result.
Not used by the application.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import os
import struct
import uuid
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

SIGNATURE = struct.pack("<IIHH", 0x9AA2D903, 0xB54BFB67, 0, 4)  # KDBX 4.0
AES256_CBC = uuid.UUID("31c1f2e6-bf71-4350-be58-05216afc5aff").bytes
ARGON2ID = uuid.UUID("9e298b19-56db-4773-b23d-fc3ec6f0a1e6").bytes
GZIP = 1
CHACHA20_STREAM = 3
BLOCK_SIZE = 1024 * 1024


def _field(kind: int, data: bytes, size_format: str = "<I") -> bytes:
    return bytes([kind]) + struct.pack(size_format, len(data)) + data


def _variant_dictionary(items: list[tuple[int, str, bytes]]) -> bytes:
    out = struct.pack("<H", 0x0100)
    for kind, name, value in items:
        key = name.encode()
        out += bytes([kind]) + struct.pack("<i", len(key)) + key + struct.pack("<i", len(value)) + value
    return out + b"\x00"


def _kdf_parameters(salt: bytes, memory_kib: int, iterations: int, lanes: int) -> bytes:
    return _variant_dictionary([
        (0x42, "$UUID", ARGON2ID),
        (0x42, "S", salt),
        (0x04, "P", struct.pack("<I", lanes)),
        (0x05, "M", struct.pack("<Q", memory_kib * 1024)),
        (0x05, "I", struct.pack("<Q", iterations)),
        (0x04, "V", struct.pack("<I", 0x13)),
    ])


def _block_key(base: bytes, index: int) -> bytes:
    return hashlib.sha512(struct.pack("<Q", index) + base).digest()


def _entry_xml(title: str, username: str, url: str, notes: str) -> str:
    strings = "".join(f"<String><Key>{key}</Key><Value>{escape(value)}</Value></String>"
                      for key, value in (("Title", title), ("UserName", username), ("Password", ""),
                                         ("URL", url), ("Notes", notes)))
    return f"<Entry><UUID>{base64.b64encode(os.urandom(16)).decode()}</UUID>{strings}</Entry>"


def xml(entries: Iterable[tuple[str, str, str, str]]) -> bytes:
    body = "".join(_entry_xml(*entry) for entry in entries)
    root = base64.b64encode(os.urandom(16)).decode()
    return ('<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
            "<KeePassFile><Meta><Generator>blocktrack-vault bench</Generator>"
            "<DatabaseName>bench</DatabaseName></Meta>"
            f"<Root><Group><UUID>{root}</UUID><Name>Root</Name>{body}</Group></Root>"
            "</KeePassFile>").encode("utf-8")


def write(path: Path, password: str, entries: Iterable[tuple[str, str, str, str]], *,
          memory_kib: int, iterations: int, lanes: int) -> None:
    """Write a KDBX 4.0 file of ``entries`` (title, username, url, notes), password only,
    AES-256-CBC, gzip, Argon2id with these parameters."""
    master_seed, iv, salt = os.urandom(32), os.urandom(16), os.urandom(32)
    header = SIGNATURE + b"".join([
        _field(2, AES256_CBC),
        _field(3, struct.pack("<I", GZIP)),
        _field(4, master_seed),
        _field(7, iv),
        _field(11, _kdf_parameters(salt, memory_kib, iterations, lanes)),
        _field(0, b"\r\n\r\n"),
    ])
    composite = hashlib.sha256(hashlib.sha256(password.encode("utf-8")).digest()).digest()
    transformed = Argon2id(salt=salt, length=32, iterations=iterations, lanes=lanes,
                           memory_cost=memory_kib).derive(composite)
    cipher_key = hashlib.sha256(master_seed + transformed).digest()
    hmac_base = hashlib.sha512(master_seed + transformed + b"\x01").digest()

    inner_header = (_field(1, struct.pack("<I", CHACHA20_STREAM)) + _field(2, os.urandom(64))
                    + _field(0, b""))
    plain = gzip.compress(inner_header + xml(entries), compresslevel=6)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(cipher_key), modes.CBC(iv)).encryptor()
    encrypted = encryptor.update(padded) + encryptor.finalize()

    out = [header, hashlib.sha256(header).digest(),
           hmac.new(_block_key(hmac_base, 0xFFFFFFFFFFFFFFFF), header, hashlib.sha256).digest()]
    chunks = [encrypted[i:i + BLOCK_SIZE] for i in range(0, len(encrypted), BLOCK_SIZE)] + [b""]
    for index, chunk in enumerate(chunks):
        size = struct.pack("<i", len(chunk))
        mac = hmac.new(_block_key(hmac_base, index), struct.pack("<Q", index) + size + chunk,
                       hashlib.sha256).digest()
        out += [mac, size, chunk]
    path.write_bytes(b"".join(out))
