"""What a registry command may never do: register what validate rejects, leave a partial
baseline that passes as complete, or print a password however it is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractctl.app.publish import PublishRequest, publish
from contractctl.app.registry import RegistryRequest, pull
from contractctl.core.contract.model import Contract, SchemaSpec
from contractctl.core.errors import ConfigError
from contractctl.core.registry.config import (
    RegistryOverrides,
    RegistrySettings,
    Secret,
    parse_registry_settings,
    redact,
)
from tests.conftest import run_cli


def _contract(channel: str = "t") -> Contract:
    doc = {"type": "record", "name": "E", "namespace": "x", "fields": []}
    return Contract("x.E", "1.0.0", SchemaSpec("avro", doc), Path("e.yaml"), channel=channel)


def test_publish_refuses_a_schema_validate_rejects(tmp_path: Path) -> None:
    (tmp_path / "contracts").mkdir()
    # A tree with one contract: an empty tree is refused before the baseline is read.
    (tmp_path / "contracts" / "t.v1.yaml").write_text(
        "name: t.T\nversion: 1.0.0\nsummary: T happened.\nowner: o\nproducer: p\n"
        "schema:\n  format: jsonschema\n  inline: {type: object}\n",
        encoding="utf-8",
    )
    (tmp_path / "contracts" / "bad.json").write_text(
        '{"type": "strin", "properties": {"a": {"$ref": "#/definitions/nope"}}}'
    )
    (tmp_path / "contracts" / "bad.yaml").write_text(
        "name: x.Bad\nversion: '1.0.0'\nsummary: s\nschema: {format: jsonschema, file: bad.json}\n"
        "channel: bad\nowner: t\nproducer: p\n"
    )
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n")
    result = run_cli(["publish"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "CONTRACT_SCHEMA_INVALID" in result.stderr
    assert "nothing registered" in result.stderr
    assert not (tmp_path / ".contractctl" / "registry").exists()  # nothing registered


def test_pull_replaces_the_folder_whole_and_check_refuses_a_partial_one(tmp_path: Path) -> None:
    settings = RegistrySettings(embedded_path=tmp_path / "reg")
    publish(PublishRequest([_contract()], settings, root=tmp_path))
    out = tmp_path / "pulled"
    pull(RegistryRequest(settings, root=tmp_path), out)
    pull(RegistryRequest(settings, root=tmp_path), out)  # again: replaced, not merged
    assert sorted(p.name for p in out.iterdir()) == ["index.json", "t-value"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pulled")]  # no leftovers

    (out / "index.json").unlink()  # what a killed pull used to leave
    (tmp_path / "contracts").mkdir()
    # A tree with one contract: an empty tree is refused before the baseline is read.
    (tmp_path / "contracts" / "t.v1.yaml").write_text(
        "name: t.T\nversion: 1.0.0\nsummary: T happened.\nowner: o\nproducer: p\n"
        "schema:\n  format: jsonschema\n  inline: {type: object}\n",
        encoding="utf-8",
    )
    result = run_cli(["check", "--against", str(out), str(tmp_path / "contracts")], cwd=tmp_path)
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "incomplete registry pull" in result.stderr


def test_pull_never_overwrites_a_foreign_folder(tmp_path: Path) -> None:
    settings = RegistrySettings(embedded_path=tmp_path / "reg")
    publish(PublishRequest([_contract()], settings, root=tmp_path))
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(Exception, match="not a registry pull"):
        pull(RegistryRequest(settings, root=tmp_path), out)
    assert (out / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("password", ["p/ss", "p#ss", "p?ss", "p@ss", "p%2Fss"])
def test_passwords_in_urls_are_split_off_and_never_shown(password: str) -> None:
    url = f"https://bob:{password}@sr.example:8081/base"
    settings = parse_registry_settings({}, env={}, overrides=RegistryOverrides(urls=(url,)))
    assert settings.urls == ("https://sr.example:8081/base",)
    assert settings.username == "bob"
    assert settings.password is not None
    shown = redact(f"GET {url} failed; header Basic {settings.secrets[-1]}", settings.secrets)
    assert password not in shown
    assert settings.secrets[-1] not in shown  # the base64 of user:password


def test_a_broken_url_names_no_secret() -> None:
    with pytest.raises(ConfigError) as info:
        parse_registry_settings(
            {}, env={}, overrides=RegistryOverrides(urls=("http://bob:pa/ss@127.0.0.1:abc",))
        )
    message = str(info.value)
    assert "pa/ss" not in message
    assert "bob:pa" not in message


def test_secrets_include_the_forms_a_server_echoes() -> None:
    settings = RegistrySettings(urls=("https://x",), username="u", password=Secret("pw"))
    assert set(settings.secrets) == {"pw", "u:pw", "dTpwdw=="}


def test_versions_the_registry_holds_are_not_judged_again(tmp_path: Path) -> None:
    """A break the registry took under NONE is history, not the change under review."""
    (tmp_path / "contracts").mkdir()
    fields = [{"name": "id", "type": "string"}]
    for version, extra in (("1.0.0", []), ("1.1.0", [{"name": "n", "type": "int"}])):
        doc = {"type": "record", "name": "E", "namespace": "x", "fields": fields + extra}
        (tmp_path / "contracts" / f"e{version}.avsc").write_text(json.dumps(doc))
        (tmp_path / "contracts" / f"e{version}.yaml").write_text(
            f"name: x.E\nversion: '{version}'\nsummary: s\n"
            f"schema: {{format: avro, file: e{version}.avsc}}\nchannel: e\n"
            "owner: t\nproducer: p\ncompatibility: NONE\n"
        )
    (tmp_path / "contractctl.yaml").write_text(
        'contracts: contracts\nrules: {CONTRACT_DESCRIPTION_REQUIRED: "off", '
        'CONTRACT_EXAMPLE_REQUIRED: "off"}\n'
    )
    assert run_cli(["publish"], cwd=tmp_path).exit_code == 0
    for yaml in (tmp_path / "contracts").glob("*.yaml"):  # the level is BACKWARD today
        yaml.write_text(yaml.read_text().replace("NONE", "BACKWARD"))
    against_tree = run_cli(["check"], cwd=tmp_path)
    assert against_tree.exit_code == 1  # the tree's own history still judges the pair
    against_registry = run_cli(["check", "--against", "registry"], cwd=tmp_path)
    assert against_registry.exit_code == 0, against_registry.stdout + against_registry.stderr


# -- case twins: subjects that differ only in case never share a file ------------------------


def _twin(channel: str) -> Contract:
    doc = {"type": "record", "name": "E", "namespace": "x", "fields": []}
    return Contract(
        f"x.{channel}", "1.0.0", SchemaSpec("avro", doc), Path("e.yaml"), channel=channel
    )


def _folded(folder: Path) -> list[str]:
    return sorted(p.name.casefold() for p in folder.iterdir())


def test_case_twin_subjects_get_folders_apart_across_runs(tmp_path: Path) -> None:
    settings = RegistrySettings(embedded_path=tmp_path / "reg")
    # Separate runs, as separate `publish` processes: each must see the other's folder.
    publish(PublishRequest([_twin("Orders")], settings, root=tmp_path))
    publish(PublishRequest([_twin("orders")], settings, root=tmp_path))
    publish(PublishRequest([_twin("ORDERS")], settings, root=tmp_path))
    folders = _folded(tmp_path / "reg" / "subjects")
    assert len(folders) == len(set(folders)) == 3, folders

    from contractctl.adapters.registry.store import LocalStore

    store = LocalStore(tmp_path / "reg")
    assert store.subjects() == ["ORDERS-value", "Orders-value", "orders-value"]
    assert [store.versions(s) for s in store.subjects()] == [[1], [1], [1]]
    # A rerun finds each subject in its own folder: nothing is registered twice.
    again = publish(PublishRequest([_twin("orders")], settings, root=tmp_path))
    assert again.exit_code == 0
    assert [o.action.value for o in again.outcomes] == ["unchanged"]
    assert LocalStore(tmp_path / "reg").versions("orders-value") == [1]


def test_a_pull_of_case_twins_keeps_them_apart_and_check_finds_each(tmp_path: Path) -> None:
    settings = RegistrySettings(embedded_path=tmp_path / "reg")
    publish(PublishRequest([_twin("Orders"), _twin("orders")], settings, root=tmp_path))
    out = tmp_path / "pulled"
    pull(RegistryRequest(settings, root=tmp_path), out)
    folders = _folded(out)
    assert len(folders) == len(set(folders)) == 3, folders  # two subjects and index.json
    index = json.loads((out / "index.json").read_text())
    for subject, info in index["subjects"].items():
        assert (out / info["folder"] / "1.avsc").is_file(), subject

    from contractctl.adapters.baselines import SchemaDirBaseline
    from contractctl.core.contract.config import Config

    baseline = SchemaDirBaseline(out, Config(root=tmp_path))
    for channel in ("Orders", "orders"):
        assert baseline.is_registered(_twin(channel))
