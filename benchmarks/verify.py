"""``contractctl verify`` on a million generated events beside the parse + validate floor.

Generates an NDJSON stream of the bundled order-fulfilment saga (``tests/verify/generate.py``,
about 1 KB an event), then, pinned to one core and interleaved ``--rounds`` times:

- the limit: each line parsed (orjson, and the stdlib's json for reference) and its payload
  validated by jsonschema-rs against its topic's contract, nothing else;
- verify: ``contractctl verify FILE --format json`` as a user runs it (a subprocess, start-up
  included), whose peak RSS is read from the kernel's accounting of that child.

Rates are events per CPU second (user + system) on that one core: the machine is shared, and
wall-clock time there measures the neighbours; wall-clock rates are printed beside them.
Reports events/s of each, the ratio verify / limit (best round of each) and verify's peak
RSS and peak open workflow instances. Targets: >= 50,000 events/s, within 3x of the limit.
``--kafka`` adds the mock-cluster throughput (needs confluent-kafka).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.verify.generate import generate  # noqa: E402


def _write_stream(path: Path, events: int) -> int:
    orders = max(1, round(events / 3.9))  # the generator's mix averages 3.9 events an order
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for line in generate(orders, spacing_ms=50):
            fh.write(line + "\n")
            count += 1
    return count


def _limit(path: Path, loads_name: str) -> tuple[float, float]:
    """(CPU, wall) seconds to parse every line and validate its payload: any verifier's floor."""
    import json as std_json

    import orjson

    from contractctl.core.contract.config import Config
    from contractctl.core.contract.loader import load_contracts
    from contractctl.core.verify.index import ContractIndex

    index = ContractIndex(load_contracts([REPO / "contracts"], Config()).contracts)
    validators = {topic: targets[0].compiled() for topic, targets in index.by_channel.items()}
    loads = orjson.loads if loads_name == "orjson" else std_json.loads
    began, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as fh:
        for line in fh:
            event = loads(line)
            validator = validators.get(event["topic"])
            if validator is not None:
                validator.is_valid(event["value"])
    return time.process_time() - cpu, time.perf_counter() - began


def _verify(path: Path, out: Path) -> tuple[float, float, int, dict[str, object]]:
    """(CPU s, wall s, peak RSS bytes, JSON summary) of ``contractctl verify``, a subprocess."""
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "contractctl", "verify", str(path), "-f", "json", "-o", str(out)],
        cwd=REPO,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"verify exited {code}")
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    return usage.ru_utime + usage.ru_stime, seconds, usage.ru_maxrss * 1024, summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--kafka", action="store_true", help="also measure the mock Kafka cluster")
    ap.add_argument("--kafka-events", type=int, default=100_000)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # children inherit: one core
    with tempfile.TemporaryDirectory() as tmp:
        stream = Path(tmp) / "stream.ndjson"
        events = _write_stream(stream, args.events)
        size = stream.stat().st_size
        print(f"stream: {events:,} events, {size / events:.0f} bytes each on average")
        limit_std, _ = _limit(stream, "json")
        best_limit = best_verify = wall_limit = wall_verify = float("inf")
        rss = 0
        summary: dict[str, object] = {}
        for _ in range(args.rounds):
            cpu, wall = _limit(stream, "orjson")
            best_limit, wall_limit = min(best_limit, cpu), min(wall_limit, wall)
            cpu, wall, peak, summary = _verify(stream, Path(tmp) / "report.json")
            best_verify, wall_verify = min(best_verify, cpu), min(wall_verify, wall)
            rss = max(rss, peak)
        assert summary["events"] == events, summary["events"]
        result = {
            "events": events,
            "bytes_per_event": round(size / events),
            "limit_stdlib_json_events_per_s": round(events / limit_std),
            "limit_events_per_s": round(events / best_limit),
            "verify_events_per_s": round(events / best_verify),
            "ratio_to_limit": round(best_verify / best_limit, 2),
            "wall_clock_limit_events_per_s": round(events / wall_limit),
            "wall_clock_verify_events_per_s": round(events / wall_verify),
            "verify_peak_rss_mib": round(rss / 1_048_576, 1),
            "open_instances_peak": summary["open_instances_peak"],
        }
        if args.kafka:
            from benchmarks.verify_kafka import measure

            result.update(measure(args.kafka_events))
        print(json.dumps(result, indent=2))
        ok = result["verify_events_per_s"] >= 50_000 and result["ratio_to_limit"] <= 3
        print("targets (>= 50,000 events/s, within 3x of the limit):", "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
