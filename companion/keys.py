"""Server-side secrets kept in files, created once and atomically.

Two app processes starting together must end up with the same key: the key is written
to a private temporary file and hard-linked into place, which fails if another process
got there first; everyone then reads the one file that won.
"""

import contextlib
import os
import secrets
from pathlib import Path


def load_or_create_key(path: str | os.PathLike[str], nbytes: int = 32) -> str:
    target = Path(path)
    try:
        return _read(target)
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(nbytes))
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another process won: read theirs
            os.link(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return _read(target)


def _read(target: Path) -> str:
    value = target.read_text().strip()
    if not value:
        raise RuntimeError(f"key file {target} is empty")
    return value
