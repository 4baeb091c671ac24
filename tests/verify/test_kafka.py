"""verify against a real Kafka protocol implementation: librdkafka's mock cluster.

The cluster runs in a process of its own on 127.0.0.1 (``mock_kafka.py``). The committed
stream is produced into it as a producer fleet would write it: JSON for JSON Schema contracts,
Avro in the Confluent wire format (ids from the embedded registry ``publish`` filled) for
PaymentSucceeded and ShipmentCreated, bare Avro binary for PaymentFailed. ``verify --kafka``
must then report the stream's ground truth exactly, alone and as a two-process group.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "confluent_kafka", reason="confluent-kafka is not installed (pip install -e '.[test,kafka]')"
)

from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import load_contracts
from tests.conftest import CONTRACTS, REPO
from tests.verify.kafka_stream import produce
from tests.verify.mock_kafka import MockCluster
from tests.verify.test_ground_truth import SAGA_RULES, STREAM, TRUTH

PARTITIONS = 4


def _topics() -> list[str]:
    contracts = load_contracts([CONTRACTS], Config()).contracts
    return sorted({c.channel for c in contracts if c.channel} | {"orders.order-shipped"})


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kafka-project")
    shutil.copytree(CONTRACTS, root / "contracts")
    shutil.copy(REPO / "contractctl.yaml", root / "contractctl.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "contractctl", "publish"],
        cwd=root,
        capture_output=True,
        check=False,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="module")
def cluster(project: Path) -> Any:
    with MockCluster([(t, PARTITIONS) for t in _topics()]) as bootstrap:
        produced = produce(bootstrap, project, STREAM.read_text(encoding="utf-8").splitlines())
        assert produced == TRUTH["events"]
        yield bootstrap


def _verify(project: Path, bootstrap: str, *extra: str) -> list[str]:
    args = [sys.executable, "-m", "contractctl", "verify", "--kafka", bootstrap]
    for t in _topics():
        args += ["--topic", t]
    return [*args, "--from-beginning", "--timeout", "20", "-f", "json", *extra]


def _assert_truth(report: dict[str, Any]) -> None:
    summary = report["summary"]
    assert summary["events"] == TRUTH["events"]
    classes = {k: v for k, v in summary["flows"]["orders.OrderPlaced"]["classes"].items() if v}
    assert classes == TRUTH["classes"]
    assert summary["duplicates"]["payments.PaymentSucceeded"]["count"] == TRUTH["duplicates"]
    per_rule: dict[str, int] = {}
    for f in report["findings"]:
        per_rule[f["rule_id"]] = per_rule.get(f["rule_id"], 0) + f["details"]["count"]
    expected = dict(TRUTH["findings"])
    expected.update({SAGA_RULES[c]: TRUTH["classes"][c] for c in SAGA_RULES})
    assert per_rule == expected


def test_verify_reads_json_avro_and_wire_format_back_exactly(project: Path, cluster: str) -> None:
    done = subprocess.run(
        _verify(project, cluster), cwd=project, capture_output=True, check=False, text=True
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    _assert_truth(report)
    assert report["summary"]["kafka"]["messages"] == TRUTH["events"]
    assert "UNREADABLE" not in done.stdout


def _group_run(project: Path, cluster: str, attempt: int) -> list[Path]:
    """Two verify processes in a fresh group; their reports."""
    group = f"verify-{uuid.uuid4().hex[:8]}"
    outs = [project / f"share{attempt}-{i}.json" for i in range(2)]
    procs = [
        subprocess.Popen(
            _verify(project, cluster, "--group", group, "-o", str(out)),
            cwd=project,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outs
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode in (0, 1), err
    return outs


def test_a_two_process_consumer_group_shares_the_partitions(project: Path, cluster: str) -> None:
    # When the group protocol hands both processes partitions is its own timing: on a loaded
    # machine the second may join after the first has read everything, or get its share only
    # after its idle timeout. No run may read an event twice (a rebalance resumes from the
    # commit); a run in which the two split the partitions must read each event exactly once
    # and merge into the stream's truth, and one of three runs must split them.
    seen = []
    for attempt in range(3):
        outs = _group_run(project, cluster, attempt)
        shares = [json.loads(out.read_text()) for out in outs]
        events = sum(s["summary"]["events"] for s in shares)
        assert events <= TRUTH["events"], "an event was read twice"
        partitions = [set(s["summary"]["kafka"]["partitions"]) for s in shares]
        seen.append((events, [len(p) for p in partitions]))
        if all(partitions) and not partitions[0] & partitions[1]:
            assert events == TRUTH["events"]
            merge = [sys.executable, "-m", "contractctl", "verify", "merge", *map(str, outs)]
            merged = subprocess.run(
                [*merge, "-f", "json"],
                cwd=project,
                capture_output=True,
                check=False,
                text=True,
            )
            assert merged.returncode == 1, merged.stderr
            _assert_truth(json.loads(merged.stdout))
            return
    pytest.fail(f"three runs never split the partitions (events, partitions held): {seen}")


def test_a_broker_that_is_down(project: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "contractctl",
            "verify",
            "--kafka",
            "127.0.0.1:1",
            "--topic",
            "orders.order-placed",
            "--timeout",
            "2",
        ],
        cwd=project,
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
    )
    assert done.returncode == 4
    assert done.stderr.startswith("error: cannot reach Kafka at 127.0.0.1:1")
    assert "Traceback" not in done.stderr


def test_an_unknown_topic(project: Path, cluster: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "contractctl", "verify", "--kafka", cluster, "--topic", "nope"],
        cwd=project,
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "no topic 'nope'" in done.stderr


def test_a_registry_outage_exits_4(project: Path, cluster: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "contractctl",
            "verify",
            "--kafka",
            cluster,
            "--topic",
            "payments.payment-succeeded",
            "--from-beginning",
            "--timeout",
            "10",
            "--registry",
            "http://127.0.0.1:1",
        ],
        cwd=project,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_max_messages_stops_the_run(project: Path, cluster: str) -> None:
    # (--since is not tested here: the mock cluster answers every offsets-for-times lookup
    # with the end offset, as it implements no timestamp index.)
    done = subprocess.run(
        _verify(project, cluster, "--max-messages", "100"),
        cwd=project,
        capture_output=True,
        check=False,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout)["summary"]["events"] == 100
