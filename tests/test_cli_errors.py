"""The `vault` command line never ends in a traceback: a VaultError is its message, an
unexpected error is one line that says it is a bug (exit 1), Ctrl-C is exit 130; the
traceback shows only with BLOCKTRACK_VAULT_DEBUG=1."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vault.cli.commands import setup
from vault.errors import ChainError

ROOT = Path(__file__).parents[1]


def boom(args):
    raise RuntimeError("the disk caught fire\nsecond line of detail")


def test_an_unexpected_error_is_one_line_with_a_bug_report_hint(run, monkeypatch):
    monkeypatch.delenv("BLOCKTRACK_VAULT_DEBUG", raising=False)
    monkeypatch.setattr(setup, "cmd_status", boom)
    code, out, err = run("status", json_out=False)
    assert code == 1 and out == ""
    assert err.startswith("vault: Unexpected error: RuntimeError: the disk caught fire. This is a bug; "
                          "please report it with the command you ran")
    assert "second line" not in err and "Traceback" not in err


def test_with_debug_set_the_error_propagates(run, monkeypatch):
    monkeypatch.setenv("BLOCKTRACK_VAULT_DEBUG", "1")
    monkeypatch.setattr(setup, "cmd_status", boom)
    with pytest.raises(RuntimeError, match="disk caught fire"):
        run("status", json_out=False)


@pytest.mark.parametrize("exc, code, message", [
    (ChainError("node-unreachable", "The node at http://x is not answering."), 1,
     "vault: The node at http://x is not answering.\n"),
    (KeyboardInterrupt(), 130, "vault: interrupted\n"),
])
def test_vault_errors_and_interrupts(run, monkeypatch, exc, code, message):
    def fail(args):
        raise exc
    monkeypatch.setattr(setup, "cmd_status", fail)
    assert run("status", json_out=False)[::2] == (code, message)


def test_through_a_real_process_there_is_no_traceback(tmp_path):
    # a real unexpected error: the catch-all in a child process, where a traceback would print
    script = ("import sys\nfrom vault.cli import main\nfrom vault.cli.commands import setup\n"
              "def boom(args): raise ZeroDivisionError('division by zero')\n"
              "setup.cmd_status = boom\nsys.exit(main())\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), BLOCKTRACK_VAULT_HOME=str(tmp_path))
    env.pop("BLOCKTRACK_VAULT_DEBUG", None)
    done = subprocess.run([sys.executable, "-c", script, "status"], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert "Unexpected error: ZeroDivisionError: division by zero. This is a bug" in done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-c", script, "status"], env=dict(env, BLOCKTRACK_VAULT_DEBUG="1"),
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 1 and "Traceback" in done.stderr and "ZeroDivisionError" in done.stderr


def test_a_contract_answer_web3_cannot_decode_is_a_node_error_not_a_bug(run, monkeypatch):
    """A lying node's eth_call output reaches web3's ABI decoder in many read paths; the
    CLI says it is the node's answer (exit 1), not an unexpected bug."""
    from web3.exceptions import BadFunctionCallOutput

    from vault.cli.commands import setup

    def lying(args):
        raise BadFunctionCallOutput("Could not decode contract function call to balanceOf with return data: b''")

    monkeypatch.setattr(setup, "cmd_status", lying)
    code, _, err = run("status", json_out=False)
    assert code == 1 and "node's answer" in err and "bug" not in err and "Traceback" not in err


def test_a_deeply_nested_did_document_is_a_usage_error(run, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000)
    code, _, err = run("did", "cache", str(deep), json_out=False)
    assert code == 2 and "not JSON" in err and "Traceback" not in err


def test_python_m_vault_cli_maps_a_command_modules_usage_error(tmp_path):
    """`python -m vault.cli` loads the package once: the UsageError a command module raises
    is the class main() catches (exit 2, "vault: error: …"), not an "Unexpected error"
    from a second copy of the module."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), BLOCKTRACK_VAULT_HOME=str(tmp_path))
    env.pop("BLOCKTRACK_VAULT_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "vault.cli", "chain", "advance"], env=env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert (done.returncode, done.stderr) == (2, "vault: error: give --blocks N and/or --seconds S\n")
