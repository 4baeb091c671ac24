"""Registry settings (precedence, secrets), subject naming, the local store and the emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractctl.adapters.registry.api import SchemaSubmission
from contractctl.adapters.registry.emulator import RegistryEmulator
from contractctl.adapters.registry.store import LocalStore
from contractctl.core.contract.model import Contract, SchemaSpec
from contractctl.core.errors import ConfigError, RegistryConflict
from contractctl.core.registry.config import (
    RegistryOverrides,
    Secret,
    parse_registry_settings,
    redact,
)
from contractctl.core.registry.subjects import SubjectStrategy, subject_for

V1 = {
    "type": "record",
    "name": "Order",
    "namespace": "com.acme",
    "fields": [{"name": "id", "type": "string"}],
}
V2_OK = {**V1, "fields": [*V1["fields"], {"name": "note", "type": "string", "default": ""}]}
V2_BAD = {**V1, "fields": [*V1["fields"], {"name": "currency", "type": "string"}]}


def test_precedence_flags_over_env_over_yaml(tmp_path: Path) -> None:
    raw = {
        "url": "https://yaml.example",
        "timeout": 3,
        "auth": {"username": "u", "password_env": "PW"},
    }
    env = {
        "PW": "from-env",
        "CONTRACTCTL_REGISTRY_URL": "https://env1.example,https://env2.example",
    }
    s = parse_registry_settings(raw, env=env)
    assert s.urls == ("https://env1.example", "https://env2.example")
    assert s.password == Secret("from-env")
    assert s.timeout == 3.0
    s = parse_registry_settings(
        raw, env=env, overrides=RegistryOverrides(urls=("https://flag.example",))
    )
    assert s.urls == ("https://flag.example",)


def test_secrets_from_files_and_cloud_api_keys(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("file-secret\n")
    raw = {
        "url": "https://psrc.confluent.cloud",
        "auth": {"api_key_env": "K", "api_secret_file": "secret"},
    }
    s = parse_registry_settings(raw, env={"K": "APIKEY"}, base_dir=tmp_path)
    assert (s.username, s.password) == ("APIKEY", Secret("file-secret"))
    assert "file-secret" not in repr(s)
    assert "file-secret" not in s.describe()


def test_inline_secret_is_refused() -> None:
    with pytest.raises(ConfigError, match="password_env"):
        parse_registry_settings({"auth": {"username": "u", "password": "oops"}})


def test_no_url_means_embedded() -> None:
    s = parse_registry_settings(None)
    assert s.embedded
    assert "embedded" in s.describe()


def test_redact() -> None:
    assert redact("GET https://u:pw@h/x") == "GET https://u:***@h/x"
    assert redact("Authorization: Bearer abc.def") == "Authorization: Bearer ***"
    assert redact("token tok-1 echoed", ("tok-1",)) == "token *** echoed"


def contract(schema: object, fmt: str = "avro", **kw: object) -> Contract:
    return Contract(
        name="orders.OrderPlaced",
        version="1.0.0",
        schema=SchemaSpec(fmt, schema, subject=kw.pop("subject", None)),  # type: ignore[arg-type]
        path=Path("c.yaml"),
        channel="orders",
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        (SubjectStrategy.TOPIC, "orders-value"),
        (SubjectStrategy.RECORD, "com.acme.Order"),
        (SubjectStrategy.TOPIC_RECORD, "orders-com.acme.Order"),
    ],
)
def test_subject_strategies(strategy: SubjectStrategy, expected: str) -> None:
    assert subject_for(contract(V1), strategy) == expected


def test_explicit_subject_wins() -> None:
    assert subject_for(contract(V1, subject="custom"), SubjectStrategy.RECORD) == "custom"


def test_store_semantics_and_files(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    first = store.register("s", SchemaSubmission.of(V1, "AVRO"))
    again = store.register("s", SchemaSubmission(json.dumps(V1, indent=4), "AVRO"))  # reformatted
    assert (first.version, first.id) == (again.version, again.id) == (1, 1)
    other = store.register("t", SchemaSubmission.of(V1, "AVRO"))
    assert other.id == 1  # same schema, same global id
    second = store.register("s", SchemaSubmission.of(V2_OK, "AVRO"))
    assert (second.version, second.id) == (2, 2)
    with pytest.raises(RegistryConflict, match="BACKWARD"):
        store.register("s", SchemaSubmission.of(V2_BAD, "AVRO"))
    store.set_level("s", "NONE")
    assert store.register("s", SchemaSubmission.of(V2_BAD, "AVRO")).version == 3
    on_disk = json.loads((tmp_path / "subjects" / "s" / "v1.json").read_text())
    assert on_disk["schema"] == V1
    reloaded = LocalStore(tmp_path)
    assert reloaded.versions("s") == [1, 2, 3]
    assert reloaded.subject_level("s") == "NONE"


def test_emulator_speaks_the_protocol() -> None:
    emu = RegistryEmulator(flavour="karapace")  # dispatch needs no socket
    body = json.dumps({"schema": json.dumps(V1)}).encode()
    assert emu.dispatch("POST", "/subjects/s/versions", body, None) == (200, {"id": 1})
    status, found = emu.dispatch("GET", "/subjects/s/versions/latest", b"", None)
    assert status == 200
    assert "schemaType" not in found
    assert emu.dispatch("GET", "/config/s", b"", None)[1]["error_code"] == 40408
    assert emu.dispatch("POST", "/compatibility/subjects/new/versions/latest", body, None)[0] == 404
