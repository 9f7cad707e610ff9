"""What the vault issues, verified by other implementations (tests/node/issued.mjs):
Digital Bazaar's ``vc`` with ``vc-bitstring-status-list`` for both Data Integrity formats
and the status lists (a revoked credential reads as revoked there too), and
``@sd-jwt/sd-jwt-vc`` for the SD-JWT VC.

Attacks, as the peers see them: a status list with the revoked bit flipped back, a list
signed by another profile of the same vault, an SD-JWT with a disclosure changed."""

import base64
import json
import os
import subprocess

import pytest

from node import NODE_DIR, require_node
from vault.credentials.bitstring import decode_status_list, encode_status_list
from vault.issuing.issuer import Evidence, Issuer, IssueOptions

SCRIPT = NODE_DIR / "issued.mjs"
PACKAGES = ("@digitalbazaar/vc-bitstring-status-list", "@sd-jwt/sd-jwt-vc")


def peers(requests: list[dict]) -> list[dict]:
    require_node()
    missing = [p for p in PACKAGES if not (NODE_DIR / "node_modules" / p).is_dir()]
    if missing:
        reason = f"{', '.join(missing)} not installed (npm ci --prefix tests/node)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    done = subprocess.run(["node", str(SCRIPT)], input=json.dumps({"batch": requests}), cwd=NODE_DIR,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["results"]


@pytest.fixture
def issued(identity):
    issuer = Issuer(identity)
    profile = issuer.profiles.create("Code Club", url="https://codeclub.example")
    achievement = issuer.profiles.add_achievement(
        profile.id, "First PR", description="Opened a first pull request", criteria="A merged PR",
        alignment=[{"targetName": "Git", "targetUrl": "https://skills.example/git"}])
    holder = identity.default_did().did
    options = IssueOptions(note="Cohort 7", evidence=(Evidence(url="https://git.example/pr/1", narrative="PR"),))
    records = {fmt: issuer.issue(profile.id, achievement.id, holder, fmt=fmt, options=options)
               for fmt in ("di", "jcs", "sd-jwt")}
    return issuer, profile, records


def lists_of(issuer, profile) -> dict:
    return {profile.status_list_url(p): json.loads(issuer.lists.signed(profile, p))
            for p in ("revocation", "suspension")}


def di_request(record, lists) -> dict:
    return {"kind": "di", "document": json.loads(record.content), "lists": lists}


def revoked(result) -> bool:
    return {s["purpose"]: s["set"] for s in result["status"]}["revocation"]


def test_digital_bazaar_verifies_both_formats_with_their_status_and_reads_the_revoked_one(issued):
    issuer, profile, records = issued
    issuer.revoke(records["jcs"].id)
    lists = lists_of(issuer, profile)
    di, jcs = peers([di_request(records["di"], lists), di_request(records["jcs"], lists)])
    assert di["verified"] and jcs["verified"], (di, jcs)
    assert not revoked(di) and {s["index"] for s in di["status"]} == {records["di"].status_index}
    assert revoked(jcs) and {s["index"] for s in jcs["status"]} == {records["jcs"].status_index}
    issuer.suspend(records["di"].id)
    (di,) = peers([di_request(records["di"], lists_of(issuer, profile))])
    assert di["verified"] and {s["purpose"]: s["set"] for s in di["status"]} == {"revocation": False,
                                                                                  "suspension": True}


def test_digital_bazaar_refuses_a_tampered_list_and_another_profiles_list(identity, issued):
    issuer, profile, records = issued
    issuer.revoke(records["di"].id)
    lists = lists_of(issuer, profile)
    url = profile.status_list_url("revocation")
    tampered = json.loads(json.dumps(lists))
    # The revoked bit cleared, the proof kept: the list no longer verifies.
    bits = bytearray(decode_status_list(tampered[url]["credentialSubject"]["encodedList"]))
    index = records["di"].status_index
    bits[index >> 3] &= ~(0x80 >> (index & 7))
    tampered[url]["credentialSubject"]["encodedList"] = encode_status_list(bytes(bits))
    # A genuine, clean list of another profile served at the URL: its issuer does not match.
    other = issuer.profiles.create("Other School", url="https://other.example")
    issuer.issue(other.id, issuer.profiles.add_achievement(other.id, "X").id, identity.default_did().did)
    swapped = dict(lists, **{url: json.loads(issuer.lists.signed(other, "revocation"))})
    forged, foreign = peers([di_request(records["di"], tampered), di_request(records["di"], swapped)])
    assert not forged["verified"] and any("not verified" in e for e in forged["errors"]), forged
    assert not foreign["verified"] and any("do not match" in e for e in foreign["errors"]), foreign


def test_sd_jwt_vc_verifies_with_the_sd_jwt_library_and_a_changed_disclosure_does_not(issued):
    _, profile, records = issued
    token = records["sd-jwt"].content.decode()
    issuer_jwt, *disclosures = token.split("~")
    changed = []
    for encoded in disclosures:
        if not encoded:
            changed.append(encoded)
            continue
        salt, name, value = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        if name == "achievement":
            value = dict(value, name="PhD in Physics")
        changed.append(base64.urlsafe_b64encode(json.dumps([salt, name, value]).encode()).decode().rstrip("="))
    genuine, forged = peers([{"kind": "sd-jwt-vc", "token": token},
                             {"kind": "sd-jwt-vc", "token": "~".join([issuer_jwt, *changed])}])
    assert genuine["verified"], genuine
    claims = genuine["claims"]
    assert claims["iss"] == profile.did and claims["achievement"]["name"] == "First PR"
    assert claims["evidence"][0]["id"] == "https://git.example/pr/1"
    # The changed disclosure matches no digest the issuer signed: refused, or (as this
    # library does with a disclosure it cannot place) left out; never read as the claim.
    assert not forged["verified"] or "achievement" not in forged["claims"], forged
    assert "PhD" not in json.dumps(forged)
