"""Keys kept in the data folder outside production, each made once and readable by its owner.

Several processes may start together on a fresh data folder (the two halves of `make test` do).
A key is written whole to a file of this process's own and then linked into place: no process
can read the file before the key is in it, and the first link wins. No Django import here, as
the settings module uses it.
"""

import os
from collections.abc import Callable
from pathlib import Path


def key_kept(path: Path, make: Callable[[], str]) -> str:
    """The key in `path`; if there is none yet, `make()`'s, written there once."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        with os.fdopen(os.open(draft, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600), "w") as out:
            out.write(f"{make()}\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    path.chmod(0o600)
    return path.read_text().strip()
