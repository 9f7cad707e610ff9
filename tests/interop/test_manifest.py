"""Credentials and presentations made by other implementations get exactly their verdicts.

Runs the vendored copy and, where it exists, ../shared/fixtures/interop (new fixtures
dropped there are covered without a copy).
"""

import json
from pathlib import Path

import pytest

from vault.credentials.verify import check
from vault.presentations import verify_presentation

HERE = Path(__file__).resolve()
SOURCES = [HERE.parents[1] / "fixtures" / "interop", HERE.parents[2].parent / "shared" / "fixtures" / "interop"]

# The manifest's reason vocabulary -> the verdict reasons that state the same fault. A
# signature cannot tell a changed claim from a changed proof or another key, so those
# share "bad-signature" unless something more precise is provable.
REASONS = {
    "tampered-claim": {"bad-signature", "tampered-content"},
    "tampered-proof": {"bad-signature", "tampered-content", "malformed"},
    "wrong-key": {"wrong-key", "bad-signature", "unknown-key", "not-holders-credential"},
    "expired": {"expired"},
    "not-yet-valid": {"not-yet-valid"},
    "wrong-challenge": {"wrong-challenge"},
    "wrong-domain": {"wrong-domain"},
    "malformed": {"malformed", "unsupported-format"},
}


def cases():
    seen = set()
    for root in SOURCES:
        manifest = root / "manifest.json"
        if not manifest.exists():
            continue
        for entry in json.loads(manifest.read_text())["files"]:
            path = root / entry["file"]
            digest = entry.get("sha256") or str(path)
            if digest in seen:
                continue
            seen.add(digest)
            yield pytest.param(path, entry, id=f"{root.parent.parent.name}:{entry['file']}")


@pytest.mark.parametrize("path,entry", list(cases()))
def test_interop_fixture_gets_its_verdict(path, entry):
    if entry["kind"] == "presentation":
        verdict = verify_presentation(path.read_bytes(), challenge=entry["challenge"], domain=entry["domain"])
    else:
        verdict = check(path.read_bytes()).verdict
    assert verdict.valid == (entry["expected"] == "valid"), verdict.message
    if entry["expected"] == "invalid":
        assert verdict.reason.value in REASONS[entry["reason"]], (entry["reason"], verdict.reason, verdict.message)
    elif entry["kind"] == "presentation":
        assert verdict.holder == entry["holder_did"]
        assert [c.issuer for c in verdict.credentials] == [c["issuer_did"] for c in entry["embedded_credentials"]]
        assert all(c.valid for c in verdict.credentials)
    else:
        assert verdict.issuer == entry["issuer_did"]
