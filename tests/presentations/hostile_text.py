"""A credential whose every string is an attack on whoever shows it (no tests here):
HTML for Qt's rich-text guess, bidi controls that reorder the line, a line break and an
escape sequence for the terminal. Signed by the test issuer (vp_fixtures), so it imports
as valid: what it says is the issuer's own words, and a hostile issuer chooses them."""

import json

from tests.presentations.vp_fixtures import ISSUER, ISSUER_KEY, ISSUER_METHOD, badge
from vault.credentials import data_integrity

PAYLOAD = "<b>X</b><a href=x>link</a><img src=x>"
# Every bidi control (embeddings, overrides, isolates, marks): none may reach the screen raw.
BIDI = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c")
DECLARED = "Harvard University"     # what the hostile issuer calls itself


def hostile(word: str) -> str:
    """``word`` wrapped in markup and a right-to-left override (the isolate closes it)."""
    return f"{PAYLOAD}\u202e{word}\u2066end\u2069"


def hostile_credential(subject: str) -> bytes:
    credential = badge(subject, name=hostile("Title"))
    credential["issuer"]["name"] = DECLARED + "\u202e" + hostile("Issuer")
    credential["description"] = hostile("About")
    achievement = credential["credentialSubject"]["achievement"]
    # A line break to print a line of its own in a terminal, an escape sequence to erase one.
    achievement.update(name=hostile("Achievement"),
                       description=hostile("Description") + "\n  issuer:   Harvard University\x1b[2K",
                       criteria={"narrative": hostile("Criteria")})
    credential["credentialSubject"].update({"name": hostile("Subject"), "hobby": hostile("Claim"),
                                            hostile("Key"): "a claim whose name is the attack"})
    credential["evidence"] = [{"id": "https://evidence.example/1", "type": ["Evidence"],
                               "name": hostile("Evidence"), "description": hostile("EvidenceText")}]
    signed = data_integrity.sign(credential, ISSUER_KEY, ISSUER_METHOD, cryptosuite="eddsa-jcs-2022",
                                 created="2025-01-01T00:00:00Z")
    return json.dumps(signed, indent=2).encode()


__all__ = ["BIDI", "DECLARED", "ISSUER", "PAYLOAD", "hostile", "hostile_credential"]
