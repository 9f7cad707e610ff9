"""SoulboundCredential: issue, look up, revoke; every transfer and approval reverts."""

import pytest
from eth_utils import keccak

from tests.contracts.harness import BTK, ZERO, reverts

ERC165 = bytes.fromhex("01ffc9a7")
ERC721 = bytes.fromhex("80ac58cd")
ERC721_METADATA = bytes.fromhex("5b5e139f")
ERC5192 = bytes.fromhex("b45a3c0e")
ACCESS_CONTROL = bytes.fromhex("7965db0b")
FEE = 1 * BTK


def credential_hash(text: str) -> bytes:
    return keccak(text=text)


def issue(suite, holder, text="diploma", uri="ipfs://diploma", issuer=None):
    issuer = issuer or suite.a["issuer"]
    suite.send(suite.token.functions.approve(suite.soulbound.address, FEE), issuer)
    receipt = suite.send(suite.soulbound.functions.issue(holder, credential_hash(text), uri), issuer)
    (event,) = suite.events(suite.soulbound, "CredentialIssued", receipt)
    return event.args.tokenId, receipt


@pytest.fixture
def gov_soulbound(suite, a):
    """A soulbound contract administered by an EOA standing in for the timelock, fee 0."""
    return suite.deploy("SoulboundCredential", suite.token.address, a["gov"], 0, [a["issuer"]])


def test_issue_anchors_the_credential_and_charges_the_fee(suite, a):
    sb = suite.soulbound.functions
    treasury_before = suite.token.functions.balanceOf(suite.timelock.address).call()
    token_id, receipt = issue(suite, a["bob"], "Bachelor of Science", "ipfs://bafy-bsc")
    assert token_id == 1 and sb.totalIssued().call() == 1
    (event,) = suite.events(suite.soulbound, "CredentialIssued", receipt)
    assert (event.args.holder, event.args.issuer, event.args.fee) == (a["bob"], a["issuer"], FEE)
    assert suite.events(suite.soulbound, "Locked", receipt)[0].args.tokenId == token_id
    assert suite.token.functions.balanceOf(suite.timelock.address).call() == treasury_before + FEE

    h = credential_hash("Bachelor of Science")
    assert sb.tokenOfCredential(h).call() == [token_id, a["bob"], False]
    assert sb.isValid(h).call()
    assert sb.tokenOfCredential(credential_hash("unknown")).call() == [0, ZERO, False]
    assert not sb.isValid(credential_hash("unknown")).call()
    assert sb.ownerOf(token_id).call() == a["bob"]
    assert sb.balanceOf(a["bob"]).call() == 1
    assert sb.tokenURI(token_id).call() == "ipfs://bafy-bsc"
    holder, record = sb.credential(token_id).call()
    assert holder == a["bob"]
    assert record[0] == h and record[1] == a["issuer"] and record[3] is False and record[5] == "ipfs://bafy-bsc"
    assert sb.locked(token_id).call() is True

    second, _ = issue(suite, a["bob"], "Course: Solidity 101", "ipfs://course")
    assert sb.tokensOf(a["bob"]).call() == [token_id, second]
    assert sb.tokensOf(a["carol"]).call() == []


def test_interfaces(suite):
    sb = suite.soulbound.functions
    for interface in (ERC165, ERC721, ERC721_METADATA, ERC5192, ACCESS_CONTROL):
        assert sb.supportsInterface(interface).call(), interface.hex()
    assert not sb.supportsInterface(bytes.fromhex("ffffffff")).call()
    assert sb.name().call() == "Blocktrack Credential"
    assert sb.symbol().call() == "BTKC"


def test_every_way_of_moving_a_token_reverts(suite, a):
    sb = suite.soulbound.functions
    token_id, _ = issue(suite, a["bob"])
    bob, carol = a["bob"], a["carol"]
    with reverts("Soulbound"):
        suite.send(sb.transferFrom(bob, carol, token_id), bob)
    with reverts("Soulbound"):
        suite.send(sb.safeTransferFrom(bob, carol, token_id), bob)
    with reverts("Soulbound"):
        suite.send(sb.safeTransferFrom(bob, carol, token_id, b"data"), bob)
    with reverts("Soulbound"):  # approve-then-transfer: the approval itself is refused
        suite.send(sb.approve(carol, token_id), bob)
    with reverts("Soulbound"):
        suite.send(sb.setApprovalForAll(carol, True), bob)
    with reverts("Soulbound"):  # a stranger gets the same answer
        suite.send(sb.transferFrom(bob, carol, token_id), a["mallory"])
    with reverts("Soulbound"):  # and so does the issuer
        suite.send(sb.transferFrom(bob, a["issuer"], token_id), a["issuer"])
    assert sb.ownerOf(token_id).call() == bob
    assert sb.getApproved(token_id).call() == ZERO
    assert not sb.isApprovedForAll(bob, carol).call()


