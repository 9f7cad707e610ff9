"""Shared shape of the DID documents we produce."""

from __future__ import annotations

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
SIGNING_RELATIONSHIPS = ("authentication", "assertionMethod", "capabilityInvocation",
                         "capabilityDelegation")


def document(did: str, contexts: list[str], method: dict, relationships=SIGNING_RELATIONSHIPS) -> dict:
    doc = {"@context": [DID_CONTEXT, *contexts], "id": did, "verificationMethod": [method]}
    for relationship in relationships:
        doc[relationship] = [method["id"]]
    return doc
