"""``contractctl verify``: events from files or Kafka held to the contracts; sagas classified."""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from contractctl.adapters.events.kafka import KafkaRequest
from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import LoadResult, load_contracts
from contractctl.core.errors import InputError, LoadError, UsageError
from contractctl.core.registry.config import RegistrySettings
from contractctl.core.verify.report import build_report, merge_reports
from contractctl.core.verify.settings import VerifySettings, load_settings
from contractctl.core.verify.verifier import SchemaLookup, Verifier, VerifyOptions
from contractctl.core.vocab.findings import Report

__all__ = ["KafkaRequest", "VerifyOutcome", "VerifyRequest", "merge", "verify"]


@dataclass(slots=True)
class VerifyRequest:
    sources: Sequence[str] = ()  # files, directories, "-"
    contracts: Sequence[Path] = ()
    config: Config = field(default_factory=Config)
    samples: int | None = None
    examples: int = 5
    show_payloads: bool = False
    now: _dt.datetime | None = None
    kafka: KafkaRequest | None = None
    env: Mapping[str, str] | None = None
    stdin: BinaryIO | None = None
    registry: RegistrySettings | None = None  # default: contractctl.yaml and the environment
    registry_lookup: SchemaLookup | None = None  # replaces the registry (tests)
    dlq: bool = False  # triage dead letters instead of verifying a live stream


@dataclass(slots=True)
class VerifyOutcome:
    report: Report
    loaded: LoadResult

    @property
    def input_errors(self) -> int:
        return len(self.loaded.input_errors)


def settings_of(request: VerifyRequest) -> VerifySettings:
    config = request.config
    return load_settings(
        config.verify,
        env=request.env if request.env is not None else os.environ,
        root=config.root,
        config_file=str(config.file) if config.file else None,
    )


def verify(request: VerifyRequest) -> VerifyOutcome:
    settings = settings_of(request)
    loaded = load_contracts(list(request.contracts) or None, request.config)
    if not loaded.contracts:
        raise InputError("no contracts to verify against", file=str(request.config.contracts_dir))
    options = VerifyOptions(
        samples=settings.samples if request.samples is None else request.samples,
        examples=request.examples,
        show_payloads=request.show_payloads,
        type_header=settings.type_header,
        timestamp_field=settings.timestamp_field,
        now_ms=int(request.now.timestamp() * 1000) if request.now else None,
        today=request.now.date() if request.now else None,
        saga=settings.saga,
    )
    if request.kafka is not None:
        lookup = request.registry_lookup or _registry_lookup(request)
        verifier = _verifier(request, loaded, options, lookup)
        from contractctl.adapters.events.kafka import consume

        kafka = request.kafka
        if not kafka.group:
            kafka = replace(kafka, group=settings.kafka.group)
        stats = consume(
            kafka_settings=settings.kafka,
            request=kafka,
            sink=verifier,
            max_event_bytes=settings.max_event_bytes,
            headers=_header_names(request, settings),
        )
        sources = [f"kafka:{t}" for t in kafka.topics]
        report = build_report(verifier.finish(), sources=sources, extra={"kafka": stats})
        return VerifyOutcome(_with_dlq(report, request), loaded)
    if not request.sources:
        raise UsageError("name event files (or - for stdin), or --kafka BOOTSTRAP --topic T")
    from contractctl.adapters.events.files import read_files

    verifier = _verifier(request, loaded, options, request.registry_lookup)
    files = read_files(
        request.sources,
        verifier,
        max_event_bytes=settings.max_event_bytes,
        max_file_bytes=request.config.limits.max_file_bytes,
        stdin=request.stdin,
    )
    report = build_report(verifier.finish(), sources=files)
    return VerifyOutcome(_with_dlq(report, request), loaded)


def _verifier(
    request: VerifyRequest, loaded: LoadResult, options: VerifyOptions, lookup: SchemaLookup | None
) -> Verifier:
    if request.dlq:
        from contractctl.core.verify.dlq import DlqTriage

        return DlqTriage(loaded.contracts, options, lookup=lookup)
    return Verifier(loaded.contracts, options, lookup=lookup)


def _header_names(request: VerifyRequest, settings: VerifySettings) -> tuple[str, ...]:
    names: tuple[str, ...] = (settings.type_header,) if settings.type_header else ()
    if request.dlq:
        from contractctl.core.verify.dlq import DlqHeaders

        names += DlqHeaders().names
    return names


def _with_dlq(report: Report, request: VerifyRequest) -> Report:
    if request.dlq:
        from contractctl.core.verify.dlq import dlq_summary

        report.summary["dlq"] = dlq_summary(report.findings)
        report.summary["headline"] = f"{report.summary['events']} dead-lettered events"
    return report


def _registry_lookup(request: VerifyRequest) -> SchemaLookup:
    """Schema ids resolved through the configured registry (embedded or remote), cached."""
    from contractctl.adapters.events.schema_ids import RegistryIds
    from contractctl.core.registry.config import parse_registry_settings

    settings = request.registry
    if settings is None:
        env = request.env if request.env is not None else os.environ
        settings = parse_registry_settings(
            request.config.registry, env=env, base_dir=request.config.root
        )
    return RegistryIds(settings, root=request.config.root).lookup


def merge(paths: Sequence[Path], *, samples: int = 5) -> Report:
    """``verify merge``: the JSON reports of several verify processes as one."""
    docs: list[dict[str, Any]] = []
    for path in paths:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise LoadError(f"cannot read: {exc.strerror}", file=str(path)) from None
        except ValueError as exc:
            raise LoadError(f"not a JSON report: {exc}", file=str(path)) from None
        if not isinstance(doc, dict) or doc.get("command") != "verify":
            raise LoadError("not a `contractctl verify --format json` report", file=str(path))
        docs.append(doc)
    if not docs:
        raise UsageError("verify merge needs at least one report")
    return merge_reports(docs, samples=samples)
