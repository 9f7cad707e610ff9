"""BIP-39 recovery phrases: generate, check word by word, turn into a seed."""

from __future__ import annotations

import difflib
import unicodedata

from mnemonic import Mnemonic

from ..errors import InvalidRecoveryPhrase

_WORDS_TO_STRENGTH = {12: 128, 24: 256}
_english = Mnemonic("english")
_wordset = frozenset(_english.wordlist)


def generate(words: int = 12) -> str:
    if words not in _WORDS_TO_STRENGTH:
        raise InvalidRecoveryPhrase("A recovery phrase has 12 or 24 words.")
    return _english.generate(strength=_WORDS_TO_STRENGTH[words])


def normalise(phrase: str) -> str:
    """Lower-case, single-spaced, NFKD: how a person may type it vs. how BIP-39 hashes it."""
    return " ".join(unicodedata.normalize("NFKD", phrase).lower().split())


def validate(phrase: str) -> str:
    """Return the normalised phrase, or raise InvalidRecoveryPhrase saying what is wrong."""
    phrase = normalise(phrase)
    words = phrase.split()
    if len(words) not in (12, 15, 18, 21, 24):
        raise InvalidRecoveryPhrase(
            f"A recovery phrase has 12 or 24 words; this one has {len(words)}.")
    for position, word in enumerate(words, start=1):
        if word not in _wordset:
            close = difflib.get_close_matches(word, _english.wordlist, n=3, cutoff=0.7)
            hint = f" Did you mean {' or '.join(close)}?" if close else ""
            raise InvalidRecoveryPhrase(
                f"Word {position} ('{word}') is not a BIP-39 English word.{hint}")
    if not _english.check(phrase):
        raise InvalidRecoveryPhrase(
            "The words are all valid, but the phrase's checksum does not match: a word is "
            "wrong or two words are swapped.")
    return phrase


def to_seed(phrase: str) -> bytes:
    return Mnemonic.to_seed(validate(phrase), passphrase="")
