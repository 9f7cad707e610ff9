"""The command line imports only the module of the command that runs; `vault --help` still
lists every command, as the modules register them."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vault.cli import parser as cli_parser

ROOT = Path(__file__).resolve().parents[1]


def _commands(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [(a.dest, a.help) for a in sub._choices_actions]


def _help(parser: argparse.ArgumentParser) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    return out.getvalue()


def test_the_table_is_what_the_modules_register():
    """A group added to a module but not to GROUPS (or a changed help line) fails here."""
    table = [(name, text) for _, _, commands in cli_parser.GROUPS for name, text in commands.items()]
    assert _commands(cli_parser.build_parser(every=True)) == table
    for module, adder, commands in cli_parser.GROUPS:
        alone = argparse.ArgumentParser().add_subparsers(dest="command")
        cli_parser.adder(module, adder)(alone)
        assert list(alone.choices) == list(commands), module


def test_help_lists_every_command_without_importing_them():
    assert _help(cli_parser.build_parser()) == _help(cli_parser.build_parser(every=True))


@pytest.mark.parametrize("argv, group", [
    (["credential", "list"], "credential"),
    (["--json", "--data-dir", "/nowhere", "credential", "list", "--limit", "3"], "credential"),
    (["check"], "setup"),
    (["verify", "--help-not-an-option-here"], None),
])
def test_only_the_running_commands_module_is_imported(argv, group):
    code = ("import sys\nfrom vault.cli.parser import parse_args\n"
            f"try:\n    args = parse_args({argv!r})\nexcept SystemExit:\n    args = None\n"
            "print(args is not None and callable(args.func))\n"
            "print(' '.join(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('vault.cli.commands.'))))\n"
            "print('vault.presentations' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                         check=True).stdout.splitlines()
    if group is None:   # a usage error: the group was imported to say so, nothing ran
        assert out[0] == "False" and out[1] == "verify"
        return
    assert out == ["True", group, "False"]


def test_market_help_shows_the_talent_market_first_and_post_as_the_older_escrow():
    """`vault market --help`: a person meets post-offer (bids, gates) before the older `post`,
    which still parses and says what it is."""
    parser = cli_parser.build_parser(every=True)
    market = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["market"]
    names = [name for name, _ in _commands(market)]
    assert names.index("post-offer") < names.index("post") and names[0] == "offers"
    helps = dict(_commands(market))
    assert helps["post"].startswith("older escrow marketplace") and "new offers: post-offer" in helps["post"]
    args = parser.parse_args(["market", "post", "--price", "5", "--title", "Old gig"])
    assert (args.sub, args.price, args.kind) == ("post", "5", "gig")
