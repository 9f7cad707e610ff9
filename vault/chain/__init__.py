"""The web3 side of the vault: networks, the embedded chain, contracts, transactions.

One concern per module (import them directly; this package imports nothing heavy, so
the GUI can import ``vault.chain`` without paying for web3 at start-up):

  units         the one parser of amounts and of addresses (0x… or did:pkh), the formatters
  abi           ABI types, selectors, constructor calldata
  networks      which network the vault uses (embedded / rpc) and deployment manifests
  embedded      the in-process py-evm chain persisted in ``<data_dir>/chain/embedded.sqlite``
  contracts     the built artifacts and typed handles on a deployed suite
  revert        revert data (custom errors, Error(string), Panic) -> sentences
  deploy        deploy the suite to any web3 and write its manifest
  client        connect: a ``Chain`` (web3, chain id, contracts), checked against the manifest
  transactions  the one service for every write: preview, sign, send, wait, history;
                ``TxService.run(plan, confirm, progress)`` for every write of the app and CLI
  plan          a write as a Plan (its requests, each with its gas margin) and the
                Confirmation ``run`` asks about
  session       identity + network + TxService opened once (the CLI's and the desktop's)
  nonces        one nonce queue per account
  fees          the fee signed: never above the confirmed one, nor a node's implausible proposal
  records       the rows of the transaction history (TxRecord), with the fee they were signed for
  deferred      py_ecc's pairing modules run at the first pairing, not at import
"""

from .deferred import install as _defer_pairings

# Before anything here imports eth-account or py-evm: py_ecc's pairing tables wait for a
# pairing (vault/chain/deferred.py).
_defer_pairings()
