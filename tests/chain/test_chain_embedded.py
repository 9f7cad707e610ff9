"""The embedded chain: persistence, crash safety, time, the single-process lock."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.chain.conftest import ROOT, USER_ADDRESS, copy_embedded
from vault.chain import client
from vault.chain.embedded import EMBEDDED_CHAIN_ID, EmbeddedChain, SQLiteKV, dev_address
from vault.chain.networks import FAUCET_GRANT_BTK, FAUCET_GRANT_ETH
from vault.chain.transactions import TxService
from vault.errors import ChainError

BTK = 10**18
DEAD = "0x000000000000000000000000000000000000dEaD"


@pytest.fixture
def data_dir(tmp_path, embedded_template) -> Path:
    copy_embedded(embedded_template, tmp_path)
    return tmp_path


def test_first_run_deploys_the_suite_validators_and_demo_gigs(data_dir):
    with client.connect(None, data_dir) as chain:
        assert chain.chain_id == EMBEDDED_CHAIN_ID == chain.w3.eth.chain_id
        c = chain.contracts
        assert [c.staking.functions.validatorAt(i).call()[2] for i in (0, 1)] == \
            ["Blocktrack Foundation", "Campus Node"]
        assert c.marketplace.functions.gigCount().call() == 3
        gig = c.marketplace.functions.gigs(1).call()
        assert gig[0] == dev_address("client") and gig[2] == 0  # open, from the demo client
        role = c.soulbound.functions.ISSUER_ROLE().call()
        assert c.soulbound.functions.hasRole(role, dev_address("issuer")).call()
        assert c.staking.functions.rewardReserve().call() == 1_000_000 * BTK
        assert chain.btk_balance(USER_ADDRESS) == 5_000_000 * BTK


def test_state_persists_across_reopen(data_dir, user):
    with client.connect(None, data_dir) as chain:
        service = TxService.for_identity(chain, user)
        record = service.send(service.btk_transfer(USER_ADDRESS, DEAD, 42 * BTK))
        chain.advance(blocks=3, seconds=600)
        block, stamp, contracts = chain.block_number, chain.latest_timestamp(), chain.manifest.contracts
    with client.connect(None, data_dir) as chain:
        assert chain.block_number == block and chain.latest_timestamp() == stamp
        assert chain.manifest.contracts == contracts
        assert chain.btk_balance(DEAD) == 42 * BTK
        assert chain.receipt(record.hash).blockNumber == record.block
        assert chain.embedded.chain.time_offset > 0  # the advanced clock is kept
        chain.advance(blocks=1)
        assert chain.latest_timestamp() > stamp
        # the vault's account keeps its nonce: the next transaction goes through
        assert TxService.for_identity(chain, user).send(
            TxService(chain, user.store, user.eth_private_key).btk_transfer(USER_ADDRESS, DEAD, BTK)).nonce == 1


def test_faucet_funds_each_account_once(data_dir, user):
    second = user.add_account("second").address
    with client.connect(None, data_dir, accounts=[USER_ADDRESS, second]) as chain:
        assert chain.btk_balance(second) == FAUCET_GRANT_BTK and chain.eth_balance(second) == FAUCET_GRANT_ETH
        assert chain.btk_balance(USER_ADDRESS) == 5_000_000 * BTK  # funded in the template, not again
    with client.connect(None, data_dir, accounts=[second]) as chain:
        assert chain.btk_balance(second) == FAUCET_GRANT_BTK


def test_calls_cost_nothing_even_without_eth(data_dir):
    with client.connect(None, data_dir) as chain:
        token = chain.contracts.token
        nobody = "0x00000000000000000000000000000000DeaDBeef"
        assert token.functions.balanceOf(USER_ADDRESS).call({"from": nobody}) == 5_000_000 * BTK


def test_second_opener_gets_chain_busy(data_dir):
    with client.connect(None, data_dir):
        with pytest.raises(ChainError) as info:
            client.connect(None, data_dir, lock_timeout=0.2)
        assert info.value.reason == "chain-busy"
    client.connect(None, data_dir).close()  # free again once closed


def test_key_value_store_commits_and_rolls_back(tmp_path):
    kv = SQLiteKV(tmp_path / "kv.sqlite")
    kv[b"a"] = b"1"
    kv.commit()
    kv[b"b"] = b"2"
    assert kv[b"b"] == b"2" and kv.exists(b"b")
    kv.rollback()  # what a kill does to writes after the last mined block
    assert not kv.exists(b"b") and kv[b"a"] == b"1"
    other = SQLiteKV(tmp_path / "kv.sqlite")
    with kv.deferred():
        kv[b"c"] = b"3"
        kv.commit()  # held until the deferred block ends
        assert not other.exists(b"c")
    assert other[b"c"] == b"3"
    del kv[b"a"]
    with pytest.raises(KeyError):
        kv[b"a"]
    kv.close()
    other.close()


def test_damaged_database_is_a_clear_error(tmp_path):
    path = tmp_path / "chain" / "embedded.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ChainError) as info:
        client.connect(None, tmp_path)
    assert info.value.reason == "chain-damaged" and "Move it away" in str(info.value)


MINER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from vault.chain import client
    from vault.chain.embedded import dev_key
    chain = client.connect(None, Path(sys.argv[1]))
    token = chain.contracts.token
    key = dev_key("faucet")
    dead = "0x000000000000000000000000000000000000dEaD"
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        if n % 2:
            chain.transact(key, {"to": token.address, "data": token.encode_abi("transfer", [dead, n])})
        else:
            chain.advance(blocks=3)
        print(chain.block_number, token.functions.balanceOf(dead).call(), flush=True)
""")


