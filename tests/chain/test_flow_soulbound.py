"""Soulbound credentials: an issuer anchors a credential to a holder, the holder's vault
finds and imports it, a verifier sees it anchored, the issuer revokes it, the verifier
sees it revoked; a non-issuer is refused with the cause."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chain.conftest import ANVIL_KEY_0, USER_ADDRESS
from vault.anchoring import hashing, holder, sync, token_uri, verify, writes
from vault.anchoring import store as anchors
from vault.chain.transactions import TxService
from vault.credentials.repository import CredentialRepository
from vault.did import did_pkh
from vault.errors import ChainError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interop"
CREDENTIAL = FIXTURES / "jwt-vc" / "valid-01-eddsa.jwt"
OTHER = FIXTURES / "di-eddsa-rdfc-2022" / "valid-01-open-badge.json"


@pytest.fixture
def issuer(backend, chain, user):
    """(address, TxService signing as the issuer) for the backend's issuer account."""
    from eth_account import Account

    from vault.chain.embedded import dev_key

    key = dev_key("issuer") if backend == "embedded" else ANVIL_KEY_0
    address = Account.from_key(key).address
    return address, TxService(chain, user.store, lambda _address: key)


def test_hash_and_data_uri():
    import json

    import rfc8785
    from eth_utils import keccak

    original = CREDENTIAL.read_bytes()
    assert hashing.credential_hash(original) == keccak(original.strip())
    # JSON: the JCS form, as a presentation re-serialises the credential it embeds.
    document = json.loads(OTHER.read_bytes())
    jcs = hashing.credential_hash(OTHER.read_bytes())
    assert jcs == keccak(rfc8785.dumps(document))
    assert hashing.credential_hash(json.dumps(document, indent=4, sort_keys=True).encode()) == jcs
    document["name"] = "Changed"
    assert hashing.credential_hash(json.dumps(document).encode()) != jcs
    # SD-JWT: the issuer-signed JWT, whatever the disclosures and key binding shown.
    assert hashing.credential_hash(b"aaa.bbb.ccc~d1~d2~") == hashing.credential_hash(b"aaa.bbb.ccc~d2~kb.jwt.x")
    assert hashing.credential_hash(b"aaa.bbb.ccc~d1~") == keccak(b"aaa.bbb.ccc")
    uri = token_uri.data_uri(original)
    assert uri.startswith("data:application/vc+jwt;base64,")
    assert token_uri.decode_data_uri(uri) == original
    assert token_uri.decode_data_uri("data:text/plain,a%20b") == b"a b"
    assert token_uri.decode_data_uri("https://example.org/c") is None


def test_anchor_verify_revoke(chain, user, service, issuer):
    address, issuer_service = issuer
    original = CREDENTIAL.read_bytes()
    assert verify.anchor_status(chain, original) == "not-anchored"

    requests = writes.issue_requests(issuer_service, address, did_pkh.from_address(USER_ADDRESS), original)
    kinds = [r.kind for r in requests]
    assert kinds[-1] == "soulbound-issue" and set(kinds[:-1]) <= {"btk-approve"}
    from vault.chain.staking import send_all

    records = send_all(issuer_service, requests)
    issued = [e for e in records[-1].events if e["event"] == "CredentialIssued"]
    assert issued and issued[0]["args"]["holder"] == USER_ADDRESS
    token_id = int(issued[0]["args"]["tokenId"])

    # The verifier: the credential check itself reports the anchor.
    from vault.credentials.verify import VerificationContext, check
    asking = VerificationContext(anchor_status=verify.anchor_check_on(chain))
    verdict = check(original, asking).verdict
    assert verdict.valid and verdict.anchor == "anchored on chain, not revoked"
    assert verify.anchor_status(chain, original) == "anchored"
    assert verify.anchor_sentence("anchored") == "anchored on chain, not revoked"
    assert verify.anchor_status(chain, original + b"\n") == "anchored"       # the token, not the file's newline
    assert verify.anchor_status(chain, original[:-2] + b"AA") == "not-anchored"   # another signature
    with pytest.raises(ChainError) as info:
        writes.issue_requests(issuer_service, address, USER_ADDRESS, original)
    assert info.value.reason == "already-anchored"

    # The holder's vault finds the token and imports the credential it carries.
    view = holder.holder_report(chain, user.store, [a.address for a in user.accounts()])
    assert [t["token_id"] for t in view["tokens"]] == [token_id]
    token = view["tokens"][0]
    assert token["imported"] and token["import_error"] is None and token["issuer"] == address
    repo = CredentialRepository(user.store)
    assert repo.original(token["credential_id"]) == original
    assert view["credentials"] == [{"id": token["credential_id"], "title": repo.get(token["credential_id"]).title,
                                    "status": "anchored", "token_id": token_id}]
    # A second scan imports nothing new.
    assert not holder.holder_report(chain, user.store, [a.address for a in user.accounts()])["tokens"][0]["imported"]

    # Only its issuer may revoke it.
    with pytest.raises(ChainError) as info:
        writes.revoke_request(service, USER_ADDRESS, original=original)
    assert info.value.reason == "not-credential-issuer"
    issuer_service.send(issuer_service.preview(writes.revoke_request(issuer_service, address, original=original)))
    assert verify.anchor_status(chain, original) == "revoked"
    assert verify.anchor_sentence("revoked") == "revoked on chain"
    verdict = check(original, asking).verdict
    assert (verdict.valid, verdict.reason.value, verdict.anchor) == (False, "revoked", "revoked on chain")
    view = holder.holder_report(chain, user.store, [a.address for a in user.accounts()])
    assert view["tokens"][0]["revoked"] and view["credentials"][0]["status"] == "revoked"
    with pytest.raises(ChainError) as info:
        writes.revoke_request(issuer_service, address, token_id=token_id)
    assert info.value.reason == "already-revoked"


