"""Settings: pydantic models of the TOML config, validated once at start, defaults in one place."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

DEFAULT_CONFIG_CANDIDATES = ("config/monitor.toml", "monitor.toml")
DEFAULT_USER_AGENT = "monitor/0.1 (state-media watcher; polite polling)"


_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?"
_HOST_NAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class ConfigError(Exception):
    """A config file is missing, unreadable or invalid; the message names file, key and what was expected."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageSettings(_Strict):
    path: Path = Path("monitor.db")


class FetchSettings(_Strict):
    timeout: Annotated[float, Field(gt=0)] = 60.0
    connect_timeout: Annotated[float, Field(gt=0)] = 10.0
    min_delay: Annotated[float, Field(ge=0)] = 2.0
    per_host_concurrency: Annotated[int, Field(ge=1, le=16)] = 1
    user_agent: str = DEFAULT_USER_AGENT
    max_bytes: Annotated[int, Field(ge=1024)] = 10 * 1024 * 1024
    retries: Annotated[int, Field(ge=0, le=5)] = 2
    backoff: Annotated[float, Field(ge=0)] = 1.0
    max_retry_after: Annotated[float, Field(ge=0)] = 3600.0
    max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    article_concurrency: Annotated[int, Field(ge=1, le=16)] = 2
    max_articles_per_run: Annotated[int, Field(ge=0)] = 50


class SourceSettings(_Strict):
    name: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")]
    adapter: str  # a name of the adapter registry (monitor/sources/__init__.py)
    url: AnyHttpUrl
    interval: Annotated[float, Field(gt=0)] = 600.0
    jitter: Annotated[float, Field(ge=0)] | None = None
    fetch_articles: bool = False
    enabled: bool = True
    css: dict[str, str] | None = None  # selectors of the css adapter, checked by the adapter's own options
    article_hosts: list[str] = Field(default_factory=list)  # other hosts an article may be fetched from
    # the edition's language ('ko', 'en', ...): items whose text is too short to tell are taken to be in it
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] | None = None

    @field_validator("article_hosts")
    @classmethod
    def _host_names(cls, hosts: list[str]) -> list[str]:
        cleaned = []
        for host in hosts:
            name = host.strip().lower().rstrip(".")
            if not _HOST_NAME.fullmatch(name) and not _is_ip(name):
                raise ValueError(f"article_hosts: {host!r} is not a host name (give a bare name such as "
                                 "'kcnawatch.org': no scheme, port or path)")
            cleaned.append(name)
        return cleaned

    @field_validator("adapter")
    @classmethod
    def _known_adapter(cls, name: str) -> str:
        from monitor.sources import NAMES

        if name not in NAMES:
            raise ValueError(f"unknown adapter {name!r}: use one of {', '.join(NAMES)}")
        return name

    @model_validator(mode="after")
    def _adapter_options(self) -> SourceSettings:
        from monitor.sources import adapter_kind

        kind = adapter_kind(self.adapter)
        if kind.options and self.css is None:
            raise ValueError(f"adapter {kind.name!r} needs a [sources.css] table with at least `item` and `title`")
        if kind.options:
            kind.make(self.css)  # the adapter checks its own options (ValueError naming the wrong one)
        return self

    @property
    def adapter_options(self) -> dict[str, str]:
        """Options handed to the adapter (the css selectors; empty for the others)."""
        return dict(self.css or {})

    @property
    def reads_articles(self) -> bool:
        """Whether new entries' article pages are fetched: asked for, and possible with this adapter."""
        from monitor.sources import adapter_kind

        return self.fetch_articles and adapter_kind(self.adapter).articles

    @property
    def url_str(self) -> str:
        """The source URL as a plain string (credentials included: for fetching only)."""
        return str(self.url)

    @property
    def shown_url(self) -> str:
        """The source URL as shown, logged, stored and sent: a password in it replaced by ***."""
        from monitor.ingest.redact import mask_password

        return mask_password(str(self.url))


def _read_secret(value: SecretStr | None, env: str | None, file: Path | None, what: str) -> str | None:
    if value is not None:
        return value.get_secret_value()
    if env:
        found = os.environ.get(env)
        if found is None:
            raise ConfigError(f"{what}: environment variable {env} is not set")
        return found
    if file is not None:
        cred_dir = os.environ.get("CREDENTIALS_DIRECTORY")
        path = file if file.is_absolute() or not cred_dir else Path(cred_dir) / file
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{what}: cannot read secret file {path}: {exc.strerror}") from exc
    return None


