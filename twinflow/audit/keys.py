"""The audit key: a secret held outside the database (TWINFLOW_AUDIT_KEY) that seals the chain.

It rides on the SQLAlchemy engine as an execution option, so every session on that engine
(Flask's, a test's, the scheduler's) appends and verifies with it, and code that only holds a
session needs no extra argument. The key itself never reaches the database: each append hands
the database a key derived from it and from that one event's content (see `AuditKey.seal`).
"""

import hashlib
import hmac

from sqlalchemy.orm import Session

# The engine's execution option that carries the key.
AUDIT_KEY_OPTION = "twinflow_audit_key"
MIN_KEY_LENGTH = 32
ENV_VARIABLE = "TWINFLOW_AUDIT_KEY"


class AuditKeyError(RuntimeError):
    """The audit key is missing or too weak to use."""


class AuditKey:
    """The secret and what is derived from it; its repr never shows the secret."""

    __slots__ = ("_secret", "key_id")

    def __init__(self, secret: str):
        if not secret:
            raise AuditKeyError(f"{ENV_VARIABLE} is not set")
        if len(secret) < MIN_KEY_LENGTH:
            raise AuditKeyError(
                f"{ENV_VARIABLE} must be at least {MIN_KEY_LENGTH} characters "
                f"(it has {len(secret)})"
            )
        self._secret = secret.encode()
        # Names the key in anchors and messages without revealing it.
        self.key_id = self._mac(b"key-id", b"").hex()[:16]

    def _mac(self, purpose: bytes, message: bytes) -> bytes:
        # The purpose keeps a seal, an anchor signature and the key id from ever colliding.
        return hmac.new(self._secret, purpose + b"\x00" + message, hashlib.sha256).digest()

    def seal(self, content: str) -> bytes:
        """The key of one event: HMAC of its content (everything but its place in the chain).
        The database chains the event with it; knowing it lets one re-chain that exact event,
        never alter it nor write another."""
        return self._mac(b"event", content.encode())

    def sign(self, message: str) -> str:
        return self._mac(b"anchor", message.encode()).hex()

    def __repr__(self) -> str:
        return f"<AuditKey {self.key_id}>"


def engine_options(secret: str | AuditKey) -> dict:
    """The execution options that put the key on an engine: create_engine(url,
    execution_options=engine_options(key))."""
    key = secret if isinstance(secret, AuditKey) else AuditKey(secret)
    return {AUDIT_KEY_OPTION: key}


def key_for(session: Session) -> AuditKey:
    key = session.get_bind().get_execution_options().get(AUDIT_KEY_OPTION)
    if key is None:
        raise AuditKeyError(
            f"no audit key on this database engine: set {ENV_VARIABLE} (or pass "
            "execution_options=engine_options(key) to create_engine)"
        )
    return key


_IPAD, _OPAD = int.from_bytes(b"\x36" * 64), int.from_bytes(b"\x5c" * 64)


def hmac_pads(seal: bytes) -> tuple[bytes, bytes]:
    """HMAC-SHA256's inner and outer padded keys (RFC 2104) for a 32-byte key, so a database
    with sha256() but no hmac() computes HMAC as sha256(opad || sha256(ipad || message))."""
    block = int.from_bytes(seal.ljust(64, b"\x00"))
    return (block ^ _IPAD).to_bytes(64), (block ^ _OPAD).to_bytes(64)


def hmac_hex(seal: bytes, message: str) -> str:
    """HMAC-SHA256 of a text's UTF-8 bytes under a seal (also registered on SQLite)."""
    return hmac.new(seal, message.encode(), hashlib.sha256).hexdigest()
