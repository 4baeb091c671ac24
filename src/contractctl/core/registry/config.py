"""Registry settings: the ``registry:`` section of contractctl.yaml, then env, then flags.

Pure: the environment and flags are passed in, secrets are read from the variables or
files the configuration names and are wrapped in ``Secret`` so that no repr, str, log line
or error message can show them. Secrets written inline in contractctl.yaml are refused:
the file is committed.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote, urlsplit, urlunsplit

from contractctl.core.errors import ConfigError
from contractctl.core.registry.subjects import DEFAULT_MAJOR_SUFFIX, SubjectStrategy
from contractctl.core.vocab.levels import Level

ENV_PREFIX: Final = "CONTRACTCTL_REGISTRY_"
DEFAULT_EMBEDDED: Final = ".contractctl/registry"
LEVELS: Final = tuple(level.value for level in Level)


class Secret:
    """A credential. ``str``/``repr`` never show it; ``reveal()`` is the only way out."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True, slots=True)
class RegistryOverrides:
    """What flags may override; None means "not given on the command line"."""

    urls: tuple[str, ...] | None = None
    username: str | None = None
    password_file: str | None = None
    token_file: str | None = None
    ca_bundle: str | None = None
    timeout: float | None = None
    retries: int | None = None
    concurrency: int | None = None
    subject_strategy: str | None = None


@dataclass(frozen=True, slots=True)
class RegistrySettings:
    """Everything needed to reach one registry (or the embedded one when ``urls`` is empty)."""

    urls: tuple[str, ...] = ()
    username: str | None = None
    password: Secret | None = None
    token: Secret | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    ca_bundle: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    verify_tls: bool = True
    timeout: float = 10.0
    connect_timeout: float = 5.0
    retries: int = 4
    backoff: float = 0.25  # first retry delay in seconds, doubled each attempt
    backoff_max: float = 8.0
    concurrency: int = 32
    # Bounds that keep a faulty server from holding CI: the whole command's registry work,
    # the sum of Retry-After waits, and one response's size.
    deadline: float = 300.0
    max_retry_wait: float = 60.0
    max_response_bytes: int = 64 * 1024 * 1024
    subject_strategy: SubjectStrategy = SubjectStrategy.TOPIC
    #: Appended to the subject of 2.x and later ("-v{major}"); "" keeps one subject.
    major_subject_suffix: str = DEFAULT_MAJOR_SUFFIX
    embedded_path: Path = Path(DEFAULT_EMBEDDED)

    @property
    def embedded(self) -> bool:
        return not self.urls

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value and the forms a server may echo it in (``user:password`` and
        its base64 in a Basic header), for redacting text."""
        found = [s.reveal() for s in (self.password, self.token) if s]
        if self.username and self.password:
            pair = f"{self.username}:{self.password.reveal()}"
            found += [pair, base64.b64encode(pair.encode()).decode()]
        return tuple(found)

    def describe(self) -> str:
        """A one-line, secret-free description for ``--debug`` and error messages."""
        if self.embedded:
            return f"embedded registry at {self.embedded_path}"
        auth = "none"
        if self.token:
            auth = "bearer ***"
        elif self.username:
            auth = f"basic {self.username}:***"
        return f"{', '.join(self.urls)} (auth {auth})"


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` without URL userinfo passwords, Authorization values or any of ``secrets``."""
    text = re.sub(r"(?i)(://[^/\s:@]+):[^@/\s]+@", r"\1:***@", text)
    text = re.sub(
        r"(?i)\b(authorization[\"']?\s*[:=]\s*[\"']?)(basic|bearer)\s+\S+", r"\1\2 ***", text
    )
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _where(key: str) -> str:
    return f"registry.{key}"


def _read_secret_file(path: str, key: str, base: Path) -> Secret:
    p = Path(path).expanduser()
    if not p.is_absolute():
        p = base / p
    try:
        value = p.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the secret file {p}: {exc.strerror}", field=key) from None
    if not value:
        raise ConfigError(f"the secret file {p} is empty", field=key)
    return Secret(value)


def _secret(
    section: Mapping[str, Any],
    name: str,
    *,
    env: Mapping[str, str],
    env_name: str,
    base: Path,
    prefix: str,
) -> Secret | None:
    """A secret from ``<name>_env`` / ``<name>_file`` in YAML or ``CONTRACTCTL_REGISTRY_*``."""
    if name in section:
        raise ConfigError(
            f"secrets may not be written in contractctl.yaml; use {name}_env (a variable name) "
            f"or {name}_file (a file path) instead",
            field=_where(f"{prefix}{name}"),
        )
    if env.get(env_name):
        return Secret(env[env_name])
    file_env = env.get(f"{env_name}_FILE")
    if file_env:
        return _read_secret_file(file_env, env_name + "_FILE", base)
    var = section.get(f"{name}_env")
    if var is not None:
        if not isinstance(var, str) or not var:
            raise ConfigError(
                "must be an environment variable name", field=_where(f"{prefix}{name}_env")
            )
        value = env.get(var)
        if not value:
            raise ConfigError(
                f"the environment variable {var} is not set",
                field=_where(f"{prefix}{name}_env"),
            )
        return Secret(value)
    path = section.get(f"{name}_file")
    if path is not None:
        if not isinstance(path, str):
            raise ConfigError("must be a file path", field=_where(f"{prefix}{name}_file"))
        return _read_secret_file(path, _where(f"{prefix}{name}_file"), base)
    return None


