"""Configuration read from TWINFLOW_* environment variables."""

import os
import secrets


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"TWINFLOW_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production-safe defaults; every value can be overridden from the environment."""

    # Without a configured key each process would sign sessions differently, so a random
    # key is only acceptable for a single-process demo; production must set it.
    SECRET_KEY = _env("SECRET_KEY") or secrets.token_hex(32)
    # None means "a SQLite file in the instance folder", resolved in create_app.
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    WORKFLOWS_DIR = _env("WORKFLOWS_DIR")
    BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")
    TIMEZONE = _env("TIMEZONE", "UTC")

    SESSION_COOKIE_SECURE = _env_bool("COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # The secret that seals the audit chain (HMAC-SHA256). Kept outside the database; create_app
    # refuses to start without it. Anchors (signed checkpoints) are appended to the file.
    AUDIT_KEY = _env("AUDIT_KEY")
    AUDIT_ANCHOR_FILE = _env("AUDIT_ANCHOR_FILE")

    API_TOKEN_HOURS = int(_env("API_TOKEN_HOURS", "12"))
    PASSWORD_HASH_METHOD = "scrypt"

    # Sign-in throttling (auth/throttle.py): failed attempts per account (web form, token
    # endpoint and password change together) and per client address within a window; the
    # next attempt, right password or not, gets 429 until the window ends.
    SIGN_IN_ACCOUNT_FAILURES = int(_env("SIGN_IN_ACCOUNT_FAILURES", "5"))
    SIGN_IN_ADDRESS_FAILURES = int(_env("SIGN_IN_ADDRESS_FAILURES", "30"))
    SIGN_IN_WINDOW_MINUTES = int(_env("SIGN_IN_WINDOW_MINUTES", "15"))
    # Where the counters live: redis://..., memcached://... (see the `limits` package), or by
    # default this app's own database, shared by every worker and machine using it.
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "twinflow-db://")
    RATELIMIT_STRATEGY = "fixed-window"
    # Explicit: Flask-Limiter carries this flag over from one app to the next in a process.
    RATELIMIT_ENABLED = True
    # Strict-Transport-Security max-age; only production sends it (the demo is plain HTTP).
    HSTS_SECONDS = 0

    SMTP_HOST = _env("SMTP_HOST")
    SMTP_PORT = int(_env("SMTP_PORT", "25"))
    SMTP_USERNAME = _env("SMTP_USERNAME")
    SMTP_PASSWORD = _env("SMTP_PASSWORD")
    SMTP_TLS = _env("SMTP_TLS", "none")
    MAIL_FROM = _env("MAIL_FROM", "twinflow@localhost")
    SMTP_TIMEOUT = float(_env("SMTP_TIMEOUT", "20"))
    # The scheduler process: seconds between passes; the local hour (in TIMEZONE) at which
    # daily digests are made.
    SCHEDULER_INTERVAL = int(_env("SCHEDULER_INTERVAL", "60"))
    DIGEST_HOUR = int(_env("DIGEST_HOUR", "7"))

    UPLOAD_DIR = _env("UPLOAD_DIR")
    MAX_UPLOAD_BYTES = int(_env("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

    # -- Production on several machines -------------------------------------------------
    # Where documents' bytes live: "local" (UPLOAD_DIR, one machine) or "database" (shared by
    # every machine that reaches the database).
    DOCUMENT_STORE = _env("DOCUMENT_STORE", "local")
    # "json": one JSON object per line (production); "console": readable lines (the demo).
    LOG_FORMAT = _env("LOG_FORMAT", "json")
    LOG_LEVEL = _env("LOG_LEVEL", "INFO")
    # How many proxies in front set X-Forwarded-For/-Proto/-Host (0: none is trusted).
    PROXY_HOPS = int(_env("PROXY_HOPS", "0"))
    # /metrics: with a token, only `Authorization: Bearer <token>` gets it; without one, only
    # clients from these networks (comma-separated) do.
    METRICS_TOKEN = _env("METRICS_TOKEN")
    METRICS_NETWORKS = _env("METRICS_NETWORKS", "127.0.0.0/8,::1/128")

    API_TITLE = "twinflow"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_REDOC_PATH = None
    OPENAPI_SWAGGER_UI_PATH = None


# Public, so never a secret: it lets the demo run without setting anything (it says so).
DEMO_AUDIT_KEY = "twinflow-demo-audit-key-public-never-use-in-production"


class DevelopmentConfig(Config):
    """The demo: plain HTTP on loopback, so cookies cannot require TLS."""

    AUDIT_KEY = _env("AUDIT_KEY") or DEMO_AUDIT_KEY

    SESSION_COOKIE_SECURE = _env_bool("COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = _env_bool("COOKIE_SECURE", False)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    AUDIT_KEY = "test-audit-key-fixed-for-the-test-suite-only"
    AUDIT_ANCHOR_FILE = None  # a test names its own file
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # scrypt at full cost makes every sign-in in the suite take ~0.1 s.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    HSTS_SECONDS = int(_env("HSTS_SECONDS", str(365 * 24 * 3600)))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    name = name or _env("ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ValueError(f"TWINFLOW_ENV={name!r} is not one of {sorted(CONFIGS)}") from None
