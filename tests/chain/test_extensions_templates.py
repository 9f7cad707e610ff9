"""The two registries that let a feature add a contract or a governance template in one
place: an extension is deployed on a user's existing embedded chain when it is opened
(and reached by key; a network without it says so), and a registered template is a
proposal the core checks, the CLI offers and the words describe, passed end to end."""

from __future__ import annotations

import json

import pytest

from tests.chain.conftest import USER_ADDRESS, copy_embedded
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain
from tests.chain.test_flow_gov import send
from vault.chain import client, extensions, templates
from vault.chain.extensions import Extension
from vault.chain.governance import Governance
from vault.chain.networks import Manifest
from vault.chain.templates.soulbound import ISSUER_ROLE
from vault.errors import ChainError

NEWCOMER = "0x00000000000000000000000000000000000A11cE"


def _test_extension(demo_calls: list) -> Extension:
    def deploy(ctx):
        assert {"timelock", "token", "soulbound"} <= set(ctx.addresses)   # the core is there first
        return ctx.create("TestReentrantToken")

    return Extension("testext", "TestReentrantToken", "the test token", deploy, demo=demo_calls.append)


def test_an_older_embedded_chain_gets_a_new_extension_when_opened(embedded_template, tmp_path, monkeypatch):
    copy_embedded(embedded_template, tmp_path)
    with client.connect(None, tmp_path) as chain:   # this version: no extension registered
        with pytest.raises(ChainError) as err:
            chain.contracts.extension("testext")
        assert err.value.reason == "not-deployed" and "The testext contract is not deployed" in str(err.value)
    demo: list = []
    monkeypatch.setattr(extensions, "_loaded", lambda: (_test_extension(demo),))
    with client.connect(None, tmp_path) as chain:   # the next version registers one
        address = chain.manifest.contracts["testext"]
        token = chain.contracts.extension("testext")
        assert token.address == address and token.functions.symbol().call() == "TRT"
        assert chain.contracts.get("testext") is token
        assert ("testext", token) in chain.contracts.all()   # proposals calling it are decoded
        assert len(demo) == 1
    with client.connect(None, tmp_path) as chain:   # kept, not deployed twice
        assert chain.manifest.contracts["testext"] == address and len(demo) == 1


def test_a_network_lacking_an_extension_names_it(chain, monkeypatch):
    monkeypatch.setattr(extensions, "_loaded", lambda: (_test_extension([]),))
    chain.set_manifest(chain.manifest)   # handles made again, with the titles
    with pytest.raises(ChainError) as err:
        chain.contracts.extension("testext")
    assert "The test token is not deployed on this network" in str(err.value)


def test_manifest_extension_addresses_are_checked():
    data = {"chain_id": 5, "deployment_block": 1,
            "contracts": {k: "0x" + "11" * 20 for k in ("timelock", "token", "governor", "staking", "marketplace",
                                                         "soulbound")}}
    data["contracts"]["talent"] = "0x" + "22" * 20
    assert Manifest.from_json(json.loads(json.dumps(data))).contracts["talent"] == "0x" + "22" * 20
    data["contracts"]["talent"] = "0x12"
    with pytest.raises(ChainError) as err:
        Manifest.from_json(data)
    assert "the talent address '0x12' is not an address" in str(err.value)


def test_issuer_role_template_checked_described_and_passed(chain, service):
    gov = Governance(chain)
    with pytest.raises(ChainError) as err:   # nothing to take back
        templates.make_call(gov, "issuer-revoke", {"account": NEWCOMER})
    assert "does not hold the issuer role" in str(err.value)
    with pytest.raises(ChainError) as err:
        templates.make_call(gov, "issuer-grant", {"account": "0x1234"})
    assert err.value.reason == "invalid-recipient" and "40 hexadecimal" in str(err.value)
    with pytest.raises(ChainError) as err:
        templates.make_call(gov, "issuer-grant", {"account": NEWCOMER, "fee": "1"})
    assert "has no field fee" in str(err.value)
    with pytest.raises(ChainError) as err:
        templates.make_call(gov, "nope", {})
    assert "issuer-grant" in str(err.value)

    call = templates.make_call(gov, "issuer-grant", {"account": NEWCOMER.lower()})
    assert call.target == chain.contracts.soulbound.address
    assert call.summary == f"Grant the credential issuer role to {NEWCOMER}"

    send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
    chain.advance(1)
    record = send(service, gov.propose_request(service, USER_ADDRESS, [call], "Make Alice an issuer"))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    assert gov.proposal(pid)["calls"][0]["summary"] == call.summary   # read back from the chain in words
    chain.advance(2)
    send(service, gov.vote_request(service, USER_ADDRESS, pid, "for"))
    chain.advance(gov.proposal(pid)["deadline"] - chain.block_number + 1)
    send(service, gov.queue_request(service, USER_ADDRESS, pid))
    chain.advance(1, 61)
    send(service, gov.execute_request(service, USER_ADDRESS, pid))
    assert chain.contracts.soulbound.functions.hasRole(ISSUER_ROLE, NEWCOMER).call()
    with pytest.raises(ChainError) as err:   # granted already: a second proposal would do nothing
        templates.make_call(gov, "issuer-grant", {"account": NEWCOMER})
    assert "already holds the issuer role" in str(err.value)
    assert templates.make_call(gov, "issuer-revoke", {"account": NEWCOMER}).summary == \
        f"Take the credential issuer role from {NEWCOMER}"
    fee = templates.make_call(gov, "issuance-fee", {"fee": "2.5"})
    assert fee.summary == "Set the credential issuance fee to 2.5 BTK"


def test_cli_offers_registered_templates_with_their_fields(vault):
    code, _, err = vault("gov", "propose", "--template", "issuer-grant", "--param", "account",
                         "--description", "x", "--yes")
    assert code == 2 and "--param takes NAME=VALUE" in err
    code, _, err = vault("gov", "propose", "--template", "issuer-grant", "--param", "acount=" + NEWCOMER,
                         "--description", "x", "--yes")
    assert code == 1 and "has no field acount; its fields: account" in err
    assert vault("gov", "delegate", "--yes")[0] == 0
    code, out, err = vault("gov", "propose", "--template", "issuer-grant", "--param", "account=" + NEWCOMER,
                           "--description", "Make Alice an issuer", "--yes")
    assert code == 0, err
    code, rows, _ = vault("gov", "proposals")
    assert rows[0]["calls"][0]["summary"] == f"Grant the credential issuer role to {NEWCOMER}"
    from vault.cli.parser import build_parser

    help_text = " ".join(build_parser("gov")._subparsers._group_actions[0].choices["gov"]._subparsers
                         ._group_actions[0].choices["propose"].format_help().split())
    assert "issuer-grant: Let an institution or mentor anchor" in help_text
