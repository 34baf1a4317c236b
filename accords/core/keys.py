"""Keys kept in the data folder outside production, each made once and readable by its owner.

Several processes may start together on a fresh data folder (the two halves of `make test` do).
A key is written whole to a file of its own (`tempfile.mkstemp`: a unique name, mode 0600) and
then linked into place: no process can read the file before the key is in it, and the first
link wins. No Django import here, as the settings module uses it.
"""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def key_kept(path: Path, make: Callable[[], str]) -> str:
    """The key in `path`; if there is none yet, `make()`'s, written there once."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w") as out:
                out.write(f"{make()}\n")
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    path.chmod(0o600)
    return path.read_text().strip()
