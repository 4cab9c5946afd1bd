"""Settings: defaults < instance/config.toml < environment < create_app(config=...).

Every setting is declared once in SETTINGS with its type; a bad value stops start-up
with ConfigError, whose message is one line naming the setting.
"""
from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ConfigError(SystemExit):
    """Raised for a bad setting. As a SystemExit it ends the process with its one-line
    message on stderr and no traceback, whether under `flask`, gunicorn or python."""

    def __init__(self, name: str, problem: str):
        self.setting = name
        super().__init__(f"configuration error: {name}: {problem}")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {value!r}")


def _positive_int(value: Any) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError(f"must be a positive whole number, got {value!r}")
    return number


def _non_negative_int(value: Any) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(f"must be 0 or more, got {value!r}")
    return number


def _database_url(value: Any) -> str:
    try:
        url = make_url(str(value))
    except ArgumentError:
        raise ValueError(f"not a database URL: {value!r}") from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ValueError(f"unsupported database {url.get_backend_name()!r} (use sqlite or postgresql+psycopg)")
    if url.get_backend_name() == "postgresql" and url.get_driver_name() not in {"psycopg", None}:
        raise ValueError("use the psycopg (3) driver: postgresql+psycopg://...")
    if url.get_backend_name() == "postgresql" and url.get_driver_name() is None:
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _redis_url(value: Any) -> str:
    text = str(value).strip()
    if text and not text.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"expected redis://host:port/db, got {value!r}")
    return text


def _base_url(value: Any) -> str:
    text = str(value).strip().rstrip("/")
    if not text.startswith(("http://", "https://")):
        raise ValueError(f"expected an http(s):// address, got {value!r}")
    return text


def _rate_limit(value: Any) -> str:
    from limits import parse_many

    try:
        parse_many(str(value))
    except ValueError:
        raise ValueError(f"not a rate limit such as '20 per minute': {value!r}") from None
    return str(value)


def _locale(value: Any) -> str:
    if value not in {"zh_CN", "en"}:
        raise ValueError(f"expected zh_CN or en, got {value!r}")
    return str(value)


def _month_days(value: Any) -> str:
    """Comma-separated MM-DD dates, e.g. "09-01,12-01" (empty: never)."""
    from datetime import date

    text = str(value).replace(" ", "")
    for part in filter(None, text.split(",")):
        try:
            month, day = (int(p) for p in part.split("-"))
            date(2024, month, day)  # a leap year: 02-29 is a date
        except ValueError:
            raise ValueError(f"expected MM-DD dates separated by commas, got {value!r}") from None
    return text


