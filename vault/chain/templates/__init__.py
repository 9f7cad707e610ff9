"""Governance templates beyond the built-in four: one module per feature in this package,
each defining ``TEMPLATES`` (a tuple of ``Template``, see base.py), listed in ``_MODULES``.

A registered template is, with no other change: a ``vault gov propose --template KEY
--param NAME=VALUE …`` choice, a choice in the Governance page's "New proposal" dialog
(a form of its fields), and a proposal's action in words wherever proposals are shown
(``Governance.describe_call``).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import lru_cache
from importlib import import_module

from ...errors import ChainError
from .base import KINDS, Field, Template

__all__ = ["KINDS", "Field", "Template", "registered", "get", "for_call", "words", "make_call"]
logger = logging.getLogger(__name__)

# Module names in this package. Adding templates: a module here, a line here.
_MODULES: tuple[str, ...] = ("soulbound", "talent_market", "learning", "grants", "subdaos", "badges",
                              "weighted_governor")
BUILT_IN = ("grant", "market-fee", "reward-rate", "slash", "raw")


@lru_cache(maxsize=1)
def _loaded() -> dict[str, Template]:
    found: dict[str, Template] = {}
    for name in _MODULES:
        for template in import_module(f"{__name__}.{name}").TEMPLATES:
            if template.key in found or template.key in BUILT_IN:
                raise RuntimeError(f"two governance templates are called {template.key!r}")
            found[template.key] = template
    return found


def registered() -> dict[str, Template]:
    """Key -> template, in registration order."""
    return dict(_loaded())


def get(key: str) -> Template:
    template = _loaded().get(key)
    if template is None:
        raise ChainError("invalid-argument", f"There is no governance template {key!r}; there are: "
                                             f"{', '.join(BUILT_IN + tuple(_loaded()))}.")
    return template


def for_call(contract_key: str, function: str) -> Template | None:
    """The template that makes calls of ``function`` on ``contract_key``, for words."""
    for template in _loaded().values():
        if template.contract == contract_key and template.function == function:
            return template
    return None


def words(template: Template, args: dict, chain) -> str:
    """A decoded call of ``template`` in words, with the names its ``lookup`` finds on chain
    (the words without them when the chain cannot say)."""
    extra = {}
    if template.lookup is not None:
        try:
            extra = template.lookup(args, chain)
        except Exception:  # noqa: BLE001 - a node that cannot say: the words without the names
            logger.debug("no names for a %s call", template.key, exc_info=True)
    return template.describe(args | extra)


def make_call(governance, key: str, raw: dict):
    """The proposal call of template ``key`` from its fields as typed (name -> text):
    parsed, checked against the chain, encoded (a governance.Call with its words)."""
    template = get(key)
    values = template.parse(raw, governance.chain.chain_id)
    contract = governance.chain.contracts.get(template.contract)
    call = governance.contract_call(contract, template.function, template.args(values, governance))
    if template.more is None:
        return call
    more = tuple(governance.contract_call(governance.chain.contracts.get(k), fn, args)
                 for k, fn, args in template.more(values, governance))
    return replace(call, more=more, summary="; ".join(c.summary for c in (call, *more)))