def test_non_issuer_is_refused_with_the_cause(chain, service):
    original = OTHER.read_bytes()
    with pytest.raises(ChainError) as info:
        writes.issue_requests(service, USER_ADDRESS, USER_ADDRESS, original)
    assert info.value.reason == "not-issuer" and "issuer role" in str(info.value)
    # Past the vault's own check, the contract refuses too, and the reason is decoded.
    sbt = chain.contracts.soulbound
    request = service.contract_call("soulbound-issue", sbt, "issue",
                                    [USER_ADDRESS, hashing.credential_hash(original), ""], USER_ADDRESS)
    with pytest.raises(ChainError) as info:
        service.preview(request)
    assert info.value.reason == "reverted" and "lacks the role" in str(info.value)


def test_could_not_check_is_said_plainly():
    def unreachable():
        raise ChainError("node-unreachable", "Cannot reach the node at http://127.0.0.1:9.")

    status, sentence = verify.try_anchor_status(unreachable, b"x")
    assert status is None and sentence.startswith("could not check the chain") and "Cannot reach" in sentence


# ---- command line (embedded chain) ------------------------------------------------------

from tests.chain.test_chain_cli import run, vault  # noqa: E402,F401 - the CLI fixtures


def test_cli_issue_refused_status_and_scan(vault):
    code, out, err = vault("soulbound", "issue", "--holder", USER_ADDRESS, "--file", str(CREDENTIAL), "--yes")
    assert code == 1 and "does not hold the issuer role" in err
    code, out, _ = vault("soulbound", "status", "--file", str(CREDENTIAL), passphrase=False)
    assert code == 0 and out["status"] == "not-anchored" and out["message"] == "not anchored on chain"
    code, view, _ = vault("soulbound", "status")
    assert code == 0 and view == {"tokens": [], "credentials": []}

    # The demo issuer anchors the credential, carried in its token URI, to the vault's account.
    from vault.chain import client
    from vault.chain.embedded import dev_key

    original = CREDENTIAL.read_bytes()
    with client.connect(None, vault.data) as chain:
        sbt, token = chain.contracts.soulbound, chain.contracts.token
        chain.transact(dev_key("issuer"), {"to": token.address, "data": token.encode_abi(
            "approve", [sbt.address, sbt.functions.issuanceFee().call()])})
        chain.transact(dev_key("issuer"), {"to": sbt.address, "data": sbt.encode_abi(
            "issue", [USER_ADDRESS, hashing.credential_hash(original), token_uri.data_uri(original)])})
    code, view, _ = vault("soulbound", "status")
    assert view["tokens"][0]["imported"] and view["credentials"][0]["status"] == "anchored"
    code, text, _ = vault("soulbound", "status", json_out=False)
    assert "anchored on chain, not revoked" in text and "anchored: 1, revoked: 0" in text
    code, out, _ = vault("soulbound", "status", "--credential", view["credentials"][0]["id"][:12])
    assert out["status"] == "anchored" and out["message"] == "anchored on chain, not revoked"
    code, out, err = vault("soulbound", "revoke", "--credential", view["credentials"][0]["id"], "--yes")
    assert code == 1 and "did not issue credential token 1" in err


def test_an_unreachable_chain_is_said_plainly_not_failed():
    from vault.credentials.verify import VerificationContext, check

    def unreachable():
        raise ChainError("node-unreachable", "The node at http://127.0.0.1:9 does not answer.")
    context = VerificationContext(anchor_status=lambda b: verify.try_anchor_status(unreachable, b))
    verdict = check(CREDENTIAL.read_bytes(), context).verdict
    assert verdict.valid and verdict.anchor.startswith("could not check the chain")
    assert "anchor-unchecked" in [w.code.value for w in verdict.warnings]


def test_anchor_states_are_kept_for_the_cards(chain, user, issuer):
    """The holder's vault learns its credentials' anchors from its own accounts' tokens,
    keeps them per chain (cards read them offline) and follows a revocation."""
    from vault.chain.staking import send_all
    from vault.credentials.service import CredentialService

    address, issuer_service = issuer
    original = CREDENTIAL.read_bytes()
    stored = CredentialService(user.store).import_bytes(original).summary
    other = CredentialService(user.store).import_bytes(OTHER.read_bytes()).summary
    assert sync.sync(chain, user.store, [USER_ADDRESS]).states == {}
    assert sync.check(chain, user.store, stored.id) is None

    send_all(issuer_service, writes.issue_requests(issuer_service, address, USER_ADDRESS, original))
    known = sync.sync(chain, user.store, [USER_ADDRESS]).states
    assert set(known) == {stored.id}                      # the other credential is not anchored
    state = known[stored.id]
    assert state.status == "anchored" and state.holder == USER_ADDRESS and state.issuer == address
    assert state.sentence == "anchored on chain, not revoked"
    assert anchors.states(user.store, chain.chain_id + 1) == {}   # another network knows nothing
    assert anchors.state_of(user.store, chain.chain_id, other.id) is None

    issuer_service.send(writes.revoke_request(issuer_service, address, original=original))
    assert anchors.states(user.store, chain.chain_id)[stored.id].status == "anchored"  # until asked
    revoked = sync.check(chain, user.store, stored.id)
    assert revoked.status == "revoked" and revoked.revoked_at is not None
    assert anchors.states(user.store, chain.chain_id)[stored.id].sentence == "revoked on chain"
