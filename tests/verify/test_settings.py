"""The verify: section: defaults, environment overrides, secrets that never show."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractctl.core.errors import ConfigError
from contractctl.core.verify.settings import load_settings


def test_defaults() -> None:
    s = load_settings(None, env={}, root=Path())
    assert s.type_header == "ce_type"
    assert s.saga.failure_tags == ("saga-failure",)
    assert s.kafka.client_config() == {}


def test_kafka_settings_env_overrides_and_secret(tmp_path: Path) -> None:
    section = {
        "default_timeout": "5s",
        "kafka": {
            "bootstrap": "a:9092",
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": "PLAIN",
            "sasl_username": "bot",
            "sasl_password_env": "MY_KAFKA_PASSWORD",
        },
    }
    env = {"MY_KAFKA_PASSWORD": "hunter2-secret", "CONTRACTCTL_KAFKA_BOOTSTRAP": "b:9093"}
    s = load_settings(section, env=env, root=tmp_path)
    assert s.saga.default_timeout_ms == 5_000
    conf = s.kafka.client_config()
    assert conf["bootstrap.servers"] == "b:9093"
    assert conf["sasl.password"] == "hunter2-secret"
    assert "hunter2" not in repr(s)
    assert "hunter2" not in str(s.kafka)


@pytest.mark.parametrize(
    ("section", "field"),
    [
        ({"samples": "many"}, "verify.samples"),
        ({"kafka": {"security_protocol": "CARRIER_PIGEON"}}, "verify.kafka.security_protocol"),
        ({"kafka": {"sasl_password": "inline"}}, "verify.kafka"),
        ({"unknown": 1}, "verify"),
    ],
)
def test_bad_sections_name_the_field(section, field) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(section, env={}, root=Path(), config_file="contractctl.yaml")
    assert info.value.field is not None
    assert info.value.field.startswith(field)
