"""Hostile signed votes (a file, pasted text, a QR payload): deep nesting, numbers of
thousands of digits, fields of the wrong type, oversized files, signatures that are not
on the curve. Each is a ChainError("invalid-vote"/"invalid-signature") that says what is
wrong, before anything reads its fields; nothing needs a chain."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vault.chain.governance import load_vote, read_vote_source, read_vote_text, recover_vote_signer, sign_vote
from vault.chain.votefile import MAX_VOTE_BYTES
from vault.errors import ChainError

ROOT = Path(__file__).parents[2]
KEY = bytes.fromhex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
GOVERNOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module")
def vote() -> dict:
    return sign_vote(KEY, chain_id=31337, governor=GOVERNOR, proposal_id=2**200 + 7, support="against",
                     nonce=3, reason="too low")


def refused(data, match: str, reason: str = "invalid-vote") -> ChainError:
    with pytest.raises(ChainError, match=match) as err:
        load_vote(data)
    assert err.value.reason == reason
    return err.value


def test_a_signed_vote_reads_back_exactly_and_its_signer_recovers(vote):
    assert sys.getrecursionlimit() >= 100_000   # eth-account's py_ecc raised it: the crash hazard is live
    assert load_vote(json.dumps(vote)) == vote
    assert load_vote(json.dumps(vote).encode()) == vote
    assert recover_vote_signer(load_vote(json.dumps(vote))) == vote["voter"]
    # the id as a number is read too; unknown fields are not carried along
    assert load_vote(json.dumps(dict(vote, proposal_id=2**200 + 7, extra=[1, 2]))) == vote


@pytest.mark.parametrize("text", [DEEP, '{"type": "blocktrack-signed-vote", "reason": ' + DEEP + "}",
                                  '{"a":' * 100_000 + "1" + "}" * 100_000])
def test_deep_nesting_is_an_error_not_a_crash(text, tmp_path):
    refused(text, "nested more than 256 levels")
    with pytest.raises(ChainError, match="nested more than" if text.startswith("{") else "no signed vote"):
        read_vote_text(text)   # pasted: "{…" is read as JSON, anything else as a code's text
    path = tmp_path / "vote.json"
    path.write_text(text)
    with pytest.raises(ChainError) as err:   # "[…" is not taken for JSON: read as a code, refused
        read_vote_source(path)
    assert err.value.reason == "invalid-vote"


def test_numbers_of_thousands_of_digits(vote):
    text = json.dumps(dict(vote, chain_id=0)).replace('"chain_id": 0', '"chain_id": 1' + "0" * 5000)
    refused(text, "a number of 5001 digits")
    refused(json.dumps(dict(vote, nonce=10**100)), "a number of 101 digits")
    refused(json.dumps(dict(vote, nonce=2**256)), "'nonce' is out of range")   # 78 digits
    refused(json.dumps(dict(vote, proposal_id=str(2**256))), "'proposal_id' is out of range")
    refused(json.dumps(dict(vote, chain_id=0)), "'chain_id' is out of range")


@pytest.mark.parametrize("field, value, match", [
    ("support", "1", "'support' must be 0, 1 or 2 .* not text"),
    ("support", True, "'support' must be 0, 1 or 2 .* not true/false"),
    ("support", 7, "'support' must be 0, 1 or 2"),
    ("proposal_id", [1], "'proposal_id' must be a whole number .* not a list"),
    ("proposal_id", "12e3", "'proposal_id' must be a whole number"),
    ("proposal_id", "１２", "'proposal_id' must be a whole number"),      # full-width digits
    ("chain_id", 31337.0, "'chain_id' must be a whole number, not a fraction"),
    ("chain_id", "31337", "'chain_id' must be a whole number, not text"),
    ("nonce", None, "'nonce' must be a whole number, not null"),
    ("nonce", -1, "'nonce' is out of range"),
    ("voter", 5, "'voter' must be an address"),
    ("governor", "0x1234", "'governor' must be an address"),
    ("signature", "0x" + "zz" * 65, "'signature' must be a signature"),
    ("signature", {"r": 1}, "'signature' must be a signature .* not an object"),
    ("reason", ["a"], "'reason' must be text"),
    ("name", 1, "'name' must be text"),
])
def test_wrong_types_say_which_field(vote, field, value, match):
    refused(json.dumps(dict(vote, **{field: value})), match)


def test_not_a_vote_at_all(vote):
    refused("[1, 2]", "not a signed Blocktrack vote")
    refused(json.dumps(dict(vote, type="other")), "not a signed Blocktrack vote")
    refused(json.dumps({k: v for k, v in vote.items() if k not in ("voter", "nonce")}), "fields missing: voter, nonce")
    refused(b"\xff\xfe{", "not JSON")
    refused("NaN", "not a signed Blocktrack vote")


def test_an_oversized_vote_file_is_not_read_whole(vote, tmp_path):
    big = json.dumps(dict(vote, reason="x" * MAX_VOTE_BYTES))
    refused(big, "larger than 1 MB")
    path = tmp_path / "vote.json"
    path.write_text(big + " " * (4 << 20))
    with pytest.raises(ChainError, match="larger than 1 MB"):
        read_vote_source(path)


@pytest.mark.parametrize("signature", ["0x" + "00" * 65, "0x" + "ff" * 65])
def test_a_signature_off_the_curve_is_an_error(vote, signature):
    with pytest.raises(ChainError, match="not a valid signature") as err:
        recover_vote_signer(load_vote(json.dumps(dict(vote, signature=signature))))
    assert err.value.reason == "invalid-signature"


def _relay(tmp_path, content: str) -> subprocess.CompletedProcess:
    path = tmp_path / "vote.json"
    path.write_text(content)
    env = dict(os.environ, PYTHONPATH=str(ROOT), BLOCKTRACK_VAULT_HOME=str(tmp_path / "home"))
    env.pop("BLOCKTRACK_VAULT_DEBUG", None)
    return subprocess.run([sys.executable, "-c", "import sys; from vault.cli import main; sys.exit(main())",
                           "gov", "relay", str(path), "--yes"], env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def test_gov_relay_of_hostile_votes_exits_1_with_a_message(vote, tmp_path):
    done = _relay(tmp_path, '{"type": "blocktrack-signed-vote", "reason": ' + DEEP + "}")
    assert done.returncode == 1 and "nested more than 256 levels" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    huge = json.dumps(dict(vote, nonce=0)).replace('"nonce": 0', '"nonce": 1' + "0" * 5000)
    done = _relay(tmp_path, huge)
    assert done.returncode == 1 and "5001 digits" in done.stderr and "Traceback" not in done.stderr
    done = _relay(tmp_path, json.dumps(dict(vote, support="1", proposal_id=[1])))
    assert done.returncode == 1 and "'support' must be" in done.stderr and "Traceback" not in done.stderr
