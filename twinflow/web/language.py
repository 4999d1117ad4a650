"""Which language a page speaks: the user's own choice, else the browser's preference.

Flask-Babel gives the templates `_()`, `ngettext()` and the locale's date and number formats;
its catalogue is twinflow.i18n's (one for the pages and the engine's messages). The API is
left in English: its texts are a contract read by programs.
"""

import functools

from babel import support
from babel.support import NullTranslations
from flask import Blueprint, has_request_context, redirect, request, url_for
from flask_babel import Babel, Domain, get_locale
from flask_login import current_user, login_required
from jinja2 import pass_context
from markupsafe import Markup
from wtforms.i18n import messages_path

from twinflow.extensions import db
from twinflow.i18n import (
    LANGUAGES,
    current_language,
    current_translations,
    reset_language,
    set_language,
)
from twinflow.i18n.catalogue import LANGUAGE_NAMES, translations_for
from twinflow.web.forms import SafeForm

blueprint = Blueprint("web_language", __name__)
COOKIE = "twinflow_language"


class _Catalogue(Domain):
    """Flask-Babel's domain reading twinflow.i18n's compiled catalogue instead of `.mo` files."""

    def get_translations(self):
        language = str(get_locale() or "en")
        if language == current_language():
            return current_translations()  # looked up once, when the request chose it
        if language == "en":
            return _ENGLISH
        return translations_for(language)


_ENGLISH = NullTranslations()


def choose_language() -> str:
    if request.path.startswith(("/api/", "/assets/")):
        return "en"
    chosen = getattr(current_user, "language", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES) or "en"


@functools.cache
def _wtforms_catalogue(language: str):
    """WTForms' messages in `language`, as Flask-WTF loads them (its files never change)."""
    return support.Translations.load(messages_path(), [language], domain="wtforms")


@pass_context
def _template_gettext(context, string: str, **variables):
    """Jinja's newstyle `gettext` (ext.py `_make_new_gettext`), same output: escaped values
    formatted into the translated text, which is markup; `%%` reads `%`."""
    text = current_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    if not variables and "%" not in text:
        return text  # what `text % {}` gives, without formatting
    return text % variables


@pass_context
def _template_ngettext(context, singular: str, plural: str, num: int, **variables):
    variables.setdefault("num", num)
    text = current_translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def _back(value: str) -> str:
    # Only a path of this site: never an open redirect.
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return url_for("web.dashboard")
    return value


def _remembered(response, language: str):
    response.set_cookie(
        COOKIE,
        language,
        max_age=365 * 24 * 3600,
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


@blueprint.post("/language")
@login_required
def choose():
    """The signed-in user's choice, kept on the account (every device, and the e-mails)."""
    language = request.form.get("language", "")
    back = _back(request.form.get("next", ""))
    if language not in LANGUAGES or not SafeForm().validate_on_submit():
        return redirect(back)
    current_user.language = language
    db.session.commit()
    return _remembered(redirect(back), language)


@blueprint.get("/language/<language>")
def choose_by_link(language: str):
    """A visitor's choice on the public pages: a cookie only, nothing stored."""
    back = _back(request.args.get("next", ""))
    if language not in LANGUAGES:
        return redirect(back)
    return _remembered(redirect(back), language)


def init_app(app) -> None:
    babel = Babel(app, locale_selector=choose_language)
    babel.domain_instance = _Catalogue()
    # The templates' `_()` reads the catalogue bound for this request (or for a `speaking()`
    # block) directly, with Jinja's "newstyle" rules. Flask-Babel's callables looked the
    # domain, the locale and the catalogue up again at every text, through three
    # `Context.call`s: about 10 us a text in English and 30 in French.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)
    app.jinja_env.globals["ngettext"] = _template_ngettext
    app.register_blueprint(blueprint)

    def _speak_the_chosen_language():
        if "twinflow.language_token" not in request.environ:
            language = str(get_locale())
            request.environ["twinflow.language_token"] = set_language(language)
            # Flask-WTF reads WTForms' own catalogue from disk once per request unless the
            # request already holds it (flask_wtf/i18n.py): the same files, read once.
            request.wtforms_translations = _wtforms_catalogue(language)

    app.before_request(_speak_the_chosen_language)

    @app.teardown_request
    def _back_to_english(_error=None):
        token = request.environ.pop("twinflow.language_token", None)
        if token is not None:
            reset_language(token)

    @app.context_processor
    def _languages():
        if has_request_context():
            # A page rendered before the hook above ran (a refusal by an earlier hook: the
            # sign-in throttle, CSRF) speaks the request's language all the same.
            _speak_the_chosen_language()
        return {"current_language": str(get_locale()), "language_names": LANGUAGE_NAMES}
