"""The administrators' API: GET/POST /organisations, GET/POST /users, PATCH /users/<id>.

The same operations as the admin pages and the CLI (organisations/operations.py), so the three
give the same answers; shapes are checked here, rules there."""

from flask import current_app, url_for
from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy import select

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID
from twinflow.api.fields import MAX_ID, Country, Text
from twinflow.api.list_args import PageArgsSchema
from twinflow.api.pagination import PAGE_HEADERS, paginate
from twinflow.api.security import authenticated, current_user
from twinflow.auth.models import ROLES, User
from twinflow.extensions import db
from twinflow.organisations import operations
from twinflow.organisations.models import KINDS, Organisation
from twinflow.organisations.permissions import can_manage_organisations
from twinflow.services import get_engine
from twinflow.workflow.errors import NotFound, NotPermitted

organisations_blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1/organisations",
    description="Organisations and the countries they cover (administrators)",
)
users_blp = Blueprint(
    "users", __name__, url_prefix="/api/v1/users", description="Users (administrators)"
)

OrganisationId = fields.Integer(
    strict=True, allow_none=True, validate=validate.Range(min=1, max=MAX_ID)
)


class OrganisationSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String(metadata={"enum": list(KINDS)})
    country = fields.String(allow_none=True)
    covers_all = fields.Boolean()
    countries = fields.List(fields.String(), metadata={"description": "Beneficiary countries"})
    created_at = fields.DateTime()


class OrganisationCreateSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    kind = Text(required=True, validate=validate.OneOf(list(KINDS)))
    country = Country(allow_none=True, metadata={"description": "Where it sits"})
    countries = fields.List(Country(), validate=validate.Length(max=60), load_default=list)
    covers_all = fields.Boolean(load_default=False)


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    organisation = fields.String(
        allow_none=True, metadata={"description": "The administration's or institution's name"}
    )
    organisation_id = fields.Integer(allow_none=True)
    country = fields.String(allow_none=True)
    active = fields.Boolean(attribute="is_active")
    created_at = fields.DateTime()


class UserCreateSchema(Schema):
    email = Text(required=True, validate=validate.Length(min=1, max=254))
    password = Text(required=True, validate=validate.Length(min=1, max=200))
    role = Text(required=True, validate=validate.OneOf(ROLES))
    name = Text(load_default="", validate=validate.Length(max=200))
    organisation = Text(
        validate=validate.Length(max=200),
        metadata={"description": "Administration's name; defaults to the organisation's"},
    )
    organisation_id = OrganisationId
    country = Country(allow_none=True)


class UserUpdateSchema(Schema):
    name = Text(validate=validate.Length(min=1, max=200))
    email = Text(validate=validate.Length(min=3, max=254))
    role = Text(validate=validate.OneOf(ROLES))
    organisation_id = OrganisationId
    country = Country(allow_none=True)
    active = fields.Boolean()


class UserListArgsSchema(PageArgsSchema):
    role = Text(validate=validate.OneOf(ROLES))
    organisation_id = fields.Integer(strict=False, validate=validate.Range(min=1, max=MAX_ID))


def _admin():
    user = current_user()
    if not can_manage_organisations(user):
        raise NotPermitted("Only administrators manage organisations and users.")
    return user


@organisations_blp.route("", methods=["GET"])
@authenticated
@organisations_blp.response(200, OrganisationSchema(many=True))
@organisations_blp.alt_response(403, response="FORBIDDEN")
def list_organisations():
    """Every organisation, by name, with the countries it covers."""
    _admin()
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


@organisations_blp.route("", methods=["POST"])
@authenticated
@organisations_blp.arguments(OrganisationCreateSchema)
@organisations_blp.response(201, OrganisationSchema)
@organisations_blp.alt_response(403, response="FORBIDDEN")
def create_organisation(values):
    """An organisation; Delegations, Commission services and contracting authorities list the
    beneficiary countries they cover (`covers_all` for a headquarters unit)."""
    actor = _admin()
    organisation = operations.create_organisation(
        db.session, actor, now=get_engine().clock.now(), **values
    )
    db.session.commit()
    return organisation


@users_blp.route("", methods=["GET"])
@authenticated
@users_blp.arguments(UserListArgsSchema, location="query", unknown=RAISE)
@users_blp.response(200, UserSchema(many=True), headers=PAGE_HEADERS)
@users_blp.alt_response(403, response="FORBIDDEN")
def list_users(args):
    """Every user, by e-mail, paginated; filter by role or organisation."""
    _admin()
    query = select(User).order_by(User.email)
    if "role" in args:
        query = query.where(User.role == args["role"])
    if "organisation_id" in args:
        query = query.where(User.organisation_id == args["organisation_id"])
    items, headers = paginate(query, args["page"], args["per_page"])
    return items, 200, headers


@users_blp.route("", methods=["POST"])
@authenticated
@users_blp.arguments(UserCreateSchema)
@users_blp.response(201, UserSchema)
@users_blp.alt_response(403, response="FORBIDDEN")
@users_blp.alt_response(409, response="CONFLICT")
def create_user(values):
    """A user; a coordinator sees only the projects of the countries its organisation covers,
    so name one (`organisation_id`)."""
    actor = _admin()
    user = operations.create_member(
        db.session,
        actor,
        now=get_engine().clock.now(),
        hash_method=current_app.config["PASSWORD_HASH_METHOD"],
        **values,
    )
    db.session.commit()
    return user, 201, {"Location": url_for("users.get_user", user_id=user.id)}


@users_blp.route(f"/<{ID}:user_id>", methods=["GET"])
@authenticated
@users_blp.response(200, UserSchema)
@users_blp.alt_response(403, response="FORBIDDEN")
@users_blp.alt_response(404, response="NOT_FOUND")
def get_user(user_id):
    """One user."""
    _admin()
    return db.session.get(User, user_id) or _no_user(user_id)


@users_blp.route(f"/<{ID}:user_id>", methods=["PATCH"])
@authenticated
@users_blp.arguments(UserUpdateSchema)
@users_blp.response(200, UserSchema)
@users_blp.alt_response(403, response="FORBIDDEN")
@users_blp.alt_response(404, response="NOT_FOUND")
@users_blp.alt_response(409, response="CONFLICT")
def update_user(values, user_id):
    """Change the name, the e-mail (no other user's), the role, the organisation (null:
    none), the country or whether the user is active; deactivating ends its sessions and
    tokens. Team members recorded with the old e-mail follow the new one."""
    actor = _admin()
    user = operations.update_user(
        db.session, actor, user_id, now=get_engine().clock.now(), **values
    )
    db.session.commit()
    return user


def _no_user(user_id):
    raise NotFound(f"No user {user_id}.")
