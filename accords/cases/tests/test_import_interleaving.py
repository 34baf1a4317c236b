"""A large import on the embedded SQLite database, as an office runs it: `accords import` in a
process of its own, while other people keep writing, and sometimes killed half-way.

Each test runs real processes on a real SQLite file (WAL, one writer at a time), which is what
these promises are about: other writes go through while an import runs, and `kill -9` leaves
only whole cases, which running the import again completes.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from accords.cases.models import Person, UkProcess
from accords.cases.services import SECTIONS
from accords.demo.caseload import case_files

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the embedded SQLite database is what holds one writer at a time",
)

CASES = 500
KILLED = 250

# A colleague's write while the import runs: a source recorded through its service, as the
# web form does; it reports how long it waited and how many people were in the database then.
WRITER = """
import json, os, sys, time
import django
django.setup()
from accords.cases.models import Person
from accords.registry.services import source_create
stop, i = sys.argv[1], 0
while not os.path.exists(stop):
    began = time.monotonic()
    try:
        source_create(actor=None, key=f"written-during-import-{i}", title="A report",
                      kind="press_report")
        outcome = "ok"
    except Exception as error:
        outcome = f"{type(error).__name__}: {error}"
    took = time.monotonic() - began
    print(json.dumps({"took": took, "outcome": outcome, "people": Person.objects.count()}),
          flush=True)
    i += 1
    time.sleep(0.2)
"""


def _environment(data_dir: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ACCORDS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {**env, "ACCORDS_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "accords.settings"}


def _accords(data_dir: Path, *args, **popen):
    command = [sys.executable, "-m", "accords", *args]
    return subprocess.Popen(command, env=_environment(data_dir), text=True, **popen)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated database file and a file of CASES synthetic case files, made once."""
    where = tmp_path_factory.mktemp("migrated")
    assert _accords(where, "migrate", "-v0").wait(timeout=300) == 0
    docs = list(case_files(CASES, seed=91))
    (where / "cases.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    return where, docs


@pytest.fixture
def office(migrated, tmp_path):
    """A copy of the migrated database for one test."""
    source, docs = migrated
    for name in ("accords.sqlite3", "secret_key", "cases.jsonl"):
        shutil.copy(source / name, tmp_path / name)
    return tmp_path, docs


def _rows(data_dir: Path) -> dict[str, dict[int, int]]:
    """Per table, each person's number of rows; and the people by case number."""
    db = sqlite3.connect(data_dir / "accords.sqlite3", isolation_level=None)
    db.execute("BEGIN")  # one snapshot of every table
    try:
        tables = {
            section: dict(
                db.execute(
                    f"SELECT person_id, COUNT(*) FROM {model._meta.db_table} GROUP BY person_id"
                )
            )
            for section, model in {**SECTIONS, "uk": UkProcess}.items()
        }
        tables["people"] = dict(db.execute(f"SELECT case_number, id FROM {Person._meta.db_table}"))
    finally:
        db.close()
    return tables


def _whole_cases(data_dir: Path, docs: list[dict]) -> int:
    """How many cases are in the database; every one of them must have all its facts."""
    rows = _rows(data_dir)
    by_number = {doc["case_number"]: doc for doc in docs}
    for number, person in rows["people"].items():
        doc = by_number[number]
        for section in [*SECTIONS, "uk"]:
            expected = int(bool(doc.get("uk"))) if section == "uk" else len(doc.get(section, []))
            found = rows[section].get(person, 0)
            assert found == expected, f"{number} has {found} of its {expected} {section}"
    return len(rows["people"])


def test_other_writes_go_through_while_a_large_import_runs(office):
    data_dir, docs = office
    stop = data_dir / "stop"
    importing = _accords(data_dir, "import", str(data_dir / "cases.jsonl"),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env=_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = importing.communicate(timeout=300)
    stop.touch()
    written, writer_err = writer.communicate(timeout=60)
    assert importing.returncode == 0, err
    assert f"{CASES} created" in out
    writes = [json.loads(line) for line in written.splitlines()]
    assert writes, writer_err
    assert all(w["outcome"] == "ok" for w in writes), writes
    assert max(w["took"] for w in writes) < 5, "a write waited for the import"
    during = [w for w in writes if 0 < w["people"] < CASES]
    assert len(during) >= 2, f"no write happened while the import was writing: {writes}"
    assert _whole_cases(data_dir, docs) == CASES


def test_an_import_killed_mid_way_leaves_whole_cases_and_running_it_again_completes_it(office):
    data_dir, docs = office
    docs = docs[:KILLED]
    path = data_dir / "killed.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    importing = _accords(data_dir, "import", str(path), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while not _rows(data_dir)["people"]:
        assert importing.poll() is None and time.monotonic() < deadline, "it never wrote"
        time.sleep(0.05)
    time.sleep(0.5)  # well inside a later chunk's transaction
    importing.send_signal(signal.SIGKILL)
    importing.wait(timeout=30)
    present = _whole_cases(data_dir, docs)
    assert 0 < present < KILLED, "the import was not killed mid-way"

    verify = _accords(data_dir, "audit", "verify", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert verify.wait(timeout=120) == 0, verify.communicate()
    again = _accords(data_dir, "import", str(path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"{KILLED - present} created, 0 updated, {present} unchanged" in out
    assert _whole_cases(data_dir, docs) == KILLED
