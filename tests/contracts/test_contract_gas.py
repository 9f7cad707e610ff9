"""Gas of the actions a wallet previews, each measured in a steady state (the account and
the contract already touched once, as in everyday use), against ceilings that catch a
regression. The figures are printed in the terminal summary."""

from eth_utils import keccak

from tests.contracts.harness import BTK, GAS, PARAMS, ZERO

# Ceilings, about 1.5x what the figures were when written.
CEILINGS = {
    "transfer": 80_000,
    "delegate": 120_000,
    "approve": 70_000,
    "stake": 200_000,
    "claimRewards": 200_000,
    "requestUnstake": 250_000,
    "withdraw": 100_000,
    "propose": 120_000,
    "castVote": 130_000,
    "queue": 200_000,
    "execute": 150_000,
    "post": 250_000,
    "accept": 120_000,
    "fund": 120_000,
    "fundWithPermit": 150_000,
    "release": 130_000,
    "refund": 100_000,
    "issue": 350_000,
    "revoke": 100_000,
}


def measure(name, receipt):
    GAS[name] = receipt.gasUsed


def test_gas_of_everyday_actions(suite, a):
    s, t = suite, suite.token.functions
    bob, carol, alice = a["bob"], a["carol"], a["alice"]

    s.send(t.transfer(carol, BTK), bob)
    measure("transfer", s.send(t.transfer(carol, BTK), bob))
    measure("delegate", s.send(t.delegate(bob), bob))
    measure("approve", s.send(t.approve(s.staking.address, 500 * BTK), bob))

    st = s.staking.functions
    for _ in range(2):  # the first stake and the first settlement create storage slots
        s.send(st.stake(0, 100 * BTK), bob)
        s.mine(5)
    measure("stake", s.send(st.stake(0, 100 * BTK), bob))
    s.mine(5)
    s.send(st.claimRewards(), bob)
    s.mine(5)
    measure("claimRewards", s.send(st.claimRewards(), bob))
    s.send(st.requestUnstake(10 * BTK), bob)
    measure("requestUnstake", s.send(st.requestUnstake(10 * BTK), bob))
    s.mine(PARAMS["staking"]["cooldownBlocks"])
    measure("withdraw", s.send(st.withdraw(), bob))

    g = s.governor.functions
    s.propose([(s.marketplace, "setFeeBps", [300])], "warm-up")
    calldata = s.marketplace.encode_abi("setFeeBps", args=[400])
    receipt = s.send(g.propose([s.marketplace.address], [0], [calldata], "Fee 4%"), alice)
    measure("propose", receipt)
    (created,) = s.events(s.governor, "ProposalCreated", receipt)
    proposal = ([s.marketplace.address], [0], [calldata], keccak(text="Fee 4%"))
    s.mine(2)
    measure("castVote", s.send(g.castVote(created.args.proposalId, 1), alice))
    s.mine(PARAMS["governor"]["votingPeriodBlocks"])
    measure("queue", s.send(g.queue(*proposal), alice))
    s.advance_time(PARAMS["timelock"]["minDelaySeconds"] + 1)
    measure("execute", s.send(g.execute(*proposal), alice))

    m = s.marketplace.functions
    s.send(t.approve(s.marketplace.address, 10_000 * BTK), carol)
    for i in range(2):
        receipt = s.send(m.post(0, 100 * BTK, a["connector"], 500, 3600, "Translate a syllabus"), carol)
        gig_id = m.gigCount().call() - 1
        measure("post", receipt)
        measure("accept", s.send(m.accept(gig_id), bob))
        measure("fund", s.send(m.fund(gig_id), carol))
        measure("release", s.send(m.release(gig_id), carol))
    s.send(m.post(1, 100 * BTK, ZERO, 0, 3600, "Mentoring"), carol)
    gig_id = m.gigCount().call() - 1
    s.send(m.accept(gig_id), bob)
    deadline = s.now + 600
    v, r, sig_s = s.sign_permit(s.token, bob, s.marketplace.address, 100 * BTK, deadline)  # warm bob's nonce
    s.send(t.permit(bob, s.marketplace.address, 100 * BTK, deadline, v, r, sig_s), bob)
    s.send(t.approve(s.marketplace.address, 0), carol)
    v, r, sig_s = s.sign_permit(s.token, carol, s.marketplace.address, 100 * BTK, deadline)
    measure("fundWithPermit", s.send(m.fundWithPermit(gig_id, deadline, v, r, sig_s), carol))
    measure("refund", s.send(m.refund(gig_id), bob))

    sb = s.soulbound.functions
    s.send(t.approve(s.soulbound.address, 10 * BTK), a["issuer"])
    s.send(sb.issue(bob, keccak(text="warm-up"), "ipfs://warm-up"), a["issuer"])
    measure("issue", s.send(sb.issue(bob, keccak(text="Diploma"), "ipfs://bafybeidiploma"), a["issuer"]))
    measure("revoke", s.send(sb.revoke(2), a["issuer"]))

    over = {k: (GAS[k], c) for k, c in CEILINGS.items() if GAS[k] > c}
    assert not over, f"gas above its ceiling: {over}"
