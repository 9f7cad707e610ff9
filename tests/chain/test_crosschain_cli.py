"""`vault gov remote root|sign|relay|tally` in-process: chain A is the vault's embedded
chain, chain B a second embedded chain in another folder where the same account holds
BTK. The proposer records B's root, the holder signs offline (a QR image), anyone relays,
the tally re-checks the root against B; a replayed and an altered ballot are refused."""

from __future__ import annotations

import json

from tests.chain.conftest import USER_ADDRESS, copy_embedded
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain
from vault.chain.dao.crosschain import balances_at, open_source


def test_remote_root_sign_relay_and_tally(vault, embedded_template, tmp_path):
    chain_b = tmp_path / "chain-b"
    copy_embedded(embedded_template, chain_b)
    with open_source(embedded=chain_b) as b:
        snapshot = b.block_number
        held = balances_at(b, snapshot)[USER_ADDRESS]
    vault("gov", "delegate", "--yes")
    vault("chain", "advance", "--blocks", "1")
    code, out, err = vault("gov", "propose", "--template", "market-fee", "--bps", "200", "--description",
                           "Lower the fee", "--yes")
    assert code == 0, err
    code, proposals, _ = vault("gov", "proposals")
    pid = proposals[0]["proposal_id"]

    root_file, packages = tmp_path / "root.json", tmp_path / "packages"
    code, _, err = vault("gov", "remote", "root", "--proposal", pid, "--from-embedded", str(chain_b), "--block",
                         str(snapshot), "--out", str(root_file))   # not confirmed: nothing recorded, no file
    assert code != 0 and "--yes" in err and not root_file.exists()
    code, out, err = vault("gov", "remote", "root", "--proposal", pid, "--from-embedded", str(chain_b), "--block",
                           str(snapshot), "--out", str(root_file), "--packages", str(packages), "--yes")
    assert code == 0, err
    root = json.loads(root_file.read_text())
    assert out["root"] == root["root"] and (packages / f"{USER_ADDRESS}.json").is_file()
    vault("chain", "advance", "--blocks", "1")

    code, ballot, err = vault("gov", "remote", "sign", str(root_file), "--support", "for",
                              "--out", str(tmp_path / "ballot.json"), "--qr", str(tmp_path / "ballot.png"))
    assert code == 0, err
    assert ballot["weight"] == str(held) and ballot["support"] == 1
    package = json.loads((packages / f"{USER_ADDRESS}.json").read_text())
    assert {k: ballot[k] for k in package if k != "type"} == {k: v for k, v in package.items() if k != "type"}
    # Attack: the ballot file edited to count ten times the balance.
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(dict(ballot, weight=str(held * 10))))
    code, _, err = vault("gov", "remote", "relay", str(altered), "--yes")
    assert code != 0 and f"does not show that {USER_ADDRESS} held {held * 10} wei of BTK" in err

    code, out, err = vault("gov", "remote", "relay", str(tmp_path / "ballot.png"), "--yes")
    assert code == 0, err
    # Attack: the same ballot relayed again (from its JSON copy).
    code, _, err = vault("gov", "remote", "relay", str(tmp_path / "ballot.json"), "--yes")
    assert code != 0 and "has already voted" in err

    code, tally, err = vault("gov", "remote", "tally", pid, "--check-embedded", str(chain_b), passphrase=False)
    assert code == 0, err
    assert tally["for_wei"] == str(held) and tally["root_check"]["matches"] is True
    code, text, _ = vault("gov", "remote", "tally", pid[:10], passphrase=False, json_out=False)
    assert "votes from chain 4346955" in text and "root not checked" in text
