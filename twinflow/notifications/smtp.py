"""The SMTP connection, configured by TWINFLOW_SMTP_* (host, port, username, password, TLS)."""

import smtplib
import ssl
from dataclasses import dataclass, field

from twinflow.text import control_problem

TLS_MODES = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None
    port: int = 25
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a log line
    tls: str = "none"
    mail_from: str = "twinflow@localhost"
    timeout: float = 20.0

    def __post_init__(self):
        if self.tls not in TLS_MODES:
            raise ValueError(f"TWINFLOW_SMTP_TLS={self.tls!r} is not one of {', '.join(TLS_MODES)}")
        # A line break here would be in the From header of every message: refused at start.
        problem = control_problem(self.mail_from)
        if problem:
            raise ValueError(f"TWINFLOW_MAIL_FROM {problem}")

    @classmethod
    def from_config(cls, config) -> "SmtpSettings":
        return cls(
            host=config.get("SMTP_HOST"),
            port=int(config.get("SMTP_PORT") or 25),
            username=config.get("SMTP_USERNAME"),
            password=config.get("SMTP_PASSWORD"),
            tls=(config.get("SMTP_TLS") or "none").lower(),
            mail_from=config.get("MAIL_FROM") or "twinflow@localhost",
            timeout=float(config.get("SMTP_TIMEOUT") or 20),
        )

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def domain(self) -> str:
        return self.mail_from.rpartition("@")[2] or "localhost"


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated connection; raises OSError / SMTPException when it cannot."""
    # Loading the CA store costs ~0.1 s: only when TLS is on.
    context = ssl.create_default_context() if settings.tls != "none" else None
    if settings.tls == "ssl":
        conn = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        conn = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.tls == "starttls":
            conn.starttls(context=context)
        if settings.username:
            conn.login(settings.username, settings.password or "")
    except BaseException:
        conn.close()
        raise
    return conn
