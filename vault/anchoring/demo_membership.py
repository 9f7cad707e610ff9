"""A demo membership on the embedded chain, so that quadratic polls and proposals can be
tried: on a fresh machine nobody holds a BlocktrackMembership credential, and every
quadratic ballot says "not counted: no membership credential".

    membership_status(chain, address) -> {address, member, token_id, reason, demo_available, words}
    get_demo_membership(chain, identity, address) -> {address, token_id, credential_id, holder_did, ...}

What it does is what an accredited issuer does for a member, with the embedded chain's
demo actors:

- the app's demo issuer (vault.issuing.sample: its Ed25519 key is public, so the
  credential is marked a sample wherever it is shown, and can never be trusted) signs an
  Open Badges 3.0 membership credential for the holder's DID (their default DID that signs
  presentations);
- the chain's demo issuer account (``embedded.dev_key("issuer")``, accredited at set-up)
  anchors it as a soulbound token to the holder's address and declares its type
  BlocktrackMembership on the rewards pool, in one plan run by TxService: exactly what
  vault.chain.dao.membership and the weighted governor count;
- the credential is imported into the vault (verified, like any other) and its anchor
  recorded, so the Credentials page shows it anchored.

Only there: on any other network the demo issuer's key is public and worthless, and its
address holds no role, so it is refused before anything is signed. One per address: an
address that is a member already is told so, and nothing changes. The user's keys are
never given to the service that signs here: only the demo issuer's transactions are sent.
"""

from __future__ import annotations

from ..chain import rewards
from ..chain.dao.membership import MEMBERSHIP_TYPE, Membership
from ..chain.embedded import dev_address, dev_key
from ..chain.plan import as_plan
from ..chain.transactions import TxService
from ..credentials.service import CredentialService
from ..errors import ChainError
from ..issuing import sample
from ..presentations.build import SIGNING_METHODS
from .hashing import credential_hash
from .sync import sync
from .writes import issue_requests

ROLE = "issuer"
NOT_HERE = ("Only the built-in test chain has a demo issuer; ask an accredited issuer of your DAO for a membership "
            "credential.")


def available(chain) -> bool:
    """Whether this network can give a demo membership: the embedded chain (in this
    process, not an RPC node that says it is one) with its rewards pool."""
    return chain.embedded is not None and chain.manifest is not None and rewards.has_pool(chain)


def membership_status(chain, address: str) -> dict:
    """Whether ``address`` is a member now (as the quadratic tallies judge it at the
    latest block), its token, why not, and whether a demo membership can be had here."""
    address = chain.w3.to_checksum_address(address)
    m = Membership(chain)
    block = chain.block_number
    members = m.at(block)
    token_id = members.get(address.lower())
    demo = available(chain)
    reason = m.why_not(address, block, members)
    if token_id is not None:
        words = f"{address} is a member: membership credential token {token_id}."
    elif demo:
        words = (f"{address} is not a member ({reason}). On the built-in test chain the demo issuer gives one: "
                 "`vault gov membership demo` (desktop: Governance, “Get a demo membership”).")
    else:
        words = f"{address} is not a member ({reason}). {NOT_HERE}"
    return {"address": address, "block": block, "member": token_id is not None, "token_id": token_id,
            "reason": reason, "demo_available": demo, "words": words}


def holder_did(identity) -> str:
    """The DID the membership is issued to: the default DID when it signs presentations,
    else the first that does (as a sample credential is)."""
    default = identity.default_did()
    if default.method in SIGNING_METHODS:
        return default.did
    signers = [r.did for r in identity.dids() if r.method in SIGNING_METHODS]
    if not signers:
        raise ChainError("no-signing-did", "No DID of this vault can present a credential: create a did:key first "
                                           "(Identity page, or `vault did create --method key`).")
    return signers[0]


def _issuer_service(chain, store) -> tuple[TxService, str]:
    """A TxService that signs as the demo issuer only: asked for any other key, it refuses."""
    issuer = dev_address(ROLE)

    def keys(address: str) -> bytes:
        if address.lower() != issuer.lower():
            raise ChainError("not-demo-issuer", f"The demo membership is sent by the demo issuer {issuer} only.")
        return dev_key(ROLE)

    return TxService(chain, store, keys), issuer


def get_demo_membership(chain, identity, address: str, *, progress=None) -> dict:
    """The demo issuer issues, anchors and declares a membership credential for
    ``address`` (an account of this vault), then the vault stores it. Refused, with
    nothing signed, off the embedded chain, for an address that is not the vault's, and
    for one that is a member already. ``progress(index, stage, detail)`` as TxService.run's."""
    if not available(chain):
        raise ChainError("not-embedded", NOT_HERE)
    address = chain.w3.to_checksum_address(address)
    if address not in [a.address for a in identity.accounts()]:
        raise ChainError("not-an-account", f"{address} is not an account of this vault: the demo membership goes "
                                           "to one of yours.")
    status = membership_status(chain, address)
    if status["member"]:
        raise ChainError("already-member", f"{address} is already a member (membership credential token "
                                           f"{status['token_id']}): one membership per address. Nothing was changed.")
    did = holder_did(identity)
    original = sample.issue_membership(did)
    service, issuer = _issuer_service(chain, identity.store)
    plan = as_plan(issue_requests(service, issuer, address, original, reward_type=MEMBERSHIP_TYPE),
                   f"The demo issuer anchors a {MEMBERSHIP_TYPE} credential to {address}")
    # The person asked for this (the button, the command); what is signed here is the demo
    # issuer's only, so it is confirmed when every step is the demo issuer's.
    records = service.run(plan, confirm=lambda ask: all(r.sender.lower() == issuer.lower() for r in ask.requests),
                          progress=progress)
    if records is None:   # a step not the demo issuer's: refused before anything was signed
        raise ChainError("not-confirmed", "The demo membership was not sent: one of its steps was not the demo "
                                          "issuer's. Nothing was signed or stored.")
    if not records or records[-1].status != "success":
        raise ChainError("reverted", "The demo issuer could not anchor the membership; nothing was stored in your "
                                     "vault. Try again.")
    stored = CredentialService(identity.store).import_bytes(original)
    sync(chain, identity.store, [address])   # the anchor, for the Credentials page
    token_id = Membership(chain).at(chain.block_number).get(address.lower())
    return {"address": address, "token_id": token_id, "credential_id": stored.summary.id, "holder_did": did,
            "issuer": issuer, "credential_hash": "0x" + credential_hash(original).hex(),
            "transactions": [r.to_json() for r in records],
            "words": f"{address} is now a member: the demo issuer anchored a {MEMBERSHIP_TYPE} credential as token "
                     f"{token_id}, stored in your vault. It counts on quadratic polls and proposals made from now "
                     "on (not on those already open: they count members at their snapshot)."}
