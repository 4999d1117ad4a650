"""Password hashing parameters and strength: zxcvbn's estimate, with its reasons shown."""

import re
import secrets
import threading
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from twinflow.i18n import gettext as _

MIN_LENGTH = 10
# zxcvbn's scale: 3 is "safely unguessable: moderate protection from an offline slow-hash
# attack"; below it, dictionary words, common passwords and repeats are found quickly.
MIN_SCORE = 3
# zxcvbn refuses longer input and grows quadratically; the first 72 characters' strength is a
# lower bound for the whole password's.
CHECKED_LENGTH = 72
# zxcvbn keeps the user inputs of a call in a module-level dictionary: one call at a time.
_ZXCVBN = threading.Lock()


def strength_problems(password: str | None, user_inputs=()) -> list[str]:
    """Why the password is refused ([] if it is accepted), in words for the person typing it.

    `user_inputs`: the account's e-mail, name and organisation, which make a weak password."""
    if not password or len(password) < MIN_LENGTH:
        return [_("must be at least %(count)s characters", count=MIN_LENGTH)]
    words = [w for text in user_inputs if text for w in re.split(r"[\W_]+", text.lower()) if w]
    with _ZXCVBN:
        result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return []
    feedback = result["feedback"]
    # zxcvbn's own English words, read through the catalogue (admin.po carries their French).
    reason = _(feedback.get("warning") or "It would be guessed quickly.")
    hints = " ".join(_(hint) for hint in feedback.get("suggestions") or [])
    return [_("is too easy to guess. %(reason)s %(hints)s", reason=reason, hints=hints).strip()]


def hash_password(password: str, method: str) -> str:
    return generate_password_hash(password, method)


def check_password(stored_hash: str, password: str) -> bool:
    return check_password_hash(stored_hash, password)


def hash_parameters(stored_hash: str) -> str:
    """ "scrypt:32768:8:1" of "scrypt:32768:8:1$salt$hash": the algorithm and its cost."""
    return stored_hash.split("$", 1)[0]


@cache
def dummy_hash(method: str) -> str:
    """A hash of a random password made with the same method as real ones, checked when the
    e-mail is unknown so that a wrong address costs the same time as a wrong password."""
    return generate_password_hash(secrets.token_urlsafe(24), method)
