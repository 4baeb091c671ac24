"""Is the payload schema itself valid? JSON Schema against its draft's meta-schema (and
every ``$ref`` resolves); Avro by Avro's own parsing rules."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from contractctl.core.contract.loader import display_path
from contractctl.core.contract.model import Contract
from contractctl.core.schema import dialects
from contractctl.core.schema.jsonschema_refs import Fetcher, RefResolver, resolve_pointer
from contractctl.core.source import trail
from contractctl.core.source.documents import json_line
from contractctl.core.vocab.findings import Finding, Severity


def _finding(
    contract: Contract, rule: str, message: str, pointer: str, hint: str | None = None
) -> Finding:
    """A schema finding located in the schema file (or the inline schema in the contract)."""
    if contract.schema.file is not None:
        file = display_path(contract.schema.file)
        line = _json_line(contract, pointer)
        column = None
    else:
        file = _contract_file(contract)
        at = "/schema/inline" + pointer
        line = contract.positions.line(at)
        column = contract.positions.column(at)
    return Finding(
        rule,
        Severity.ERROR,
        message,
        file=file,
        line=line,
        column=column,
        pointer="#" + pointer,
        hint=hint,
        event=contract.name,
    )


def _contract_file(contract: Contract) -> str:
    return display_path(contract.path)


def _json_line(contract: Contract, pointer: str) -> int | None:
    text = contract.schema.text
    return json_line(text, pointer) if text is not None else None


def check_schema(contract: Contract, *, fetcher: Fetcher | None = None) -> list[Finding]:
    if contract.schema.format == "avro":
        return list(_check_avro(contract))
    return list(_check_json(contract, fetcher))


def _check_json(contract: Contract, fetcher: Fetcher | None) -> Iterator[Finding]:
    document = contract.schema.document
    if not isinstance(document, dict | bool):
        yield _finding(
            contract,
            "CONTRACT_SCHEMA_INVALID",
            f"a JSON Schema must be an object or a boolean, got {type(document).__name__}",
            "",
        )
        return
    dialect = dialects.dialect_of(document)
    if dialect is None:
        declared = document.get("$schema") if isinstance(document, dict) else None
        yield _finding(
            contract,
            "CONTRACT_SCHEMA_DIALECT",
            f"unknown $schema {declared!r} (use draft-04, -06, -07, 2019-09 or 2020-12)",
            "/$schema",
        )
        return
    yield from _meta_errors(contract, dialects.normalised(document), dialect)
    if _local_refs_resolve(contract, dialect) or _refs_resolve(
        contract, dialects.normalised(document), fetcher
    ):
        return
    # Slow path, only when something does not resolve: find every culprit and where it is.
    resolver = RefResolver(
        document, contract.schema.file, fetcher=fetcher, store=contract.schema.refs
    )
    for issue in resolver.check():
        rule = "CONTRACT_SCHEMA_REMOTE_REF" if issue.kind == "remote" else "CONTRACT_SCHEMA_REF"
        finding = _finding(contract, rule, issue.message, issue.pointer)
        if issue.file is not None and issue.file != contract.schema.file:
            finding = Finding(
                finding.rule_id,
                finding.severity,
                finding.message,
                file=display_path(issue.file),
                pointer=finding.pointer,
                event=contract.name,
            )
        yield finding


_KEYWORD = re.compile(r'"\$(ref|id)"(?:\s*:\s*"([^"\\]*)")?')
_DRAFT4_ID = re.compile(r'"id"\s*:\s*"')


def _local_refs_resolve(contract: Contract, dialect: str) -> bool:
    """Fastest path: every ``$ref`` in the text is a JSON pointer into this document.

    It only ever answers "all resolve"; anything it cannot be sure of (other refs, escapes,
    embedded ``$id`` resources that would change the base) falls through to the exact paths.
    """
    document = contract.schema.document
    text = contract.schema.text if contract.schema.text is not None else json.dumps(document)
    refs: list[str] = []
    ids = 0
    # One pass over the text for both keywords: these scans were a third of validate's
    # checks on large schemas.
    for keyword, value in _KEYWORD.findall(text):
        if keyword == "id":
            ids += 1
        elif not value:
            return False  # a $ref whose value is not a plain string literal
        else:
            refs.append(value)
    if not refs:
        return True
    if ids > 1 or (dialect == dialects.DRAFT4 and _DRAFT4_ID.search(text)):
        return False
    for ref in set(refs):
        if ref == "#":
            continue
        if not ref.startswith("#/") or not resolve_pointer(document, ref[1:])[0]:
            return False
    return True


def _refs_resolve(contract: Contract, document: Any, fetcher: Fetcher | None) -> bool:
    """Fast path: jsonschema-rs resolves every ``$ref`` when it compiles the schema.

    Local files come only from what the loader read (inside the project roots, limits
    applied); remote URLs are refused unless a fetcher is configured.
    """
    from contractctl.core.schema.offline import compile_validator

    base = trail.resolve(contract.schema.file).as_uri() if contract.schema.file else None
    try:
        compile_validator(document, contract.schema.refs, fetcher, base_uri=base)
    except Exception:
        return False
    return True


def _meta_errors(contract: Contract, document: Any, dialect: str) -> Iterator[Finding]:
    import jsonschema_rs

    if not isinstance(document, dict) or "$schema" not in document:
        document = {**document, "$schema": dialect} if isinstance(document, dict) else document
    try:
        if jsonschema_rs.meta.is_valid(document):
            return
    except Exception:
        pass
    # Slow path, only for invalid schemas: every error, with its location.
    from jsonschema.validators import validator_for

    cls = validator_for(document)
    meta = cls(cls.META_SCHEMA)
    for error in sorted(meta.iter_errors(document), key=lambda e: list(e.absolute_path))[:20]:
        pointer = "".join(
            f"/{str(t).replace('~', '~0').replace('/', '~1')}" for t in error.absolute_path
        )
        yield _finding(
            contract,
            "CONTRACT_SCHEMA_INVALID",
            f"invalid JSON Schema at #{pointer}: {error.message}",
            pointer,
        )


def _check_avro(contract: Contract) -> Iterator[Finding]:
    from contractctl.core.schema.avro_schema import validate_avro

    for issue in validate_avro(contract.schema.document, named=contract.schema.named_types):
        yield _finding(
            contract,
            "CONTRACT_SCHEMA_INVALID",
            f"invalid Avro schema: {issue.message}",
            issue.pointer,
        )
