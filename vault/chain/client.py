"""Connect to the network the vault uses: a ``Chain`` with web3, chain id, contracts.

``connect(profile, data_dir)`` opens the embedded chain (deploying the suite and demo
data on its first use) or an RPC node, whose chain id must match its manifest's.
Everything that can go wrong is a ChainError with a reason:

  node-unreachable   the URL does not answer (connection refused, timeout, DNS)
  chain-id-mismatch  the node serves another chain than the manifest was made for
  not-deployed       no contract code at the manifest's addresses
  chain-busy         the embedded chain is open in another process
  reverted           a call or estimate reverted (message: the decoded reason)
  insufficient-eth   not enough ETH for the amount plus the network fee
  insufficient-btk   not enough BTK for the amount (decoded ERC20InsufficientBalance)
  already-known      the node already has this very transaction (a resend)
  implausible-fee    the node proposes a fee far above the chain's recent base fee
  rejected           the node refused a transaction for another reason (its words)

The node-specific parts (estimating gas, moving time) live here, so the transaction
service above runs unchanged on the embedded chain and on any JSON-RPC node.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import ChainError
from ..store.atomic import ensure_private_dir
from . import extensions, networks, rpc_guard
from .contracts import Contracts
from .fees import FEE_HISTORY_BLOCKS, check_node_fees, median
from .networks import EMBEDDED, FAUCET_GRANT_BTK, FAUCET_GRANT_ETH, RPC, Manifest, NetworkProfile
from .revert import decoding_contract_class, is_revert, revert_data, revert_error

log = logging.getLogger(__name__)

GAS_MARGIN = 1.25  # on top of the gas a single execution needed: the 63/64 rule of nested calls
GAS_EXTRA = 10_000
DEFAULT_TIMEOUT = 10.0  # seconds for one JSON-RPC request
ETHER = 10**18
DEFAULT_PRIORITY_FEE = 10**9  # 1 gwei, when a node has no opinion (and on the embedded chain)


@dataclass(frozen=True)
class Estimate:
    gas_used: int  # what the transaction is expected to use (and pay for)
    gas_limit: int  # the limit it is sent with


def _rpc_provider(url: str, timeout: float):
    # start-up: web3 ~0.25 s (requests ~0.05 s of it); only for an RPC node, the embedded
    # chain's users and this module's importers (the GUI at start) never pay it here
    import requests
    from web3 import HTTPProvider

    shown = networks.redact_url(url)

    class GuardedHTTPProvider(HTTPProvider):
        """Transport failures become ChainError("node-unreachable") at once (no retries)."""

        def make_request(self, method, params):
            try:
                return rpc_guard.checked(method, super().make_request(method, params), shown)
            except (ValueError, UnicodeDecodeError) as exc:  # the body is not JSON (or not UTF-8)
                raise rpc_guard.bad_answer(shown, method, "not JSON") from exc
            except requests.Timeout as exc:
                raise ChainError("node-unreachable", f"The node at {shown} did not answer within "
                                                     f"{timeout:g} s. Check that it is running and "
                                                     "reachable.", url=shown) from exc
            except (requests.ConnectionError, OSError) as exc:
                raise ChainError("node-unreachable", f"Cannot reach the node at {shown} (connection "
                                                     "refused or no route). Check the URL and that the "
                                                     "node is running.", url=shown) from exc
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else "?"
                raise ChainError("node-unreachable", f"The node at {shown} answered with an HTTP error "
                                                     f"({status}).", url=shown) from exc

    if not url.startswith(("http://", "https://")):
        raise ChainError("invalid-network", f"{shown} is not an http(s) JSON-RPC URL.")
    return GuardedHTTPProvider(url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None)


class Chain:
    """One connection to one network, checked against its manifest."""

    def __init__(self, w3, network: str, chain_id: int, manifest: Manifest | None = None, *,
                 url: str = "", embedded=None, name: str = ""):
        self.w3 = w3
        self.network = network  # "embedded" | "rpc"
        self.chain_id = chain_id
        self.manifest = manifest
        self.url = url
        self.embedded = embedded  # EmbeddedChain or None
        self.name = name or (EMBEDDED if network == EMBEDDED else (manifest.name if manifest else "") or RPC)
        self._contracts = None

    # ---- contracts

    @property
    def contracts(self):
        if self.manifest is None:
            raise ChainError("not-deployed", "The Blocktrack contracts are not deployed on this network yet.")
        if self._contracts is None:
            self._contracts = Contracts.at(self.w3, self.manifest.contracts, decoding_contract_class(),
                                           extensions.artifacts(), extensions.titles())
        return self._contracts

    def set_manifest(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self._contracts = None

    # ---- reading

    @property
    def block_number(self) -> int:
        if self.embedded is not None:
            return self.embedded.block_number
        return self.w3.eth.block_number

    def latest_timestamp(self) -> int:
        if self.embedded is not None:
            return self.embedded.timestamp
        return self.w3.eth.get_block("latest")["timestamp"]

    def nonce(self, address: str, block: str = "pending") -> int:
        if self.embedded is not None and block == "pending":
            return self.embedded.account(address)[0]
        return self.w3.eth.get_transaction_count(self.w3.to_checksum_address(address), block)

    def eth_balance(self, address: str) -> int:
        if self.embedded is not None:
            return self.embedded.account(address)[1]
        return self.w3.eth.get_balance(self.w3.to_checksum_address(address))

    def btk_balance(self, address: str) -> int:
        return self.contracts.token.functions.balanceOf(self.w3.to_checksum_address(address)).call()

    def status(self) -> dict:
        data = {"network": self.network, "name": self.name, "chain_id": self.chain_id,
                "block": self.block_number, "timestamp": self.latest_timestamp(),
                "contracts": dict(self.manifest.contracts) if self.manifest else {},
                "deployment_block": self.manifest.deployment_block if self.manifest else None}
        if self.network == RPC:
            data["url"] = networks.redact_url(self.url)
        if self.embedded is not None:
            data["database"] = str(self.embedded.path)
            data["time_offset"] = self.embedded.chain.time_offset
        return data

    # ---- fees and gas

    def fees(self) -> tuple[int, int]:
        """(max fee per gas, priority fee per gas) for a transaction sent now."""
        return self.fee_quote()[1:]

    def fee_quote(self) -> tuple[int, int, int]:
        """(next base fee, max fee per gas, priority fee per gas): the max fee is twice the
        base fee plus the tip, which stays valid through several full blocks. A node's
        proposal far above the chain's recent base fee is refused (fees.check_node_fees)."""
        if self.embedded is not None:
            base, tip = self.embedded.base_fee(), DEFAULT_PRIORITY_FEE
        else:
            base = self.base_fee()
            try:
                tip = self.w3.eth.max_priority_fee
            except ChainError:
                raise
            except Exception:  # nodes without eth_maxPriorityFeePerGas
                log.debug("the node gave no priority fee; using the default", exc_info=True)
                tip = DEFAULT_PRIORITY_FEE
            check_node_fees(base, tip, self.recent_base_fee(), f"at {networks.redact_url(self.url)}")
        return base, 2 * base + tip, tip

    def recent_base_fee(self) -> int:
        """The median base fee of the last blocks (eth_feeHistory; else the latest block's)."""
        try:
            fees = list(self.w3.eth.fee_history(FEE_HISTORY_BLOCKS, "latest", [])["baseFeePerGas"])[:-1]
        except ChainError:
            raise
        except Exception:  # nodes without eth_feeHistory
            log.debug("the node gave no fee history", exc_info=True)
            fees = []
        return median(fees) if fees else self.w3.eth.get_block("latest").get("baseFeePerGas") or 0

    def base_fee(self) -> int:
        if self.embedded is not None:
            return self.embedded.base_fee()
        try:
            block = self.w3.eth.get_block("pending")
        except ChainError:
            raise
        except Exception:  # nodes that do not serve the pending block
            log.debug("the node gave no pending block", exc_info=True)
            block = self.w3.eth.get_block("latest")
        return block.get("baseFeePerGas") or 0

    def estimate(self, tx: dict) -> Estimate:
        """Gas for ``tx`` ({from, to, data, value}) from one execution on the pending
        state. A revert raises ChainError with the decoded reason."""
        if self.embedded is not None:
            used, needed, revert = self.embedded.execute(tx)
            if revert is not None:
                raise revert_error(revert)
            limit = min(int(needed * GAS_MARGIN) + GAS_EXTRA, self.embedded.chain.header.gas_limit)
            return Estimate(used, max(limit, used))
        call = {k: v for k, v in tx.items() if k in ("from", "to", "data", "value") and v is not None}
        try:
            # On the pending block: a transaction that moves votes is mined after the
            # latest block and may have to write a new checkpoint slot there.
            estimated = self.w3.eth.estimate_gas(call, "pending")
        except ChainError:
            raise
        except Exception as exc:
            if is_revert(exc):
                raise revert_error(revert_data(exc)) from exc
            raise node_error(exc) from exc
        # The margin covers what can change before mining: a fresh vote checkpoint costs
        # ~22k gas (a new storage slot) per account whose votes move.
        return Estimate(estimated, int(estimated * 1.2) + 50_000)

    # ---- sending

    def send_raw(self, raw: bytes) -> str:
        """Broadcast a signed transaction; returns its hash (0x…). Node refusals are
        ChainErrors (insufficient-eth, nonce-used, rejected)."""
        try:
            tx_hash = self.w3.eth.send_raw_transaction(raw).to_0x_hex()
        except ChainError:
            raise
        except Exception as exc:
            raise node_error(exc) from exc
        if self.embedded is not None:  # mined already: the demo client answers an accept of its offer
            # start-up: py-evm ~0.25 s (through .embedded): the embedded chain's, loaded by then
            from .demo import after_send

            after_send(self, raw)
        return tx_hash

    def receipt(self, tx_hash: str):
        try:
            return self.w3.eth.get_transaction_receipt(tx_hash)
        except Exception as exc:  # web3's TransactionNotFound, or eth-tester's of the same name
            if type(exc).__name__ == "TransactionNotFound":
                return None
            raise

    def find_transaction(self, tx_hash: str):
        """The transaction as the node knows it (mined or pending), or None."""
        try:
            return self.w3.eth.get_transaction(tx_hash)
        except Exception as exc:  # web3's TransactionNotFound, or eth-tester's of the same name
            if type(exc).__name__ == "TransactionNotFound":
                return None
            raise

    def wait_receipt(self, tx_hash: str, timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        delay = 0.0
        while True:
            receipt = self.receipt(tx_hash)
            if receipt is not None:
                return receipt
            if time.monotonic() >= deadline:
                raise ChainError("timeout", f"Transaction {tx_hash} is not mined after {timeout:g} s.")
            time.sleep(delay)
            delay = min(max(delay * 2, 0.01), 0.5)

    def transact(self, key: bytes, tx: dict, *, nonce: int | None = None, wait: bool = True):
        """Sign with ``key`` and send (estimate, fees, nonce filled in); for the faucet, the
        deployer and tests. The vault's own writes go through TxService instead."""
        # start-up: eth-account ~0.1 s (pairings deferred, vault/chain/deferred.py); for the
        # faucet, deployment and tests, not the vault's own writes
        from eth_account import Account

        account = Account.from_key(key)
        tx = {"value": 0, **tx, "from": account.address}
        if "gas" not in tx:
            tx["gas"] = self.estimate(tx).gas_limit
        max_fee, tip = self.fees()
        fields = {"type": 2, "chainId": self.chain_id,
                  "nonce": self.nonce(account.address) if nonce is None else nonce,
                  "value": tx["value"], "data": tx.get("data", b""), "gas": tx["gas"],
                  "maxFeePerGas": tx.get("maxFeePerGas", max_fee),
                  "maxPriorityFeePerGas": tx.get("maxPriorityFeePerGas", tip)}
        if tx.get("to"):
            fields["to"] = tx["to"]
        signed = account.sign_transaction(fields)
        tx_hash = self.send_raw(signed.raw_transaction)
        if not wait:
            return tx_hash
        receipt = self.wait_receipt(tx_hash)
        if receipt.status != 1:
            raise ChainError("reverted", f"Transaction {tx_hash} reverted on chain.", tx_hash=tx_hash)
        return receipt

    # ---- time

    def advance(self, blocks: int = 0, seconds: int = 0) -> int:
        """Mine blocks and/or move time forward (embedded chain, or a dev node that offers
        anvil's / hardhat's evm_increaseTime and evm_mine); returns the new block number."""
        if blocks < 0 or seconds < 0:
            raise ChainError("invalid-argument", "Blocks and seconds must be zero or more.")
        if self.embedded is not None:
            block = self.embedded.advance(blocks, seconds)
            # start-up: py-evm ~0.25 s (through .embedded): the embedded chain's, loaded by then
            from .demo import fund_accepted

            return block if not fund_accepted(self) else self.block_number
        try:
            if seconds:
                self._dev_rpc("evm_increaseTime", [seconds])
                blocks = max(blocks, 1)
            if blocks:
                try:
                    self._dev_rpc("anvil_mine", [hex(blocks)])
                except ChainError:
                    for _ in range(blocks):
                        self._dev_rpc("evm_mine", [])
        except ChainError as exc:
            if exc.reason == "node-unreachable":
                raise
            raise ChainError("unsupported", "This node cannot be told to mine or move time (only the "
                                            "embedded chain and development nodes such as anvil can); "
                                            "wait for the blocks instead.") from exc
        return self.block_number

    def _dev_rpc(self, method: str, params: list):
        response = self.w3.provider.make_request(method, params)
        if "error" in response:
            raise ChainError("unsupported", f"{method}: {response['error'].get('message', response['error'])}")
        return response.get("result")

    # ---- embedded faucet

    def fund(self, addresses: list[str]) -> list[str]:
        """Embedded chain only: give each address the faucet grant once (test ETH and
        BTK); returns the addresses funded now."""
        if self.embedded is None:
            return []
        # start-up: py-evm ~0.25 s (.embedded): the embedded chain's, loaded by then
        from .embedded import dev_address, dev_key

        funded = []
        for address in addresses:
            address = self.w3.to_checksum_address(address)
            marker = f"funded:{address}"
            if self.embedded.get_meta(marker) is not None:
                continue
            key = dev_key("faucet")
            token = self.contracts.token
            self.transact(key, {"to": address, "value": FAUCET_GRANT_ETH})
            faucet = dev_address("faucet")
            grant = min(FAUCET_GRANT_BTK, token.functions.balanceOf(faucet).call())
            if grant:
                self.transact(key, {"to": token.address, "data": token.encode_abi("transfer", [address, grant])})
            self.embedded.set_meta(marker, str(int(time.time())))
            self.embedded.commit()
            funded.append(address)
        return funded

    # ---- closing

    def close(self) -> None:
        if self.embedded is not None:
            self.embedded.close()
            self.embedded = None

    def __enter__(self) -> "Chain":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def node_error(exc: BaseException) -> ChainError:
    """A node's refusal (JSON-RPC error or eth-tester validation) as a ChainError."""
    message = _error_message(exc)
    lowered = message.lower()
    if "insufficient funds" in lowered or "cannot afford" in lowered:
        return ChainError("insufficient-eth", "Not enough ETH to pay for this transaction and its network "
                                              f"fee (the node said: {message}).")
    if "chain id" in lowered or "chainid" in lowered:
        return ChainError("chain-id-mismatch", f"The node refused a transaction signed for another network "
                                               f"({message}).")
    if "already known" in lowered or "already imported" in lowered:  # geth / anvil: this very transaction
        return ChainError("already-known", f"The node already has this transaction ({message}).")
    if "nonce too low" in lowered or "invalid transaction nonce" in lowered \
            or "replacement transaction underpriced" in lowered:
        return ChainError("nonce-used", f"The node refused the transaction's nonce ({message}); another "
                                        "transaction from this account took it.")
    return ChainError("rejected", f"The node refused the transaction: {message}")


def _error_message(exc: BaseException) -> str:
    rpc = getattr(exc, "rpc_response", None)
    if isinstance(rpc, dict) and isinstance(rpc.get("error"), dict):
        return str(rpc["error"].get("message", rpc["error"]))
    if exc.args and isinstance(exc.args[0], dict):
        return str(exc.args[0].get("message", exc.args[0]))
    return str(exc) or type(exc).__name__


# ---- connecting ------------------------------------------------------------------------

def connect(profile: NetworkProfile | None = None, data_dir: Path | None = None, *,
            timeout: float = DEFAULT_TIMEOUT, accounts: list[str] | None = None,
            lock_timeout: float = 10.0) -> Chain:
    """The Chain for ``profile`` (default: the one saved in ``data_dir``, else embedded).

    Embedded: opens ``<data_dir>/chain/embedded.sqlite``; on its first use deploys the suite
    and demo data; funds ``accounts`` from the faucet once each. RPC: checks that the node
    answers and serves the manifest's chain with the suite deployed."""
    if profile is None:
        profile = networks.load_profile(data_dir) if data_dir is not None else NetworkProfile()
    if profile.kind == EMBEDDED:
        if data_dir is None:
            raise ValueError("the embedded chain needs a data folder")
        ensure_private_dir(Path(data_dir))  # the chain may come before the vault: same 0700 folder
        chain = open_embedded(networks.chain_dir(data_dir) / "embedded.sqlite", lock_timeout=lock_timeout)
        try:
            if accounts:
                chain.fund(accounts)
        except BaseException:
            chain.close()
            raise
        return chain
    manifest = Manifest.load(profile.manifest)
    return connect_rpc(profile.url, manifest, timeout=timeout)


def connect_rpc(url: str, manifest: Manifest | None, *, timeout: float = DEFAULT_TIMEOUT,
                check_code: bool = True) -> Chain:
    # start-up: web3 ~0.25 s (as in _rpc_provider)
    from web3 import Web3

    w3 = Web3(_rpc_provider(url, timeout))
    try:
        chain_id = w3.eth.chain_id
    except ChainError:
        raise
    except Exception as exc:  # a server that is not a JSON-RPC node
        raise ChainError("node-unreachable", f"{networks.redact_url(url)} does not answer like an Ethereum "
                                             f"JSON-RPC node ({_error_message(exc)}).") from exc
    if manifest is not None and manifest.chain_id != chain_id:
        raise ChainError("chain-id-mismatch", f"The node at {networks.redact_url(url)} serves chain {chain_id}, "
                                              f"but the manifest{' ' + manifest.name if manifest.name else ''} "
                                              f"is for chain {manifest.chain_id}. Use the manifest of this "
                                              "network, or the node it was made for.",
                         expected=manifest.chain_id, actual=chain_id)
    chain = Chain(w3, RPC, chain_id, manifest, url=url)
    if manifest is not None and check_code:
        if not w3.eth.get_code(w3.to_checksum_address(manifest.contracts["token"])):
            raise ChainError("not-deployed", f"There is no BTK token contract at {manifest.contracts['token']} "
                                             f"on the node at {networks.redact_url(url)} (chain {chain_id}): "
                                             "the manifest does not match this node's state (was it "
                                             "restarted?). Deploy again with `vault chain deploy`.")
    return chain


def open_embedded(path: Path, *, lock_timeout: float = 10.0) -> Chain:
    # start-up: py-evm ~0.25 s (.embedded, .demo, .deploy; here and below); an RPC node's
    # users and this module's importers never pay it
    from .embedded import EMBEDDED_CHAIN_ID, EmbeddedChain

    embedded = EmbeddedChain.open(path, lock_timeout=lock_timeout)
    try:
        stored = embedded.get_meta("manifest")
        chain = Chain(embedded.w3, EMBEDDED, EMBEDDED_CHAIN_ID,
                      Manifest.from_json(json.loads(stored), "The embedded chain's manifest") if stored else None,
                      embedded=embedded)
        if chain.manifest is None:
            # start-up: py-evm (as above)
            from .deploy import setup_embedded

            with embedded.deferred():  # genesis, deployment and demo data: all or nothing
                manifest = setup_embedded(chain)
                embedded.set_meta("manifest", json.dumps(manifest.to_json()))
            chain.set_manifest(manifest)
        else:  # a chain made by an older version: contracts it lacks, accepts unanswered
            # start-up: py-evm (as above)
            from .demo import fund_accepted
            from .deploy import upgrade_embedded

            if extensions.missing(chain.manifest.contracts):
                with embedded.deferred():
                    upgrade_embedded(chain)
                    embedded.set_meta("manifest", json.dumps(chain.manifest.to_json()))
            fund_accepted(chain)
        return chain
    except BaseException:
        embedded.close()
        raise