def _smtp_tls(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in {"starttls", "ssl", "none"}:
        raise ValueError(f"expected starttls, ssl or none, got {value!r}")
    return text


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[Any], Any]
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SECRET_KEY", str, None, "signs sessions and CSRF tokens; generated into instance/secret_key when unset (set it on every host of a cluster)"),
    Setting("DATABASE_URL", _database_url, None, "SQLAlchemy URL; default SQLite file instance/lms.sqlite3; production postgresql+psycopg://user@host/db"),
    Setting("REDIS_URL", _redis_url, "", "Redis for rate limits (and jobs); empty means in-process memory"),
    Setting("PUBLIC_BASE_URL", _base_url, "http://127.0.0.1:5000", "the address printed in certificate QR codes"),
    Setting("SESSION_COOKIE_SECURE", _bool, False, "send cookies only over HTTPS (set true in production)"),
    Setting("HSTS_SECONDS", _non_negative_int, 0, "Strict-Transport-Security max-age sent on HTTPS responses; 0 sends none (set e.g. 31536000 once the site is HTTPS only)"),
    Setting("TRUSTED_PROXIES", _non_negative_int, 0, "number of reverse proxies whose X-Forwarded-For is trusted"),
    Setting("LOGIN_RATE_LIMIT", _rate_limit, "30 per minute", "per-IP budget shared by sign-in (page and API token), registration and password-reset requests"),
    Setting("LOGIN_FAILURES_PER_ADDRESS_ACCOUNT", _positive_int, 5, "failed logins for one account from one address after which that address may not try that account until the window ends"),
    Setting("LOGIN_FAILURES_PER_ADDRESS", _positive_int, 30, "failed logins from one address, whatever the accounts, after which that address may not sign in until the window ends"),
    Setting("LOCKOUT_THRESHOLD", _positive_int, 10, "failed logins for one account, coming from at least LOCKOUT_ADDRESSES addresses, that lock the account"),
    Setting("LOCKOUT_ADDRESSES", _positive_int, 3, "distinct addresses the failures must come from before an account locks (one address alone can never lock an account)"),
    Setting("LOCKOUT_WINDOW_MINUTES", _positive_int, 15, "window for counting failed logins, and how long a throttle or lock lasts"),
    Setting("IDLE_TIMEOUT_MINUTES", _non_negative_int, 120, "a signed-in session unused this long ends; 0 = never"),
    Setting("PASSWORD_RESET_MINUTES", _positive_int, 30, "how long a password-reset link stays valid"),
    Setting("INVITATION_DAYS", _positive_int, 7, "how long an enterprise's invitation link stays valid (days)"),
    Setting("SMTP_HOST", str, "", "mail server for password-reset e-mails; empty = no e-mail, the link is written to the server log"),
    Setting("SMTP_PORT", _positive_int, 587, "mail server port"),
    Setting("SMTP_USER", str, "", "mail server login (empty: no login)"),
    Setting("SMTP_PASSWORD", str, "", "mail server password"),
    Setting("SMTP_FROM", str, "", "sender address of the system's e-mails; required when SMTP_HOST is set"),
    Setting("SMTP_TLS", _smtp_tls, "starttls", "starttls (upgrade the connection, usually port 587), ssl (TLS from the start, usually port 465) or none"),
    Setting("API_TOKEN_TTL_SECONDS", _positive_int, 8 * 3600, "lifetime of API bearer tokens"),
    Setting("ARGON2_TIME_COST", _positive_int, 3, "Argon2id passes"),
    Setting("ARGON2_MEMORY_KIB", _positive_int, 65536, "Argon2id memory in KiB"),
    Setting("DEFAULT_LOCALE", _locale, "zh_CN", "interface language when the user has not chosen one"),
    Setting("CHECKIN_MARGIN_MINUTES", _non_negative_int, 15, "QR check-in opens this long before a session and closes this long after it"),
    Setting("CERT_SIGNING_KEY_FILE", str, None, "Ed25519 private key (PKCS#8 PEM) signing certificate QR tokens; must exist when set; default instance/cert_keys/signing.pem, generated on first use"),
    Setting("CERT_PUBLIC_KEYS_DIR", str, None, "folder of public keys (*.pem) published in /.well-known/jwks.json; default instance/cert_keys/public"),
    Setting("BANK_UPLOAD_MAX_BYTES", _positive_int, 5 * 1024 * 1024, "largest question bank file accepted for import"),
    Setting("ATTEMPT_GRACE_SECONDS", _non_negative_int, 5, "an exam answer saved this many seconds after the deadline is still accepted (network latency); later saves get 409"),
    Setting("EXAM_SAVE_FAST_PATH", _bool, True, "answer accepted bearer-token answer saves beside the app (lms.exams.fast); false sends every save through the app"),
    Setting("EXAM_SUBMIT_FAST_PATH", _bool, True, "answer accepted bearer-token submits beside the app (lms.exams.fast); false sends every submit through the app"),
    Setting("CERT_TEMPLATE", str, "director", "certificate template (folder under certificate_templates/) used when issuing"),
    Setting("CERT_STORAGE_DIR", str, None, "folder of issued certificate PDFs; default instance/certificates (share it between hosts)"),
    Setting("CERT_RENDER_PROCESSES", _non_negative_int, 0, "processes rendering PDFs in a batch issuance job; 0 = one per CPU core, 1 = render in the job's own thread"),
    Setting("VERIFY_RATE_LIMIT", _rate_limit, "60 per minute", "per-IP limit on the public certificate verification page and API"),
    Setting("VERIFY_PLACES_FILE", str, "", "CSV of `network,place` lines (e.g. 203.0.113.0/24,上海市) naming where public checks come from in the holder's check log; empty: private networks show as 内网, others as 互联网"),
    Setting("VERIFY_CONTACT", str, "", "contact line on the public certificate check (who an employer calls when a certificate looks wrong), e.g. 上海市市场监管局标准化处 021-12345678; empty: the page names the issuing institution"),
    Setting("CE_STORAGE_DIR", str, None, "folder of online-course lesson files (videos, PDFs); default instance/ce (share it between hosts)"),
    Setting("CE_PROOF_MAX_BYTES", _positive_int, 5 * 1024 * 1024, "largest proof file (PDF, JPEG, PNG) accepted with declared CE hours"),
    Setting("CE_LESSON_MAX_BYTES", _positive_int, 2 * 1024 ** 3, "largest lesson file (video or PDF) staff may upload"),
    Setting("CE_REMIND_DATES", _month_days, "09-01,11-01,12-01", "month-day dates on which `flask lms ce remind` (run daily from cron) reminds people whose CE year is incomplete"),
    Setting("REPORTS_CACHE_SECONDS", _non_negative_int, 0, "seconds a process keeps the statistics' figures (`/reports`, home panels, workbook, API) before counting again; 0 = count on every request"),
    Setting("VERIFY_LOG_INTERVAL", _non_negative_int, 1, "seconds between batch writes of the public check log (page, API, PDF check); 0 = one INSERT within each request"),
)


