"""The API's blueprint: a JSON body sent as another type is refused, never read as no data;
a body the document requires is refused when it is missing (not read as {})."""

from functools import wraps

import flask_smorest
from flask import request
from flask_smorest import abort
from webargs.flaskparser import FlaskParser, is_json_request

JSON_TYPE = "application/json"


class JsonBodyParser(FlaskParser):
    """webargs reads a body of another type as absent, so a form-encoded body was answered
    with "trigger: Missing data"; it is refused with 415, naming the body and the type."""

    def _raw_load_json(self, req):
        if not is_json_request(req) and req.get_data(cache=True):
            sent = req.mimetype or "no Content-Type"
            abort(
                415,
                message=f"The request body must be JSON, sent with Content-Type: {JSON_TYPE}.",
                errors={"json": {"body": [f"must be JSON ({JSON_TYPE}), not {sent}"]}},
            )
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonBodyParser()

    def arguments(self, schema, *, location="json", required=True, **kwargs):
        """flask-smorest's, where `required` (the default for a body) is also enforced: a
        PATCH without a body was answered 200 although the document requires one."""
        decorator = super().arguments(schema, location=location, required=required, **kwargs)
        instance = schema() if isinstance(schema, type) else schema
        if location != "json" or not required or _names_required_fields(instance):
            # A missing body of a schema with required fields is answered field by field.
            return decorator

        def wrapper(func):
            parsed = decorator(func)

            @wraps(parsed)
            def view(*args, **kw):
                if not request.get_data(cache=True):
                    abort(
                        422,
                        message="This request needs a JSON body.",
                        errors={"json": {"body": ["is required: send a JSON object"]}},
                    )
                return parsed(*args, **kw)

            return view

        return wrapper


def _names_required_fields(schema) -> bool:
    return any(field.required for field in schema.fields.values())
