"""Static assets: content-hashed URLs cached for a year, and compressed answers (issue 18).

`url_for('web.static', filename=...)` gains `?v=<hash of the file>`: a changed file gets a new
address, so an address may be cached as immutable. An asset asked for without the current hash
(an old page, a hand-typed address) is served as before, revalidated each time.
Compression is Flask-Compress, for pages and assets (not the API); each says
`Vary: Accept-Encoding`.
"""

import hashlib
from pathlib import Path

from flask import Flask, request
from flask_compress import Compress

STATIC_ENDPOINT = "web.static"
IMMUTABLE = "public, max-age=31536000, immutable"
compress = Compress()


def _digest(folder: str, filename: str, cache: dict) -> str | None:
    path = Path(folder) / filename
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None  # no such file: the URL is built plainly and answers 404
    known = cache.get(filename)
    if known and known[0] == stamp:
        return known[1]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cache[filename] = (stamp, digest)
    return digest


def init_app(app: Flask, static_folder: str) -> None:
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
    )
    # Streamed answers (exports, downloads) stay as they are: compressed chunk by chunk they
    # would lose their Content-Length and conditional handling.
    app.config.setdefault("COMPRESS_STREAMS", False)
    # Registered by hand: API answers are left as they were. Flask-Compress would rewrite a
    # project's ETag to `"7:gzip"`, which If-Match then refuses, and API clients (the
    # schemathesis test's among them) need not decode every encoding they announce.
    app.config["COMPRESS_REGISTER"] = False
    compress.init_app(app)

    @app.after_request
    def _compress(response):
        if request.path.startswith("/api/"):
            return response
        return compress.after_request(response)

    cache: dict[str, tuple[int, str]] = {}

    @app.url_defaults
    def _hashed_static_urls(endpoint, values):
        if endpoint == STATIC_ENDPOINT and "filename" in values and "v" not in values:
            digest = _digest(static_folder, values["filename"], cache)
            if digest:
                values["v"] = digest

    @app.after_request
    def _cache_hashed_assets(response):
        if request.endpoint == STATIC_ENDPOINT and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            wanted = request.args.get("v")
            # Our assets are small: read into memory (and the file closed) so they are
            # compressed and answered 304 like any page, not as an open file stream.
            response.direct_passthrough = False
            response.get_data()
            if wanted and wanted == _digest(static_folder, filename, cache):
                response.headers["Cache-Control"] = IMMUTABLE
            else:
                response.headers["Cache-Control"] = "no-cache"
        return response
