"""The diagnostic log (vault.logs): `vault -v` and `blocktrack-vault -v` write debug lines
to <data>/logs/vault.log, 0600; no secret ever reaches it, even when a library quotes one
in an exception message; and the log neither follows a planted symlink nor keeps a
backup from being restored."""

from __future__ import annotations

import ast
import json
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vault import logs
from vault.cli import main
from vault.credentials import data_integrity
from vault.did import did_key
from vault.issuing import badge
from vault.keys import derivation, recovery_phrase

PASSPHRASE = "ocelot-quartz PASSPHRASE 7731 never-logged"
CLAIM = "Claim value Zanzibar-4417 never-logged"
HUGE = 90071992547409931234567   # rfc8785 quotes it in its IntegerDomainError
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_handlers_left():
    yield
    logs.reset()


@pytest.fixture
def cli(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("BLOCKTRACK_VAULT_PASSPHRASE", raising=False)
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n")
    data = tmp_path / "data"

    def run(*args, data_dir=data):
        code = main(["-v", "--data-dir", str(data_dir), "--passphrase-file", str(pw), *args, "--json"])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out.strip() else None), err

    run.data, run.tmp = data, tmp_path
    return run


def _credential_to(did: str, *, name: str, extra: dict | None = None, cryptosuite: str = "eddsa-rdfc-2022") -> bytes:
    key = Ed25519PrivateKey.generate()
    issuer = did_key.from_ed25519(key.public_key().public_bytes_raw())
    profile = badge.IssuerProfile(issuer, "Logging Test Issuer")
    achievement = badge.Achievement(id="urn:uuid:0b7f4c1e-1111-4c1e-9c1f-2d3e4f5a6b7c", name=name,
                                    description="A badge for the logging test", criteria="none")
    unsigned = badge.build(profile, achievement, did, valid_from=datetime.now(timezone.utc))
    unsigned["credentialSubject"].update(extra or {})
    signed = data_integrity.sign(unsigned, key, badge.verification_method(issuer), cryptosuite=cryptosuite)
    return json.dumps(signed).encode()


def _secrets_in(text: str, secrets: dict[str, str]) -> list[str]:
    return [name for name, value in secrets.items() if value in text]


def test_a_verbose_session_logs_what_happened_and_no_secret(cli, tmp_path, qtbot):
    code, created, err = cli("init", "--kdf-seconds", "0")
    assert code == 0
    phrase = created["recovery_phrase"]
    seed = recovery_phrase.to_seed(phrase)
    did = created["did"]
    secrets = {
        "passphrase": PASSPHRASE, "recovery phrase": phrase,
        "its first four words": " ".join(phrase.split()[:4]),
        "account private key": derivation.eth_private_key(seed, 0).hex(),
        "DID private key": derivation.ed25519_private_key(seed, derivation.did_key_path("key", 0))
        .private_bytes_raw().hex(),
        "claim": CLAIM, "quoted claim": str(HUGE)}
    stderr = [err]

    good = tmp_path / "good.json"
    good.write_bytes(_credential_to(did, name=CLAIM))
    code, imported, err = cli("credential", "import", str(good))
    stderr.append(err)
    assert code == 0, err
    credential_id = imported[0]["id"]
    outputs = []
    for args in (("credential", "show", credential_id), ("credential", "list", "--search", CLAIM),
                 ("recovery-phrase", "show")):
        code, out, err = cli(*args)
        stderr.append(err)
        outputs.append(json.dumps(out))
        assert code == 0, err
    assert CLAIM in outputs[0] and CLAIM in outputs[1] and phrase in outputs[2]   # the secrets went through

    # The attack: a credential whose claim makes a library quote it in its exception, on a
    # path that logs that exception (a swallowed one, turned into a verdict).
    crafted = json.loads(_credential_to(did, name="Crafted", cryptosuite="eddsa-jcs-2022"))
    crafted["credentialSubject"]["score"] = HUGE
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(crafted))
    code, verdict, err = cli("credential", "verify", str(hostile))
    stderr.append(err)
    assert code == 1 and str(HUGE) in verdict["message"]   # the person is told; the log is not
    # A wrong passphrase: an error path with the passphrase file in play.
    (tmp_path / "pw").write_text("not the passphrase\n")
    code, _, err = cli("credential", "list")
    stderr.append(err)
    assert code == 1 and "Wrong passphrase" in err

    # The GUI: the same log through ui.app, and its error path for an unexpected failure
    # of a worker whose message holds every secret.
    from ui.app import parse_args, setup_logging
    from ui.errors import describe
    from ui.workers import TaskRunner

    config, _ = parse_args(["--data-dir", str(cli.data), "-v"])
    setup_logging(config)

    def fails():
        raise RuntimeError(" ".join(secrets.values()))

    tasks = TaskRunner()
    job = tasks.run(fails)
    with qtbot.waitSignal(job.failed) as failed:
        pass
    shown = describe(failed.args[0])
    assert "RuntimeError" in shown and not _secrets_in(shown, secrets)
    logs.reset()   # closes the file

    path = cli.data / "logs" / "vault.log"
    text = path.read_text(encoding="utf-8")
    # It logged what happened: the commands, the swallowed exceptions and the GUI's error
    # (by type and place, so the test fails if the log were empty or the formatter lost).
    assert "vault credential import" in text and "vault recovery-phrase show" in text
    assert "IntegerDomainError (message not logged)" in text
    assert "blocktrack_vault.ui: unexpected error" in text and "RuntimeError (message not logged)" in text
    assert "fails" in text   # the frame it was raised in
    assert _secrets_in(text, secrets) == []
    assert _secrets_in("".join(stderr), {k: v for k, v in secrets.items() if k != "quoted claim"}) == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_without_v_only_warnings_reach_the_file_and_a_quiet_session_leaves_none(cli, tmp_path):
    from vault.cli import main as vault_main

    data = tmp_path / "quiet"
    assert vault_main(["--data-dir", str(data), "status", "--json"]) == 0
    assert not (data / "logs").exists()
    logs.setup(data)
    import logging
    logging.getLogger("vault.test").debug("a debug line")
    logging.getLogger("vault.test").warning("a warning")
    logs.reset()
    text = (data / "logs" / "vault.log").read_text()
    assert "a warning" in text and "a debug line" not in text


