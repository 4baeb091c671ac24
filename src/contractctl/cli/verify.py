"""``contractctl verify``: real events held to their contracts, and the sagas they form."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Annotated, Any

import typer

from contractctl.cli import state
from contractctl.cli.common import (
    FailOn,
    FailOnOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    emit_report,
)
from contractctl.cli.root import app
from contractctl.core.errors import UsageError


@app.command(
    epilog="Examples: contractctl verify events.ndjson --flows ; "
    "contractctl verify --kafka 127.0.0.1:9092 --topic orders.order-placed --from-beginning ; "
    "contractctl verify merge a.json b.json",
)
def verify(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SOURCE…",
            help="Event files (NDJSON, JSON Lines, a JSON array), directories of them, or - "
            "for stdin. `verify merge REPORTS…` combines JSON reports instead.",
        ),
    ] = None,
    contracts: Annotated[
        list[Path] | None,
        typer.Option(
            "--contracts",
            metavar="PATH",
            help="Contract files or directories (repeatable; default: config).",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.text,
    fail_on: FailOnOption = FailOn.error,
    output: OutputOption = None,
    flows: Annotated[
        bool, typer.Option("--flows", help="Show the table of workflow instances per flow.")
    ] = False,
    samples: Annotated[
        int | None,
        typer.Option(
            "--samples", metavar="N", min=0, help="Offending events shown per finding (default 5)."
        ),
    ] = None,
    examples: Annotated[
        int,
        typer.Option(
            "--examples", metavar="N", min=0, help="Correlation ids shown per saga class."
        ),
    ] = 5,
    show_payloads: Annotated[
        bool,
        typer.Option("--show-payloads", help="Include offending payloads in full (json output)."),
    ] = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            metavar="TIME",
            help="Judge stuck workflows at this ISO time (default: the newest event's).",
        ),
    ] = None,
    kafka: Annotated[
        str | None,
        typer.Option(
            "--kafka", metavar="HOST:PORT", help="Read from Kafka at this bootstrap address."
        ),
    ] = None,
    topics: Annotated[
        list[str] | None,
        typer.Option("--topic", metavar="TOPIC", help="A topic to read (repeatable)."),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            metavar="GROUP",
            help="Consumer group: processes sharing it split the partitions.",
        ),
    ] = None,
    from_beginning: Annotated[
        bool, typer.Option("--from-beginning", help="Read each partition from its start.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DURATION", help="Read from this long ago (e.g. 15m, 2h)."),
    ] = None,
    max_messages: Annotated[
        int | None,
        typer.Option("--max-messages", metavar="N", min=1, help="Stop after this many messages."),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=0.1,
            help="Stop after this many seconds without a message.",
        ),
    ] = 10.0,
    dlq: Annotated[
        bool,
        typer.Option(
            "--dlq",
            help="Triage a dead-letter topic or dump: producer bug (payload breaks its "
            "contract) or consumer bug (it validates), per event type, error and contract.",
        ),
    ] = False,
    registry: Annotated[
        str | None,
        typer.Option(
            "--registry", metavar="URL", help="Registry URL(s) resolving wire-format schema ids."
        ),
    ] = None,
) -> int:
    """Check events against their contracts and classify the workflow instances they form."""
    if sources and sources[0] == "merge" and not Path("merge").exists():
        return _merge([Path(p) for p in sources[1:]], fmt, fail_on, output, flows, samples)
    from contractctl.app.verify import KafkaRequest, VerifyRequest
    from contractctl.app.verify import verify as run_verify

    kafka_request = None
    if kafka is not None or topics:
        if sources:
            raise UsageError("give event files or --kafka, not both")
        if not topics:
            raise UsageError("--kafka needs at least one --topic")
        kafka_request = KafkaRequest(
            bootstrap=kafka or "",
            topics=topics,
            group=group,
            from_beginning=from_beginning,
            since_ms=_duration(since) if since else None,
            max_messages=max_messages,
            timeout_s=timeout,
        )
    request = VerifyRequest(
        sources=sources or (),
        contracts=contracts or (),
        config=state.load_config(),
        samples=samples,
        examples=examples,
        show_payloads=show_payloads,
        now=_moment(now) if now else None,
        kafka=kafka_request,
        registry=_registry(registry) if kafka_request is not None else None,
        dlq=dlq,
    )
    outcome = run_verify(request)
    code = emit_report(outcome.report, fmt, fail_on, output, input_errors=outcome.input_errors)
    if flows and fmt is OutputFormat.text:
        _print_flows(outcome.report.summary.get("flows_table", []))
    return code


def _merge(
    paths: list[Path],
    fmt: OutputFormat,
    fail_on: FailOn,
    output: Path | None,
    flows: bool,
    samples: int | None,
) -> int:
    from contractctl.app.verify import merge

    report = merge(paths, samples=5 if samples is None else samples)
    code = emit_report(report, fmt, fail_on, output)
    if flows and fmt is OutputFormat.text:
        _print_flows(report.summary.get("flows_table", []))
    return code


def _registry(urls: str | None) -> Any:
    from contractctl.cli.publish import registry_settings

    return registry_settings(urls)[1]


def _duration(text: str) -> int:
    from contractctl.core.flow.roles import parse_duration_ms

    try:
        return parse_duration_ms(text)
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from None


def _moment(text: str) -> _dt.datetime:
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--now: {text!r} is not an ISO 8601 date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=_dt.UTC)


def _print_flows(rows: Any) -> None:
    """One block per flow: instances per class, then the slowest step's reaction times."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, no_color=state.NO_COLOR, soft_wrap=True)
    from contractctl.core.flow.instances import CLASSES

    for row in rows:
        console.print(f"[bold]{escape(row['flow'])}[/bold]: {row['instances']} instances")
        for c in CLASSES:
            console.print(f"  {c.replace('_', ' '):<30} {row.get(c, 0):>9}")
        slow = row.get("slowest_step")
        if slow:
            console.print(
                f"  slowest step: {escape(slow['event'])} → its reaction in "
                f"p50 {slow['p50_ms'] / 1000:.2f}s, p95 {slow['p95_ms'] / 1000:.2f}s"
            )
