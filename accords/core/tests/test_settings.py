"""Production mode: refuses to start without a secret key, and passes Django's deploy checks."""

import os
import subprocess
import sys


def _accords(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A clean environment, as on a server: none of the test run's own settings leak in.
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ACCORDS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "accords", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    run = _accords("check", ACCORDS_PRODUCTION="1", ACCORDS_DATA_DIR=str(tmp_path))
    assert run.returncode != 0
    assert "ACCORDS_SECRET_KEY is not set" in run.stderr


def test_production_passes_the_deploy_checks(tmp_path):
    run = _accords(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ACCORDS_PRODUCTION="1",
        ACCORDS_SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        ACCORDS_DATA_DIR=str(tmp_path),
    )
    assert run.returncode == 0, run.stderr + run.stdout


def test_outside_production_a_key_is_made_once_and_kept(tmp_path):
    for _ in range(2):
        assert _accords("check", ACCORDS_DATA_DIR=str(tmp_path)).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
