"""vault.anchoring.sync, the one way the command line and the app learn what is anchored:
it reads the vault's accounts' tokens, never the chain once per stored credential; a
token's URI brings into the vault only the very credential its hash anchors, verified."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS, count_calls
from tests.chain.test_flow_soulbound import CREDENTIAL, FIXTURES, OTHER, issuer  # noqa: F401 - the fixture
from vault.anchoring import hashing, holder, sync, token_uri, writes
from vault.chain import soulbound
from vault.chain.staking import send_all
from vault.credentials.repository import CredentialRepository
from vault.credentials.service import CredentialService

THIRD = FIXTURES / "jwt-vc" / "valid-02-es256k.jwt"


def test_sync_reads_the_accounts_tokens_not_each_stored_credential(chain, user, issuer):
    address, issuer_service = issuer
    send_all(issuer_service, writes.issue_requests(issuer_service, address, USER_ADDRESS, CREDENTIAL.read_bytes()))
    service = CredentialService(user.store)
    for path in (CREDENTIAL, OTHER):
        service.import_bytes(path.read_bytes())
    accounts = [a.address for a in user.accounts()]

    calls = count_calls(chain)
    report = holder.holder_report(chain, user.store, accounts)
    assert calls.count("eth_call") == len(accounts) + 1   # tokensOf each account, then the one token
    assert sorted(c["status"] for c in report["credentials"]) == ["anchored", "not-anchored"]

    service.import_bytes(THIRD.read_bytes())           # one more stored credential: not one more call
    calls.clear()
    view_chain_id, states, issuers = holder.holder_view(chain, user.store, accounts)
    reads = calls.count("eth_call") - 2 * len(accounts)   # is_issuer: the role, then hasRole, per account
    assert reads == len(accounts) + 1 and view_chain_id == chain.chain_id and issuers == []
    anchored = CredentialRepository(user.store).get(report["tokens"][0]["credential_id"])
    assert list(states) == [anchored.id] and states[anchored.id].status == "anchored"


def test_a_token_uri_carrying_another_credential_is_not_imported(chain, user, issuer):
    """A hostile issuer anchors one credential's hash but puts another credential in the
    token URI, hoping the holder's wallet files it: it is refused, the vault unchanged."""
    address, issuer_service = issuer
    anchored, smuggled = CREDENTIAL.read_bytes(), OTHER.read_bytes()
    send_all(issuer_service, soulbound.issue_requests(issuer_service, address, USER_ADDRESS,
                                                      hashing.credential_hash(anchored),
                                                      uri=token_uri.data_uri(smuggled)))
    result = sync.sync(chain, user.store, [USER_ADDRESS], import_carried=True)
    (token,) = result.tokens
    assert token["import_error"] == "the token URI's credential does not match the anchored hash"
    assert not token["imported"] and token["credential_id"] is None
    assert CredentialRepository(user.store).count() == 0 and result.states == {}


def test_a_token_carrying_a_forged_credential_is_not_imported(chain, user, issuer):
    """The hash matches the URI's bytes, but those bytes are a tampered credential: it is
    verified like any import and refused with the reason; nothing is stored."""
    address, issuer_service = issuer
    original = CREDENTIAL.read_bytes().strip()
    forged = original[:-6] + (b"AAAAAA" if not original.endswith(b"AAAAAA") else b"BBBBBB")
    send_all(issuer_service, writes.issue_requests(issuer_service, address, USER_ADDRESS, forged))
    report = holder.holder_report(chain, user.store, [USER_ADDRESS])
    (token,) = report["tokens"]
    assert not token["imported"] and "signature" in token["import_error"].lower()
    assert report["credentials"] == [] and CredentialRepository(user.store).count() == 0
    # Left out of the import, the holder can still see the token itself.
    assert token["credential_hash"] == hashing.hash_hex(forged) and token["holder"] == USER_ADDRESS


def test_credential_bytes_where_the_contract_takes_a_hash_are_refused(chain, issuer):
    """chain.soulbound speaks the contract's terms: passing a credential's bytes (the old
    signature) fails before anything is built or sent."""
    address, issuer_service = issuer
    before = chain.nonce(address)
    with pytest.raises(ValueError, match="32 bytes"):
        soulbound.issue_requests(issuer_service, address, USER_ADDRESS, CREDENTIAL.read_bytes())
    with pytest.raises(ValueError, match="32 bytes"):
        soulbound.revoke_request(issuer_service, address, credential_hash=CREDENTIAL.read_bytes())
    assert chain.nonce(address) == before


# ---- command line: `credential verify` asks the chain through vault.anchoring ----------

from tests.chain.test_chain_cli import run  # noqa: E402,F401 - the CLI fixture


def test_cli_verify_asks_the_data_folders_chain(run):
    code, out, _ = run("credential", "verify", str(CREDENTIAL), passphrase=False)   # it uses a chain: asked
    assert code == 0 and out["anchor"] == "not anchored on chain"
    code, out, _ = run("credential", "verify", str(CREDENTIAL), "--no-chain", passphrase=False)
    assert code == 0 and "anchor" not in out


def test_anchored_kinds_name_the_on_chain_issuer_and_type_and_drop_revoked(chain, user, issuer):
    """What the marketplace's gate picker offers: the vault's anchored credentials' kinds,
    by the account that anchored them (the address the contract checks), not the DID that
    signed; once per kind; the generic type and revoked credentials are not offered (no
    bidder could pass that gate with them)."""
    address, issuer_service = issuer
    service = CredentialService(user.store)
    ids = []
    for path in (CREDENTIAL, OTHER):   # two Open Badges
        ids.append(service.import_bytes(path.read_bytes()).summary.id)
        send_all(issuer_service, writes.issue_requests(issuer_service, address, USER_ADDRESS, path.read_bytes()))
    sync.sync(chain, user.store, [USER_ADDRESS])
    badge = {"issuer": address, "type": "OpenBadgeCredential", "title": "Introduction to Programming (Python)"}
    assert holder.anchored_kinds(user.store, chain.chain_id) == [badge]
    assert holder.anchored_kinds(user.store, chain.chain_id + 1) == []          # another network: nothing

    for path, cid, left in ((OTHER, ids[1], [badge]), (CREDENTIAL, ids[0], [])):
        issuer_service.send(writes.revoke_request(issuer_service, address, original=path.read_bytes()))
        assert sync.check(chain, user.store, cid).status == "revoked"
        assert holder.anchored_kinds(user.store, chain.chain_id) == left
