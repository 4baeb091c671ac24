"""verify --dlq: each group of dead letters judged a producer bug or a consumer bug."""

from __future__ import annotations

import io
import json
from pathlib import Path

from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import load_contracts
from contractctl.core.verify.dlq import DlqTriage
from tests.conftest import CONTRACTS, REPO

DUMP = Path(__file__).parent / "data" / "payments-dlq.ndjson"


def test_a_dlq_dump_is_grouped_by_event_error_and_contract(cli) -> None:
    result = cli(["verify", "--dlq", str(DUMP), "-f", "json"], cwd=REPO)
    assert result.exit_code == 1, result.stderr
    rows = json.loads(result.stdout)["summary"]["dlq"]
    assert [(r["contract"], r["events"], r["verdict"]) for r in rows] == [
        ("payments.PaymentFailed@1.0.0", 2, "consumer bug"),
        ("payments.PaymentFailed@1.0.0", 1, "producer bug"),
    ]
    assert "NullPointerException in RefundHandler" in rows[0]["group"]
    assert rows[1]["samples"] == [f"{DUMP}:3"]
    assert "BANK_ON_FIRE" not in result.stdout  # payloads stay out of reports


def test_dead_letters_from_kafka_are_decoded_as_on_their_original_topic() -> None:
    from fastavro import parse_schema, schemaless_writer

    contracts = load_contracts([CONTRACTS], Config()).contracts
    failed = next(c for c in contracts if c.name == "payments.PaymentFailed")
    buf = io.BytesIO()
    schemaless_writer(buf, parse_schema(failed.schema.document), failed.examples[0].payload)
    triage = DlqTriage(contracts)
    headers = {"kafka_dlt-original-topic": "payments.payment-failed", "error": "timeout"}
    triage.feed_message("payments.dlq", buf.getvalue(), ("payments.dlq", 0, 7), headers=headers)
    (finding,) = triage.finish().tally.findings()
    assert finding.rule_id == "VERIFY_DLQ_VALID_EVENT"
    assert finding.event == "payments.PaymentFailed@1.0.0"
