"""The embedded chain's demo offers on the talent market: a fresh chain's Marketplace is
not empty, and each gate is one a newcomer can meet (the demo issuer's credential type,
a stake the welcome grant covers)."""

from __future__ import annotations

from vault.chain import client
from vault.chain.contracts import BTK
from vault.chain.embedded import dev_address
from vault.chain.networks import FAUCET_GRANT_BTK
from vault.chain.extensions.talent_market import DEMO_CREDENTIAL_TYPE, DEMO_OFFERS
from vault.chain.talent import TalentMarket, credential_type_hash

NEWCOMER = "0x000000000000000000000000000000000000bEEF"


def test_a_fresh_embedded_chain_lists_the_demo_clients_open_offers(tmp_path):
    with client.connect(None, tmp_path, accounts=[NEWCOMER]) as chain:
        tm = TalentMarket(chain)
        offers = [o.to_json() for o in tm.offers(status="open")]
        assert [o["details"] for o in offers] == [d for *_, d in DEMO_OFFERS]
        assert {o["client"] for o in offers} == {dev_address("client")}
        (credential,) = [o for o in offers if o["gate"]["issuer"]]
        assert credential["gate"] == {"issuer": dev_address("issuer"),
                          "credential_type": "0x" + credential_type_hash(DEMO_CREDENTIAL_TYPE).hex(),
                          "min_stake": "0", "min_stake_wei": "0"}
        (staked,) = [o for o in offers if int(o["gate"]["min_stake_wei"])]
        assert 0 < int(staked["gate"]["min_stake_wei"]) <= FAUCET_GRANT_BTK
        # what a newcomer is told: the demo issuer's type by name, and how much to stake
        report = tm.gate_report(credential["id"], NEWCOMER, names=[DEMO_CREDENTIAL_TYPE])
        assert not report["ok"] and f"{DEMO_CREDENTIAL_TYPE} from the issuer {dev_address('issuer')}" \
            in report["missing"][0]
        report = tm.gate_report(staked["id"], NEWCOMER)
        assert not report["ok"] and "stake 100 BTK more with a validator" in report["missing"][0]
        assert staked["budget_wei"] == str(200 * BTK) and not tm.bids(staked["id"])
