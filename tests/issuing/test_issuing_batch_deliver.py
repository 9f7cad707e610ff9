"""Batch issuing from a CSV and delivering what was issued (file, baked badge, BTV1 QR,
the same vault, the log as CSV).

Attacks: hostile CSVs — formula cells (CSV injection), recipients with markup, a NUL
byte, a file that is not UTF-8, a bomb of rows, unknown columns, a duplicated recipient:
each is reported by line and nothing of the batch is issued (no log row, no status bit);
a recipient-controlled note exported in the log cannot run as a formula."""

import base64
import csv
import hashlib
import io
import json

import pytest

from vault.credentials import baked
from vault.credentials.service import CredentialService
from vault.errors import BatchError, IssuingError
from vault.issuing import batch, deliver
from vault.issuing.issuer import Issuer, IssueOptions
from vault.qr.parts import collect, encode_parts

ALICE = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.fixture
def issuer(identity):
    return Issuer(identity)


@pytest.fixture
def club(issuer):
    profile = issuer.profiles.create("Code Club", url="https://codeclub.example")
    achievement = issuer.profiles.add_achievement(profile.id, "First PR", criteria="A merged PR")
    return profile, achievement


def qr_texts(record) -> list[str]:
    return encode_parts(record.content, kind=deliver.qr_kind(record))


def nothing_issued(issuer, profile) -> bool:
    rows = issuer.store.query("SELECT bits FROM issuer_status_lists WHERE profile_id = ?", (profile.id,))
    return issuer.log() == [] and all(not any(bytes(r[0])) for r in rows)


def test_a_csv_batch_issues_every_row_with_its_own_options(issuer, club):
    profile, achievement = club
    data = ("recipient,note,evidence_url,valid_until\r\n"
            f"{ALICE},Cohort 7,https://git.example/pr/1,2030-01-01\r\n"
            f"{BOB},,,\r\n"
            "\r\n").encode("utf-8-sig")
    records = batch.issue_csv(issuer, profile.id, achievement.id, data)
    assert [r.recipient for r in records] == [ALICE, f"did:pkh:eip155:1:{BOB}"]
    assert len({r.batch for r in records}) == 1 and records[0].batch
    assert len({r.status_index for r in records}) == 2
    first = json.loads(records[0].content)
    assert first["description"] == "Cohort 7" and first["validUntil"] == "2030-01-01T00:00:00Z"
    assert first["evidence"][0]["id"] == "https://git.example/pr/1"


@pytest.mark.parametrize("rows, line, why", [
    ([f"{ALICE},=HYPERLINK(\"https://evil.example\")"], 2, "formula"),
    ([f"{ALICE},fine", f"{BOB},@SUM(A1:A9)"], 3, "formula"),
    ([f"{ALICE},+cmd|' /C calc'!A0"], 2, "formula"),
    ([f"{ALICE},ok", "did:key:<img src=x onerror=alert(1)>,hi"], 3, "not a DID"),
    (["did:key:z6Mk\u202eexe.gnp,hi"], 2, "not a DID"),
    ([f"{ALICE},ok", f"{BOB},Passed \u202eliaF"], 3, "U+202E"),
    ([f"{ALICE},one", f"{ALICE},two"], 3, "same recipient as line 2"),
    ([f"{ALICE},a,extra"], 2, "3 cells"),
])
def test_a_hostile_csv_row_is_reported_by_line_and_nothing_is_issued(issuer, club, rows, line, why):
    profile, achievement = club
    data = "\n".join(["recipient,note", *rows]).encode()
    with pytest.raises(BatchError) as caught:
        batch.issue_csv(issuer, profile.id, achievement.id, data)
    assert [n for n, _ in caught.value.problems] == [line] and why in caught.value.problems[0][1]
    assert f"line {line}" in str(caught.value) and "nothing was issued" in str(caught.value)
    assert nothing_issued(issuer, profile)


