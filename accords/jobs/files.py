"""The files a job reads or leaves: case files waiting for their import, an export's output.

They live in JOB_FILES_DIR (the data folder's `jobs`; storage every worker machine shares when
the workers run elsewhere), readable by their owner alone, as the database is: an import's
case files are people's data. A job's arguments name a waiting file by a random token, never
by anything in it; the file goes once its import has ended, whether it succeeded or failed.
"""

import os
import re
import secrets
from pathlib import Path

from django.conf import settings

TOKEN = re.compile(r"[0-9a-f]{32}")


def _folder(name: str) -> Path:
    folder = Path(settings.JOB_FILES_DIR) / name
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _private_write(path: Path, content: bytes) -> None:
    with os.fdopen(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "wb") as out:
        out.write(content)


def upload_keep(content: bytes) -> str:
    """Keep the bytes for a job to read; the token that names them."""
    token = secrets.token_hex(16)
    _private_write(_folder("uploads") / f"{token}.json", content)
    return token


def _upload_path(token: str) -> Path:
    if not TOKEN.fullmatch(str(token)):
        raise ValueError("upload: not a token this application gave")
    return _folder("uploads") / f"{token}.json"


def upload_read(token: str) -> bytes:
    return _upload_path(token).read_bytes()


def upload_discard(token: str) -> None:
    _upload_path(token).unlink(missing_ok=True)


def result_write(job_pk: int, suffix: str, content: bytes) -> Path:
    """An export's file, named by its job."""
    path = _folder("results") / f"job-{job_pk}.{suffix}"
    _private_write(path, content)
    return path
