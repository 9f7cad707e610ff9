"""What an extension is: a contract beyond the core six, and how it is deployed.

Kept free of the chain client (the client and deploy.py import this), so that an
extension module can be read, registered and tested without opening a chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass
class DeployContext:
    """What an extension's ``deploy`` gets: the connected chain (``client.Chain``), the
    addresses deployed so far (the core six and the extensions before it, by manifest
    key), the deployment parameters (deploy-parameters.json as deployed), and the
    deployer's ``create``/``call``/``send`` (which count nonces and record blocks)."""

    chain: object
    addresses: dict[str, str]
    params: dict
    deployer: str
    create: Callable[..., str]          # create("Artifact", *constructor_args) -> address
    call: Callable[..., None]           # call(address, "Artifact", "function", *args)
    send: Callable[[dict], object]      # send({"to": …, "data": …}) -> receipt


@dataclass(frozen=True)
class Extension:
    """One contract of the suite beyond the core.

    ``key``: its manifest key (``chain.contracts.extension(key)``); ``artifact``: the
    built contract's name; ``title``: what it is in a person's words ("the talent
    marketplace"), used in "… is not deployed on this network"; ``deploy``: creates and
    wires it, returns its address (it must be governed by the timelock, which the core
    deployed: ``ctx.addresses["timelock"]``); ``demo``: the embedded chain's demo data for
    it, run once right after it is deployed there (``demo(chain)``, the manifest already
    holding the new key), or None."""

    key: str
    artifact: str
    title: str
    deploy: Callable[[DeployContext], str]
    demo: Callable[[object], None] | None = None
