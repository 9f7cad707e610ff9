"""Standing in a presentation (vault.standing): the link an account signs to the holder DID,
carried inside the signed presentation, and the verifier's access policy. Attacks: a link
replayed to another verifier, copied into another holder's presentation, swapped after
signing, signed by a key other than the account's; a policy with a misspelt requirement."""

import json
from datetime import timedelta

import pytest
from eth_account import Account

from vp_fixtures import CHALLENGE, DOMAIN, ISSUER, NOW, di_credential
from vault.presentations import verify_presentation
from vault.standing import link, policy
from vault.standing.check import standing_of

ACCOUNT_KEY = bytes(range(40, 72))
ACCOUNT = Account.from_key(ACCOUNT_KEY).address
OTHER_KEY = bytes(range(80, 112))
CHAIN = 31337


def present(wallet, ids, key=ACCOUNT_KEY, domain=DOMAIN, challenge=CHALLENGE, chain_id=CHAIN):
    return wallet.presentations.present(ids, challenge=challenge, domain=domain, now=NOW,
                                        standing=lambda holder: link.make(key, holder, chain_id, domain, challenge))


def verify(data, *, challenge=CHALLENGE, domain=DOMAIN):
    verdict = verify_presentation(data, challenge=challenge, domain=domain, now=NOW + timedelta(minutes=1))
    return verdict, standing_of(data, verdict, domain=domain, challenge=challenge)


@pytest.fixture
def badge_id(wallet):
    return wallet.store(di_credential(wallet.holder))


def test_a_linked_account_is_proven_and_offline_not_checked(wallet, badge_id):
    p = present(wallet, [badge_id])
    document = json.loads(p.payload)
    assert document["blocktrackStanding"]["account"] == f"did:pkh:eip155:{CHAIN}:{ACCOUNT}"
    verdict, standing = verify(p.data)
    assert verdict.valid, verdict.message
    assert standing["proven"] and standing["account"] == ACCOUNT and standing["chain_id"] == CHAIN
    assert standing["chain"] is None and standing["not_checked"].startswith("offline")


def test_a_presentation_without_standing_has_none(wallet, badge_id):
    p = wallet.presentations.present([badge_id], challenge=CHALLENGE, domain=DOMAIN, now=NOW)
    assert verify(p.data)[1] is None


def test_a_link_replayed_to_another_verifier_is_not_proven(wallet, badge_id):
    """The holder signs a fresh presentation for evil.example but pastes in the link the
    account made for hr.acme.example: the presentation verifies, the standing does not."""
    original = json.loads(present(wallet, [badge_id]).payload)["blocktrackStanding"]
    p = wallet.presentations.present([badge_id], challenge="other-challenge", domain="evil.example", now=NOW,
                                     standing=lambda holder: original)
    verdict, standing = verify(p.data, challenge="other-challenge", domain="evil.example")
    assert verdict.valid
    assert standing["proven"] is False and "not proven" in standing["problem"]


def test_a_link_copied_into_another_holders_presentation_is_not_proven(wallet, badge_id, identity):
    """Mallory (another DID of the vault) copies the account's link, made for the first
    holder, into her own signed presentation for the same request."""
    original = json.loads(present(wallet, [badge_id]).payload)["blocktrackStanding"]
    mallory = identity.create_did("key", "mallory").did
    other = wallet.store(di_credential(mallory))
    p = wallet.presentations.present([other], challenge=CHALLENGE, domain=DOMAIN, now=NOW,
                                     standing=lambda holder: original)
    verdict, standing = verify(p.data)
    assert verdict.valid and verdict.holder == mallory
    assert standing["proven"] is False


def test_an_account_swapped_after_signing_breaks_the_presentation(wallet, badge_id):
    document = json.loads(present(wallet, [badge_id]).payload)
    document["blocktrackStanding"] = link.make(OTHER_KEY, wallet.holder, CHAIN, DOMAIN, CHALLENGE)
    verdict, standing = verify(json.dumps(document).encode())
    assert not verdict.valid
    assert standing["proven"] is False and "did not verify" in standing["problem"]


