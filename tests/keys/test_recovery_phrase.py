import pytest

from tests.conftest import vector
from vault.errors import InvalidRecoveryPhrase
from vault.keys import recovery_phrase
from mnemonic import Mnemonic

ENGLISH = vector("bip39-english.json")["english"]


@pytest.mark.parametrize("entropy,phrase,seed,xprv", ENGLISH, ids=[v[1][:24] for v in ENGLISH])
def test_bip39_published_vectors(entropy, phrase, seed, xprv):
    # The published vectors use the BIP-39 passphrase "TREZOR"; the vault uses "".
    assert recovery_phrase.validate(phrase) == phrase
    assert Mnemonic("english").to_entropy(phrase).hex() == entropy
    assert Mnemonic.to_seed(recovery_phrase.validate(phrase), "TREZOR").hex() == seed


@pytest.mark.parametrize("words", [12, 24])
def test_generated_phrases_are_valid_and_distinct(words):
    a, b = recovery_phrase.generate(words), recovery_phrase.generate(words)
    assert len(a.split()) == words and a != b
    assert recovery_phrase.validate(a) == a


def test_sloppy_typing_is_normalised():
    phrase = ENGLISH[0][1]
    messy = "  " + phrase.upper().replace(" ", "   ") + "\n"
    assert recovery_phrase.validate(messy) == phrase
    assert recovery_phrase.to_seed(messy) == recovery_phrase.to_seed(phrase)


def test_bad_checksum_is_named():
    words = ENGLISH[0][1].split()
    words[-1] = "abandon"  # valid word, wrong checksum
    with pytest.raises(InvalidRecoveryPhrase, match="checksum"):
        recovery_phrase.validate(" ".join(words))


def test_unknown_word_is_pointed_at():
    words = ENGLISH[0][1].split()
    words[4] = "abandun"
    with pytest.raises(InvalidRecoveryPhrase, match=r"Word 5 \('abandun'\).*abandon"):
        recovery_phrase.validate(" ".join(words))


@pytest.mark.parametrize("count", [0, 1, 11, 13, 25])
def test_wrong_word_count(count):
    with pytest.raises(InvalidRecoveryPhrase, match=f"has {count}"):
        recovery_phrase.validate(" ".join(["abandon"] * count))


def test_generate_rejects_odd_lengths():
    with pytest.raises(InvalidRecoveryPhrase):
        recovery_phrase.generate(13)
