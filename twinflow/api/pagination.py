"""Page/per_page pagination with RFC 8288 Link headers and the total count."""

from urllib.parse import urlencode

from flask import request
from sqlalchemy import func, select

from twinflow.extensions import db

PAGE_HEADERS = {
    "Link": {
        "description": 'RFC 8288 links: <url>; rel="first", "prev", "next", "last"',
        "schema": {"type": "string"},
    },
    "X-Total-Count": {"description": "Items matching, on all pages", "schema": {"type": "integer"}},
}


def paginate(query, page: int, per_page: int, read=None) -> tuple[list, dict]:
    """One page of `query` (a select with its order) and the headers describing the others.
    read(query, limit, offset), when given, reads the page's items in the query's order."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    offset = (page - 1) * per_page
    if read is not None:
        return read(query, per_page, offset), page_headers(total, page, per_page)
    items = list(db.session.scalars(query.limit(per_page).offset(offset)))
    return items, page_headers(total, page, per_page)


def page_headers(total: int, page: int, per_page: int) -> dict:
    """The Link and X-Total-Count headers of page `page` of `total` items."""
    last = max(1, -(-total // per_page))
    links = {"first": 1, "last": last}
    if page > 1:
        links["prev"] = min(page - 1, last)
    if page < last:
        links["next"] = page + 1
    header = ", ".join(f'<{_url(number, per_page)}>; rel="{rel}"' for rel, number in links.items())
    return {"Link": header, "X-Total-Count": str(total)}


def _url(page: int, per_page: int) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "per_page")]
    args += [("page", page), ("per_page", per_page)]
    return f"{request.base_url}?{urlencode(args)}"
