"""publish → check → breaking change → check → pull against a real registry.

Runs only when CONTRACTCTL_TEST_REGISTRY_URL is set (optionally with
CONTRACTCTL_TEST_REGISTRY_AUTH=user:password); subjects get a unique prefix per run.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from contractctl.adapters.registry.baseline import make_registry_baseline
from contractctl.app.publish import Action, PublishRequest, publish
from contractctl.app.registry import RegistryRequest, pull
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.contract.model import Contract, SchemaSpec
from contractctl.core.registry.config import RegistrySettings, Secret

URL = os.environ.get("CONTRACTCTL_TEST_REGISTRY_URL")
pytestmark = [
    pytest.mark.registry,
    pytest.mark.skipif(not URL, reason="CONTRACTCTL_TEST_REGISTRY_URL is not set"),
]


def settings() -> RegistrySettings:
    auth = os.environ.get("CONTRACTCTL_TEST_REGISTRY_AUTH")
    user, _, password = (auth or "").partition(":")
    return RegistrySettings(
        urls=(str(URL).rstrip("/"),),
        username=user or None,
        password=Secret(password) if password else None,
    )


def contract(topic: str, version: str, fields: list[dict[str, object]]) -> Contract:
    doc = {"type": "record", "name": "Order", "namespace": "it.contractctl", "fields": fields}
    return Contract(
        name="it.Order",
        version=version,
        schema=SchemaSpec("avro", doc),
        path=Path("it.yaml"),
        channel=topic,
    )


def test_publish_check_break_check_pull(tmp_path: Path) -> None:
    topic = f"contractctl-it-{uuid.uuid4().hex[:8]}"
    s = settings()
    v1 = contract(topic, "1.0.0", [{"name": "id", "type": "string"}])
    first = publish(PublishRequest([v1], s))
    assert [o.action for o in first.outcomes] == [Action.REGISTERED]
    again = publish(PublishRequest([v1], s))
    assert [o.action for o in again.outcomes] == [Action.UNCHANGED]

    broken = contract(
        topic, "1.1.0", [{"name": "id", "type": "string"}, {"name": "c", "type": "string"}]
    )
    baseline = make_registry_baseline(s)
    history = baseline.history(broken)
    assert len(history) == 1
    result = check_compatibility(
        history[-1].schema, broken.schema.document, schema_type="AVRO", level="BACKWARD"
    )
    assert not result.is_compatible
    refused = publish(PublishRequest([v1, broken], s))
    assert refused.count(Action.REFUSED) == 1

    out = tmp_path / "pulled"
    report = pull(RegistryRequest(s), out, [f"{topic}-value"])
    assert (out / f"{topic}-value" / "1.avsc").exists()
    assert report.subjects == 1
