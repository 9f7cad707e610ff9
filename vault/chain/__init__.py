"""The web3 side of the vault: networks, the embedded chain, contracts, transactions.

One concern per module (import them directly; this package imports nothing heavy, so
the GUI can import ``vault.chain`` without paying for web3 at start-up):

  networks      which network the vault uses (embedded / rpc) and deployment manifests
  embedded      the in-process py-evm chain persisted in ``<data_dir>/chain/embedded.sqlite``
  contracts     the built artifacts and typed handles on a deployed suite
  revert        revert data (custom errors, Error(string), Panic) -> sentences
  deploy        deploy the suite to any web3 and write its manifest
  client        connect: a ``Chain`` (web3, chain id, contracts), checked against the manifest
  transactions  the one service for every write: preview, sign, send, wait, history
  fees          the fee signed: never above the confirmed one, nor a node's implausible proposal
  records       the rows of the transaction history (TxRecord), with the fee they were signed for
"""