class WebhookSettings(_Strict):
    url: AnyHttpUrl
    secret: SecretStr | None = None
    secret_env: str | None = None
    secret_file: Path | None = None
    timeout: Annotated[float, Field(gt=0)] = 20.0
    enabled: bool = True

    @field_validator("secret")
    @classmethod
    def _whsec(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not v.get_secret_value().startswith("whsec_"):
            raise ValueError("a webhook secret starts with 'whsec_' followed by base64")
        return v

    def resolved_secret(self) -> str | None:
        """The signing secret from `secret`, `secret_env` or `secret_file`."""
        return _read_secret(self.secret, self.secret_env, self.secret_file, "alerts.webhook.secret")


class EmailSettings(_Strict):
    host: str
    port: Annotated[int, Field(ge=1, le=65535)] = 25
    sender: str
    recipients: Annotated[list[str], Field(min_length=1)]
    security: Literal["plain", "starttls", "tls"] = "plain"
    username: str | None = None
    password: SecretStr | None = None
    password_env: str | None = None
    password_file: Path | None = None
    timeout: Annotated[float, Field(gt=0)] = 30.0
    enabled: bool = True

    def resolved_password(self) -> str | None:
        """The SMTP password from `password`, `password_env` or `password_file`."""
        return _read_secret(self.password, self.password_env, self.password_file, "alerts.email.password")


_APPRISE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


def split_apprise_urls(text: str) -> list[str]:
    """The Apprise URLs of a variable or a file: separated by white space, `#` lines are comments."""
    return [u for line in text.splitlines() if not line.lstrip().startswith("#") for u in line.split()]


class AppriseSettings(_Strict):
    """`[alerts.apprise]`: Apprise URLs (tgram://, slack://, ntfy://, json://...), one channel per URL."""

    urls: list[SecretStr] = Field(default_factory=list)
    urls_env: str | None = None
    urls_file: Path | None = None
    format: Literal["text", "markdown", "html"] = "text"
    enabled: bool = True

    @field_validator("urls")
    @classmethod
    def _shaped(cls, urls: list[SecretStr]) -> list[SecretStr]:
        for i, url in enumerate(urls):
            if not _APPRISE_URL.match(url.get_secret_value().strip()):
                raise ValueError(f"urls[{i}] is not an Apprise URL (scheme://..., e.g. tgram://TOKEN/CHAT)")
        return urls

    @model_validator(mode="after")
    def _one_source(self) -> AppriseSettings:
        given = [k for k in ("urls", "urls_env", "urls_file") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("give exactly one of urls, urls_env or urls_file"
                             + (f" (found {', '.join(given)})" if given else ""))
        return self

    def resolved_urls(self) -> list[str]:
        """The URLs from `urls`, `urls_env` or `urls_file` (ConfigError when the variable or file is missing or
        holds none); the messages never contain a URL."""
        if self.urls:
            return [u.get_secret_value().strip() for u in self.urls]
        text = _read_secret(None, self.urls_env, self.urls_file, "alerts.apprise.urls") or ""
        urls = split_apprise_urls(text)
        if not urls:
            raise ConfigError("alerts.apprise.urls: the " + ("variable " + str(self.urls_env) if self.urls_env else
                              f"file {self.urls_file}") + " holds no URL")
        return urls


class RuleSettings(_Strict):
    """What raises an alert."""

    high_level_only: bool = True
    countries: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    update_on_new_report: bool = False
    digest_minutes: Annotated[int, Field(ge=0)] = 0
    max_age_days: Annotated[float, Field(ge=0)] = 3.0  # items found off the live first page and older: no alert
    absence_days: Annotated[int, Field(ge=1)] = 14  # a followed person not seen this long: person.absent
    rank_changes: bool = False  # ranks.changed alerts when an ordered list of names changes


class WatchPersonSettings(_Strict):
    """A person whose absences are alerted (`[[alerts.watch_people]]`)."""

    name: Annotated[str, Field(min_length=1)]
    absence_days: Annotated[int, Field(ge=1)] | None = None  # default: [alerts.rules] absence_days


def _check_fts_query(query: str) -> str:
    """The query when SQLite's full-text engine accepts it, else ValueError saying why."""
    from monitor.store.database import fts_query_error

    error = fts_query_error(query)
    if error is not None:
        raise ValueError(f"words: {query!r} is not a full-text query ({error}); quote a phrase as '\"...\"'")
    return query


class WatchSettings(_Strict):
    """A watchlist (`[[watches]]`): items naming any of its people or countries, or matching its words, alert on
    its channels."""

    name: Annotated[str, Field(min_length=1)]
    people: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    words: str | None = None  # a full-text query (SQLite FTS5 syntax) on title, teaser, body and participants
    channels: list[str] | None = None  # default: every enabled channel
    korean_only: bool = False  # match Korean items when they are marked "Korean only" (no English version in 48 h)

    @field_validator("words")
    @classmethod
    def _words(cls, words: str | None) -> str | None:
        return _check_fts_query(words) if words is not None and words.strip() else None

    @field_validator("channels")
    @classmethod
    def _channels(cls, channels: list[str] | None) -> list[str] | None:
        from monitor.alerts.channels import NAMES

        for name in channels or []:
            if name not in NAMES:
                raise ValueError(f"unknown channel {name!r}: use one of {', '.join(NAMES)}")
        return channels

    @model_validator(mode="after")
    def _something(self) -> WatchSettings:
        if not (self.people or self.countries or self.words or self.korean_only):
            raise ValueError(f"watch {self.name!r} needs at least one of people, countries, words, korean_only")
        return self


class OperatorSettings(_Strict):
    failure_threshold: Annotated[int, Field(ge=1)] = 3
    enabled: bool = True


class AlertSettings(_Strict):
    webhook: WebhookSettings | None = None
    email: EmailSettings | None = None
    rules: RuleSettings = RuleSettings()
    operator: OperatorSettings = OperatorSettings()
    max_attempts: Annotated[int, Field(ge=1)] = 12
    dispatch_interval: Annotated[float, Field(gt=0)] = 2.0
    apprise: AppriseSettings | None = None
    watch_people: list[WatchPersonSettings] = Field(default_factory=list)


class ClassifySettings(_Strict):
    gazetteer: Path | None = None


class ArchiveSettings(_Strict):
    recheck_days: Annotated[float, Field(ge=0)] = 7
    recheck_interval: Annotated[float, Field(ge=0)] = 6 * 3600
    alert_on_removal: bool = False
    feeds_dir: Path | None = None
    feeds_base_url: str = "http://localhost/monitor/"


class CatchupSettings(_Strict):
    """Paging back after a gap (a first page that shares nothing with earlier polls)."""

    max_pages: Annotated[int, Field(ge=0, le=1000)] = 20


class LogSettings(_Strict):
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["auto", "json", "console"] = "auto"


class MetricsSettings(_Strict):
    """`[metrics]`: Prometheus metrics served on `address`:`port` (/metrics) and/or written to `textfile`."""

    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    address: str = "127.0.0.1"
    textfile: Path | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> MetricsSettings:
        if self.port is None and self.textfile is None:
            raise ValueError("set port (to serve /metrics) or textfile (for node_exporter), or remove [metrics]")
        return self


class Settings(_Strict):
    storage: StorageSettings = StorageSettings()
    fetch: FetchSettings = FetchSettings()
    sources: list[SourceSettings] = Field(default_factory=list)
    alerts: AlertSettings = AlertSettings()
    classify: ClassifySettings = ClassifySettings()
    archive: ArchiveSettings = ArchiveSettings()
    log: LogSettings = LogSettings()
    catchup: CatchupSettings = CatchupSettings()
    config_path: Path | None = Field(default=None, exclude=True)
    metrics: MetricsSettings | None = None
    watches: list[WatchSettings] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        seen: set[str] = set()
        for src in self.sources:
            if src.name in seen:
                raise ValueError(f"duplicate source name {src.name!r}: each [[sources]] needs its own name")
            seen.add(src.name)
        watches = [w.name for w in self.watches]
        for name in sorted({n for n in watches if watches.count(n) > 1}):
            raise ValueError(f"duplicate watch name {name!r}: each [[watches]] needs its own name")
        return self

    @property
    def base_dir(self) -> Path:
        """Directory that relative paths in the config are relative to."""
        return self.config_path.parent if self.config_path else Path.cwd()

    def resolve(self, path: Path) -> Path:
        """Resolve a config path relative to the config file."""
        return path if path.is_absolute() else (self.base_dir / path)

    @property
    def db_path(self) -> Path:
        """The SQLite database file; a relative path goes under $STATE_DIRECTORY when systemd sets it."""
        state_dir = os.environ.get("STATE_DIRECTORY")
        if state_dir and not self.storage.path.is_absolute():
            return Path(state_dir.split(":")[0]) / self.storage.path
        return self.resolve(self.storage.path)

    def source(self, name: str) -> SourceSettings:
        """The source named `name`, or ConfigError."""
        for src in self.sources:
            if src.name == name:
                return src
        raise ConfigError(f"no source named {name!r}; known: {', '.join(s.name for s in self.sources) or 'none'}")


def _location(loc: tuple[int | str, ...], data: dict[str, Any]) -> str:
    """Render a pydantic error location as a TOML key, naming sources by their name."""
    parts: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            name = node[part].get("name") if isinstance(node, list) and part < len(node) else None
            if isinstance(node, list) and isinstance(name, str):
                parts[-1] = f"{parts[-1]}[{part}] (name = {name!r})"
            else:
                parts[-1] = f"{parts[-1]}[{part}]"
        else:
            parts.append(str(part))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts) or "(top level)"


def _explain(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key (check its spelling against the documented keys)"
    if kind == "missing":
        return "required key is missing"
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    return msg


def parse_settings(data: dict[str, Any], path: Path | None = None) -> Settings:
    """Validate a TOML document already read; raise ConfigError in one line naming every problem."""
    where = str(path) if path else "<config>"
    problems = _duplicate_names(data)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems += [f"{_location(tuple(e['loc']), data)}: {_explain(dict(e))}" for e in exc.errors()
                     if not str(e.get("msg", "")).startswith("Value error, duplicate source name")]
    if problems:
        more = f" (and {len(problems) - 1} more: {'; '.join(problems[1:])})" if len(problems) > 1 else ""
        raise ConfigError(f"{where}: {problems[0]}{more}")
    return settings.model_copy(update={"config_path": path.resolve() if path else None})


def _duplicate_names(data: dict[str, Any]) -> list[str]:
    """Source names used twice, found on the raw document (so that it is said even when other keys are bad)."""
    sources = data.get("sources")
    if not isinstance(sources, list):
        return []
    names = [str(s["name"]) for s in sources if isinstance(s, dict) and isinstance(s.get("name"), str)]
    twice = sorted({n for n in names if names.count(n) > 1})
    return [f"sources: duplicate source name {n!r}: each [[sources]] needs its own name" for n in twice]


def find_config(explicit: Path | None) -> Path:
    """The config file to use: --config, then $MONITOR_CONFIG, then config/monitor.toml or monitor.toml here."""
    if explicit is not None:
        return explicit
    env = os.environ.get("MONITOR_CONFIG")
    if env:
        return Path(env)
    for candidate in DEFAULT_CONFIG_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    raise ConfigError(
        "no config file: pass --config PATH, set MONITOR_CONFIG, or create config/monitor.toml "
        "(the repository's config/monitor.toml is a working example)"
    )


def load_settings(path: Path) -> Settings:
    """Read and validate a config file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_settings(data, path)


def inline_secrets(settings: Settings) -> list[str]:
    """The config keys that hold a secret written in the file itself (not read from a variable or a file)."""
    keys = []
    hook, mail = settings.alerts.webhook, settings.alerts.email
    if hook is not None and hook.secret is not None:
        keys.append("alerts.webhook.secret")
    if mail is not None and mail.password is not None:
        keys.append("alerts.email.password")
    if settings.alerts.apprise is not None and settings.alerts.apprise.urls:
        keys.append("alerts.apprise.urls")
    keys += [f"sources.{s.name}.url (a password)" for s in settings.sources if s.shown_url != s.url_str]
    return keys


def exposed_secrets(settings: Settings) -> str | None:
    """A warning when the config file holds secrets and other users may read it, else None."""
    path = settings.config_path
    if path is None:
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    keys = inline_secrets(settings)
    if not keys or not mode & 0o044:
        return None
    who = "every user" if mode & 0o004 else "its group"
    return (f"{path} holds secrets ({', '.join(keys)}) and {who} can read it: `chmod 600 {path}`, or move them "
            "to secret_env / secret_file (password_env / password_file)")