def test_a_link_signed_by_another_key_than_the_account_named_is_not_proven(wallet, badge_id):
    def forged(holder):
        made = link.make(OTHER_KEY, holder, CHAIN, DOMAIN, CHALLENGE)
        return made | {"account": f"did:pkh:eip155:{CHAIN}:{ACCOUNT}"}  # claims someone else's bond
    p = wallet.presentations.present([badge_id], challenge=CHALLENGE, domain=DOMAIN, now=NOW, standing=forged)
    verdict, standing = verify(p.data)
    assert verdict.valid and standing["proven"] is False


@pytest.mark.parametrize("bad", [{"account": "0x12", "signature": "0x"}, {"account": 5}, "text",
                                 {"account": f"did:pkh:eip155:{CHAIN}:{ACCOUNT}", "signature": "0xzz"}])
def test_a_malformed_standing_is_not_proven_and_never_crashes(wallet, badge_id, bad):
    p = wallet.presentations.present([badge_id], challenge=CHALLENGE, domain=DOMAIN, now=NOW,
                                     standing=lambda holder: bad)
    verdict, standing = verify(p.data)
    assert standing["proven"] is False and standing["problem"]


def test_the_policy_says_which_requirements_are_met(wallet, badge_id):
    p = present(wallet, [badge_id])
    verdict, standing = verify(p.data)
    document = json.loads(p.payload)
    rules = policy.parse(json.dumps({"name": "Screening", "min_bond": "100", "min_trust_score": 20,
                                     "required_credential_types": ["OpenBadgeCredential", "UniversityDegree"],
                                     "trusted_issuers": [ISSUER]}))
    offline = policy.evaluate(rules, verdict, policy.credentials_of(document, verdict), standing)
    met = {r["requirement"]: r["met"] for r in offline.requirements}
    assert met == {"credentials from trusted issuers": True, "a OpenBadgeCredential": True,
                   "a UniversityDegree": False, "bond of at least 100 BTK": None, "trust score of at least 20": None}
    assert offline.outcome == "does not meet"
    # The chain's reading (as check.standing_of gives it when connected).
    online = standing | {"chain": {"bonded": "500", "staked": "0", "score": 35}, "not_checked": None}
    rules = policy.parse(json.dumps({"min_bond": "100", "min_stake": "1", "min_trust_score": 30}))
    judged = policy.evaluate(rules, verdict, policy.credentials_of(document, verdict), online)
    assert [r["met"] for r in judged.requirements] == [True, False, True]
    assert "500 BTK bonded" in judged.requirements[0]["detail"]
    untrusted = policy.parse(json.dumps({"trusted_issuers": ["did:key:z6MkSomeoneElse"],
                                         "required_credential_types": ["OpenBadgeCredential"]}))
    assert policy.evaluate(untrusted, verdict, policy.credentials_of(document, verdict), standing).outcome \
        == "does not meet"


def test_a_bond_requirement_without_standing_is_not_met(wallet, badge_id):
    p = wallet.presentations.present([badge_id], challenge=CHALLENGE, domain=DOMAIN, now=NOW)
    verdict, standing = verify(p.data)
    judged = policy.evaluate(policy.parse('{"min_bond": "1"}'), verdict, [], standing)
    assert judged.requirements[0]["met"] is False and judged.outcome == "does not meet"


@pytest.mark.parametrize("raw, words", [
    ('{"min_bonds": "100"}', "does not know: min_bonds"),
    ('{"min_bond": "lots"}', "amount of BTK"),
    ('{"min_bond": "-1"}', "zero or more"),
    ('{"min_trust_score": 101}', "0 to 100"),
    ('{"required_credential_types": "Degree"}', "list of non-empty strings"),
    ('[1]', "one JSON object"),
    ('not json', "not JSON"),
])
def test_a_bad_policy_file_is_refused_with_a_sentence(raw, words):
    with pytest.raises(policy.PolicyError) as info:
        policy.parse(raw)
    assert words in str(info.value)
