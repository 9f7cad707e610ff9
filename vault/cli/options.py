"""The options every command takes, the ones several share, and the one way a command
is added to the parser (commands/<group>.py add theirs with ``command``)."""

from __future__ import annotations

import argparse
from functools import cache

from .. import paths
from ..store.kdf import DEFAULT_TARGET_SECONDS
from .io import ENV_PASSPHRASE


@cache
def common() -> argparse.ArgumentParser:
    """--data-dir, --json, --passphrase-file: accepted before the command and after it."""
    parser = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before the command is not reset by the subparser's default.
    parser.add_argument("--data-dir", default=argparse.SUPPRESS, help="vault data folder "
                        f"(default: ${paths.ENV_HOME} or the platform's user data folder)")
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="machine-readable output on stdout")
    parser.add_argument("--passphrase-file", default=argparse.SUPPRESS,
                        help=f"read the passphrase from this file (or set ${ENV_PASSPHRASE})")
    return parser


def command(parent, name, func, help_text):
    """Add the command ``name`` running ``func(args)`` to ``parent`` (a subparsers action)."""
    p = parent.add_parser(name, parents=[common()], help=help_text, description=help_text)
    p.set_defaults(func=func)
    return p


def kdf_option(p) -> None:
    p.add_argument("--kdf-seconds", type=float, default=DEFAULT_TARGET_SECONDS,
                   help="tune the key derivation to take about this long here "
                        "(default %(default)s; 0 = the floor, 64 MiB and 3 passes)")


def online_option(p) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--online", dest="online", action="store_const", const=True,
                       help="fetch the status lists (revocation) the credentials name and the issuers' keys "
                            "(did:web, https), Blockcerts anchors and hosted Open Badges 2.0: at most 8 of "
                            "each, 10 s in all")
    group.add_argument("--offline", dest="online", action="store_const", const=False,
                       help="use only status lists and issuer keys saved in the vault (the default)")
    p.add_argument("--explorer", action="append", metavar="CHAIN=URL",
                   help="with --online, where Blockcerts anchors are read: bitcoin / bitcoin-testnet (an "
                        "esplora API, default blockstream.info), ethereum / sepolia (a JSON-RPC endpoint)")


def chain_option(p) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--chain", dest="chain", action="store_true", default=None,
                       help="check soulbound anchors on the network this data folder uses "
                            "(default: when it uses one)")
    group.add_argument("--no-chain", dest="chain", action="store_false", help="do not ask the chain")


DO_IT = "do it without asking after the preview"   # --yes of wallet, stake and soulbound


def write_options(p, yes_help: str = "send without asking after the preview") -> None:
    """--from and --yes of a command that signs a transaction."""
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="which vault account (default: the first)")
    p.add_argument("--yes", action="store_true", help=yes_help)