def test_an_exception_given_as_an_argument_is_logged_as_its_type(tmp_path):
    import logging
    logs.setup(tmp_path, verbose=True)
    logging.getLogger("vault.test").warning("failed: %s", ValueError(PASSPHRASE))
    logging.getLogger("vault.test").warning(ValueError(PASSPHRASE))
    logs.reset()
    text = (tmp_path / "logs" / "vault.log").read_text()
    assert "failed: <ValueError>" in text and PASSPHRASE not in text


def test_the_log_rotates_small_and_stays_private(tmp_path, monkeypatch):
    import logging
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.setup(tmp_path, verbose=True)
    for n in range(200):
        logging.getLogger("vault.test").debug("line %d of a long session", n)
    logs.reset()
    files = sorted((tmp_path / "logs").iterdir())
    assert [f.name for f in files] == ["vault.log", "vault.log.1", "vault.log.2"]
    assert all(f.stat().st_size <= 2_000 and stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert "line 199" in files[0].read_text()


def test_a_planted_symlink_is_not_followed(cli, tmp_path):
    """A local attacker links logs/vault.log to a file of the user's: the log does not
    append to it (nor make it 0600); the command still works."""
    target = tmp_path / "victim.txt"
    target.write_text("the user's own file\n")
    target.chmod(0o644)
    (cli.data / "logs").mkdir(parents=True)
    (cli.data / "logs" / "vault.log").symlink_to(target)
    code, _, err = cli("init", "--kdf-seconds", "0")
    assert code == 0
    assert target.read_text() == "the user's own file\n" and stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_backup_restores_into_a_folder_that_has_only_the_log(cli, tmp_path):
    """`vault -v backup restore` logs before it restores: the log folder it makes is no
    reason to refuse the folder as not empty."""
    assert cli("init", "--kdf-seconds", "0")[0] == 0
    backup = tmp_path / "vault.backup"
    assert cli("backup", str(backup))[0] == 0
    fresh = tmp_path / "fresh"
    code, out, err = cli("backup", "restore", str(backup), data_dir=fresh)
    assert code == 0, err
    assert (fresh / "logs" / "vault.log").is_file() and "vault backup" in (fresh / "logs" / "vault.log").read_text()


def _broad(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(n is None or getattr(n, "id", None) in ("Exception", "BaseException") for n in names)


def _passes_on_or_logs(handler: ast.ExceptHandler) -> bool:
    """A bare ``raise``, a ``raise`` that keeps the exception as its cause or context (not
    ``from None``), or a call of a logger method."""
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if isinstance(node, ast.Raise) and not (isinstance(node.cause, ast.Constant) and node.cause.value is None):
            return True
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("debug", "info", "warning", "error", "exception", "critical")):
            return True
    return False


def test_every_broad_except_in_the_core_logs_or_passes_the_exception_on():
    """Issue 16: no `except Exception` swallows silently: what it hides is in the log (-v)."""
    silent = []
    for path in sorted((ROOT / "vault").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and _broad(node) and not _passes_on_or_logs(node):
                silent.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert silent == []


def test_a_bug_in_a_command_leaves_its_traceback_in_the_file_not_on_the_terminal(tmp_path, capsys, monkeypatch):
    """Without -v: stderr keeps its one sentence; the file has where it happened (types
    and frames), for the bug report, and not the message."""
    from vault.cli.commands import setup as cli_module

    def boom(args):
        raise RuntimeError(f"internal state {PASSPHRASE}")

    monkeypatch.delenv("BLOCKTRACK_VAULT_DEBUG", raising=False)
    monkeypatch.setattr(cli_module, "cmd_status", boom)
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "status"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    logs.reset()
    text = (data / "logs" / "vault.log").read_text()
    assert "ERROR vault.cli.main: unexpected error in `vault status`" in text
    assert "in boom" in text and "RuntimeError (message not logged)" in text and PASSPHRASE not in text
