"""``verify --kafka`` throughput on librdkafka's mock cluster (run by ``verify.py --kafka``).

Produces ``events`` generated events (JSON, bare Avro and Confluent wire format, as the Kafka
tests do) into a mock cluster on 127.0.0.1, then reads them back with ``contractctl verify
--kafka --from-beginning`` as a subprocess. Reports messages per CPU second (start-up included)
and per wall second: of the whole run (which includes Python start-up and joining the
consumer group, a few seconds on the mock) and from the first message to the last.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.verify.generate import generate  # noqa: E402
from tests.verify.kafka_stream import produce  # noqa: E402
from tests.verify.mock_kafka import MockCluster  # noqa: E402


def measure(events: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copytree(REPO / "contracts", project / "contracts")
        shutil.copy(REPO / "contractctl.yaml", project / "contractctl.yaml")
        subprocess.run(
            [sys.executable, "-m", "contractctl", "publish"],
            cwd=project,
            check=True,
            capture_output=True,
        )
        lines = list(generate(max(1, round(events / 3.9)), spacing_ms=50))
        topics = sorted({json.loads(line)["topic"] for line in lines})
        # The mock keeps only a few MiB per partition and drops the oldest messages beyond
        # that; 16 partitions a topic hold 100,000 events of 1 KB whole.
        with MockCluster([(t, 16) for t in topics]) as bootstrap:
            began = time.perf_counter()
            produced = produce(bootstrap, project, lines)
            produce_s = time.perf_counter() - began
            args = [
                sys.executable,
                "-m",
                "contractctl",
                "verify",
                "--kafka",
                bootstrap,
                "--from-beginning",
                "--timeout",
                "10",
                "-f",
                "json",
                "-o",
                "report.json",
            ]
            for t in topics:
                args += ["--topic", t]
            began = time.perf_counter()
            proc = subprocess.Popen(args, cwd=project)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - began
            if os.waitstatus_to_exitcode(status) not in (0, 1):
                sys.exit("verify --kafka failed")
            summary = json.loads((project / "report.json").read_text())["summary"]
            read = summary["kafka"]["messages"]
            if read != produced:
                sys.exit(f"read {read} of {produced} events: the mock dropped some (retention)")
            cpu = usage.ru_utime + usage.ru_stime
            return {
                "kafka_events": produced,
                "kafka_read": read,
                "kafka_produce_events_per_s": round(produced / produce_s),
                "kafka_verify_events_per_cpu_s": round(read / cpu),
                "kafka_verify_events_per_wall_s": round(read / wall),
                # first message to last, as the consumer saw it (no start-up, no group join)
                "kafka_consume_events_per_s": summary["kafka"]["messages_per_second"],
                "kafka_verify_peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            }


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000), indent=2))
