"""The `vault` argument parser, assembled from each command group's ``add_parser(sub)``.

It is built on each call of main(), so a command looks up its function in its module
then (a test may replace ``commands.setup.cmd_status``)."""

from __future__ import annotations

import argparse

from .. import __version__
from .commands import (chain, credential, dao, did, keys, market, present, serve, setup, soulbound, stake, trust,
                       tx, verify, wallet)
from .options import common

# In the order `vault --help` lists them.
GROUPS = (setup.add_parser, did.add_parser, keys.add_parser, credential.add_parser, present.add_parser,
          verify.add_parser, present.add_log_parser, trust.add_parser, setup.add_phrase_parser,
          chain.add_parser, tx.add_parser, wallet.add_parser, stake.add_parser, soulbound.add_parser,
          dao.add_parser, market.add_parser, serve.add_parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vault", parents=[common()],
        description="Blocktrack Vault: credentials, DIDs and keys, encrypted on this machine.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug messages on stderr and "
                        "keep them in the data folder's logs/vault.log (never secrets)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_parser in GROUPS:
        add_parser(sub)
    return parser
