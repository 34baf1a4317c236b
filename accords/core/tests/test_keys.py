"""Keys made in the data folder: whole before anyone reads them, one key however many start."""

import multiprocessing
import secrets
import stat
import time

from accords.core.keys import key_kept


def _slow_key() -> str:
    # Slow on purpose: a file created first and filled after would be read empty meanwhile.
    time.sleep(0.2)
    return secrets.token_urlsafe(50)


def _read_key(path, start, results):
    start.wait()
    results.put(key_kept(path, _slow_key))


def test_processes_starting_together_all_read_one_whole_key(tmp_path):
    path = tmp_path / "data" / "secret_key"
    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_read_key, args=(path, start, results)) for _ in range(8)]
    for worker in workers:
        worker.start()
    start.set()
    keys = [results.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert len(set(keys)) == 1
    assert len(keys[0]) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]


def test_a_key_once_made_is_kept_and_its_file_taken_back_to_its_owner(tmp_path):
    path = tmp_path / "audit_log_key"
    first = key_kept(path, lambda: "first")
    path.chmod(0o644)
    assert key_kept(path, lambda: "second") == first == "first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
