"""Cross-chain votes, the on-chain half (CrossChainVotes.sol): a proposal's root of BTK
balances on another chain, relayed remote ballots, and the remote tally.

    xc = CrossChain(chain)                                   # the proposal's network (chain A)
    with open_source(embedded=folder_of_chain_b) as b:       # or open_source(rpc=URL)
        root = xc.build_root(proposal_id, b, block)          # the root file (remote_files.py)
    req = xc.root_request(service, proposer, root)           # while the proposal is Pending
    package = package_for(*load_root_file(root), voter)      # each holder's part
    ballot = sign_remote_ballot(key, package, "for")         # offline, on the holder's side
    req = xc.relay_request(service, anyone, ballot)          # while it is Active; anyone pays
    xc.tally(proposal_id, source=b)                          # votes, and the root re-checked

What this trusts (docs/governance.md, "Cross-chain votes"): the root's author. Nothing on
chain A proves the root against chain B; ``tally(source=…)`` recomputes it from chain B's
Transfer events and says whether it matches, so anyone who can reach chain B can check.
"""

from __future__ import annotations

import logging

from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from ...errors import ChainError
from .. import client, networks
from ..contracts import load_artifact
from ..eventlog import read_events
from ..revert import PROPOSAL_STATES
from ..units import format_units
from .merkle import BalanceTree
from .remote_files import SUPPORT, load_remote_ballot, recover_signer, root_file

logger = logging.getLogger(__name__)

ZERO = "0x" + "00" * 20


@contextmanager
def open_source(*, rpc: str | None = None, embedded: str | Path | None = None):
    """The other chain (chain B), read only: a JSON-RPC node or an embedded chain's file
    (a vault data folder, its chain/ folder or the embedded.sqlite itself)."""
    if (rpc is None) == (embedded is None):
        raise ChainError("invalid-argument", "Name the other chain once: a JSON-RPC URL or an embedded chain's folder.")
    if rpc is not None:
        source = client.connect_rpc(rpc, None)
    else:
        path = Path(embedded)
        found = next((p for p in (networks.chain_dir(path) / "embedded.sqlite", path / "embedded.sqlite", path)
                      if p.is_file()), None)
        if found is None:   # opening a missing file would create (and deploy) a new chain
            raise ChainError("invalid-argument", f"{path} holds no embedded chain (no embedded.sqlite there).")
        source = client.open_embedded(found)
    try:
        yield source
    finally:
        source.close()


def balances_at(source, block: int, token: str | None = None) -> dict[str, int]:
    """Every BTK balance on ``source`` at ``block`` (mined), from the token's Transfer
    events up to it; checked against its totalSupply there when the node can say."""
    block = int(block)
    head = source.block_number
    if not 0 <= block <= head:
        raise ChainError("invalid-argument", f"Block {block:,} is not mined on chain {source.chain_id} (it is at "
                                             f"{head:,}): a snapshot must be final.")
    if token is not None:
        contract = source.w3.eth.contract(address=source.w3.to_checksum_address(token),
                                          abi=load_artifact("BTKToken")["abi"])
    elif source.manifest is not None:
        contract = source.contracts.token
    else:
        raise ChainError("invalid-argument", f"Which token on chain {source.chain_id}? Give the BTK token's address.")
    balances: dict[str, int] = defaultdict(int)
    for e in read_events(source, contract, ("Transfer",)):
        if e["blockNumber"] > block:
            break
        a = e["args"]
        if a["from"] != ZERO:
            balances[a["from"]] -= int(a["value"])
        if a["to"] != ZERO:
            balances[a["to"]] += int(a["value"])
    held = {a: v for a, v in balances.items() if v > 0}
    try:
        supply = contract.functions.totalSupply().call(block_identifier=block)
    except Exception:  # noqa: BLE001 - a node without that block's state (not an archive node): no check
        logger.debug("no total supply at block %s: the sum is not checked", block, exc_info=True)
        supply = None
    if any(v < 0 for v in balances.values()) or (supply is not None and sum(held.values()) != supply):
        raise ChainError("incomplete-history", f"The token's Transfer events on chain {source.chain_id} do not add "
                                               f"up to its supply at block {block:,}: the node's log history is "
                                               "incomplete. Use a node that keeps every log (an archive node).")
    return held