@pytest.mark.slow
def test_kill_9_while_mining_loses_no_mined_block(data_dir):
    """A process mining transactions and empty blocks is killed with SIGKILL at a random
    point: every block it reported mined is there after reopening, with its state."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", MINER, str(data_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    reported = []
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        # The miner never waits for us: killed right after its N-th report, it is
        # somewhere inside the next block's work. N varies (seeded) to vary the spot.
        kill_after = random.Random(9).randint(25, 31)
        start = time.monotonic()
        while len(reported) < kill_after and time.monotonic() - start < 30:
            line = proc.stdout.readline()
            if not line:
                break
            reported.append(tuple(int(x) for x in line.split()))
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    assert len(reported) >= 25, proc.stderr.read()
    last_block, last_balance = reported[-1]
    with client.connect(None, data_dir) as chain:
        block = chain.block_number
        assert block >= last_block
        balance = chain.btk_balance(DEAD)
        if block == last_block:
            assert balance == last_balance
        else:
            assert balance >= last_balance
        # and the chain goes on from there
        assert chain.advance(blocks=1) == block + 1
        # every block is readable, parent links intact
        for number in range(max(1, block - 40), block + 1):
            assert chain.w3.eth.get_block(number)["parentHash"] == chain.w3.eth.get_block(number - 1)["hash"]


@pytest.mark.slow
def test_kill_during_first_run_setup_starts_it_over(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        from vault.chain import client, deploy

        def crash(step):
            if step == "deployed StakingPool":  # half-way: four contracts and the wiring are mined
                os.kill(os.getpid(), signal.SIGKILL)

        deploy._checkpoint = crash
        client.connect(None, Path(sys.argv[1]))
        print("done", flush=True)
    """)
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == -signal.SIGKILL and proc.stdout == "", proc.stderr
    kv = SQLiteKV(tmp_path / "chain" / "embedded.sqlite")  # nothing of the set-up was kept
    try:
        assert kv.get_meta("genesis") is None and kv.key_count() == 0
    finally:
        kv.close()
    assert (tmp_path / "chain" / "embedded.sqlite").exists()
    with client.connect(None, tmp_path) as chain:  # a complete set-up, whatever the kill hit
        assert chain.contracts.marketplace.functions.gigCount().call() == 3
        manifest = json.loads(chain.embedded.get_meta("manifest"))
        assert manifest["chain_id"] == EMBEDDED_CHAIN_ID


def test_advance_by_many_blocks_is_kept_whole_or_not_at_all(data_dir):
    """Mining N empty blocks commits (fsyncs) once, at the end: a SIGKILL half-way through
    (after 25 of 50 blocks were mined in memory) reopens at the block before the call,
    never in between; a call that returned is on disk."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        from vault.chain import client

        chain = client.connect(None, Path(sys.argv[1]))
        print(chain.advance(blocks=5), flush=True)          # returned: durable
        kv, mined = chain.embedded.kv, []
        commit = kv.commit

        def commit_then_die():
            mined.append(1)
            if len(mined) == 25:
                os.kill(os.getpid(), signal.SIGKILL)
            commit()

        kv.commit = commit_then_die
        chain.advance(blocks=50)
        print("returned", flush=True)
    """)
    proc = subprocess.run([sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    kept = int(proc.stdout.split()[0])
    assert "returned" not in proc.stdout
    with client.connect(None, data_dir) as chain:
        assert chain.block_number == kept
        assert chain.advance(blocks=3) == kept + 3


def test_open_is_fast_and_does_not_redeploy(data_dir):
    started = time.perf_counter()
    embedded = EmbeddedChain.open(data_dir / "chain" / "embedded.sqlite")
    elapsed = time.perf_counter() - started
    try:
        assert not embedded.created and embedded.get_meta("manifest")
    finally:
        embedded.close()
    assert elapsed < 0.5
