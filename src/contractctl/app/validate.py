"""``contractctl validate``: load contracts and run every contract check over them."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import LoadResult, load_contracts
from contractctl.core.contract.model import Contract
from contractctl.core.contract.payload import resolved_schema
from contractctl.core.schema.jsonschema_refs import Fetcher
from contractctl.core.vocab.findings import Finding, Report
from contractctl.core.vocab.words import plural


@dataclass(slots=True)
class ValidateRequest:
    paths: Sequence[Path] = ()
    config: Config = field(default_factory=Config)
    fetcher: Fetcher | None = None  # default: remote refs fetched only when allow_remote_refs is on
    today: _dt.date | None = None
    changed_since: str | None = None  # a git ref: validate only what changed since it
    cache: bool = True  # parses remembered in .contractctl/cache (also config `cache: false`)


@dataclass(slots=True)
class ValidateOutcome:
    report: Report
    loaded: LoadResult
    recalled: bool = False  # the report of an earlier run; ``loaded`` has no contracts
    recalled_input_errors: int = 0

    @property
    def input_errors(self) -> int:
        return self.recalled_input_errors if self.recalled else len(self.loaded.input_errors)


def contract_findings(
    contracts: Sequence[Contract],
    *,
    fetcher: Fetcher | None = None,
    today: _dt.date | None = None,
    config: Config | None = None,
    partial: Sequence[Contract] = (),
) -> list[Finding]:
    """Every contract check over ``contracts``; over ``partial`` (contracts salvaged from
    structure errors) the schema, field and example checks and cross-references only:
    governance would repeat, as a missing field, the key that was cut away."""
    from contractctl.core.lint.contracts import (
        check_declared_services,
        check_examples,
        check_fields,
        check_governance,
        check_references,
    )
    from contractctl.core.lint.schemas import check_schema

    findings: list[Finding] = []
    salvaged = {id(c) for c in partial}
    everything = [*contracts, *partial]
    for c in everything:
        schema_findings = check_schema(c, fetcher=fetcher)
        findings.extend(schema_findings)
        if id(c) not in salvaged:
            findings.extend(check_governance(c, today))
        if any(
            f.rule_id in {"CONTRACT_SCHEMA_INVALID", "CONTRACT_SCHEMA_DIALECT"}
            for f in schema_findings
        ):
            continue  # examples and fields cannot be judged against a broken schema
        resolved = resolved_schema(c, fetcher)
        findings.extend(check_fields(c, resolved))
        findings.extend(check_examples(c, resolved))
    findings.extend(check_references(everything))
    # Off by default: a project opts in by giving the rule a severity in contractctl.yaml.
    if config is not None and config.rules.get("CONTRACT_SERVICE_UNDECLARED", "off") != "off":
        findings.extend(check_declared_services(contracts, config.services))
    from contractctl.core.review.consumers import check_reads

    findings.extend(check_reads(everything))
    return findings


def validate(request: ValidateRequest) -> ValidateOutcome:
    """Validate the contracts below ``request.paths``; with ``changed_since``, what changed.

    With the cache on, a full run over files that have not changed since the last one gives
    the report it gave (``app.caching.reused``); ``outcome.loaded`` then holds only the files
    and input errors (``outcome.recalled``)."""
    from contractctl.app.caching import given_to, parse_cache, reused

    with parse_cache(request.config, request.cache) as cache:
        if cache is None or not _reusable(request):
            return _validate(request)
        if request.today is None:  # the date is an input (deprecations, sunsets): fixed once
            request = replace(request, today=_dt.date.today())
        asked = [str(p) for p in request.paths]
        given = given_to(request.config, request.today, request.paths)
        run = functools.partial(_validate, request)
        return reused(cache, "validate", asked, given, run, _recalled)


def _reusable(request: ValidateRequest) -> bool:
    """A report may be reused when the run reads nothing but files (no remote $refs) and
    judges the whole of what it is given (no git baseline)."""
    return (
        request.changed_since is None
        and request.fetcher is None
        and not request.config.allow_remote_refs
    )


def _recalled(report: Report, input_errors: int) -> ValidateOutcome:
    loaded = LoadResult(files=report.files)
    return ValidateOutcome(report, loaded, recalled=True, recalled_input_errors=input_errors)


def _validate(request: ValidateRequest) -> ValidateOutcome:
    if request.changed_since is not None and not request.paths:
        from contractctl.app.incremental import validate_changed

        narrowed = validate_changed(request, request.changed_since, report_of)
        if narrowed is not None:
            return ValidateOutcome(*narrowed)
    loaded = load_contracts(list(request.paths) or None, request.config)
    return ValidateOutcome(report_of(request, loaded), loaded)


def report_of(request: ValidateRequest, loaded: LoadResult) -> Report:
    """Every contract check over ``loaded``, with the config's severities applied."""
    from contractctl.core.lint.contracts import apply_settings

    fetcher = request.fetcher
    if fetcher is None and request.config.allow_remote_refs:
        from contractctl.adapters.remote_refs import fetch_json

        fetcher = fetch_json
    findings = list(loaded.findings)
    findings.extend(
        contract_findings(
            loaded.contracts,
            partial=loaded.partial,
            fetcher=fetcher,
            today=request.today,
            config=request.config,
        )
    )
    report = Report(command="validate", files=loaded.files)
    report.extend(apply_settings(findings, request.config.rules, loaded.contracts))
    events = {c.name for c in loaded.contracts}
    report.summary.update(
        {
            "contracts": len(loaded.contracts),
            "events": len(events),
            "headline": f"{plural(len(loaded.files), 'contract file')}, "
            f"{plural(len(events), 'event')}",
        }
    )
    return report
