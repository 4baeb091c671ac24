"""A contract's payload schema as one self-contained document."""

from __future__ import annotations

from typing import Any

from contractctl.core.contract.model import Contract
from contractctl.core.schema.jsonschema_refs import Fetcher, bundle


def resolved_schema(contract: Contract, fetcher: Fetcher | None = None) -> Any:
    """The contract's JSON Schema with every ref bundled in (Avro is returned as is)."""
    if contract.schema.format != "jsonschema":
        return contract.schema.document
    return bundle(
        contract.schema.document,
        contract.schema.file,
        fetcher=fetcher,
        text=contract.schema.text,
        store=contract.schema.refs,
    )
