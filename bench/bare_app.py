"""The bare Flask app bench/http_reads.py measures twinflow against: one SQLite query, a JSON
answer padded to the size of the twinflow answer it stands beside (BARE_SIZE bytes)."""

import json
import os
import sqlite3

from flask import Flask, Response


def create():
    app = Flask(__name__)
    path, size = os.environ["BARE_DB"], int(os.environ.get("BARE_SIZE", "2000"))

    @app.get("/bare/<int:project_id>")
    def bare(project_id):
        with sqlite3.connect(path) as conn:
            row = conn.execute(
                "SELECT id, reference, title, state FROM projects WHERE id = ?", (project_id,)
            ).fetchone()
        body = {"id": row[0], "reference": row[1], "title": row[2], "state": row[3], "pad": ""}
        text = json.dumps(body)
        body["pad"] = "x" * max(0, size - len(text))
        return Response(json.dumps(body), mimetype="application/json")

    return app
