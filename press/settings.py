"""Settings, read from the environment once at start-up (nothing is read at import)."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
import platformdirs


class SettingsError(Exception):
    """A setting has a value press cannot use; the message names it and says what is wrong."""


def default_data_dir() -> Path:
    # The embedded server, run as root, opens up the permissions of every parent of its data
    # directory; as root the default must therefore not sit under a home directory.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/lib/press")
    return Path(platformdirs.user_data_dir("press"))


# press's own page of a release (press/web/release.py).
DEFAULT_RELEASE_URL = "{public_url}/releases/{id}?lang={lang}"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything press can be configured with; see the README for each variable."""

    database_url: str | None = None
    # A streaming replica for public reads (press/replica.py); bypassed while it lags more
    # than the bound, is down, or has not yet replayed a public change this process heard of.
    database_read_url: str | None = None
    read_replica_max_lag_seconds: float = 2.0
    data_dir: Path = msgspec.field(default_factory=default_data_dir)
    public_url: str = "http://127.0.0.1:8000"
    # Where a reader finds a release: the city website's page when it shows them.
    release_url_template: str = DEFAULT_RELEASE_URL
    timezone: str = "Europe/Helsinki"
    secret_key: str = ""
    allow_self_approval: bool = False
    token_ttl_hours: int = 12
    # How long a staff write waits for another request with its Idempotency-Key to end
    # before it is answered 409 (press.staff.idempotency).
    idempotency_wait_seconds: float = 10.0
    # A staff console session ends this long after sign-in (press.web.console.sessions).
    console_session_hours: int = 10
    # Approvers and admins must have the console's second factor (TOTP) before anything else.
    console_totp_required: bool = False
    smtp_url: str | None = None
    mail_from: str = "press@example.org"
    # Messages per second the sender hands to the SMTP server (per instance).
    mail_rate: float = 20.0
    max_upload_mb: int = 200
    # File bytes in an S3-compatible bucket instead of the data directory (press.archive.s3).
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_prefix: str = ""
    pool_min: int = 1
    pool_max: int = 10
    # Finished public responses kept per worker process (press.public_cache), in body bytes;
    # 0 turns the cache off: every public request is answered from the database.
    public_cache_mb: int = 64
    run_workers: bool = True
    # The lift loop and webhook sender also poll this often, in case a NOTIFY was lost.
    lift_poll_seconds: int = 5
    # A release due longer ago than this and not yet lifted raises the overdue alarm.
    lift_overdue_seconds: int = 10
    # A WebSub hub told of every public change to the release feeds (press/feeds/websub.py).
    websub_hub: str | None = None
    # Told of every public change, to purge a CDN in front of the public paths (press/cdn.py).
    cdn_purge_url: str | None = None
    cdn_purge_token: str | None = None
    webhook_timeout_seconds: int = 10
    webhook_max_attempts: int = 8
    # First retry after about this long, doubling per attempt (with jitter), capped at 1 h.
    webhook_backoff_seconds: int = 10
    # Private networks (CIDR) webhooks may be sent to, e.g. an on-premises website; by default
    # only public addresses (press/embargo/webhook_targets.py).
    webhook_allow_networks: tuple[str, ...] = ()
    # `press serve`: a request's headers must arrive within this many seconds; its body within
    # the body timeout plus a second per kB received (press/protocol.py).
    header_timeout_seconds: int = 10
    body_timeout_seconds: int = 30
    # The bearer token monitoring sends to read /metrics; without it, /metrics is not served.
    metrics_token: str | None = None
    # Log lines as JSON (for a collector) or text (for a person); `auto`: JSON unless
    # standard error is a terminal (press/ops/logs.py).
    log_format: str = "auto"
    # One line per request (press/ops/request_log.py); off leaves the other logs alone.
    request_log: bool = True
    # The press room's name and logo on every page (press/web); without a name, the
    # catalogs' "City press room" in the reader's language.
    site_name: str | None = None
    site_logo_url: str = "/static/logo.svg"
    # The media's on-call number, on the media contacts page.
    on_call_phone: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read settings from the environment; raise SettingsError naming a bad variable."""
        env = os.environ if env is None else env
        data_dir = Path(env["PRESS_DATA_DIR"]) if env.get("PRESS_DATA_DIR") else default_data_dir()
        settings = cls(
            database_url=_database_url("DATABASE_URL", env.get("DATABASE_URL") or None),
            database_read_url=_database_url(
                "PRESS_DATABASE_READ_URL", env.get("PRESS_DATABASE_READ_URL") or None
            ),
            read_replica_max_lag_seconds=_seconds(
                env, "PRESS_READ_REPLICA_MAX_LAG_SECONDS", 2.0, 0.1, 3600.0
            ),
            data_dir=data_dir,
            public_url=_public_url(env.get("PRESS_PUBLIC_URL", "http://127.0.0.1:8000")),
            release_url_template=_url_template(env.get("PRESS_RELEASE_URL_TEMPLATE")),
            timezone=_timezone(env.get("PRESS_TIMEZONE", "Europe/Helsinki")),
            secret_key=env.get("PRESS_SECRET_KEY", ""),
            allow_self_approval=_flag(env, "PRESS_ALLOW_SELF_APPROVAL"),
            token_ttl_hours=_integer(env, "PRESS_TOKEN_TTL_HOURS", 12, 1, 24 * 90),
            idempotency_wait_seconds=_seconds(
                env, "PRESS_IDEMPOTENCY_WAIT_SECONDS", 10.0, 0.1, 300.0
            ),
            console_session_hours=_integer(env, "PRESS_CONSOLE_SESSION_HOURS", 10, 1, 24 * 30),
            console_totp_required=_flag(env, "PRESS_CONSOLE_TOTP_REQUIRED"),
            smtp_url=_smtp_url(env.get("PRESS_SMTP_URL") or None),
            mail_from=env.get("PRESS_MAIL_FROM", "press@example.org"),
            mail_rate=_integer(env, "PRESS_MAIL_RATE", 20, 1, 100_000),
            max_upload_mb=_integer(env, "PRESS_MAX_UPLOAD_MB", 200, 1, 100_000),
            s3_bucket=env.get("PRESS_S3_BUCKET") or None,
            s3_endpoint_url=env.get("PRESS_S3_ENDPOINT_URL") or None,
            s3_prefix=env.get("PRESS_S3_PREFIX", ""),
            pool_min=_integer(env, "PRESS_DB_POOL_MIN", 1, 0, 1000),
            pool_max=_integer(env, "PRESS_DB_POOL_MAX", 10, 1, 1000),
            public_cache_mb=_integer(env, "PRESS_PUBLIC_CACHE_MB", 64, 0, 65536),
            run_workers=not _flag(env, "PRESS_NO_WORKERS"),
            lift_poll_seconds=_integer(env, "PRESS_LIFT_POLL_SECONDS", 5, 1, 300),
            lift_overdue_seconds=_integer(env, "PRESS_LIFT_OVERDUE_SECONDS", 10, 1, 86_400),
            webhook_timeout_seconds=_integer(env, "PRESS_WEBHOOK_TIMEOUT_SECONDS", 10, 1, 300),
            websub_hub=_http_url("PRESS_WEBSUB_HUB", env.get("PRESS_WEBSUB_HUB") or None),
            cdn_purge_url=_http_url("PRESS_CDN_PURGE_URL", env.get("PRESS_CDN_PURGE_URL") or None),
            cdn_purge_token=env.get("PRESS_CDN_PURGE_TOKEN") or None,
            webhook_max_attempts=_integer(env, "PRESS_WEBHOOK_MAX_ATTEMPTS", 8, 1, 100),
            webhook_backoff_seconds=_integer(env, "PRESS_WEBHOOK_BACKOFF_SECONDS", 10, 1, 3600),
            webhook_allow_networks=_networks(env, "PRESS_WEBHOOK_ALLOW_NETWORKS"),
            header_timeout_seconds=_integer(env, "PRESS_HEADER_TIMEOUT_SECONDS", 10, 1, 300),
            body_timeout_seconds=_integer(env, "PRESS_BODY_TIMEOUT_SECONDS", 30, 1, 3600),
            metrics_token=env.get("PRESS_METRICS_TOKEN") or None,
            log_format=_log_format(env.get("PRESS_LOG_FORMAT") or "auto"),
            request_log=not _off(env, "PRESS_REQUEST_LOG"),
            site_name=env.get("PRESS_SITE_NAME") or None,
            site_logo_url=env.get("PRESS_SITE_LOGO_URL") or "/static/logo.svg",
            on_call_phone=env.get("PRESS_ON_CALL_PHONE") or None,
        )
        return settings

    def release_url(self, release_id: object, lang: str, slug: str) -> str:
        return self.release_url_template.format(
            public_url=self.public_url, id=release_id, lang=lang, slug=slug
        )

    def with_secret_key(self) -> Settings:
        """Return settings whose secret key is set, generating one into the data directory."""
        if self.secret_key:
            return self
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return msgspec.structs.replace(self, secret_key=key_file.read_text().strip())


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, not {value!r}")


def _off(env: Mapping[str, str], name: str) -> bool:
    """A setting that is on unless set to false."""
    return name in env and env[name].strip() != "" and not _flag(env, name)


def _log_format(value: str) -> str:
    if value not in ("auto", "json", "text"):
        raise SettingsError(f"PRESS_LOG_FORMAT must be auto, json or text, not {value!r}")
    return value


def _integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    """A duration in seconds, fractions allowed (0.5)."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not low <= value <= high:  # also refuses nan
        raise SettingsError(f"{name} must be between {low:g} and {high:g} seconds, not {raw}")
    return value