@pytest.mark.parametrize("data, why", [
    (b"recipient\n" + ALICE.encode() + b"\x00\n", "NUL"),
    ("recipient\n".encode() + "did:key:caf\u00e9".encode("latin-1"), "not UTF-8"),
    (b"recipient,password\n" + ALICE.encode() + b",x\n", "unknown column"),
    (b"note\nhello\n", "no 'recipient' column"),
    (b"recipient,recipient\nx,y\n", "named twice"),
    (b"recipient\n" + b"did:example:x\n" * (batch.MAX_ROWS + 1), "more than"),
    (b"recipient\n" + b"x" * (batch.MAX_BYTES + 1), "at most"),
    (b"recipient\n\n", "names no recipient"),
])
def test_a_hostile_csv_file_is_refused_whole(issuer, club, data, why):
    profile, achievement = club
    with pytest.raises(BatchError, match=why):
        batch.issue_csv(issuer, profile.id, achievement.id, data)
    assert nothing_issued(issuer, profile)


def test_a_failure_while_signing_the_batch_leaves_nothing_half_issued(issuer, club, monkeypatch):
    profile, achievement = club
    calls = []
    real = issuer._data_integrity

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise IssuingError("the signing device went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(issuer, "_data_integrity", fail_on_second)
    with pytest.raises(IssuingError, match="went away"):
        batch.issue_csv(issuer, profile.id, achievement.id, f"recipient\n{ALICE}\n{BOB}\n".encode())
    assert nothing_issued(issuer, profile)


def test_baked_png_and_svg_carry_the_credential_and_import(identity, issuer, club, tmp_path):
    profile, achievement = club
    record = issuer.issue(profile.id, achievement.id, identity.default_did().did)
    png = deliver.write_file(record, tmp_path / "badge.png")
    svg = deliver.write_file(record, tmp_path / "badge.svg")
    assert baked.extract(png.read_bytes()) == record.content.strip()
    assert json.loads(baked.extract(svg.read_bytes())) == json.loads(record.content)
    result = CredentialService(identity.store).import_bytes(png.read_bytes())
    assert result.verdict.valid and result.summary.title == "First PR"
    sd = issuer.issue(profile.id, achievement.id, identity.default_did().did, fmt="sd-jwt")
    with pytest.raises(IssuingError, match="cannot be baked"):
        deliver.write_file(sd, tmp_path / "sd.png")


def test_the_qr_carries_the_exact_bytes_in_parts_when_large(identity, issuer, club):
    profile, achievement = club
    record = issuer.issue(profile.id, achievement.id, identity.default_did().did)
    decoded = collect(qr_texts(record))
    assert decoded.kind == "vc-json" and decoded.payload == record.content
    noise = base64.b64encode(hashlib.shake_256(b"badge").digest(4000)).decode()
    image = "data:image/png;base64," + noise           # a badge image inline: several codes
    big = issuer.profiles.add_achievement(profile.id, "Big", image=image)
    large = issuer.issue(profile.id, big.id, identity.default_did().did)
    texts = qr_texts(large)
    assert len(texts) > 1 and collect(reversed(texts)).payload == large.content
    sd = issuer.issue(profile.id, achievement.id, identity.default_did().did, fmt="sd-jwt")
    assert collect(qr_texts(sd)).kind == "sd-jwt"


def test_into_the_same_vault(identity, issuer):
    sample = issuer.profiles.sample()
    record = issuer.issue(sample.id, issuer.profiles.achievements(sample.id)[0].id, identity.default_did().did)
    result = deliver.into_vault(record, CredentialService(identity.store))
    assert result.created and result.verdict.valid


def test_the_log_csv_neutralises_formulas_from_the_note(issuer, club):
    profile, achievement = club
    issuer.issue(profile.id, achievement.id, ALICE, options=IssueOptions(note="=cmd|'/C calc'!A0"))
    issuer.issue(profile.id, achievement.id, BOB, options=IssueOptions(note="-2+3"))
    rows = list(csv.DictReader(io.StringIO(deliver.log_csv(issuer.log()).decode())))
    assert [r["note"] for r in rows] == ["'-2+3", "'=cmd|'/C calc'!A0"]
    assert all(not v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())
