"""`{% from "x.html" import m %}` without its per-import set arithmetic (issue 18).

At each import Jinja (3.1) asks whether the importing render has globals the imported
template lacks: `ctx.globals_keys - template.globals.keys()`. The right side is a view of a
ChainMap, so the difference runs a Python membership test through every map for each of the
~60 globals: ~176 Python calls an import, ~10 imports a page (the layout's 3, the page's own).
`set.difference` over the ChainMap gives the same set in C; when it is empty Jinja hands back
the module it keeps (exactly its own path with no new globals), otherwise Jinja decides as
before. tests/web/test_jinja_imports.py holds the answers to Jinja's own.
"""

from jinja2 import Template


class ImportingTemplate(Template):
    def _get_default_module(self, ctx=None):
        if ctx is not None and not ctx.globals_keys.difference(self.globals):
            return super()._get_default_module(None)  # no new globals: the kept module
        return super()._get_default_module(ctx)


def init_app(app) -> None:
    """Before any template is loaded: templates are made of the environment's class."""
    app.jinja_env.template_class = ImportingTemplate
