"""`vault issue --anchor` on the embedded chain: refused before anything is issued while
the profile's account lacks the issuer role (or the token would have no holder); once
governance grants the role, the credential is issued, anchored to the learner's account
with the fee previewed, and the issued log records its token."""

from __future__ import annotations

from tests.chain.conftest import PASSPHRASE, USER_ADDRESS
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI fixtures
from tests.chain.dao_helpers import send
from tests.chain.test_flow_issuer_role import pass_proposal

LEARNER = "0x00000000000000000000000000000000000A11cE"


def grant_issuer_role(data_dir) -> None:
    """The DAO (the user's 5M BTK) passes the user's own request for the role."""
    from vault.chain import client, issuer_role
    from vault.chain.governance import Governance
    from vault.chain.transactions import TxService
    from vault.identity import Identity
    from vault.store.vault_store import VaultStore

    store = VaultStore(data_dir)
    store.unlock(PASSPHRASE)
    chain = client.connect(None, data_dir)
    try:
        service, gov = TxService.for_identity(chain, Identity(store)), Governance(chain)
        send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
        chain.advance(1)
        pass_proposal(chain, service, gov, issuer_role.request_issuer_role(service, gov, USER_ADDRESS))
        assert issuer_role.role_status(chain, USER_ADDRESS)["issuer"]
    finally:
        chain.close()
        store.lock()


def test_issue_and_anchor_from_the_command_line(vault, tmp_path):
    code, _, err = vault("issuer", "profile", "create", "Riverside", "--url", "https://riverside.example",
                         "--anchor-account", USER_ADDRESS)
    assert code == 0, err
    assert vault("issuer", "achievement", "add", "Python basics", "--profile", "Riverside")[0] == 0
    issue = ("issue", "--profile", "Riverside", "--achievement", "Python basics", "--anchor", "--yes")

    code, _, err = vault(*issue, "--to", LEARNER)
    assert code != 0 and "does not hold the issuer role" in err and "Request the issuer role" in err
    code, _, err = vault(*issue, "--to", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    assert code != 0 and "--holder ADDRESS" in err
    assert vault("issuer", "log")[1] == []             # nothing was issued by the refusals

    grant_issuer_role(vault.data)
    out = tmp_path / "badge.json"
    code, text, err = vault(*issue, "--to", LEARNER, "--out", str(out), json_out=False)
    assert code == 0, err
    assert "issuance fee 1 BTK, paid by " + USER_ADDRESS in err and "(fee 1 BTK)" in err   # the preview
    assert "Anchored as token 1" in err and "Issued 1 credential(s)" in err
    (logged,) = vault("issuer", "log")[1]
    assert logged["anchored"] and logged["anchor_token_id"] == 1
    code, status, _ = vault("soulbound", "status", "--file", str(out), passphrase=False)
    assert status["status"] == "anchored"
