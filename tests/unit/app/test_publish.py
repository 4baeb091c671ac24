"""publish: idempotence, the local gate, references, dry run, and faults midway converging."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from contractctl.adapters.registry.api import RegistryAPI
from contractctl.adapters.registry.baseline import make_registry_baseline
from contractctl.adapters.registry.client import HttpRegistry
from contractctl.adapters.registry.emulator import RegistryEmulator
from contractctl.adapters.registry.store import LocalStore
from contractctl.app.publish import Action, PublishRequest, publish
from contractctl.app.registry import RegistryRequest, pull, server_verify
from contractctl.core.contract.model import Contract, SchemaReference, SchemaSpec
from contractctl.core.errors import ExitCode
from contractctl.core.registry.config import RegistrySettings
from contractctl.core.vocab.levels import Direction


def avro(name: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "record", "name": name, "namespace": "com.acme", "fields": fields}


def contract(
    i: int,
    version: str = "1.0.0",
    *,
    fields: list[dict[str, Any]] | None = None,
    level: str | None = None,
) -> Contract:
    return Contract(
        name=f"orders.Event{i}",
        version=version,
        schema=SchemaSpec("avro", avro(f"Event{i}", fields or [{"name": "id", "type": "string"}])),
        path=Path(f"contracts/e{i}.yaml"),
        channel=f"topic-{i}",
        compatibility=level,
    )


def embedded(tmp_path: Path, contracts: list[Contract], **kw: Any) -> Any:
    settings = RegistrySettings(embedded_path=tmp_path / "reg")
    return publish(PublishRequest(contracts, settings, root=tmp_path, **kw))


def test_publish_is_idempotent(tmp_path: Path) -> None:
    cs = [contract(i) for i in range(3)]
    first = embedded(tmp_path, cs)
    assert [o.action for o in first.outcomes] == [Action.REGISTERED] * 3
    second = embedded(tmp_path, cs)
    assert [o.action for o in second.outcomes] == [Action.UNCHANGED] * 3
    assert [(o.version, o.schema_id) for o in second.outcomes] == [(1, 1), (1, 2), (1, 3)]


def test_versions_of_one_subject_register_in_semver_order(tmp_path: Path) -> None:
    v11 = contract(
        0,
        "1.1.0",
        fields=[{"name": "id", "type": "string"}, {"name": "n", "type": "int", "default": 0}],
    )
    report = embedded(tmp_path, [v11, contract(0)])
    assert [(o.item, o.version) for o in report.outcomes] == [
        ("orders.Event0@1.0.0", 1),
        ("orders.Event0@1.1.0", 2),
    ]


def test_incompatible_is_refused_and_nothing_registered(tmp_path: Path) -> None:
    embedded(tmp_path, [contract(0)])
    bad = contract(
        0, "1.1.0", fields=[{"name": "id", "type": "string"}, {"name": "cur", "type": "string"}]
    )
    report = embedded(tmp_path, [contract(0), bad, contract(1)])
    assert report.exit_code is ExitCode.FINDINGS
    refused = [o for o in report.outcomes if o.action is Action.REFUSED]
    (broken,) = refused[0].breaks
    assert broken.rule_id == "AVRO_FIELD_ADDED_WITHOUT_DEFAULT"
    assert broken.judged_by == ((Direction.BACKWARD, "READER_FIELD_MISSING_DEFAULT_VALUE"),)
    assert not (tmp_path / "reg" / "subjects" / "topic-1-value").exists()


def test_dry_run_changes_nothing_and_level_is_set(tmp_path: Path) -> None:
    dry = embedded(tmp_path, [contract(0, level="FULL")], dry_run=True)
    assert dry.outcomes[0].action is Action.REGISTER
    assert dry.outcomes[0].level_to == "FULL"
    assert not (tmp_path / "reg").exists()
    embedded(tmp_path, [contract(0, level="FULL")])
    assert LocalStore(tmp_path / "reg").subject_level("topic-0-value") == "FULL"


class FaultyTransport(httpx.AsyncBaseTransport):
    """Forwards to the emulator; register calls for chosen subjects fail with 500s."""

    def __init__(self, emulator: RegistryEmulator, failing: set[str]) -> None:
        self.emulator = emulator
        self.failing = failing

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and any(
            path == f"/subjects/{s}/versions" for s in self.failing
        ):
            return httpx.Response(500, json={"error_code": 50001, "message": "store error"})
        status, body = self.emulator.dispatch(request.method, path, request.content, None)
        return httpx.Response(status, json=body)


def test_failure_midway_reports_and_rerun_converges(tmp_path: Path) -> None:
    emulator = RegistryEmulator()
    settings = RegistrySettings(urls=("http://registry.test",), retries=1, backoff=0)
    cs = [contract(i) for i in range(4)]

    def opener(failing: set[str]) -> Any:
        def open_api() -> RegistryAPI:
            return HttpRegistry(settings, transport=FaultyTransport(emulator, failing))

        return open_api

    first = publish(PublishRequest(cs, settings, open_api=opener({"topic-2-value"})))
    assert first.exit_code is ExitCode.REGISTRY
    actions = {o.subject: o.action for o in first.outcomes}
    assert actions["topic-2-value"] is Action.FAILED
    assert "gave up after 2 attempts" in (first.outcomes[2].error or "")
    assert [actions[f"topic-{i}-value"] for i in (0, 1, 3)] == [Action.REGISTERED] * 3
    assert emulator.store.versions("topic-2-value") == []  # nothing half-registered

    second = publish(PublishRequest(cs, settings, open_api=opener(set())))
    assert second.exit_code is ExitCode.OK
    assert [o.action for o in second.outcomes] == [Action.UNCHANGED] * 2 + [
        Action.REGISTERED,
        Action.UNCHANGED,
    ]
    assert all(emulator.store.versions(f"topic-{i}-value") == [1] for i in range(4))


def test_references_registered_first_then_check_pull_and_verify(tmp_path: Path) -> None:
    money = avro("Money", [{"name": "amount", "type": "long"}])
    ref = SchemaReference(tmp_path / "Money.avsc", money, ("com.acme.Money",))
    c = Contract(
        name="payments.Paid",
        version="1.0.0",
        schema=SchemaSpec(
            "avro", avro("Paid", [{"name": "amount", "type": "com.acme.Money"}]), references=(ref,)
        ),
        path=tmp_path / "paid.yaml",
        channel="paid",
    )
    with RegistryEmulator(latency=0.0, flavour="karapace") as emulator:
        settings = RegistrySettings(urls=(emulator.url,))
        report = publish(PublishRequest([c], settings))
        assert [(o.subject, o.is_reference, o.action) for o in report.outcomes] == [
            ("com.acme.Money", True, Action.REGISTERED),
            ("paid-value", False, Action.REGISTERED),
        ]
        registered = emulator.store.version("paid-value", 1)
        assert registered is not None
        assert registered.references[0].subject == "com.acme.Money"

        baseline = make_registry_baseline(settings)
        breaking = Contract(
            name="payments.Paid",
            version="1.1.0",
            schema=SchemaSpec(
                "avro",
                avro(
                    "Paid",
                    [{"name": "amount", "type": "com.acme.Money"}, {"name": "x", "type": "int"}],
                ),
                references=(ref,),
            ),
            path=tmp_path / "paid2.yaml",
            channel="paid",
        )
        baseline.prefetch([c, breaking])
        assert baseline.history(c) == []  # its own version is not its history
        history = baseline.history(breaking)
        assert [h.label for h in history] == [f"registry {emulator.url}:paid-value v1 (id 2)"]
        assert history[0].named_types == {"com.acme.Money": money}
        assert baseline.level(breaking) == "BACKWARD"
        assert server_verify(baseline, [c, breaking]) == []  # server and local agree

        out = tmp_path / "pulled"
        pulled = pull(RegistryRequest(settings), out)
        assert pulled.subjects == 2
        assert (out / "paid-value" / "1.avsc").exists()


def test_many_subjects_concurrently_bounded() -> None:
    store = LocalStore()
    with RegistryEmulator(store, latency=0.005) as emulator:
        settings = RegistrySettings(urls=(emulator.url,), concurrency=16)
        cs = [contract(i) for i in range(100)]
        report = publish(PublishRequest(cs, settings))
        assert report.count(Action.REGISTERED) == 100
        baseline = make_registry_baseline(settings)
        baseline.prefetch(cs)
        assert all(baseline.history(c) == [] for c in cs)  # already registered = no history
    asyncio.set_event_loop_policy(None)
