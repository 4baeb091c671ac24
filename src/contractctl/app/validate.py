"""``contractctl validate``: load contracts and run every contract check over them."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractctl.core.config import Config
from contractctl.core.findings import Finding, Report
from contractctl.core.jsonschema_refs import Fetcher, bundle
from contractctl.core.loader import LoadResult, load_contracts
from contractctl.core.model import Contract


@dataclass(slots=True)
class ValidateRequest:
    paths: Sequence[Path] = ()
    config: Config = field(default_factory=Config)
    fetcher: Fetcher | None = None  # set by the CLI only when allow_remote_refs is on
    today: _dt.date | None = None


@dataclass(slots=True)
class ValidateOutcome:
    report: Report
    loaded: LoadResult

    @property
    def input_errors(self) -> int:
        return len(self.loaded.input_errors)


def resolved_schema(contract: Contract, fetcher: Fetcher | None = None) -> Any:
    """The contract's JSON Schema as one self-contained document (Avro is returned as is)."""
    if contract.schema.format != "jsonschema":
        return contract.schema.document
    return bundle(
        contract.schema.document, contract.schema.file, fetcher=fetcher, text=contract.schema.text
    )


def contract_findings(
    contracts: Sequence[Contract], *, fetcher: Fetcher | None = None, today: _dt.date | None = None
) -> list[Finding]:
    from contractctl.core.contract_checks import (
        check_examples,
        check_fields,
        check_governance,
        check_references,
    )
    from contractctl.core.schema_check import check_schema

    findings: list[Finding] = []
    for c in contracts:
        schema_findings = check_schema(c, fetcher=fetcher)
        findings.extend(schema_findings)
        findings.extend(check_governance(c, today))
        if any(
            f.rule_id in {"CONTRACT_SCHEMA_INVALID", "CONTRACT_SCHEMA_DIALECT"}
            for f in schema_findings
        ):
            continue  # examples and fields cannot be judged against a broken schema
        resolved = resolved_schema(c, fetcher)
        findings.extend(check_fields(c, resolved))
        findings.extend(check_examples(c, resolved))
    findings.extend(check_references(contracts))
    return findings


def validate(request: ValidateRequest) -> ValidateOutcome:
    from contractctl.core.contract_checks import apply_settings

    loaded = load_contracts(list(request.paths) or None, request.config)
    findings = list(loaded.findings)
    findings.extend(
        contract_findings(loaded.contracts, fetcher=request.fetcher, today=request.today)
    )
    report = Report(command="validate", files=loaded.files)
    report.extend(apply_settings(findings, request.config.rules, loaded.contracts))
    events = {c.name for c in loaded.contracts}
    report.summary.update(
        {
            "contracts": len(loaded.contracts),
            "events": len(events),
            "headline": f"{len(loaded.files)} contract files, {len(events)} events",
        }
    )
    return ValidateOutcome(report, loaded)
