"""Defer py_ecc's pairing modules until a pairing is computed.

Importing them checks the line functions and builds the Frobenius tables (~0.25 s of the
~0.85 s that opening the embedded chain spends importing). They come in through
eth-keyfile (eth-account's import, for the BLS keystores of version 4 that the vault never
makes) and py-evm's precompiles: the BLS12-381 ones are Prague's (the embedded chain runs
Cancun), alt_bn128's pairing is a Cancun precompile that our contracts never call.

``install()`` puts a finder ahead of Python's. A module named in ``DEFERRED`` is then
created with a forwarder for each of its top-level functions (what its importers take
from it: ``from .optimized_pairing import pairing``); its own code, checks included, runs
once, under a lock, at the first call of a forwarder or the first read of any other name.
``importlib.util.LazyLoader`` alone would not defer them: taking a name from a module is
an attribute read, which runs it at once.
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import sys
import threading
import types

DEFERRED = frozenset({
    "py_ecc.optimized_bls12_381.optimized_pairing",  # ~130 ms: py-evm's BLS precompiles, eth-keyfile
    "py_ecc.bls12_381.bls12_381_pairing",  # ~65 ms: eth-keyfile (curve_order of a v4 keystore)
    "py_ecc.bls.point_compression",  # with hash_to_curve, ~30 ms: the constants both import
    "py_ecc.bls.hash_to_curve",  # (eth-keyfile, py-evm's BLS precompiles)
    "py_ecc.optimized_bn128.optimized_pairing",  # ~15 ms: py-evm's alt_bn128 precompiles
})


class DeferredModule(types.ModuleType):
    """A module whose code has not run yet; reading a name it lacks runs it."""

    def __getattr__(self, name: str):
        # The import system probes dunders (__path__ …) without needing the code; a star
        # import asks for __all__ and then takes every public name: those need it.
        if name.startswith("__") and name != "__all__":
            raise AttributeError(name)
        load(self)
        return object.__getattribute__(self, name)


def is_loaded(module: types.ModuleType) -> bool:
    return not isinstance(module, DeferredModule) or module.__dict__["_deferred_state"]["loaded"]


def load(module: DeferredModule) -> None:
    """Run the module's own code in it (once; later callers wait for the first)."""
    state = module.__dict__["_deferred_state"]
    with state["lock"]:
        if state["loaded"]:
            return
        if state["running"]:  # its own code reads a name it has not defined yet
            raise ImportError(f"{module.__name__} reads a name it does not define while it is being loaded")
        state["running"] = True
        try:
            state["loader"].exec_module(module)
            state["loaded"] = True
        finally:
            state["running"] = False


def _forwarder(module: DeferredModule, name: str):
    def forward(*args, **kwargs):
        load(module)
        return module.__dict__[name](*args, **kwargs)

    forward.__name__ = forward.__qualname__ = name
    forward.__module__ = module.__name__
    return forward


class _Loader(importlib.abc.Loader):
    def __init__(self, loader, source: str):
        self.loader, self.source = loader, source

    def create_module(self, spec):
        return DeferredModule(spec.name)

    def exec_module(self, module) -> None:
        module.__dict__["_deferred_state"] = {"lock": threading.RLock(), "loaded": False, "running": False,
                                              "loader": self.loader}
        for node in ast.parse(self.source).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                setattr(module, node.name, _forwarder(module, node.name))


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in DEFERRED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        try:
            source = spec.loader.get_source(name) if spec is not None else None
        except (AttributeError, ImportError, OSError):
            source = None
        if source is None:   # no source to read its functions from (a frozen bundle): imported as is
            return spec
        spec.loader = _Loader(spec.loader, source)
        return spec


_FINDER = _Finder()


def install() -> None:
    """Defer the modules of ``DEFERRED`` not imported yet (idempotent)."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
