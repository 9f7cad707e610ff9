"""Layering: `vault.credentials` and `vault.chain` do not import each other (issue 16).
Soulbound anchoring joins them from above (`vault.anchoring`). Every import counts: a
function-level import hides a cycle as well as a top-level one."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path, package: str) -> set[str]:
    """Every module ``path`` (in ``package``) imports, wherever the import statement is:
    top level, in a function, in a class, under ``if TYPE_CHECKING``; relative imports
    resolved; ``importlib.import_module("…")`` with a literal name included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    parts = package.split(".")
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(parts[:len(parts) - node.level + 1] if node.level else [])
            module = ".".join(p for p in (base, node.module or "") if p)
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)   # `from vault import chain`
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            out.add(node.args[0].value)
    return out


def imports_of(package: str, forbidden: str, root: Path = ROOT) -> list[str]:
    """``file: module`` for each import of ``forbidden`` (or a module in it) under ``package``."""
    folder = root.joinpath(*package.split("."))
    found = []
    for path in sorted(folder.rglob("*.py")):
        inner = ".".join(path.relative_to(root).parts[:-1])   # a module's package; __init__'s own
        for module in sorted(imported_modules(path, inner)):
            if module == forbidden or module.startswith(forbidden + "."):
                found.append(f"{path.relative_to(root)}: {module}")
    return found


def test_credentials_and_chain_do_not_import_each_other():
    assert imports_of("vault.credentials", "vault.chain") == []
    assert imports_of("vault.chain", "vault.credentials") == []


def test_the_check_sees_hidden_and_relative_imports(tmp_path):
    """The rule is only as good as its walker: imports hidden the ways they were hidden
    before (inside a function, relative, `from vault import chain`) are each found."""
    credentials = tmp_path / "vault" / "credentials"
    (credentials / "suites").mkdir(parents=True)
    (tmp_path / "vault" / "chain").mkdir()
    (credentials / "service.py").write_text(
        "import json\n\ndef check(data):\n    from ..chain import soulbound\n    return soulbound\n")
    (credentials / "suites" / "deep.py").write_text(
        "class A:\n    def f(self):\n        from ...chain.client import connect\n")
    (credentials / "top.py").write_text("from vault import chain\nimport importlib\n"
                                        "x = importlib.import_module('vault.chain.networks')\n")
    (credentials / "fine.py").write_text("from .verdict import Verdict\nfrom ..errors import ChainError\n")
    (tmp_path / "vault" / "chain" / "ok.py").write_text("from ..errors import ChainError\n")
    found = imports_of("vault.credentials", "vault.chain", tmp_path)
    assert found == ["vault/credentials/service.py: vault.chain",
                     "vault/credentials/service.py: vault.chain.soulbound",
                     "vault/credentials/suites/deep.py: vault.chain.client",
                     "vault/credentials/suites/deep.py: vault.chain.client.connect",
                     "vault/credentials/top.py: vault.chain",
                     "vault/credentials/top.py: vault.chain.networks"]
    assert imports_of("vault.chain", "vault.credentials", tmp_path) == []
