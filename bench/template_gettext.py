"""What one `_()` costs in a template, per language (issue 18; the pages are being wrapped in
`_()` text by text, so a page says hundreds of them).

    .venv/bin/python bench/template_gettext.py [--texts 2000]

In a request of the real app (the language chosen by Accept-Language, as a browser asks), a
template of N `{{ _('Projects') }}` is rendered against one of N `{{ 'Projects' }}`; the
difference over N is the cost of one `_()` (best of 7, `time.process_time`). Beside it, one
`twinflow.i18n.gettext` (the engine's and the forms' texts) in the same request.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best(render, source: str) -> float:
    render(source)
    times = []
    for _ in range(7):
        started = time.process_time()
        render(source)
        times.append(time.process_time() - started)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", type=int, default=2000)
    args = ap.parse_args()
    from flask import render_template_string

    from twinflow import create_app
    from twinflow.i18n import gettext

    folder = tempfile.mkdtemp(prefix="twinflow-gettext-")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/unused.sqlite3")
    n = args.texts
    plain = "{% for i in range(" + str(n) + ") %}{{ 'Projects' }}{% endfor %}"
    wrapped = "{% for i in range(" + str(n) + ") %}{{ _('Projects') }}{% endfor %}"
    for language in ("en", "fr"):
        with app.test_request_context("/login", headers={"Accept-Language": language}):
            app.preprocess_request()
            sample = render_template_string("{{ _('Projects') }}")
            one = (best(render_template_string, wrapped) - best(render_template_string, plain)) / n
            started = time.process_time()
            for _ in range(n):
                gettext("Projects")
            engine = (time.process_time() - started) / n
        print(
            f"{language}: one _() in a template {one * 1e6:5.1f} us;"
            f" twinflow.i18n.gettext {engine * 1e6:5.1f} us ('Projects' reads {sample!r})"
        )
    Path(folder, "unused.sqlite3").unlink(missing_ok=True)
    Path(folder).rmdir()


if __name__ == "__main__":
    main()
