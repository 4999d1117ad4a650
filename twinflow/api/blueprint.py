"""The API's blueprint: a JSON body sent as another type is refused, never read as no data."""

import flask_smorest
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
