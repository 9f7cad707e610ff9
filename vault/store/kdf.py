"""Argon2id key derivation: passphrase -> raw 32-byte SQLCipher key.

Parameters are tuned once, at creation, to the machine (about 0.5-1 s, as KeePassXC
does) and stored beside the database so that any machine derives the same key.

The implementation is libargon2 (the reference one, as KeePassXC uses) through
argon2-cffi, with one thread per lane as it runs them: ``cryptography``'s Argon2id
(OpenSSL) gives the same key (tests/store/test_kdf.py compares them) but runs at most
as many threads as the machine has cores, so on a busy 2-core machine the same
derivation took ~370 against ~290 ms (median), and ~10 % more CPU time.
"""

from __future__ import annotations

import math
import os
import time
import unicodedata
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw

KEY_LENGTH = 32
SALT_LENGTH = 16
# The floor is RFC 9106's second recommended option (64 MiB, t=3, p=4); tuning only goes up.
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3
LANES = 4
MAX_ITERATIONS = 200
# A header (or a backup's: its checksum is not a MAC) may only ask for what tune() can
# pick: the floor's memory and lanes (tune only raises passes), MIN..MAX_ITERATIONS passes.
# Anything else, e.g. 1 GiB x 200 passes (minutes per unlock, or a 32-bit overflow), is a
# damaged header, refused before Argon2 runs.
DEFAULT_TARGET_SECONDS = 0.75


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = MIN_MEMORY_KIB
    iterations: int = MIN_ITERATIONS
    lanes: int = LANES
    salt: bytes = b""

    def with_new_salt(self) -> "KdfParams":
        return KdfParams(self.memory_kib, self.iterations, self.lanes, os.urandom(SALT_LENGTH))

    def to_json(self) -> dict:
        d = asdict(self)
        d["salt"] = self.salt.hex()
        d["algorithm"] = "argon2id"
        return d

    @classmethod
    def from_json(cls, d: dict) -> "KdfParams":
        if d.get("algorithm") != "argon2id":
            raise ValueError("unknown KDF algorithm")
        params = cls(int(d["memory_kib"]), int(d["iterations"]), int(d["lanes"]), bytes.fromhex(d["salt"]))
        if len(params.salt) != SALT_LENGTH:
            raise ValueError("KDF salt of the wrong length")
        if (params.memory_kib != MIN_MEMORY_KIB or params.lanes != LANES
                or not MIN_ITERATIONS <= params.iterations <= MAX_ITERATIONS):
            raise KdfOutOfRange(params)
        return params


class KdfOutOfRange(ValueError):
    """KDF parameters no tune() picks: a damaged or crafted header, not a passphrase to try."""

    def __init__(self, params: KdfParams):
        super().__init__(f"it asks for Argon2id with {params.memory_kib} KiB, {params.iterations} "
                         f"iterations and {params.lanes} lanes; this app only ever uses "
                         f"{MIN_MEMORY_KIB} KiB, {MIN_ITERATIONS} to {MAX_ITERATIONS} iterations and {LANES} lanes")


def normalise(passphrase: str) -> bytes:
    """NFKD, so the same passphrase typed on another keyboard or OS gives the same key."""
    return unicodedata.normalize("NFKD", passphrase).encode("utf-8")


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    # Argon2id version 1.3 (0x13), RFC 9106; parallelism = lanes, each lane its own thread.
    return hash_secret_raw(normalise(passphrase), params.salt, time_cost=params.iterations,
                           memory_cost=params.memory_kib, parallelism=params.lanes, hash_len=KEY_LENGTH,
                           type=Type.ID, version=19)


def time_params(params: KdfParams) -> float:
    start = time.perf_counter()
    derive_key("calibration", params)
    return time.perf_counter() - start


def tune(target_seconds: float = DEFAULT_TARGET_SECONDS) -> KdfParams:
    """Pick iterations so one derivation takes about ``target_seconds`` here.

    A target of 0 (or anything below the floor's cost) gives the floor parameters.
    """
    base = KdfParams(salt=os.urandom(SALT_LENGTH))
    if target_seconds <= 0:
        return base
    params, elapsed = base, time_params(base)
    # Each derivation pays a fixed cost (allocating and filling the memory) besides its
    # passes, so scale twice: the second estimate is made near the target.
    for _ in range(2):
        iterations = math.floor(params.iterations * target_seconds / elapsed)
        iterations = max(MIN_ITERATIONS, min(MAX_ITERATIONS, iterations))
        if iterations == params.iterations:
            break
        params = KdfParams(base.memory_kib, iterations, base.lanes, base.salt)
        elapsed = time_params(params)
    return params
