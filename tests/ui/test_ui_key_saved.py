"""A credential verified with an issuer key from the vault's saved copy: the employer's
Verify page says so in full, with the date; a credential card says it in short and the
details hold the date."""

from ui.credentials.presentation import reason_line
from ui.verify.verdict import credential_html
from vault.credentials.verdict import Reason, Warning_, WarningCode
from vault.presentations.verify import CredentialResult

NOTE = ("Issuer key as fetched on 3 Nov 2025: the copy of the DID document of did:web:college.example saved "
        "in your vault (offline: not fetched again).")


def test_the_verify_page_shows_the_saved_keys_date():
    result = CredentialResult(1, "di-vc", "did:web:college.example", "", "Degree", None, True, Reason.VALID, "ok",
                              [Warning_(WarningCode.KEY_SAVED, NOTE)])
    assert "Issuer key as fetched on 3 Nov 2025" in credential_html(result)


def test_a_card_says_the_key_came_from_a_saved_copy():
    verdict = {"valid": True, "reason": "valid", "warnings": [{"code": "key-saved", "message": NOTE}]}
    assert "Issuer key from a saved copy" in reason_line("valid", verdict)
