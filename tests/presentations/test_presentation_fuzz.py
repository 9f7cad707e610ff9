"""Any input, however mangled, gets a PresentationVerdict: never an exception, never the
verifier's own internal-error fallback, and always JSON for the GUI / CLI."""

import json
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vault.credentials import data_integrity, jwt_vc, sd_jwt_vc
from vault.credentials.verdict import Reason
from vault.did import did_key
from vault.presentations import PresentationVerdict, verify_presentation
from vp_fixtures import (CHALLENGE, DOMAIN, NOW, STRANGER_KEY, di_credential, jwt_credential,
                         sd_jwt_credential)

HOLDER_KEY = STRANGER_KEY
HOLDER = did_key.from_ed25519(HOLDER_KEY.public_key().public_bytes_raw())
METHOD = f"{HOLDER}#{HOLDER.split(':')[-1]}"
INTEROP_VP = (Path(__file__).resolve().parents[1] / "fixtures" / "interop" / "di-vp"
              / "valid-01-one-credential.json").read_bytes()
WHEN = NOW + timedelta(minutes=1)


def _our_vp() -> bytes:
    sd = sd_jwt_credential(HOLDER, HOLDER_KEY.public_key()).decode()
    presented = sd_jwt_vc.present(sd, ["email"], holder_key=HOLDER_KEY, nonce=CHALLENGE, audience=DOMAIN,
                                  issued_at=NOW)
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                "holder": HOLDER, "verifiableCredential": [
                    json.loads(di_credential(HOLDER, "eddsa-jcs-2022")),
                    {"@context": "https://www.w3.org/ns/credentials/v2", "type": "EnvelopedVerifiableCredential",
                     "id": f"data:application/dc+sd-jwt,{presented}"}]}
    signed = data_integrity.sign(document, HOLDER_KEY, METHOD, cryptosuite="eddsa-jcs-2022",
                                 purpose="authentication", challenge=CHALLENGE, domain=DOMAIN,
                                 created="2026-03-01T12:00:00Z", expires="2026-03-01T12:10:00Z")
    return json.dumps(signed).encode()


OUR_VP = _our_vp()
JWT_VP = jwt_vc.sign_jwt_vp([jwt_credential(HOLDER).decode()], HOLDER_KEY, kid=METHOD, audience=DOMAIN,
                            nonce=CHALLENGE, now=NOW).encode()
SD_KB = sd_jwt_vc.present(sd_jwt_credential(HOLDER, HOLDER_KEY.public_key()).decode(), ["given_name"],
                          holder_key=HOLDER_KEY, nonce=CHALLENGE, audience=DOMAIN, issued_at=NOW).encode()
SAMPLES = {"interop": (INTEROP_VP, "public-challenge-1", "verifier.example"),
           "di": (OUR_VP, CHALLENGE, DOMAIN), "jwt": (JWT_VP, CHALLENGE, DOMAIN), "sd": (SD_KB, CHALLENGE, DOMAIN)}
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def judged(data, challenge=CHALLENGE, domain=DOMAIN) -> PresentationVerdict:
    verdict = verify_presentation(data, challenge=challenge, domain=domain, now=WHEN)
    assert isinstance(verdict, PresentationVerdict) and isinstance(verdict.reason, Reason)
    assert "internal error" not in verdict.message, verdict.message
    assert verdict.message and verdict.valid == (verdict.reason is Reason.VALID)
    json.dumps(verdict.to_json())
    return verdict


def test_the_samples_are_valid():
    for name, (data, challenge, domain) in SAMPLES.items():
        assert judged(data, challenge, domain).valid, name


@FUZZ
@given(st.sampled_from(sorted(SAMPLES)), st.data())
def test_byte_mutations(name, data):
    original, challenge, domain = SAMPLES[name]
    position = data.draw(st.integers(0, len(original) - 1))
    mode = data.draw(st.sampled_from(["replace", "delete", "insert", "truncate"]))
    byte = bytes([data.draw(st.integers(0, 255))])
    mutated = {"replace": original[:position] + byte + original[position + 1:],
               "delete": original[:position] + original[position + 1:],
               "insert": original[:position] + byte + original[position:],
               "truncate": original[:position]}[mode]
    verdict = judged(mutated, challenge, domain)
    if mode == "truncate" and name != "interop":
        assert not verdict.valid


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


@FUZZ
@given(st.sampled_from(["interop", "di"]), st.data(), JSON_VALUES)
def test_structural_mutations(name, data, value):
    original, challenge, domain = SAMPLES[name]
    document = json.loads(original)
    path = data.draw(st.sampled_from(list(_paths(document))[1:]))
    node = document
    for segment in path[:-1]:
        node = node[segment]
    if data.draw(st.booleans()) and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    judged(json.dumps(document), challenge, domain)


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300),
                 st.text(alphabet="abcXYZ09-_.~{}[]\":,", max_size=200)))
def test_arbitrary_input(data):
    assert not judged(data).valid
