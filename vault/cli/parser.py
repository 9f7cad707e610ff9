"""The `vault` argument parser, assembled from each command group's ``add_parser(sub)``.

It is built on each call of main(), so a command looks up its function in its module
then (a test may replace ``commands.setup.cmd_status``). Only the module of the command
that runs is imported (importing all of them pulled in every verifier, ~200-450 ms a
command): ``GROUPS`` names every top-level command with its help line, so `vault --help`
lists them all without importing any; tests/test_cli_parser.py checks it against what the
modules register.
"""

from __future__ import annotations

import argparse
import importlib

from .. import __version__
from .options import common

# In the order `vault --help` lists them: (module in vault.cli.commands, its function adding
# the commands, {command: help line} as that function registers them).
GROUPS = (
    ("setup", "add_parser", {
        "init": "create a new vault and print its recovery phrase once",
        "restore": "create a vault from a recovery phrase",
        "status": "where the vault is, its state and its identities",
        "check": "check every page of the vault database for damage or tampering (other commands check "
                 "in full before they write)",
        "passphrase": "change the passphrase",
        "backup": "write an encrypted backup (backup OUT) or restore one into an empty data folder "
                  "(backup restore IN)"}),
    ("did", "add_parser", {"did": "list, create and resolve DIDs"}),
    ("keys", "add_parser", {"key": "issuer keys kept for offline checks"}),
    ("credential", "add_parser", {"credential": "import, verify, list and show credentials"}),
    ("receive", "add_parser", {"receive": "receive credentials from an issuer's OpenID4VCI offer or VC-API "
                                          "exchange (openid-credential-offer:// or dccrequest:// link, a file "
                                          "holding it, or a QR image)"}),
    ("present", "add_parser", {"present": "sign a presentation of stored credentials for a verifier, or answer a "
                                          "verifier's OpenID4VP request (--request)"}),
    ("verify", "add_parser", {"verify": "verify a presentation (image, folder of QR parts, JSON or JWT file); "
                                        "needs no vault; exit 0 valid, 1 invalid; or make an OpenID4VP request "
                                        "(--request-out) and verify its answer"}),
    ("present", "add_log_parser", {"presentation": "the presentations you made"}),
    ("trust", "add_parser", {"trust": "the issuers you trust: add, list, remove; and the certificate authorities "
                                      "for issuers' X.509 chains: add-ca CERT.pem, list-ca, remove-ca FINGERPRINT"}),
    ("setup", "add_phrase_parser", {"recovery-phrase": "show the recovery phrase"}),
    ("chain", "add_parser", {"chain": "the blockchain network: status, choose, deploy, advance"}),
    ("tx", "add_parser", {"tx": "send transactions; the transaction history"}),
    ("wallet", "add_parser", {"wallet": "balances, send, tip, history"}),
    ("stake", "add_parser", {"stake": "validators, stake, unstake, withdraw, claim, status"}),
    ("soulbound", "add_parser", {"soulbound": "anchor, revoke and check soulbound credentials"}),
    ("dao", "add_parser", {"gov": "governance: voting power, delegation, proposals, votes"}),
    ("market", "add_parser", {"market": "the talent market (offers, bids backed by stake, gates); and the "
                                        "older escrow marketplace"}),
    ("connector", "add_parser", {"connector": "connectors for life: referrers and their earnings"}),
    ("rewards", "add_parser", {"rewards": "learn-to-earn: rewards for anchored credentials, bounties"}),
    ("reputation", "add_parser", {"bond": "reputation bond: add, unbond, withdraw, status"}),
    ("reputation", "add_score_parser", {"trust-score": "an account's trust score with its parts: bond, anchored "
                                                       "credentials, completed gigs, slashes"}),
    ("review", "add_parser", {"review": "staked peer review: submit, list, vote, finalize, withdraw"}),
    ("issuer", "add_parser", {"issuer": "issue credentials: profiles, achievements, status, the issued log",
                              "issue": "issue an Open Badges 3.0 credential from an issuer profile"}),
    ("serve", "add_parser", {"serve": "run the verifier as a local W3C VC-API service (127.0.0.1 only; "
                                      "needs no vault)"}),
)


def group_of(command: str) -> tuple[str, str] | None:
    """(module, function) that registers the top-level ``command``; None if none does."""
    return next(((module, adder) for module, adder, names in GROUPS if command in names), None)


def adder(module: str, name: str):
    return getattr(importlib.import_module(f"{__package__}.commands.{module}"), name)


def build_parser(command: str | None = None, *, every: bool = False) -> argparse.ArgumentParser:
    """The parser with ``command``'s group in full (``every``: all groups, importing every
    module) and the other commands as their name and help line only."""
    parser = argparse.ArgumentParser(
        prog="vault", parents=[common()],
        description="Blocktrack Vault: credentials, DIDs and keys, encrypted on this machine.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug messages on stderr and "
                        "keep them in the data folder's logs/vault.log (never secrets)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module, name, commands in GROUPS:
        if every or command in commands:
            adder(module, name)(sub)
        else:
            for each, help_text in commands.items():
                # a stand-in: accepts anything; parse_args builds the real one and parses again
                sub.add_parser(each, help=help_text, add_help=False).set_defaults(func=None)
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse once with every command a stand-in to learn which runs, then with its group."""
    args, _ = build_parser().parse_known_args(argv)
    return build_parser(args.command).parse_args(argv)