class CrossChain:
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.votes = chain.contracts.extension("crosschain")
        # The governor the votes contract counts for: the weighted one where a deployment has it.
        core, counted = chain.contracts.governor, self.votes.functions.governor().call()
        self.governor = core if counted.lower() == core.address.lower() else chain.contracts.extension(
            "weighted-governor")

    def _state(self, proposal_id: int) -> str:
        """Its state's name; an unknown proposal reverts, decoded as "There is no proposal …"."""
        return PROPOSAL_STATES[self.governor.functions.state(int(proposal_id)).call()]

    def recorded(self, proposal_id: int) -> dict | None:
        root, remote_chain, remote_block, total = self.votes.functions.remoteRoot(int(proposal_id)).call()
        if root == b"\0" * 32:
            return None
        return {"root": "0x" + bytes(root).hex(), "remote_chain_id": remote_chain, "remote_block": remote_block,
                "total_wei": str(total)}

    # ---- the root ------------------------------------------------------------------------

    def build_root(self, proposal_id: int, source, block: int, token: str | None = None) -> dict:
        """The root file of chain ``source``'s balances at ``block`` for a proposal here."""
        self._state(proposal_id)
        tree = BalanceTree(balances_at(source, block, token))
        return root_file(chain_id=self.chain.chain_id, contract=self.votes.address, proposal_id=int(proposal_id),
                         remote_chain_id=source.chain_id, remote_block=int(block), tree=tree)

    def root_request(self, service, sender: str, root: dict):
        """Record a root file's root (checked first: it was built for this network and
        proposal, none is recorded yet, the sender made the proposal and it is Pending)."""
        sender = self.w3.to_checksum_address(sender)
        self._for_here(root)
        pid = int(root["proposal_id"])
        state = self._state(pid)
        if self.recorded(pid):
            raise ChainError("root-recorded", f"Proposal {pid} already has its root of remote balances.")
        proposer = self.governor.functions.proposalProposer(pid).call()
        if proposer.lower() != sender.lower():
            raise ChainError("not-proposer", f"{sender} did not make proposal {pid}: only its proposer ({proposer}) "
                                             "records its root (or governance, by a proposal).")
        if state != "Pending":
            raise ChainError("root-too-late", f"Proposal {pid} is {state}: its root had to be recorded while it was "
                                              "Pending, before voting opened.")
        total = int(root["total"])
        what = (f"Record the BTK balances of chain {root['remote_chain_id']} at block {root['remote_block']:,} "
                f"({format_units(total, 'BTK')}) for votes on proposal {pid}")
        return service.contract_call("gov-remote-root", self.votes, "setRemoteRoot",
                                     [pid, root["remote_chain_id"], root["remote_block"],
                                      bytes.fromhex(root["root"][2:]), total], sender, description=what,
                                     params={"proposal_id": str(pid), "root": root["root"]})

    def _for_here(self, data: dict) -> None:
        if int(data["chain_id"]) != self.chain.chain_id or data["contract"].lower() != self.votes.address.lower():
            raise ChainError("wrong-network", f"This was made for the cross-chain votes at {data['contract']} on "
                                              f"chain {data['chain_id']}, not this network's ({self.votes.address} "
                                              f"on chain {self.chain.chain_id}).")

    # ---- relaying ------------------------------------------------------------------------

    def check_ballot(self, ballot) -> dict:
        """A ballot checked as the contract will, before anyone pays gas for it."""
        b = load_remote_ballot(ballot)
        self._for_here(b)
        pid = int(b["proposal_id"])
        state = self._state(pid)
        recorded = self.recorded(pid)
        if recorded is None:
            raise ChainError("no-remote-root", f"Proposal {pid} has no root of remote balances: it takes no votes "
                                               "from another chain.")
        if recorded["root"] != b["root"] or recorded["remote_chain_id"] != b["remote_chain_id"]:
            raise ChainError("bad-proof", f"This ballot's proof is for root {b['root'][:18]}… of chain "
                                          f"{b['remote_chain_id']}; proposal {pid} counts root "
                                          f"{recorded['root'][:18]}… of chain {recorded['remote_chain_id']}.")
        if state != "Active":
            raise ChainError("voting-closed", f"Proposal {pid} is {state}: remote votes count only while it is Active.")
        if recover_signer(b).lower() != b["voter"].lower():
            raise ChainError("invalid-signature", f"The signature is not {b['voter']}'s: the ballot was altered or "
                                                  "signed for another proposal, vote or weight.")
        if self.votes.functions.hasVotedRemotely(pid, b["voter"]).call():
            raise ChainError("already-voted", f"{b['voter']} has already voted on proposal {pid} from chain "
                                              f"{b['remote_chain_id']}.")
        return b

    def relay_request(self, service, sender: str, ballot):
        b = self.check_ballot(ballot)
        pid = int(b["proposal_id"])
        what = (f"Relay {b['voter']}'s vote {SUPPORT[b['support']].upper()} on proposal {pid} from chain "
                f"{b['remote_chain_id']} ({format_units(int(b['weight']), 'BTK')} there)")
        return service.contract_call("gov-remote-relay", self.votes, "castRemoteVote",
                                     [pid, b["voter"], b["support"], int(b["weight"]),
                                      [bytes.fromhex(p[2:]) for p in b["proof"]], bytes.fromhex(b["signature"][2:])],
                                     sender, description=what, params={"proposal_id": str(pid), "voter": b["voter"]})

    # ---- the tally -----------------------------------------------------------------------

    def tally(self, proposal_id: int, source=None, token: str | None = None) -> dict:
        """The votes from the other chain; with ``source`` (chain B reachable) the root is
        recomputed from its balances and compared with the one recorded."""
        pid = int(proposal_id)
        state = self._state(pid)
        recorded = self.recorded(pid)
        against, for_, abstain = self.votes.functions.remoteVotes(pid).call()
        votes, set_by = [], None
        for e in read_events(self.chain, self.votes, ("RemoteRootSet", "RemoteVoteCast")):
            a = e["args"]
            if int(a["proposalId"]) != pid:
                continue
            if e["event"] == "RemoteRootSet":
                set_by = a["setBy"]
            else:
                votes.append({"voter": a["voter"], "support": SUPPORT[a["support"]], "weight_wei": str(a["weight"]),
                              "relayer": a["relayer"], "block": int(e["blockNumber"])})
        out = {"proposal_id": str(pid), "state": state, "recorded": recorded is not None, **(recorded or {}),
               "set_by": set_by, "against_wei": str(against), "for_wei": str(for_), "abstain_wei": str(abstain),
               "votes": votes, "root_check": None}
        if recorded is not None and source is not None:
            if source.chain_id != recorded["remote_chain_id"]:
                raise ChainError("wrong-network", f"The root is of chain {recorded['remote_chain_id']}; the node "
                                                  f"given serves chain {source.chain_id}.")
            again = BalanceTree(balances_at(source, recorded["remote_block"], token))
            out["root_check"] = {"matches": again.root == recorded["root"], "recomputed_root": again.root,
                                 "recomputed_total_wei": str(again.total)}
        return out
