"""Sign in and out, and the administrators' user management pages."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    session as cookie_session,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from twinflow.auth import operations, throttle
from twinflow.auth.forms import (
    ROLE_NAMES,
    ButtonForm,
    ChangePasswordForm,
    DetailsForm,
    LoginForm,
    PasswordForm,
    RoleForm,
    UserCreateForm,
)
from twinflow.auth.models import User
from twinflow.auth.permissions import can_read_directory
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.i18n import lazy_gettext
from twinflow.services import get_engine
from twinflow.web.helpers import (
    Page,
    apply_engine_errors,
    int_arg,
    permission_required,
    roles_required,
    safe_next,
)
from twinflow.workflow.errors import InvalidData, WorkflowError

blueprint = Blueprint("web_auth", __name__, template_folder="templates")
admin_blueprint = Blueprint(
    "web_admin", __name__, template_folder="templates", url_prefix="/admin/users"
)

WRONG_CREDENTIALS = lazy_gettext("The e-mail address or password is not correct.")


@admin_blueprint.context_processor
def _role_names():
    return {"role_names": ROLE_NAMES}


@blueprint.route("/login", methods=["GET", "POST"])
@throttle.sign_in_limits(throttle.form_email)
def login():
    target = safe_next(request.args.get("next"), url_for("web.dashboard"))
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = operations.authenticate(
            db.session,
            form.email.data,
            form.password.data,
            current_app.config["PASSWORD_HASH_METHOD"],
        )
        if user is not None:
            throttle.record_success()
            cookie_session.clear()  # no pre-login session state carries over (fixation)
            login_user(user, remember=form.remember.data)
            return redirect(target)
        throttle.record_failure(form.email.data)
        # One message whether the address is unknown, inactive or the password wrong.
        form.password.errors = [str(WRONG_CREDENTIALS)]
        status = 401
    elif form.is_submitted():
        # A field refused (e.g. a control character) is a 422; only an expired form a 400.
        status = 422 if set(form.errors) - {"csrf_token"} else 400
    return render_template("auth/login.html", form=form), status


@blueprint.post("/logout")
@login_required
def logout():
    if not ButtonForm().validate_on_submit():
        abort(400, _("The sign-out form expired; nothing was changed."))
    operations.sign_out(db.session, current_user._get_current_object())
    logout_user()
    cookie_session.clear()
    cookie_session["_remember"] = "clear"  # Flask-Login deletes the remember-me cookie
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("web_auth.login"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
@throttle.sign_in_limits(lambda: getattr(current_user, "email", ""))
def change_password():
    """The user's own password. Every other session, remember-me cookie and API token ends;
    this browser stays signed in with a renewed session (and a renewed remember-me cookie if
    it had one), since the person here has just proved they know the password."""
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        try:
            operations.change_password(
                db.session,
                user,
                form.current_password.data,
                form.new_password.data,
                get_engine().clock.now(),
                current_app.config["PASSWORD_HASH_METHOD"],
            )
        except InvalidData as exc:
            if "current_password" in exc.details:
                throttle.record_failure(user.email)
            apply_engine_errors(form, exc.details)
            status = 422
        else:
            throttle.record_success()
            cookie_session.clear()
            login_user(user, remember=remembered in request.cookies)
            flash(
                _(
                    "Your password is changed. You were signed out everywhere else, and your "
                    "API tokens no longer work."
                ),
                "success",
            )
            return redirect(url_for("web.dashboard"))
    elif form.is_submitted():
        status = 422
    return render_template("auth/password.html", form=form), status


# -- administration --------------------------------------------------------------------------


@admin_blueprint.get("")
@permission_required(can_read_directory)
def users():
    page = int_arg("page", 1)
    query = select(User)
    text = (request.args.get("q") or "").strip()
    if text:
        # autoescape: a % or _ typed in the search box matches itself, not "anything".
        query = query.where(
            User.email.icontains(text, autoescape=True)
            | User.name.icontains(text, autoescape=True)
            | User.organisation.icontains(text, autoescape=True)
        )
    role = request.args.get("role")
    if role:
        query = query.where(User.role == role)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(User.role, User.email).limit(50).offset((page - 1) * 50)
    ).all()
    return render_template(
        "auth/users.html", page=Page(list(rows), page, 50, total), q=text, role=role or ""
    )


@admin_blueprint.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def create():
    form = UserCreateForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = operations.create_user(
                db.session,
                email=form.email.data,
                password=form.password.data,
                role=form.role.data,
                organisation=form.organisation.data,
                country=form.country.data,
                name=form.name.data or "",
                actor=current_user,
                now=get_engine().clock.now(),
                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
            )
        except WorkflowError as exc:
            status = _form_failure(form, exc)
        else:
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("web_admin.detail", user_id=user.id))
    elif form.is_submitted():
        status = 422
    return render_template("auth/user_new.html", form=form), status


@admin_blueprint.get("/<int:user_id>")
@permission_required(can_read_directory)
def detail(user_id: int):
    user = db.session.get(User, user_id) or abort(404, _("No user %(id)s.", id=user_id))
    return _detail_page(user)


def _detail_page(user, role_form=None, password_form=None, status=200, details_form=None):
    role_form = role_form or RoleForm(
        formdata=None, role=user.role, organisation=user.organisation, country=user.country
    )
    return render_template(
        "auth/user_detail.html",
        user=user,
        details_form=details_form or DetailsForm(formdata=None, name=user.name, email=user.email),
        role_form=role_form,
        password_form=password_form or PasswordForm(formdata=None),
        button=ButtonForm(),
    ), status


@admin_blueprint.post("/<int:user_id>/role")
@roles_required("admin")
def change_role(user_id: int):
    form = RoleForm()
    user = db.session.get(User, user_id) or abort(404, _("No user %(id)s.", id=user_id))
    if form.validate_on_submit():
        try:
            operations.change_role(
                db.session,
                current_user,
                user_id,
                role=form.role.data,
                organisation=form.organisation.data,
                country=form.country.data,
                now=get_engine().clock.now(),
            )
        except WorkflowError as exc:
            return _detail_page(user, role_form=form, status=_form_failure(form, exc))
        flash(
            _("%(email)s is now %(role)s.", email=user.email, role=ROLE_NAMES[user.role]),
            "success",
        )
        return redirect(url_for("web_admin.detail", user_id=user_id))
    return _detail_page(user, role_form=form, status=422 if form.is_submitted() else 400)


@admin_blueprint.post("/<int:user_id>/details")
@roles_required("admin")
def change_details(user_id: int):
    from twinflow.organisations.operations import update_user

    form = DetailsForm()
    user = db.session.get(User, user_id) or abort(404, _("No user %(id)s.", id=user_id))
    if form.validate_on_submit():
        try:
            update_user(
                db.session,
                current_user,
                user_id,
                now=get_engine().clock.now(),
                name=form.name.data,
                email=form.email.data,
            )
            db.session.commit()
        except WorkflowError as exc:
            db.session.rollback()
            user = db.session.get(User, user_id)
            status = _form_failure(form, exc)
            return _detail_page(user, details_form=form, status=status)
        flash(_("The name and e-mail of %(name)s are saved.", name=user.display_name), "success")
        return redirect(url_for("web_admin.detail", user_id=user_id))
    return _detail_page(user, details_form=form, status=422 if form.is_submitted() else 400)


@admin_blueprint.post("/<int:user_id>/password")
@roles_required("admin")
def reset_password(user_id: int):
    form = PasswordForm()
    user = db.session.get(User, user_id) or abort(404, _("No user %(id)s.", id=user_id))
    if form.validate_on_submit():
        try:
            operations.reset_password(
                db.session,
                current_user,
                user_id,
                form.password.data,
                get_engine().clock.now(),
                current_app.config["PASSWORD_HASH_METHOD"],
            )
        except WorkflowError as exc:
            return _detail_page(user, password_form=form, status=_form_failure(form, exc))
        flash(_("The password of %(email)s was reset.", email=user.email), "success")
        return redirect(url_for("web_admin.detail", user_id=user_id))
    return _detail_page(user, password_form=form, status=422)


@admin_blueprint.get("/<int:user_id>/deactivate")
@roles_required("admin")
def confirm_deactivation(user_id: int):
    """The step before deactivating: names the user and what happens, Confirm or Cancel."""
    from twinflow.team.people import named_on

    user = db.session.get(User, user_id) or abort(404, _("No user %(id)s.", id=user_id))
    today = get_engine().clock.now().date()
    return render_template(
        "auth/user_deactivate.html", user=user, named=named_on(db.session, user, today)
    )


@admin_blueprint.post("/<int:user_id>/active")
@roles_required("admin")
def set_active(user_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400, _("The form expired; nothing was changed."))
    active = request.form.get("active") == "1"
    if not active and request.form.get("confirm") != "yes":
        # Deactivating only from the confirmation page, which says what it does.
        return redirect(url_for("web_admin.confirm_deactivation", user_id=user_id), 303)
    user = operations.set_active(
        db.session, current_user, user_id, active, get_engine().clock.now()
    )
    if active:
        flash(_("%(email)s is active again.", email=user.email), "success")
    else:
        flash(_("%(email)s is deactivated.", email=user.email), "success")
    return redirect(url_for("web_admin.detail", user_id=user_id))


@admin_blueprint.get("/lockouts")
@roles_required("admin")
def lockouts():
    return render_template(
        "auth/lockouts.html", locks=throttle.current_locks(), button=ButtonForm()
    )


@admin_blueprint.post("/lockouts")
@roles_required("admin")
def lift_lockout():
    if not ButtonForm().validate_on_submit():
        abort(400, _("The form expired; nothing was changed."))
    kind, value = request.form.get("kind"), (request.form.get("value") or "").strip()
    if kind not in ("account", "address") or not value or len(value) > 254:
        abort(
            422,
            _("Say which lock to lift: kind account or address, and its e-mail or address."),
        )
    throttle.lift(current_user, kind, value)
    flash(_("Sign-in is open again for %(who)s.", who=value), "success")
    return redirect(url_for("web_admin.lockouts"))


def _form_failure(form, exc: WorkflowError) -> int:
    """Show the operation's refusal on the form; field errors next to their fields."""
    from twinflow.error_handling import status_of

    if isinstance(exc, InvalidData) or exc.details:
        leftover = apply_engine_errors(
            form, {k: v for k, v in exc.details.items() if isinstance(v, list)}
        )
        for message in leftover:
            flash(message, "error")
    flash(exc.message, "error")
    return status_of(exc)