def default_instance_path() -> str:
    """instance/ beside the lms package, or LMS_INSTANCE_PATH."""
    return os.environ.get("LMS_INSTANCE_PATH") or str(Path(__file__).resolve().parents[1] / "instance")


def per_process_limits_warning(workers: int, instance_path: str | None = None) -> str | None:
    """What to log when a server starts `workers` processes without REDIS_URL (None: nothing)."""
    if workers <= 1 or load_settings(instance_path or default_instance_path())["REDIS_URL"]:
        return None
    return (f"REDIS_URL is not set: rate limits (LOGIN_RATE_LIMIT, VERIFY_RATE_LIMIT) are counted per process, "
            f"so with {workers} workers a client gets {workers} times its budget; set REDIS_URL to share them")


def load_settings(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Resolve and validate every setting. Raises ConfigError on the first bad one."""
    file_values: dict[str, Any] = {}
    config_file = Path(instance_path) / "config.toml"
    if config_file.exists():
        try:
            file_values = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(str(config_file), f"not valid TOML ({exc})") from None
    overrides = dict(overrides or {})
    known = {s.name for s in SETTINGS}
    for name in file_values:
        if name not in known:
            raise ConfigError(name, f"unknown setting in {config_file}")

    resolved: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in overrides:
            raw = overrides.pop(setting.name)
        elif setting.name in os.environ:
            raw = os.environ[setting.name]
        else:
            raw = file_values.get(setting.name, setting.default)
        if raw is None:
            resolved[setting.name] = None
            continue
        try:
            resolved[setting.name] = setting.parse(raw)
        except (TypeError, ValueError) as exc:
            raise ConfigError(setting.name, str(exc)) from None

    if resolved["SMTP_HOST"] and not resolved["SMTP_FROM"]:
        raise ConfigError("SMTP_FROM", "required when SMTP_HOST is set (the sender address of the system's e-mails)")
    if resolved["DATABASE_URL"] is None:
        resolved["DATABASE_URL"] = f"sqlite:///{Path(instance_path) / 'lms.sqlite3'}"
    if not resolved["SECRET_KEY"]:
        resolved["SECRET_KEY"] = _instance_secret(Path(instance_path))
    resolved.update(overrides)  # plain Flask settings passed by tests and tools
    return resolved


def _instance_secret(instance: Path) -> str:
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process won the race
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
