"""Which language a page speaks: the user's own choice, else the browser's preference.

Flask-Babel gives the templates `_()`, `ngettext()` and the locale's date and number formats;
its catalogue is twinflow.i18n's (one for the pages and the engine's messages). The API is
left in English: its texts are a contract read by programs.
"""

from babel.support import NullTranslations
from flask import Blueprint, redirect, request, url_for
from flask_babel import Babel, Domain, get_locale
from flask_login import current_user, login_required

from twinflow.extensions import db
from twinflow.i18n import LANGUAGES, reset_language, set_language
from twinflow.i18n.catalogue import LANGUAGE_NAMES, translations_for
from twinflow.web.forms import SafeForm

blueprint = Blueprint("web_language", __name__)
COOKIE = "twinflow_language"


class _Catalogue(Domain):
    """Flask-Babel's domain reading twinflow.i18n's compiled catalogue instead of `.mo` files."""

    def get_translations(self):
        language = str(get_locale() or "en")
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
    app.register_blueprint(blueprint)

    @app.before_request
    def _speak_the_chosen_language():
        request.environ["twinflow.language_token"] = set_language(str(get_locale()))

    @app.teardown_request
    def _back_to_english(_error=None):
        token = request.environ.pop("twinflow.language_token", None)
        if token is not None:
            reset_language(token)

    @app.context_processor
    def _languages():
        return {"current_language": str(get_locale()), "language_names": LANGUAGE_NAMES}
