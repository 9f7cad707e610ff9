"""Who the app's demo issuer is, as a verifier needs to know it: its DID (as did:key and
did:jwk), its name and the warning shown with what it signs.

Its key is public (vault.issuing.sample issues with it), so what it signs proves
nothing: the trust list refuses it (trust), verification warns ``sample-issuer``
(verify) and its name always carries ``NOTE`` (issuer_name). This lives here, not in
vault.issuing, because issuing signs credentials and sits above this package.
"""

from __future__ import annotations

from ..errors import InvalidDid

# The same key as did:key and as did:jwk (tests derive both from vault.issuing.sample.SEED).
DID = "did:key:z6Mkw2FbsFyegb3uxz9JDEiBziEpSvDp1FPtqKCJFTbGBppg"
JWK_X = "9i6n8ftYsXMIWItCIwxmgFD7P80qE4drhK06JoOaGak"

NAME = "Blocktrack Sample Issuer"
NOTE = "sample issuer, not a real institution"
LABEL = f"{NAME} ({NOTE})"
WARNING = (f"A sample credential from {LABEL}: the demo issuer built into Blocktrack Vault, whose "
           "signing key is public. It proves nothing about anyone; it is only for trying the app out "
           "(presenting and verifying, and the built-in test chain's quadratic votes).")


def is_sample_issuer(did: object) -> bool:
    """True for the demo issuer's key as did:key or did:jwk (a DID URL included)."""
    if not isinstance(did, str):
        return False
    did = did.split("#", 1)[0]
    if did == DID:
        return True
    if not did.startswith("did:jwk:"):
        return False
    # start-up: vault.did ~5 ms (every method's resolver), only for a did:jwk: `vault
    # credential list` names every issuer through here.
    from ..did import did_jwk
    try:
        jwk = did_jwk.decode(did)
    except InvalidDid:
        return False
    return jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and jwk.get("x") == JWK_X
