"""Hand-built contracts for the docs, graph and export tests (no loader involved)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contractctl.core.contract.model import (
    Consumer,
    Contract,
    Delivery,
    Deprecation,
    ErrorPolicy,
    Example,
    Retries,
    SchemaSpec,
)


def contract(
    name: str,
    version: str = "1.0.0",
    *,
    producer: str | None = None,
    consumers: tuple[str, ...] = (),
    compensation: tuple[str, ...] = (),
    deprecated: bool = False,
    schema: Any = None,
    fmt: str = "jsonschema",
    **extra: Any,
) -> Contract:
    doc = (
        schema
        if schema is not None
        else {"type": "object", "properties": {"id": {"type": "string"}}}
    )
    return Contract(
        name=name,
        version=version,
        schema=SchemaSpec(fmt, doc),
        path=Path(f"contracts/{name}.v{version}.yaml"),
        producer=producer,
        consumers=tuple(Consumer(s, purpose=f"{s} reacts") for s in consumers),
        error_policy=ErrorPolicy(
            retries=Retries(3), dead_letter=f"{name}.dlq", compensation=compensation
        )
        if compensation
        else None,
        deprecated=Deprecation(since="2026-01-01", replaced_by=f"{name}V2") if deprecated else None,
        delivery=Delivery("at-least-once"),
        channel=name.lower(),
        **extra,
    )


def example(name: str, payload: Any, description: str | None = None) -> Example:
    return Example(name=name, payload=payload, description=description)
