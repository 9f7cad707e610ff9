"""A Blockcerts certificate whose anchor was checked: the Verify page and the card's
verdict text say where and when its issuer anchored it (not "Soulbound"); a soulbound
sentence on another format is not mistaken for it."""

from ui.credentials.presentation import verdict_text
from ui.verify.verdict import credential_html
from vault.credentials.verdict import Reason
from vault.presentations.verify import CredentialResult

ANCHORED = "Anchored in Bitcoin tx 2378076e, block time 2019-06-30 10:00 UTC (anchor checked on 3 Nov 2026, saved copy)"


def test_the_verify_page_shows_where_a_blockcerts_certificate_is_anchored():
    result = CredentialResult(1, "blockcerts", "https://college.example/issuer.json", "", "Diploma", None, True,
                              Reason.VALID, "ok", [], anchor=ANCHORED)
    html = credential_html(result)
    assert "Anchored in Bitcoin tx 2378076e" in html and "anchor checked on 3 Nov 2026" in html
    assert "Soulbound" not in html


def test_the_card_text_holds_the_anchor_line_for_blockcerts_only():
    verdict = {"valid": True, "reason": "valid", "message": "The credential is genuine and current.",
               "format": "blockcerts", "anchor": ANCHORED}
    assert verdict_text(verdict).splitlines()[1] == ANCHORED
    assert ANCHORED not in verdict_text(verdict | {"format": "di-vc"})
