"""Static files compressed once at build time, served with the best encoding a browser takes.

Compressing plotly.js (1.2 MB) with brotli on every request would cost more than the
whole page; ``make build`` writes ``.br`` and ``.gz`` siblings instead, and the static
route sends one of them with its ``Content-Encoding``. Our own scripts and styles are
minified first (rjsmin, rcssmin: comments and spaces out), so the commented source stays
as it is and a phone downloads only the code.
"""

from __future__ import annotations

import gzip
import mimetypes
import os
import sys
from pathlib import Path

import brotli
import rcssmin
import rjsmin
from flask import Flask, current_app, request, send_from_directory
from werkzeug.security import safe_join

COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".webmanifest", ".txt", ".html"}
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def minified(path: Path, data: bytes) -> bytes:
    """What the compressed copies hold: our scripts and styles without comments and spaces
    (a file that is minified already, ``*.min.js``, is left as it is)."""
    if path.name.endswith(".min.js") or path.suffix not in (".js", ".css"):
        return data
    text = data.decode("utf-8")
    small = rjsmin.jsmin(text) if path.suffix == ".js" else rcssmin.cssmin(text)
    return small.encode("utf-8")


def precompress(folder: str | os.PathLike[str]) -> int:
    """Write missing or outdated .br/.gz files; returns how many were written."""
    written = 0
    for path in Path(folder).rglob("*"):
        if path.suffix not in COMPRESSIBLE or not path.is_file() or path.stat().st_size < 256:
            continue
        data = None
        for _encoding, ext in ENCODINGS:
            target = path.with_name(path.name + ext)
            if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
                continue
            data = data if data is not None else minified(path, path.read_bytes())
            packed = brotli.compress(data, quality=11) if ext == ".br" else gzip.compress(data, 9, mtime=0)
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(packed)
            os.replace(tmp, target)
            written += 1
    return written


def serve_static(filename: str):
    folder = current_app.static_folder or ""
    path = safe_join(folder, filename)
    if path is not None and os.path.isfile(path):
        accepted = request.accept_encodings
        for encoding, ext in ENCODINGS:
            packed = path + ext
            if (
                accepted[encoding]
                and os.path.isfile(packed)
                and os.path.getmtime(packed) >= os.path.getmtime(path)
            ):
                mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
                response = send_from_directory(folder, filename + ext, mimetype=mimetype)
                response.headers["Content-Encoding"] = encoding
                response.headers["Vary"] = "Accept-Encoding"
                return response
    return send_from_directory(folder, filename)


def init_app(app: Flask) -> None:
    app.view_functions["static"] = serve_static


if __name__ == "__main__":
    count = precompress(sys.argv[1] if len(sys.argv) > 1 else "companion/static")
    print(f"compressed {count} static files")
