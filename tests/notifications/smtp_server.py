"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives; it can be stopped
and started again on the same port to play an outage."""

import re
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

_MESSAGE_ID = re.compile(rb"^Message-ID: (<[^>]+>)", re.MULTILINE | re.IGNORECASE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, box):
        self.box = box

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.box.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.box.lock:  # parsed only when a test reads them: this thread must stay quick
            self.box.raw.append(envelope.content)
            self.box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class LoopbackSmtp:
    """credentials=(username, password): the server offers SMTP AUTH and checks them;
    smtputf8=False: a server that takes ASCII addresses only, as many still do."""

    def __init__(self, credentials: tuple[str, str] | None = None, smtputf8: bool = True):
        self.credentials = credentials
        self.smtputf8 = smtputf8
        self.host, self.port = "127.0.0.1", free_port()
        self.raw: list[bytes] = []
        self.envelopes = []
        self.refused: set[str] = set()
        self.lock = threading.Lock()
        self._controller = None

    def start(self):
        options = {"enable_SMTPUTF8": self.smtputf8}
        if self.credentials:
            # AUTH offered without TLS on loopback (requiring it too makes aiosmtpd warn).
            options |= dict(auth_require_tls=False, authenticator=self._authenticate)
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, **options)
        self._controller.start()
        return self

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        given = (auth_data.login.decode(), auth_data.password.decode())
        # handled=False: aiosmtpd answers 235 or 535 itself.
        return AuthResult(success=given == self.credentials, handled=False)

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list:
        with self.lock:
            raw = list(self.raw)
        return [message_from_bytes(r, policy=policy.default) for r in raw]

    def message_ids(self) -> list[str]:
        with self.lock:
            raw = list(self.raw)
        return [_MESSAGE_ID.search(r).group(1).decode() for r in raw]

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]
