"""Who is a member at a block: what quadratic polls count "per person" (docs/governance.md,
"Quadratic polls").

A member holds a membership credential: a SoulboundCredential token whose issuer declared
its type on the RewardsPool as keccak256("BlocktrackMembership") (rewards.type_hash), issued
by an accredited issuer (ISSUER_ROLE). Everything is judged at one block from the events'
block numbers — issued, type declared and the issuer holding the role at or before it, not
revoked at it — so anyone asking about a past block gets the same answer, however the
chain moved on since (a revocation after the snapshot does not undo a counted ballot).

    m = Membership(chain)
    m.at(block) -> {holder (lowercase): token id}      the members then
    m.is_member_now(address) -> bool                  a member at the latest block
    m.why_not(address, block) -> None | "no membership credential (…)"
"""

from __future__ import annotations

from ...errors import ChainError
from .. import rewards
from ..eventlog import read_events

MEMBERSHIP_TYPE = "BlocktrackMembership"
NOT_A_MEMBER = "no membership credential"


class Membership:
    def __init__(self, chain):
        self.chain = chain
        self.sbt = chain.contracts.soulbound
        try:
            self.pool = rewards.pool(chain)
        except ChainError as exc:   # no pool, no declared types: nobody is a member
            if exc.reason != "not-deployed":
                raise
            self.pool = None
        self.type = rewards.type_hash(MEMBERSHIP_TYPE)
        self._seen: dict[int, dict[int, dict]] = {}   # block -> _tokens(block): one read per tally

    def _issuers(self, block: int) -> set[str]:
        """The accounts holding ISSUER_ROLE at the end of ``block`` (grants and revocations
        replayed in their order on chain)."""
        role = bytes(self.sbt.functions.ISSUER_ROLE().call())
        held: set[str] = set()
        for e in read_events(self.chain, self.sbt, ("RoleGranted", "RoleRevoked")):
            if int(e["blockNumber"]) > block or bytes(e["args"]["role"]) != role:
                continue
            who = e["args"]["account"].lower()
            (held.add if e["event"] == "RoleGranted" else held.discard)(who)
        return held

    def _tokens(self, block: int) -> dict[int, dict]:
        """Every credential token anchored by ``block``: {token id: {holder, issuer,
        revoked (by then), membership (its type declared as membership by then)}}."""
        if block in self._seen:
            return self._seen[block]
        tokens = {}
        for e in read_events(self.chain, self.sbt, ("CredentialIssued", "CredentialRevoked")):
            if int(e["blockNumber"]) > block:
                continue
            tid = int(e["args"]["tokenId"])
            if e["event"] == "CredentialIssued":
                tokens[tid] = {"holder": e["args"]["holder"].lower(), "issuer": e["args"]["issuer"].lower(),
                               "revoked": False, "membership": False}
            elif tid in tokens:
                tokens[tid]["revoked"] = True
        if self.pool is not None:
            for e in read_events(self.chain, self.pool, ("CredentialTypeDeclared",)):
                tid = int(e["args"]["tokenId"])
                if int(e["blockNumber"]) <= block and bytes(e["args"]["credentialType"]) == self.type \
                        and tid in tokens:
                    tokens[tid]["membership"] = True
        self._seen[block] = tokens
        return tokens

    def at(self, block: int) -> dict[str, int]:
        """{holder address (lowercase): their first valid membership token} at ``block``."""
        issuers = self._issuers(block)
        members: dict[str, int] = {}
        for tid, t in sorted(self._tokens(block).items()):
            if t["membership"] and not t["revoked"] and t["issuer"] in issuers:
                members.setdefault(t["holder"], tid)
        return members

    def is_member_now(self, address: str) -> bool:
        """Whether ``address`` is a member at the latest block (the demo membership's "already
        a member" check, and whether the app offers one)."""
        return address.lower() in self.at(self.chain.block_number)

    def why_not(self, address: str, block: int, members: dict[str, int] | None = None) -> str | None:
        """None when ``address`` was a member at ``block``, else why its vote does not count."""
        members = self.at(block) if members is None else members
        if address.lower() in members:
            return None
        held = [t for t in self._tokens(block).values() if t["holder"] == address.lower() and t["membership"]]
        if not held:
            return NOT_A_MEMBER
        if all(t["revoked"] for t in held):
            return f"{NOT_A_MEMBER} (it was revoked by block {block:,})"
        return f"{NOT_A_MEMBER} (its issuer was not an accredited issuer at block {block:,})"