def _database_url(name: str, url: str | None) -> str | None:
    if url is not None and not url.startswith(("postgres://", "postgresql://")):
        raise SettingsError(f"{name} must start with postgresql:// (or postgres://)")
    return url


def _networks(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A comma-separated list of networks such as 10.20.0.0/16, fd12::/64 or 192.168.1.5."""
    networks = []
    for part in env.get(name, "").split(","):
        if part.strip():
            try:
                networks.append(str(ipaddress.ip_network(part.strip(), strict=False)))
            except ValueError:
                raise SettingsError(
                    f"{name} must list networks such as 10.20.0.0/16, not {part.strip()!r}"
                ) from None
    return tuple(networks)


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"PRESS_TIMEZONE {name!r} is not a known time zone (e.g. Europe/Helsinki)"
        ) from None
    return name


def _public_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise SettingsError(f"PRESS_PUBLIC_URL must start with http:// or https://, not {url!r}")
    return url.rstrip("/")


def _http_url(name: str, url: str | None) -> str | None:
    if url is not None and not url.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must start with http:// or https://, not {url!r}")
    return url


def _url_template(template: str | None) -> str:
    if not template:
        return DEFAULT_RELEASE_URL
    try:
        template.format(public_url="", id="", lang="", slug="")
    except (KeyError, IndexError, ValueError):
        raise SettingsError(
            "PRESS_RELEASE_URL_TEMPLATE may use only {public_url}, {id}, {lang} and {slug}"
        ) from None
    return template


def _smtp_url(url: str | None) -> str | None:
    if url is None:
        return None
    from press.delivery.smtp import SmtpUrlError, parse_smtp_url

    try:
        parse_smtp_url(url)
    except SmtpUrlError as exc:
        raise SettingsError(str(exc)) from None
    return url
