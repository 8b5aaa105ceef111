"""Server-side secrets kept in files, created once and atomically.

Two app processes starting together must end up with the same key: the key is written
to a private temporary file and hard-linked into place, which fails if another process
got there first; everyone then reads the one file that won.
"""

import contextlib
import hashlib
import hmac
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


def digest(key: str | bytes, purpose: str, text: str) -> str:
    """HMAC-SHA256 hex of a code with a server key; `purpose` keeps kinds of codes apart."""
    secret = key.encode() if isinstance(key, str) else key
    return hmac.new(secret, f"{purpose}:{text}".encode(), hashlib.sha256).hexdigest()


#: A secret shorter than this is refused outside debug (32 bytes, as the key files have).
MIN_SECRET_BYTES = 32

HOW_TO_MAKE_A_KEY = 'python3 -c "import secrets; print(secrets.token_hex(32))"'


def check_secret(name: str, value: object) -> None:
    """Refuse a weak secret with a message that says how to make a good one."""
    if len(str(value).encode()) < MIN_SECRET_BYTES:
        raise RuntimeError(
            f"{name} is shorter than {MIN_SECRET_BYTES} bytes. Make one with: {HOW_TO_MAKE_A_KEY} "
            f"(or leave {name} unset on a single server: a key is then created in instance/)."
        )
