"""Typed results (issue 16): the chain's read functions give frozen dataclasses with
integer wei and a ``to_json()`` for the CLI's --json; the GUI reads the integers and never
parses a decimal string from the core back. ``parse_amount`` in ui/ reads only what a
person typed (a field's ``text()``); a scan of ui/ holds that, and crafted files show the
scan catches a core value parsed back."""

from __future__ import annotations

import ast
import dataclasses
import io
import json
from argparse import Namespace
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from vault.chain import marketplace, reputation, staking, talent, wallet
from vault.chain.units import ONE, format_amount
from vault.cli.io import emit

ROOT = Path(__file__).resolve().parents[1]
PARSERS = ("parse_amount", "Decimal")
# Functions that hand on typed text they were given by a signal, with where it was typed.
TYPED_TEXT_PARAMETERS = {
    ("ui/chain/governance/page.py", "_create_poll"): "the polls dialog's grant amount field (its create_requested)",
}


def _mentions_text(node: ast.AST) -> bool:
    """Whether ``node`` reads a widget's ``text()`` (e.g. ``field.text().strip()``)."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "text"
               for n in ast.walk(node))


def _typed_names(function: ast.AST) -> set[str]:
    """Local names bound, in ``function``, to an expression that reads a ``text()``, or
    looping over one (``[parse_amount(x) for x in field.text().split(",")]``)."""
    names = set()
    for n in ast.walk(function):
        if isinstance(n, ast.Assign) and _mentions_text(n.value):
            names.update(t.id for t in n.targets if isinstance(t, ast.Name))
        elif isinstance(n, ast.comprehension) and _mentions_text(n.iter) and isinstance(n.target, ast.Name):
            names.add(n.target.id)
    return names


def parsed_back(path: Path, root: Path = ROOT) -> list[str]:
    """``file:line`` of each ``parse_amount(…)`` / ``Decimal(…)`` in ``path`` whose argument
    is not what a person typed: not a ``text()``, nor a local name bound to one, nor a
    parameter listed in TYPED_TEXT_PARAMETERS. A ``from decimal import`` counts too."""
    relative = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = [f"{relative}:{n.lineno}" for n in ast.walk(tree)
             if isinstance(n, ast.ImportFrom) and n.module == "decimal"]

    def visit(node: ast.AST, functions: tuple) -> None:   # functions: the enclosing ones, innermost last
        for child in ast.iter_child_nodes(node):
            inner = functions + ((child,) if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                                 else ())
            if isinstance(child, ast.Call) and getattr(child.func, "id", getattr(child.func, "attr", None)) in PARSERS:
                arg = child.args[0] if child.args else None
                allowed = arg is not None and (
                    _mentions_text(arg)
                    or (isinstance(arg, ast.Name) and any(
                        arg.id in _typed_names(f) or (relative, getattr(f, "name", "")) in TYPED_TEXT_PARAMETERS
                        for f in functions))
                    or (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute)   # x.strip() of typed x
                        and isinstance(arg.func.value, ast.Name)
                        and any(arg.func.value.id in _typed_names(f) for f in functions)))
                if not allowed:
                    found.append(f"{relative}:{child.lineno}")
            visit(child, inner)

    visit(tree, ())
    return sorted(found)


def test_the_gui_never_parses_a_core_amount_back():
    found = [line for path in sorted((ROOT / "ui").rglob("*.py")) for line in parsed_back(path)]
    assert found == [], ("parse_amount/Decimal on something a person did not type: read the core's typed "
                         "result (integer wei) instead:\n" + "\n".join(found))


def test_the_scan_catches_a_core_value_parsed_back(tmp_path):
    """Crafted: a status dict's decimal string, a typed result's field, a wrapper over any
    value and a Decimal are each found; a field's text, a name bound to it and the
    listed signal parameter are not."""
    folder = tmp_path / "ui" / "chain" / "governance"
    folder.mkdir(parents=True)
    bad = folder / "bad.py"
    bad.write_text(
        "from decimal import Decimal\n"
        "from vault.chain.units import parse_amount\n"
        "def show(s):\n"
        "    return parse_amount(s['available'], allow_zero=True)\n"
        "def tile(s):\n"
        "    return parse_amount(s.available)\n"
        "btk = lambda amount: parse_amount(amount)\n"
        "def wei(amount):\n"
        "    return Decimal(amount)\n"
        "def tranches(g):\n"
        "    return [parse_amount(x) for x in g['milestones']]\n")
    good = folder / "page.py"
    good.write_text(
        "from vault.chain.units import parse_amount\n"
        "class P:\n"
        "    def value(self):\n"
        "        return parse_amount(self.amount.text())\n"
        "    def check(self, field):\n"
        "        text = field.text().strip()\n"
        "        return parse_amount(text)\n"
        "    def _create_poll(self, question, amount):\n"
        "        return lambda service: parse_amount(amount)\n"
        "    def tranches(self):\n"
        "        return [parse_amount(x.strip()) for x in self.amounts.text().split(',')]\n")
    assert sorted(parsed_back(bad, tmp_path), key=lambda at: int(at.rsplit(":", 1)[1])) == [
                                          "ui/chain/governance/bad.py:1", "ui/chain/governance/bad.py:4",
                                          "ui/chain/governance/bad.py:6", "ui/chain/governance/bad.py:7",
                                          "ui/chain/governance/bad.py:9", "ui/chain/governance/bad.py:11"]
    assert parsed_back(good, tmp_path) == []


TYPED = (staking.Validator, staking.Cooldown, staking.StakingStatus, wallet.Holdings, reputation.Bond,
         reputation.Slash, marketplace.Gig, talent.Offer, talent.Bid, talent.Gate)


@pytest.mark.parametrize("result", TYPED, ids=lambda t: t.__name__)
def test_read_results_are_frozen_dataclasses_with_integer_wei(result):
    assert dataclasses.is_dataclass(result) and result.__dataclass_params__.frozen
    assert callable(getattr(result, "to_json", None))
    amounts = {"amount", "staked", "available", "pending_rewards", "total_delegated", "total_unbonding", "eth",
               "btk", "bonded", "unbonding", "slashed_total", "price", "budget", "bond", "fee", "treasury",
               "burned", "stake", "min_stake"}
    hints = {f.name: f.type for f in dataclasses.fields(result)}
    assert {name: hints[name] for name in amounts & set(hints)} == {name: "int" for name in amounts & set(hints)}


def test_to_json_is_the_cli_json_exact_to_the_last_wei():
    """One wei above 1,500.25 BTK stays exact in the JSON (no float, no rounding), and the
    CLI's emit prints a typed result, nested ones too, as its to_json()."""
    amount = 1500 * ONE + ONE // 4 + 1
    cooldown = staking.Cooldown(amount, 120, 3, False, None, 36, False)
    status = staking.StakingStatus("0xAbC", 117, amount, 0, 0, 2 * ONE, cooldown, 20)
    assert status.to_json() == {"address": "0xAbC", "block": 117, "staked": "1500.250000000000000001",
                                "validator": 0, "pending_rewards": "0", "available": "2",
                                "cooldown": {"amount": "1500.250000000000000001", "ready_at_block": 120,
                                             "blocks_left": 3, "ready": False, "eta": None,
                                             "seconds_estimate": 36, "block_time_measured": False},
                                "cooldown_blocks": 20}
    held = wallet.Holdings("0xAbC", 31337, ONE // 2, amount, 0, "premium", "patron", 8_500 * ONE)
    out = io.StringIO()
    with redirect_stdout(out):
        emit(Namespace(json=True), {"holdings": held, "validators": [staking.Validator(0, "0x1", "A", 250, False,
                                                                                       amount, 0)]})
    printed = json.loads(out.getvalue())
    assert printed["holdings"] == {"address": "0xAbC", "ETH": "0.5", "BTK": format_amount(amount), "staked": "0",
                                   "tier": "premium"}
    assert printed["validators"][0]["total_delegated"] == "1500.250000000000000001"
    assert printed["validators"][0]["commission"] == "2.5 %"
    with pytest.raises(TypeError):   # anything else still fails loudly, as json.dump does
        with redirect_stdout(io.StringIO()):
            emit(Namespace(json=True), {"x": object()})
