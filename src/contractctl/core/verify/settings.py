"""The ``verify:`` section of contractctl.yaml and the Kafka settings, validated and typed.

Secrets (the SASL password) come from an environment variable or a file the section names,
never from the committed file itself, and are wrapped in ``Secret`` so no message shows them.
Environment variables ``CONTRACTCTL_KAFKA_*`` override the file, flags override both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractctl.core.errors import ConfigError
from contractctl.core.flow.roles import SagaSettings, parse_duration_ms
from contractctl.core.registry.config import Secret

ENV_PREFIX = "CONTRACTCTL_KAFKA_"
DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_KAFKA_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "bootstrap": {"type": "string", "minLength": 1},
        "group": {"type": "string", "minLength": 1},
        "security_protocol": {"enum": ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]},
        "sasl_mechanism": {"enum": ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]},
        "sasl_username": {"type": "string"},
        "sasl_password_env": {"type": "string", "minLength": 1},
        "sasl_password_file": {"type": "string", "minLength": 1},
        "ssl_ca_location": {"type": "string", "minLength": 1},
    },
}
VERIFY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "type_header": {"type": ["string", "null"]},
        "timestamp_field": {"type": ["string", "null"]},
        "start_tags": _STRINGS,
        "failure_tags": _STRINGS,
        "failure_events": _STRINGS,
        "default_timeout": {"type": "string", "pattern": r"^\d+(\.\d+)?(ms|s|m|h)$"},
        "max_event_bytes": {"type": "integer", "minimum": 1},
        "samples": {"type": "integer", "minimum": 0},
        "kafka": _KAFKA_SCHEMA,
    },
}


@dataclass(frozen=True, slots=True)
class KafkaSettings:
    bootstrap: str | None = None
    group: str | None = None
    security_protocol: str | None = None
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: Secret | None = None
    ssl_ca_location: str | None = None

    def client_config(self) -> dict[str, str]:
        """librdkafka settings (the password revealed only here, into the client)."""
        conf: dict[str, str] = {}
        if self.bootstrap:
            conf["bootstrap.servers"] = self.bootstrap
        if self.security_protocol:
            conf["security.protocol"] = self.security_protocol
        if self.sasl_mechanism:
            conf["sasl.mechanism"] = self.sasl_mechanism
        if self.sasl_username:
            conf["sasl.username"] = self.sasl_username
        if self.sasl_password:
            conf["sasl.password"] = self.sasl_password.reveal()
        if self.ssl_ca_location:
            conf["ssl.ca.location"] = self.ssl_ca_location
        return conf


@dataclass(frozen=True, slots=True)
class VerifySettings:
    type_header: str | None = "ce_type"
    timestamp_field: str | None = None
    saga: SagaSettings = field(default_factory=SagaSettings)
    max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES
    samples: int = 5
    kafka: KafkaSettings = field(default_factory=KafkaSettings)


def load_settings(
    section: Mapping[str, Any] | None,
    *,
    env: Mapping[str, str],
    root: Path,
    config_file: str | None = None,
) -> VerifySettings:
    """Typed settings from the ``verify:`` mapping; ConfigError naming the bad field."""
    from contractctl.core.contract.structure import structure_issues

    data = dict(section or {})
    issues = structure_issues(VERIFY_SCHEMA, data)
    if issues:
        issue = issues[0]
        where = "verify" + issue.pointer.replace("/", ".")
        raise ConfigError(issue.message, file=config_file, field=where)
    defaults = SagaSettings()
    saga = SagaSettings(
        start_tags=tuple(data.get("start_tags", defaults.start_tags)),
        failure_tags=tuple(data.get("failure_tags", defaults.failure_tags)),
        failure_events=tuple(data.get("failure_events", ())),
        default_timeout_ms=parse_duration_ms(data["default_timeout"])
        if "default_timeout" in data
        else defaults.default_timeout_ms,
    )
    return VerifySettings(
        type_header=data.get("type_header", "ce_type"),
        timestamp_field=data.get("timestamp_field"),
        saga=saga,
        max_event_bytes=data.get("max_event_bytes", DEFAULT_MAX_EVENT_BYTES),
        samples=data.get("samples", 5),
        kafka=_kafka(data.get("kafka", {}), env, root, config_file),
    )


def _kafka(
    data: Mapping[str, Any], env: Mapping[str, str], root: Path, config_file: str | None
) -> KafkaSettings:
    def pick(name: str) -> str | None:
        value = env.get(ENV_PREFIX + name.upper())
        return value if value else data.get(name)

    password: Secret | None = None
    if env.get(ENV_PREFIX + "SASL_PASSWORD"):
        password = Secret(env[ENV_PREFIX + "SASL_PASSWORD"])
    elif data.get("sasl_password_env"):
        var = data["sasl_password_env"]
        if not env.get(var):
            raise ConfigError(
                f"environment variable {var} (verify.kafka.sasl_password_env) is not set",
                file=config_file,
                field="verify.kafka.sasl_password_env",
            )
        password = Secret(env[var])
    elif data.get("sasl_password_file"):
        path = root / data["sasl_password_file"]
        try:
            password = Secret(path.read_text(encoding="utf-8").strip())
        except OSError as exc:
            raise ConfigError(
                f"cannot read the SASL password file {path}: {exc.strerror}",
                file=config_file,
                field="verify.kafka.sasl_password_file",
            ) from None
    return KafkaSettings(
        bootstrap=pick("bootstrap"),
        group=pick("group"),
        security_protocol=pick("security_protocol"),
        sasl_mechanism=pick("sasl_mechanism"),
        sasl_username=pick("sasl_username"),
        sasl_password=password,
        ssl_ca_location=pick("ssl_ca_location"),
    )
