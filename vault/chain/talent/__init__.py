"""The talent market (resources/contracts/src/TalentMarket.sol): bids backed by stake,
gated offers, the client paying the fee, connectors for life, a burn share.

    from vault.chain.talent import TalentMarket
    tm = TalentMarket(chain)          # ChainError("not-deployed") on a network without it

Reads (rebuilt from the contract's events, incrementally; typed results in integer wei,
offers.py, whose to_json() gives whole-BTK decimal strings with *_wei twins):
    tm.offers(status=None) / tm.offer(id) / tm.mine(address)   Offer: client, budget, gate
        (Gate: issuer, credential_type, min_stake), status, talent, price, bond, terms, fee, ...
    tm.bids(offer_id, all_bids=False)  active Bids, highest stake first, then reputation:
        bid_id, bidder, price, stake, message, message_hash, status, reputation{score}
    tm.reputation(address)             {completed, score}: released gigs as talent
    tm.terms() / tm.can_burn()         fee, connector, burn, forfeit bps now
    tm.funding_split(offer_id) -> Split   (accepted offers) / tm.quote(price, client, talent)
        Split.sentence(): "you pay 1,000 + 25 fee; talent receives 1,000; connectors 20;
        treasury 5; burned 0"; Split.to_json()
    tm.gate_report(offer_id, account, names=())  {ok, credential_token, staked, missing:
        [what is missing and how to get it]}; ``names``: type names to show instead of hashes
    tm.connector(address)              {referrer, referred, earned, withdrawn, withdrawable}

Writes (each returns a Plan for TxService.run; checked first, ChainError naming the cause):
    tm.post_plan(service, client, budget=, details=, delivery_window=, issuer=, credential_type=, min_stake=)
    tm.bid_plan(service, talent, offer_id, price=, stake=0, message="")   [approve?, bid]
    tm.withdraw_bid_plan / accept_bid_plan(service, sender, offer_id, bid_id)
    tm.fund_plan(service, client, offer_id)     [approve?, fund]: price + fee, balance checked
    tm.release_plan / refund_plan / cancel_plan(service, sender, offer_id)
    tm.declare_type_plan(service, issuer, token_id, "BachelorDegree")   once per token
    tm.declared_type(token_id)         its 0x type hash, or None while undeclared
    tm.register_referrer_plan(service, account, referrer)
    tm.sign_referral(key, account, referrer) -> dict; tm.register_signed_referrer_plan(service, submitter, signed)
    tm.withdraw_earnings_plan(service, connector)

Gates: a credential type is keccak256 of its name (gates.credential_type_hash); the issuer of
a soulbound token declares its type once on the market, since SoulboundCredential stores none.
Governance: the "talent-terms" template (vault/chain/templates/talent_market.py) sets all
four terms at once: `vault gov propose --template talent-terms --param fee_bps=300 ...`.
"""

from .contract import KEY, market_contract  # noqa: F401
from .gates import credential_type_hash, type_label  # noqa: F401
from .market import TalentMarket, reputation  # noqa: F401
from .offers import Bid, Gate, Offer  # noqa: F401
from .split import Split, split  # noqa: F401
