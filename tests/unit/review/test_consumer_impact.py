"""Field-level consumer impact: locating a change on a field, matching it to declared reads,
validating the reads, and the unread-break policy in the gate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from contractctl.app.check import CheckRequest, check
from contractctl.core.contract.config import load_config
from contractctl.core.contract.model import Consumer
from contractctl.core.review.impact import attribute, avro_field, json_field, known_fields
from contractctl.core.vocab.findings import Severity


@pytest.mark.parametrize(
    ("pointer", "field"),
    [
        ("#/properties/coupon_code", "coupon_code"),
        ("#/required/amount", "amount"),
        ("#/properties/lines/items/properties/sku", "lines[].sku"),
        ("#/properties/lines/items/required/sku", "lines[].sku"),
        ("#/properties/total/properties/amount_minor/maximum", "total.amount_minor"),
        ("#/properties/a~1b", "a/b"),
        ("#/properties/x/anyOf/1/properties/y", "x.y"),
        ("#/additionalProperties", ""),
        ("#", ""),
        ("#/definitions/Money/properties/currency", None),
    ],
)
def test_a_json_pointer_is_placed_on_a_field(pointer: str, field: str | None) -> None:
    assert json_field(pointer) == field


AVRO = {
    "type": "record",
    "name": "Paid",
    "fields": [
        {"name": "order_id", "type": "string"},
        {
            "name": "amount",
            "type": {
                "type": "record",
                "name": "Money",
                "fields": [
                    {"name": "minor", "type": "long"},
                    {"name": "currency", "type": "string"},
                ],
            },
        },
        {"name": "again", "type": ["null", "Money"]},
        {
            "name": "lines",
            "type": {
                "type": "array",
                "items": {
                    "type": "record",
                    "name": "Line",
                    "fields": [{"name": "sku", "type": "string"}],
                },
            },
        },
    ],
}


@pytest.mark.parametrize(
    ("pointer", "field"),
    [
        ("/fields/0", "order_id"),
        ("/fields/1/type/fields/1", "amount.currency"),
        ("/fields/2/type/1/fields/0", "again.minor"),
        ("/fields/3/type/items/fields/0", "lines[].sku"),
        ("/fields/9", None),
        ("", ""),
    ],
)
def test_an_avro_pointer_is_placed_on_a_field(pointer: str, field: str | None) -> None:
    assert avro_field(pointer, AVRO) == field


def test_reads_hit_the_field_its_ancestors_and_descendants() -> None:
    consumers = [
        Consumer("sku-reader", reads=("lines[].sku",)),
        Consumer("lines-reader", reads=("lines",)),
        Consumer("total-reader", reads=("total.amount_minor",)),
        Consumer("everything"),
    ]
    got = attribute(consumers, ("lines[].sku",))
    assert got.readers == ("sku-reader", "lines-reader", "everything")
    assert not got.declared
    assert attribute(consumers, ("lines",)).readers == ("sku-reader", "lines-reader", "everything")
    assert attribute(consumers, None).readers == tuple(c.service for c in consumers)
    declared = attribute(consumers[:3], ("coupon_code",))
    assert declared.unread
    assert declared.readers == ()


def test_known_fields_admit_descendants_of_a_field_from_another_file() -> None:
    schema = {
        "type": "object",
        "properties": {
            "lines": {
                "type": "array",
                "items": {"type": "object", "properties": {"sku": {"type": "string"}}},
            },
            "address": {"$ref": "common/address.json"},
        },
    }
    known = known_fields("jsonschema", schema)
    assert known.has("lines[].sku")
    assert known.has("lines[]")
    assert known.has("address.city")
    assert not known.has("lines[].price")
    assert not known.has("coupon")


# -- the gate ---------------------------------------------------------------------------------

V1 = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string"},
        "coupon_code": {"type": "string"},
        "lines": {
            "type": "array",
            "items": {"type": "object", "properties": {"sku": {"type": "string"}}},
        },
    },
    "additionalProperties": False,
}


def _without(*names: str) -> dict[str, Any]:
    out = yaml.safe_load(yaml.safe_dump(V1))
    for name in names:
        out["properties"].pop(name)
    return out


def _run(
    tmp_path: Path, consumers: list[dict[str, Any]], new: dict[str, Any], **config: Any
) -> Any:
    (tmp_path / "contractctl.yaml").write_text(
        yaml.safe_dump({"contracts": "contracts", "compatibility": "BACKWARD", **config}),
        encoding="utf-8",
    )
    folder = tmp_path / "contracts"
    folder.mkdir()
    for version, schema in (("1.0.0", V1), ("1.1.0", new)):
        body = {
            "name": "shop.OrderPlaced",
            "version": version,
            "owner": "team-shop",
            "schema": {"format": "jsonschema", "inline": schema},
            "consumers": consumers,
        }
        (folder / f"v{version}.yaml").write_text(yaml.safe_dump(body), encoding="utf-8")
    return check(CheckRequest(config=load_config(root=tmp_path), validate=False)).report


def _breaks(report: Any) -> list[Any]:
    return [f for f in report.findings if "directions" in f.extra and not f.extra.get("compatible")]


def test_an_unread_field_removed_is_a_warning_and_needs_no_major_version(tmp_path: Path) -> None:
    consumers = [
        {"service": "billing", "reads": ["order_id"]},
        {"service": "warehouse", "reads": ["lines[].sku"]},
    ]
    report = _run(tmp_path, consumers, _without("coupon_code"))
    (finding,) = _breaks(report)
    assert finding.rule_id == "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"  # the engine's verdict
    assert finding.severity is Severity.WARNING
    assert "no consumer reads `coupon_code`" in finding.message
    assert finding.extra["unread"] is True
    assert finding.extra["consumers"] == []
    assert "CHECK_MAJOR_BUMP_REQUIRED" not in {f.rule_id for f in report.findings}
    assert not report.fails(Severity.ERROR)
    assert report.summary["unread"] == 1


def test_a_read_field_removed_names_exactly_its_readers(tmp_path: Path) -> None:
    consumers = [
        {"service": "billing", "reads": ["order_id"]},
        {"service": "warehouse", "reads": ["lines"]},
        {"service": "audit"},  # reads everything
    ]
    report = _run(tmp_path, consumers, _without("lines"))
    (finding,) = _breaks(report)
    assert finding.severity is Severity.ERROR
    assert finding.extra["consumers"] == ["warehouse", "audit"]
    assert finding.extra["fields"] == ["lines"]
    assert "warehouse, audit" in finding.message
    assert "billing" not in finding.message
    assert "CHECK_MAJOR_BUMP_REQUIRED" in {f.rule_id for f in report.findings}


def test_the_unread_policy_is_configurable(tmp_path: Path) -> None:
    consumers = [{"service": "billing", "reads": ["order_id"]}]
    report = _run(
        tmp_path, consumers, _without("coupon_code"), rules={"REVIEW_BREAK_UNREAD": "off"}
    )
    (finding,) = _breaks(report)
    assert finding.severity is Severity.ERROR


def test_a_read_that_is_not_in_a_version_of_the_range_is_a_finding(tmp_path: Path) -> None:
    consumers = [{"service": "billing", "reads": ["coupon_code", "order_id"], "versions": "1.x"}]
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    folder = tmp_path / "contracts"
    folder.mkdir()
    for version, schema in (("1.0.0", _without("coupon_code")), ("1.1.0", V1)):
        body = {
            "name": "shop.OrderPlaced",
            "version": version,
            "schema": {"format": "jsonschema", "inline": schema},
            "consumers": consumers,
        }
        (folder / f"v{version}.yaml").write_text(yaml.safe_dump(body), encoding="utf-8")
    report = check(CheckRequest(config=load_config(root=tmp_path))).report
    found = [f for f in report.findings if f.rule_id == "REVIEW_READS_UNKNOWN_FIELD"]
    # Both files declare the consumer with the range 1.x; 1.0.0 lacks coupon_code.
    assert sorted((Path(f.file or "").name, f.pointer) for f in found) == [
        ("v1.0.0.yaml", "/consumers/0/reads/0"),
        ("v1.1.0.yaml", "/consumers/0/reads/0"),
    ]
    assert all(f.message.endswith("shop.OrderPlaced 1.0.0 does not have") for f in found)
    assert all(f.line is not None for f in found)


# -- deprecation and expiry ---------------------------------------------------------------------


def _deprecated_tree(tmp_path: Path, consumer: dict[str, Any], sunset: str) -> Path:
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    folder = tmp_path / "contracts"
    folder.mkdir()
    old = {
        "name": "shop.OrderPlaced",
        "version": "1.0.0",
        "schema": {"format": "jsonschema", "inline": V1},
        "consumers": [consumer],
        "deprecated": {"sunset": sunset, "replaced_by": "shop.OrderSubmitted"},
    }
    new = {
        "name": "shop.OrderSubmitted",
        "version": "1.0.0",
        "schema": {"format": "jsonschema", "inline": V1},
    }
    for name, body in (("old", old), ("new", new)):
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(body), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("today", "rule", "severity"),
    [
        (dt.date(2027, 1, 1), "REVIEW_DEPRECATED_CONSUMED", Severity.WARNING),
        (dt.date(2027, 7, 1), "REVIEW_SUNSET_CONSUMED", Severity.ERROR),
    ],
)
def test_a_consumer_left_on_a_deprecated_event(
    tmp_path: Path, today: dt.date, rule: str, severity: Severity
) -> None:
    root = _deprecated_tree(tmp_path, {"service": "billing"}, "2027-06-30")
    report = check(CheckRequest(config=load_config(root=root), validate=False, today=today)).report
    (finding,) = [f for f in report.findings if f.rule_id.startswith("REVIEW_")]
    assert (finding.rule_id, finding.severity) == (rule, severity)
    assert finding.pointer == "/consumers/0"
    assert "billing" in finding.message
    assert "shop.OrderSubmitted" in finding.message


def test_a_replacement_that_is_itself_deprecated_is_reported(tmp_path: Path) -> None:
    root = _deprecated_tree(tmp_path, {"service": "billing"}, "2027-06-30")
    new = root / "contracts/new.yaml"
    body = yaml.safe_load(new.read_text())
    body["deprecated"] = {"sunset": "2028-01-01"}
    new.write_text(yaml.safe_dump(body))
    report = check(CheckRequest(config=load_config(root=root), validate=False)).report
    assert "REVIEW_REPLACEMENT_UNAVAILABLE" in {f.rule_id for f in report.findings}


def test_an_expired_accepted_break_stops_excusing_and_is_reported(tmp_path: Path) -> None:
    entry = {
        "event": "shop.OrderPlaced",
        "rule": "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "path": "#/properties/coupon_code",
        "reason": "reviewed",
        "expires": "2027-01-31",
        "approved_by": "alice",
    }
    consumers = [{"service": "billing"}]
    report = _run(tmp_path, consumers, _without("coupon_code"), accepted_breaks=[entry])
    (finding,) = _breaks(report)
    assert finding.extra.get("accepted") is True  # still before expiry (today is real time)
    late = check(
        CheckRequest(config=load_config(root=tmp_path), validate=False, today=dt.date(2027, 2, 1))
    ).report
    (finding,) = _breaks(late)
    assert not finding.extra.get("accepted")
    (expired,) = [f for f in late.findings if f.rule_id == "REVIEW_ACCEPTED_BREAK_EXPIRED"]
    assert expired.severity is Severity.ERROR
    assert "alice" in expired.message
    assert "2027-01-31" in expired.message
    assert late.fails(Severity.ERROR)


@pytest.mark.parametrize(
    ("path", "known"),
    [
        ("order_id", True),
        ("amount.currency", True),
        ("again.minor", True),  # through a nullable union of a named type
        ("lines[].sku", True),
        ("lines[]", True),
        ("lines.sku", False),  # an array's items need []
        ("amount.cents", False),
        ("nothing", False),
    ],
)
def test_avro_paths_are_walked_through_named_types_and_unions(path: str, known: bool) -> None:
    assert known_fields("avro", AVRO).has(path) is known


def test_json_paths_follow_local_refs_and_combinators() -> None:
    schema = {
        "definitions": {"Money": {"type": "object", "properties": {"minor": {}}}},
        "type": "object",
        "properties": {
            "total": {"$ref": "#/definitions/Money"},
            "node": {"allOf": [{"properties": {"next": {"$ref": "#/properties/node"}}}]},
        },
    }
    known = known_fields("jsonschema", schema)
    assert known.has("total.minor")
    assert known.has("node.next.next.next")  # recursive, answered by walking the path only
    assert not known.has("total.major")