def test_revoke_by_issuer_and_by_governance(suite, a):
    sb = suite.soulbound.functions
    token_id, _ = issue(suite, a["bob"], "badge")
    with reverts("NotCredentialIssuer", token_id, a["mallory"]):
        suite.send(sb.revoke(token_id), a["mallory"])
    with reverts("NotCredentialIssuer", token_id, a["bob"]):  # not even the holder
        suite.send(sb.revoke(token_id), a["bob"])
    receipt = suite.send(sb.revoke(token_id), a["issuer"])
    (event,) = suite.events(suite.soulbound, "CredentialRevoked", receipt)
    assert (event.args.tokenId, event.args.revokedBy) == (token_id, a["issuer"])
    assert sb.tokenOfCredential(credential_hash("badge")).call() == [token_id, a["bob"], True]
    assert not sb.isValid(credential_hash("badge")).call()
    assert sb.ownerOf(token_id).call() == a["bob"]  # the record stays
    assert sb.locked(token_id).call() is True
    with reverts("AlreadyRevoked", token_id):
        suite.send(sb.revoke(token_id), a["issuer"])
    # Governance may revoke any credential.
    other, _ = issue(suite, a["carol"], "certificate")
    suite.govern([(suite.soulbound, "revoke", [other])], "Revoke a fraudulent certificate")
    assert sb.tokenOfCredential(credential_hash("certificate")).call()[2] is True


def test_an_issuer_that_lost_its_role_can_neither_issue_nor_revoke(suite, a, gov_soulbound):
    sb = gov_soulbound.functions
    issuer_role = sb.ISSUER_ROLE().call()
    suite.send(sb.issue(a["bob"], credential_hash("x"), ""), a["issuer"])
    suite.send(sb.revokeRole(issuer_role, a["issuer"]), a["gov"])
    with reverts("AccessControlUnauthorizedAccount", a["issuer"], issuer_role):
        suite.send(sb.issue(a["bob"], credential_hash("y"), ""), a["issuer"])
    with reverts("NotCredentialIssuer", 1, a["issuer"]):
        suite.send(sb.revoke(1), a["issuer"])
    suite.send(sb.revoke(1), a["gov"])


def test_issue_errors(suite, a):
    sb = suite.soulbound.functions
    issuer = a["issuer"]
    issuer_role = sb.ISSUER_ROLE().call()
    with reverts("AccessControlUnauthorizedAccount", a["mallory"], issuer_role):
        suite.send(sb.issue(a["mallory"], credential_hash("fake"), ""), a["mallory"])
    with reverts("EmptyCredentialHash"):
        suite.send(sb.issue(a["bob"], b"\0" * 32, ""), issuer)
    with reverts("ERC20InsufficientAllowance", suite.soulbound.address, 0, FEE):  # fee not approved
        suite.send(sb.issue(a["bob"], credential_hash("a"), ""), issuer)
    suite.send(suite.token.functions.approve(suite.soulbound.address, 10 * FEE), issuer)
    with reverts("ERC721InvalidReceiver", ZERO):
        suite.send(sb.issue(ZERO, credential_hash("a"), ""), issuer)
    suite.send(sb.issue(a["bob"], credential_hash("a"), ""), issuer)
    with reverts("CredentialAlreadyAnchored", credential_hash("a"), 1):
        suite.send(sb.issue(a["carol"], credential_hash("a"), ""), issuer)
    for view in (sb.locked, sb.tokenURI, sb.ownerOf, sb.credential):
        with reverts("ERC721NonexistentToken", 42):
            view(42).call()
    with reverts("ERC721NonexistentToken", 42):
        suite.send(sb.revoke(42), issuer)


def test_governance_sets_the_fee_and_the_treasury(suite, a, gov_soulbound):
    sb = gov_soulbound.functions
    suite.send(sb.issue(a["bob"], credential_hash("free"), ""), a["issuer"])  # fee 0: no approval needed
    receipt = suite.send(sb.setIssuanceFee(5 * BTK), a["gov"])
    assert suite.events(gov_soulbound, "IssuanceFeeChanged", receipt)[0].args.newFee == 5 * BTK
    suite.send(sb.setTreasury(a["carol"]), a["gov"])
    suite.send(suite.token.functions.approve(gov_soulbound.address, 5 * BTK), a["issuer"])
    before = suite.token.functions.balanceOf(a["carol"]).call()
    suite.send(sb.issue(a["bob"], credential_hash("paid"), ""), a["issuer"])
    assert suite.token.functions.balanceOf(a["carol"]).call() == before + 5 * BTK
    with reverts("ZeroAddress"):
        suite.send(sb.setTreasury(ZERO), a["gov"])
    admin = sb.DEFAULT_ADMIN_ROLE().call()
    with reverts("AccessControlUnauthorizedAccount", a["issuer"], admin):
        suite.send(sb.setTreasury(a["issuer"]), a["issuer"])
    with reverts("AccessControlUnauthorizedAccount", a["issuer"], admin):
        suite.send(sb.grantRole(sb.ISSUER_ROLE().call(), a["mallory"]), a["issuer"])
    with reverts("ZeroAddress"):
        suite.deploy("SoulboundCredential", suite.token.address, ZERO, 0, [])
    with reverts("ZeroAddress"):
        suite.deploy("SoulboundCredential", suite.token.address, a["gov"], 0, [ZERO])


def test_governance_fee_change_through_the_timelock(suite, a):
    suite.govern([(suite.soulbound, "setIssuanceFee", [0])], "Free credential anchoring")
    assert suite.soulbound.functions.issuanceFee().call() == 0
    before = suite.token.functions.balanceOf(a["issuer"]).call()
    suite.send(suite.soulbound.functions.issue(a["bob"], credential_hash("free"), ""), a["issuer"])
    assert suite.token.functions.balanceOf(a["issuer"]).call() == before
