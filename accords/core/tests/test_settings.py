"""Production mode: refuses to start without a secret key, and passes Django's deploy checks."""

import json
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


def test_the_demo_refuses_to_run_under_production_settings(tmp_path):
    run = _accords(
        "demo",
        ACCORDS_PRODUCTION="1",
        ACCORDS_SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        ACCORDS_DATA_DIR=str(tmp_path),
    )
    assert run.returncode == 2
    assert "refuses to run in production mode (ACCORDS_PRODUCTION=1)" in run.stderr
    assert "Traceback" not in run.stderr
    assert (tmp_path / "accords.sqlite3").stat().st_size == 0, "nothing was migrated"


def test_the_data_folder_and_its_database_are_the_owners_alone(tmp_path):
    data = tmp_path / "data"
    # Modes are read while the connection is open, as the WAL files go when it closes.
    script = (
        "import django, json, os; django.setup(); from django.db import connection; "
        "connection.cursor().execute('create table t (x)'); "
        "folder = os.environ['ACCORDS_DATA_DIR']; "
        "print(json.dumps({n: oct(os.stat(os.path.join(folder, n)).st_mode)[-3:] "
        "for n in os.listdir(folder) if n != 'static'}))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ACCORDS_")} | {
        "ACCORDS_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "accords.settings",
    }
    run = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True,
        check=True, timeout=120, preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    assert json.loads(run.stdout) == {
        "secret_key": "600", "accords.sqlite3": "600",
        "accords.sqlite3-wal": "600", "accords.sqlite3-shm": "600",
    }  # fmt: skip
    assert oct(data.stat().st_mode)[-3:] == "700"


def test_files_made_loose_before_are_taken_back_to_the_owner_alone(tmp_path):
    tmp_path.chmod(0o755)
    for name in ("accords.sqlite3", "accords.sqlite3-wal", "secret_key"):
        (tmp_path / name).touch(mode=0o644)
        (tmp_path / name).chmod(0o644)
    (tmp_path / "secret_key").write_text("an-old-key-made-before-" + "k" * 40)
    assert _accords("check", ACCORDS_DATA_DIR=str(tmp_path)).returncode == 0
    assert oct(tmp_path.stat().st_mode)[-3:] == "700"
    for name in ("accords.sqlite3", "accords.sqlite3-wal", "secret_key"):
        assert oct((tmp_path / name).stat().st_mode)[-3:] == "600", name
