"""The rules a screen enables its buttons by come from the core, the same ones the request
builders check: which proposal steps are open (next_actions), how a release splits the
escrow (price_split) and why a stake would be refused (stake_refusal). Pure functions over
what the reads return, so the pages ask them as they are filled in."""

from __future__ import annotations

from dataclasses import replace

from vault.chain.governance import next_actions
from vault.chain.marketplace import BPS, Gig, price_split
from vault.chain.staking import Validator, stake_refusal, unstake_refusal

REFERRER = "0x00000000000000000000000000000000000fE11D"


def _proposal(state: str, **extra) -> dict:
    return {"state": state, "eta_in_seconds": None, "my_vote": {"voted": False}} | extra


def test_next_actions_follow_the_state_the_vote_and_the_chains_timelock_answer():
    pending, active = next_actions(_proposal("pending")), next_actions(_proposal("active"))
    assert (pending.vote, pending.sign, pending.queue, pending.execute) == (False, True, False, False)
    assert (active.vote, active.sign) == (True, True)
    voted = next_actions(_proposal("active", my_vote={"voted": True}))
    assert not voted.vote and not voted.sign            # a vote cannot be cast twice, nor signed again
    assert next_actions(_proposal("succeeded")).queue and not next_actions(_proposal("succeeded")).execute
    # Queued: only the chain's "0 seconds left at the next block" opens Execute; a read
    # that says nothing of the timelock (None) or any time left keeps it shut.
    assert next_actions(_proposal("queued", eta_in_seconds=0)).execute
    assert not next_actions(_proposal("queued", eta_in_seconds=1)).execute
    assert not next_actions(_proposal("queued")).execute
    for state in ("defeated", "canceled", "expired", "executed"):
        assert not any(vars(next_actions(_proposal(state, eta_in_seconds=0))).values()), state


def test_the_release_split_is_the_contracts_integer_arithmetic():
    gig = Gig(id=0, kind="gig", status="funded", client="0x1", talent="0x2", connector=REFERRER, price=1_001,
              fee_bps=250, referral_bps=500, delivery_window=0, refundable_at=None, details="")
    split = price_split(gig)
    assert (split.fee, split.referral) == (1_001 * 250 // BPS, 1_001 * 500 // BPS) == (25, 50)
    assert split.talent == 926 and split.fee + split.referral + split.talent == 1_001   # rounding: the talent's
    # A cut without a referrer goes nowhere: a gig read with referral_bps but no connector
    # pays the talent the whole rest, as the contract does.
    alone = price_split(replace(gig, connector=None))
    assert alone.referral == 0 and alone.talent == 1_001 - 25


def test_stake_refusals_name_the_core_reason_in_its_order():
    ok, slashed = (Validator(0, "0x1", "ok", 500, False, 0, 0), Validator(1, "0x2", "cut", 500, True, 0, 0))
    assert stake_refusal(ok, None, 10, 10) is None
    assert stake_refusal(slashed, None, 10, 1) == "validator-slashed"
    assert stake_refusal(slashed, 0, 0, 99) == "validator-slashed"          # the first cause wins
    assert stake_refusal(ok, 1, 0, 99) == "already-delegated"               # one validator at a time
    assert stake_refusal(ok, 0, 0, 99) == "insufficient-btk"                # topping up its own is fine
    assert stake_refusal(ok, None, 10, 11) == "insufficient-btk"
    # What a form does not know yet is not held against it.
    assert stake_refusal(None, 1, 10, 11) == "insufficient-btk"
    assert stake_refusal(ok, None, None, 11) is None and stake_refusal(ok, None, 10, None) is None
    assert unstake_refusal(5, 6) == "insufficient-stake" and unstake_refusal(5, 5) is None