def _split_userinfo(url: str, key: str) -> tuple[str, str | None, Secret | None]:
    """``https://u:p@host/x`` → (``https://host/x``, u, p); validates the scheme.

    The userinfo is cut off before the URL is parsed: a password may hold ``/``, ``#`` or
    ``?`` (raw or percent-encoded), which a URL parser would read as path, fragment or query
    and then quote back in an error message.
    """
    raw = url.strip()
    scheme, sep, rest = raw.partition("://")
    user: str | None = None
    password: Secret | None = None
    shown = raw
    if sep and "@" in rest:
        userinfo, _, hostpart = rest.rpartition("@")
        name, _, secret = userinfo.partition(":")
        user = unquote(name) or None
        password = Secret(unquote(secret)) if secret else None
        raw = f"{scheme}://{hostpart}"
        shown = f"{scheme}://***@{hostpart}"
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ConfigError(f"{redact(shown)!r} is not a valid URL", field=key) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{redact(shown)!r} is not an http(s) URL", field=key)
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if port:
        netloc += f":{port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    return clean, user, password


def _as_str_tuple(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(u.strip() for u in value.split(",") if u.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError("must be a URL or a list of URLs", field=_where(key))


def _number(value: Any, key: str, kind: type[float] | type[int], minimum: float) -> Any:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"must be a number, not {value!r}", field=key) from None
    if isinstance(value, bool) or number < minimum:
        raise ConfigError(f"must be a number >= {minimum}", field=key)
    return number


def _mapping(value: Any, key: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError("must be a mapping", field=_where(key))
    return value


_KNOWN: Final = frozenset(
    {
        "url", "urls", "auth", "tls", "timeout", "connect_timeout", "retries", "backoff",
        "backoff_max", "concurrency", "subject_strategy", "major_subject_suffix", "embedded",
        "headers", "deadline", "max_retry_wait", "max_response_bytes",
    }
)  # fmt: skip


def parse_registry_settings(
    raw: Mapping[str, Any] | None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: RegistryOverrides | None = None,
    base_dir: Path | None = None,
) -> RegistrySettings:
    """Settings from ``registry:`` in contractctl.yaml (``raw``), then ``env``, then flags.

    ``base_dir`` (the directory of contractctl.yaml) anchors relative paths.
    """
    raw = _mapping(raw, "")
    env = env or {}
    over = overrides or RegistryOverrides()
    base = base_dir or Path()
    unknown = sorted(set(raw) - _KNOWN)
    if unknown:
        raise ConfigError(
            f"unknown key {unknown[0]!r}; known keys: {', '.join(sorted(_KNOWN))}",
            field=_where(unknown[0]),
        )
    auth = _mapping(raw.get("auth"), "auth")
    tls = _mapping(raw.get("tls"), "tls")

    # URLs: flags > CONTRACTCTL_REGISTRY_URL > yaml url/urls.
    if over.urls is not None:
        url_list, url_key = over.urls, "--registry"
    elif env.get(ENV_PREFIX + "URL"):
        url_list, url_key = _as_str_tuple(env[ENV_PREFIX + "URL"], "url"), ENV_PREFIX + "URL"
    else:
        url_list = _as_str_tuple(raw.get("urls", raw.get("url", [])) or [], "urls")
        url_key = _where("urls")
    urls: list[str] = []
    url_user: str | None = None
    url_password: Secret | None = None
    for url in url_list:
        clean, user, secret = _split_userinfo(url, url_key)
        urls.append(clean)
        url_user = url_user or user
        url_password = url_password or secret

    # Basic auth: Confluent Cloud API key/secret are basic auth with another name.
    username = over.username or env.get(ENV_PREFIX + "USERNAME") or env.get(ENV_PREFIX + "API_KEY")
    if username is None:
        var = auth.get("username_env") or auth.get("api_key_env")
        if isinstance(var, str) and var:
            username = env.get(var)
            if not username:
                raise ConfigError(
                    f"the environment variable {var} is not set", field=_where("auth")
                )
        else:
            user_value = auth.get("username", auth.get("api_key"))
            username = str(user_value) if user_value is not None else url_user
    if over.password_file:
        password: Secret | None = _read_secret_file(
            over.password_file, "--registry-password-file", base
        )
    else:
        password = (
            _secret(
                auth,
                "password",
                env=env,
                env_name=ENV_PREFIX + "PASSWORD",
                base=base,
                prefix="auth.",
            )
            or _secret(
                auth,
                "api_secret",
                env=env,
                env_name=ENV_PREFIX + "API_SECRET",
                base=base,
                prefix="auth.",
            )
            or url_password
        )
    if over.token_file:
        token: Secret | None = _read_secret_file(over.token_file, "--registry-token-file", base)
    else:
        token = _secret(
            auth, "token", env=env, env_name=ENV_PREFIX + "TOKEN", base=base, prefix="auth."
        )
    if password and not username:
        raise ConfigError(
            "a password or API secret needs a username or API key", field=_where("auth")
        )
    if token and password:
        raise ConfigError("configure basic auth or a bearer token, not both", field=_where("auth"))

    headers_raw = _mapping(raw.get("headers", auth.get("headers")), "headers")
    headers = {str(k): str(v) for k, v in headers_raw.items()}
    if "authorization" in {k.lower() for k in headers}:
        raise ConfigError(
            "set credentials under registry.auth, not as a header", field=_where("headers")
        )

    def path(value: Any, key: str) -> Path | None:
        if value is None or value == "":
            return None
        p = Path(str(value)).expanduser()
        return p if p.is_absolute() else base / p

    ca = over.ca_bundle or env.get(ENV_PREFIX + "CA_BUNDLE") or tls.get("ca_bundle")
    cert = env.get(ENV_PREFIX + "CLIENT_CERT") or tls.get("client_cert")
    key = env.get(ENV_PREFIX + "CLIENT_KEY") or tls.get("client_key")
    verify = tls.get("verify", True)
    if not isinstance(verify, bool):
        raise ConfigError("must be true or false", field=_where("tls.verify"))
    if key and not cert:
        raise ConfigError("a client key needs a client_cert", field=_where("tls.client_key"))

    defaults = RegistrySettings()

    def num(name: str, kind: type[float] | type[int], minimum: float, flag: Any = None) -> Any:
        if flag is not None:
            return _number(flag, f"--registry-{name.replace('_', '-')}", kind, minimum)
        env_value = env.get(ENV_PREFIX + name.upper())
        if env_value:
            return _number(env_value, ENV_PREFIX + name.upper(), kind, minimum)
        if name in raw:
            return _number(raw[name], _where(name), kind, minimum)
        return getattr(defaults, name)

    strategy_text = over.subject_strategy or env.get(ENV_PREFIX + "SUBJECT_STRATEGY")
    strategy_text = strategy_text or raw.get("subject_strategy")
    try:
        strategy = (
            SubjectStrategy.parse(strategy_text) if strategy_text else defaults.subject_strategy
        )
    except ValueError as exc:
        raise ConfigError(str(exc), field=_where("subject_strategy")) from None

    suffix = raw.get("major_subject_suffix", defaults.major_subject_suffix)
    if not isinstance(suffix, str) or (suffix and "{major}" not in suffix):
        raise ConfigError(
            'must be a text holding {major} (e.g. "-v{major}"), or "" for one subject',
            field=_where("major_subject_suffix"),
        )

    embedded = raw.get("embedded", DEFAULT_EMBEDDED)
    if not isinstance(embedded, str) or not embedded:
        raise ConfigError("must be a directory path", field=_where("embedded"))

    return RegistrySettings(
        urls=tuple(urls),
        username=username,
        password=password,
        token=token,
        headers=headers,
        ca_bundle=path(ca, "ca_bundle"),
        client_cert=path(cert, "client_cert"),
        client_key=path(key, "client_key"),
        verify_tls=verify,
        timeout=num("timeout", float, 0.001, over.timeout),
        connect_timeout=num("connect_timeout", float, 0.001),
        retries=num("retries", int, 0, over.retries),
        backoff=num("backoff", float, 0),
        backoff_max=num("backoff_max", float, 0),
        concurrency=num("concurrency", int, 1, over.concurrency),
        deadline=num("deadline", float, 0.001),
        max_retry_wait=num("max_retry_wait", float, 0),
        max_response_bytes=num("max_response_bytes", int, 1024),
        subject_strategy=strategy,
        major_subject_suffix=suffix,
        embedded_path=path(embedded, "embedded") or defaults.embedded_path,
    )


def with_urls(settings: RegistrySettings, urls: tuple[str, ...]) -> RegistrySettings:
    """``settings`` pointed at other URLs (validated and stripped of userinfo)."""
    clean = tuple(_split_userinfo(u, "--registry")[0] for u in urls)
    return replace(settings, urls=clean)


__all__ = [
    "LEVELS",
    "RegistryOverrides",
    "RegistrySettings",
    "Secret",
    "parse_registry_settings",
    "redact",
    "with_urls",
]
