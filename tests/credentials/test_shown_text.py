"""What a person reads about a credential: who issued it (the trust list's name, or the
issuer's own, marked as not verified, with its DID) and outside text that can neither
reorder a line (bidi controls) nor write one (line breaks, escape sequences)."""

import json
import re

import pytest

from tests.presentations.hostile_text import BIDI, DECLARED, ISSUER, hostile_credential
from tests.presentations.vp_fixtures import di_credential
from vault.credentials.issuer_name import shown_issuer
from vault.safe_text import safe_text

CHALLENGE, DOMAIN = "c-display-1", "hr.acme.example"


# ---- the rules -----------------------------------------------------------------------------

@pytest.mark.parametrize("char", BIDI + ("\u200b", "\ufeff", "\u00ad", "\U000e0041", "\u3164"))
def test_every_bidi_and_invisible_character_is_shown_as_a_mark(char):
    shown = safe_text(f"gpj{char}.exe")
    assert char not in shown and shown == f"gpj⟨U+{ord(char):04X}⟩.exe"


def test_controls_are_shown_and_line_breaks_only_kept_where_text_has_lines():
    assert safe_text("a\x1b[31mb\x07\x9b") == "a⟨U+001B⟩[31mb⟨U+0007⟩⟨U+009B⟩"
    assert safe_text("Degree\nVALID: forged") == "Degree⟨U+000A⟩VALID: forged"
    assert safe_text("one\r\ntwo\rthree\tfour", multiline=True) == "one\ntwo⟨U+000D⟩three\tfour"
    # What people write stays as it is: accents, right-to-left scripts, emoji sequences (ZWJ).
    for text in ("Université de Genève", "جامعة القاهرة", "👩‍🎓 Graduate", "می‌خواهم"):
        assert safe_text(text) == text
    assert safe_text(None) == "" and safe_text(7) == "7"


def test_an_issuer_is_named_by_the_trust_list_or_marked_not_verified():
    trusted = shown_issuer(ISSUER, DECLARED, {ISSUER: "Test College (registry)"})
    assert trusted.verified and trusted.label == "Test College (registry)"
    assert trusted.line == f"Test College (registry) · {ISSUER}"
    stranger = shown_issuer(ISSUER, DECLARED, {"did:key:zOther": "Harvard University"})
    assert not stranger.trusted and stranger.label == f"{DECLARED} (name not verified)"
    assert stranger.line == f"{DECLARED} (name not verified) · {ISSUER}"
    # Trusted without a name given: the DID is trusted, the self-declared name still is not.
    unnamed = shown_issuer(ISSUER, DECLARED, {ISSUER: ""})
    assert unnamed.trusted and not unnamed.verified and "(name not verified)" in unnamed.label
    assert shown_issuer(ISSUER, "", None).label == ISSUER
    assert shown_issuer("", "", None).label == "Unknown issuer"
    # An isolate cannot move "(name not verified)" out of sight: it is a mark, not obeyed.
    sneaky = shown_issuer(ISSUER, "Harvard\u2067", None)
    assert "\u2067" not in sneaky.line and sneaky.label == "Harvard⟨U+2067⟩ (name not verified)"


# ---- the terminal ----------------------------------------------------------------------------


def _import(cli, name: str, data: bytes) -> tuple[str, str]:
    path = cli.tmp / name
    path.write_bytes(data)
    code, out, err = cli("credential", "import", path, "--offline")
    assert code == 0, err
    return re.search(r" as ([0-9a-f]{12}) ", out).group(1), out


def _no_raw(text: str) -> None:
    assert not any(c in text for c in BIDI), "a bidi control reached the terminal raw"
    assert "\x1b" not in text and "\r" not in text


def test_hostile_text_never_reaches_the_terminal_raw(cli):
    cid, out = _import(cli, "hostile.json", hostile_credential(cli.did))
    _no_raw(out)
    code, out, err = cli("credential", "show", cid)
    assert code == 0, err
    _no_raw(out)
    lines = out.splitlines()
    # The description's line break would have printed a second "issuer:" line: one only.
    assert [line for line in lines if line.lstrip().startswith("issuer:")] == [
        f"  issuer:   {DECLARED}⟨U+202E⟩<b>X</b><a href=x>link</a><img src=x>⟨U+202E⟩Issuer⟨U+2066⟩end⟨U+2069⟩"
        f" (name not verified) · {ISSUER}"]
    # Titled by the credential's own name (OB 3.0: the name for display in wallets).
    assert "⟨U+202E⟩Title⟨U+2066⟩end⟨U+2069⟩" in lines[0] and "⟨U+202E⟩Achievement" not in lines[0]
    assert "⟨U+000A⟩  issuer:   Harvard University⟨U+001B⟩[2K" in out
    assert "⟨U+202E⟩Claim" in out and "⟨U+202E⟩Key" in out
    code, out, _ = cli("credential", "list")
    _no_raw(out)
    assert len(out.splitlines()) == 1 and out.rstrip().endswith(f"(name not verified) · {ISSUER}")
    # JSON keeps the exact strings, escaped: a program reads them, a terminal shows \u202e.
    code, out, _ = cli("credential", "show", cid, "--json")
    _no_raw(out)
    shown = json.loads(out)
    assert shown["display"]["issuer_name"].startswith(DECLARED + "\u202e<b>X</b>")
    assert shown["issuer_shown"]["trusted"] is False and shown["issuer_shown"]["name_verified"] is False


def test_a_trusted_issuer_is_named_by_the_trust_list(cli):
    cid, _ = _import(cli, "badge.json", di_credential(cli.did))
    code, out, _ = cli("credential", "show", cid)
    assert f"  issuer:   Test College (name not verified) · {ISSUER}" in out.splitlines()
    assert cli("trust", "add", ISSUER, "--name", "Test College, Springfield")[0] == 0
    code, out, _ = cli("credential", "show", cid)
    assert f"  issuer:   Test College, Springfield · {ISSUER}" in out.splitlines()
    assert "not verified" not in out
    code, out, _ = cli("credential", "list")
    assert out.rstrip().endswith(f"Test College, Springfield · {ISSUER}")


def test_the_employer_sees_the_issuers_own_name_marked_and_its_did(cli):
    cid, _ = _import(cli, "hostile.json", hostile_credential(cli.did))
    out_file = cli.tmp / "vp.json"
    code, out, err = cli("present", "--credential", cid, "--challenge", CHALLENGE, "--domain", DOMAIN,
                         "--format", "json", "--cryptosuite", "eddsa-jcs-2022", "--out", out_file)
    assert code == 0, err
    _no_raw(out)
    # The verifier has no vault, hence no trust list: every issuer's name is its own claim.
    code, out, err = cli("verify", out_file, "--challenge", CHALLENGE, "--domain", DOMAIN, "--offline")
    assert code == 0, err
    _no_raw(out + err)
    verdict_line = next(line for line in out.splitlines() if line.startswith("  [ok ]"))
    assert f"(name not verified) · {ISSUER}: " in verdict_line
    assert verdict_line.startswith("  [ok ] <b>X</b><a href=x>link</a><img src=x>⟨U+202E⟩Title")
    code, out, err = cli("credential", "verify", cli.tmp / "hostile.json", "--offline")
    _no_raw(out)
    assert f"(name not verified) · {ISSUER}" in out.splitlines()[1]
