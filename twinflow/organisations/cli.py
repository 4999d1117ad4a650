"""`twinflow organisations ...`: list and create organisations, and put a user in one; the
same operations (and refusals) as the admin pages and the API."""

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from twinflow.cli import TEXT
from twinflow.organisations.models import KINDS
from twinflow.workflow.errors import WorkflowError


def _engine_now():
    from twinflow.services import get_engine

    return get_engine().clock.now()


def _refusal(exc: WorkflowError) -> click.ClickException:
    details = "; ".join(
        f"{k}: {', '.join(v)}" for k, v in exc.details.items() if isinstance(v, list)
    )
    return click.ClickException(f"{exc.message} {details}".strip())


@click.group("organisations", help="Organisations and the beneficiary countries they cover.")
def organisations_cli():
    pass


@organisations_cli.command("list")
@with_appcontext
def list_command():
    from twinflow.auth.models import User
    from twinflow.extensions import db
    from twinflow.organisations.models import Organisation

    members = dict(
        db.session.execute(
            select(User.organisation_id, func.count(User.id)).group_by(User.organisation_id)
        ).all()
    )
    for o in db.session.scalars(select(Organisation).order_by(Organisation.name)):
        covers = "all countries" if o.covers_all else (", ".join(o.countries) or "no country")
        click.echo(
            f"{o.id}\t{o.name}\t{o.kind}\t{o.country or '-'}\tcovers: {covers}\t"
            f"users: {members.get(o.id, 0)}"
        )


@organisations_cli.command("create")
@click.argument("name", type=TEXT)
@click.option("--kind", required=True, type=click.Choice(list(KINDS)))
@click.option("--country", default=None, type=TEXT, help="Where it sits (two letters).")
@click.option(
    "--covers",
    "countries",
    multiple=True,
    type=TEXT,
    help="A beneficiary country it covers (repeat the option for several).",
)
@click.option("--covers-all", is_flag=True, help="A headquarters unit: every country.")
@with_appcontext
def create_command(name, kind, country, countries, covers_all):
    from twinflow.extensions import db
    from twinflow.organisations.operations import CONSOLE, create_organisation

    try:
        organisation = create_organisation(
            db.session,
            CONSOLE,
            name=name,
            kind=kind,
            country=country,
            countries=countries,
            covers_all=covers_all,
            now=_engine_now(),
        )
        db.session.commit()
    except WorkflowError as exc:
        db.session.rollback()
        raise _refusal(exc) from None
    click.echo(f"created organisation {organisation.id} {organisation.name}")


@organisations_cli.command("assign")
@click.argument("email", type=TEXT)
@click.argument("organisation_id", type=click.IntRange(1, 2_147_483_647))
@with_appcontext
def assign_command(email, organisation_id):
    """Put the user with this e-mail in the organisation (see `organisations list`)."""
    from twinflow.auth.models import User
    from twinflow.extensions import db
    from twinflow.organisations.operations import CONSOLE, update_user

    user_id = db.session.scalar(
        select(User.id).where(func.lower(User.email) == email.strip().lower())
    )
    if user_id is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    try:
        user = update_user(
            db.session, CONSOLE, user_id, organisation_id=organisation_id, now=_engine_now()
        )
        db.session.commit()
    except WorkflowError as exc:
        db.session.rollback()
        raise _refusal(exc) from None
    click.echo(f"{user.email} now belongs to {user.affiliation.name}")


commands = [organisations_cli]
