"""Event files and bad input: every broken record is a finding with its position, never a crash."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO

STREAM = Path(__file__).parent / "data" / "stream.ndjson"


def _report(cli, *args: str) -> tuple[int, dict]:
    result = cli(["verify", *args, "--format", "json"], cwd=REPO)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout) if result.stdout else {}


def _unreadable(report: dict) -> list[tuple[str, str]]:
    """(source position, message) of every unreadable record, in file order."""
    rows = [
        (sample, f["message"])
        for f in report["findings"]
        if f["rule_id"] == "VERIFY_EVENT_UNREADABLE"
        for sample in f["details"]["samples"]
    ]
    return sorted(rows, key=lambda r: int(r[0].rpartition(":")[2]))


def test_truncated_non_json_blank_and_oversize_lines(cli, tmp_path: Path) -> None:
    good = STREAM.read_text().splitlines()[0]
    path = tmp_path / "broken.ndjson"
    big = '{"topic": "orders.order-placed", "value": "' + "x" * (10 * 1024 * 1024) + '"}'
    path.write_text("\n".join([good, "", "not json at all", big, good, good[: len(good) // 2]]))
    code, report = _report(cli, str(path))
    assert code == 1
    rows = _unreadable(report)
    assert [r[0] for r in rows] == [f"{path}:3", f"{path}:4", f"{path}:6"]
    assert "over 4194304 bytes" in rows[1][1]
    assert report["summary"]["events"] == 5  # the blank line is no event


def test_a_json_array_keeps_element_lines(cli, tmp_path: Path) -> None:
    lines = STREAM.read_text().splitlines()[:3]
    path = tmp_path / "capture.json"
    path.write_text("[\n  " + ",\n  ".join(lines) + ',\n  {"topic": "nowhere", "value": {}}\n]\n')
    code, report = _report(cli, str(path))
    assert code == 1
    (finding,) = report["findings"]
    assert (finding["rule_id"], finding["line"]) == ("VERIFY_UNKNOWN_CHANNEL", 5)
    assert report["summary"]["events"] == 4


def test_a_truncated_array_is_a_finding(cli, tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text("[" + STREAM.read_text().splitlines()[0] + ', {"topic": ')
    code, report = _report(cli, str(path))
    assert code == 1
    assert len(_unreadable(report)) == 1


def test_directories_and_stdin(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = STREAM.read_text().splitlines()[:10]
    (tmp_path / "a.ndjson").write_text("\n".join(lines[:5]) + "\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.jsonl").write_text("\n".join(lines[5:]) + "\n")
    (tmp_path / "notes.txt").write_text("ignored")
    _, report = _report(cli, str(tmp_path))
    assert report["summary"]["events"] == 10
    assert report["files"] == [str(tmp_path / "a.ndjson"), str(tmp_path / "sub" / "b.jsonl")]
    stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(("\n".join(lines) + "\n").encode())))
    monkeypatch.setattr("sys.stdin", stdin)
    _code, report = _report(cli, "-")
    assert report["summary"]["events"] == 10


@pytest.mark.parametrize(
    ("args", "config", "code", "message"),
    [
        (["missing.ndjson"], None, 2, "no such file or directory: missing.ndjson"),
        ([], None, 2, "name event files"),
        (["--kafka", "127.0.0.1:1"], None, 2, "--kafka needs at least one --topic"),
        (["x.ndjson", "--now", "yesterday"], None, 2, "--now"),
        (["{stream}"], "verify: {samples: -1}", 3, "verify.samples"),
        (["{stream}"], "verify: {kafka: {sasl_password_env: NOPE_NOT_SET}}", 3, "NOPE_NOT_SET"),
        (["merge", "{stream}"], None, 3, "not a JSON report"),
    ],
)
def test_usage_and_input_errors(cli, tmp_path: Path, args, config, code, message) -> None:
    (tmp_path / "contracts").symlink_to(REPO / "contracts")
    if config:
        (tmp_path / "contractctl.yaml").write_text(config + "\n")
    result = cli(["verify", *(a.replace("{stream}", str(STREAM)) for a in args)], cwd=tmp_path)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3


def test_merge_of_halves_equals_the_whole(cli, tmp_path: Path) -> None:
    lines = STREAM.read_text().splitlines(keepends=True)
    # split by correlation id, as a consumer group splits co-partitioned topics by key
    halves: list[list[str]] = [[], []]
    for line in lines:
        key = json.loads(line)["key"] or ""
        halves[hash(key) % 2].append(line)
    for i, half in enumerate(halves):
        (tmp_path / f"part{i}.ndjson").write_text("".join(half))
        _code, _ = _report(
            cli, str(tmp_path / f"part{i}.ndjson"), "-o", str(tmp_path / f"r{i}.json")
        )
    whole_code, whole = _report(cli, str(STREAM))
    merged = cli(
        ["verify", "merge", str(tmp_path / "r0.json"), str(tmp_path / "r1.json"), "-f", "json"],
        cwd=REPO,
    )
    assert merged.exit_code == whole_code == 1
    report = json.loads(merged.stdout)
    for key in ("events", "matched", "duplicates", "unreadable"):
        assert report["summary"][key] == whole["summary"][key], key
    assert report["summary"]["flows_table"] == whole["summary"]["flows_table"]
    counts = lambda r: sorted((f["rule_id"], f["details"]["count"]) for f in r["findings"])  # noqa: E731
    assert counts(report) == counts(whole)


@pytest.mark.parametrize("fmt", ["github", "junit", "sarif", "text"])
def test_every_report_format(cli, fmt: str) -> None:
    result = cli(["verify", str(STREAM), "--format", fmt], cwd=REPO)
    assert result.exit_code == 1
    assert "VERIFY_SAGA_STUCK" in result.stdout


def _contracts():
    from contractctl.core.contract.config import Config
    from contractctl.core.contract.loader import load_contracts

    return load_contracts([REPO / "contracts"], Config()).contracts


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=64) | _JSON.map(lambda v: json.dumps(v).encode()), max_size=8)
)
def test_arbitrary_lines_never_crash(lines: list[bytes]) -> None:
    from contractctl.core.verify.verifier import Verifier

    v = Verifier(CONTRACTS_LOADED)
    for i, line in enumerate(lines, 1):
        v.feed_line(line, ("fuzz.ndjson", i))
        v.feed_message("payments.payment-failed", line, ("t", 0, i), key=line[:4])
        v.feed_message("nowhere", line, ("t", 0, i))
    result = v.finish()
    assert result.events == 3 * len(lines)


@settings(max_examples=300, deadline=None)
@given(
    value=_JSON,
    topic=st.sampled_from(
        ["payments.payment-failed", "payments.payment-succeeded", "shipping.shipment-created"]
    ),
)
def test_avro_fast_and_slow_paths_agree(value: object, topic: str) -> None:
    from contractctl.core.verify.index import ContractIndex

    for target in ContractIndex(CONTRACTS_LOADED).by_channel[topic]:
        assert target.valid(value) == (next(iter(target.errors(value)), None) is None)


CONTRACTS_LOADED = _contracts()


def test_kafka_without_confluent_kafka_says_how_to_install(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "confluent_kafka", None)  # import now fails
    result = cli(["verify", "--kafka", "127.0.0.1:9092", "--topic", "t"], cwd=REPO)
    assert result.exit_code == 2
    assert "pip install 'contractctl[kafka]'" in result.stderr
