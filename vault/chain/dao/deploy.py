"""Deploy the DAO contracts next to an existing suite: the constitution (version 1 = the
shipped text's hash) and the poll registry, both owned by the suite's timelock.

``deploy_dao(chain, key, contracts)`` returns {manifest key: address}; the extension
registry (vault/chain/extensions.py) calls it after the core six, on new deployments
and on embedded chains opened after an upgrade.
"""

from __future__ import annotations

from ..abi import constructor_data
from ..contracts import BTK, deploy_parameters
from .constitution import initial_hash


def deploy_dao(chain, deployer_key: bytes, contracts: dict[str, str], params: dict | None = None) -> dict[str, str]:
    p = params or deploy_parameters()
    timelock, token = contracts["timelock"], contracts["token"]
    threshold = int(p.get("polls", {}).get("creationThreshold", 0)) * BTK
    out = {}
    for key, name, args in (("constitution", "Constitution", (timelock, initial_hash())),
                            ("polls", "PollRegistry", (token, timelock, threshold))):
        receipt = chain.transact(deployer_key, {"data": constructor_data(name, *args)})
        out[key] = receipt.contractAddress
    return out
