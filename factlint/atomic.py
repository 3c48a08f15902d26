"""Files written whole or not at all: the bytes go to a temporary file in the same folder, which
is then renamed over the target (rename(2) is atomic on one file system). A reader, or a run
killed half-way, never sees half a file; a failed write leaves no temporary file behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_file(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating its folder; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
