"""Import 1,000 subjects with 5 versions each from a registry emulator on 127.0.0.1 that adds
5 ms per request, as ``contractctl import registry`` does.

Usage: python benchmarks/import.py [--subjects 1000] [--versions 5] [--latency 0.005]
The emulator runs in a child process (``registry.py --serve``, so it does not share the GIL);
the import fetches every subject, numbers versions with the compatibility engine and writes
the contracts into a temporary folder, then runs again to time an idempotent rerun.
Target: under 10 s for the first import. The machine's load average is reported beside the
figure: on a shared machine the wall time follows the load, the client's CPU time less so.
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

from contractctl.app.adopt_registry import RegistryImportRequest, import_registry
from contractctl.core.adoption.manifest import FileAction
from contractctl.core.registry.config import RegistrySettings

TARGET_SECONDS = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.005)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("registry.py")), "--serve",
         f"--subjects={args.subjects}", f"--versions={args.versions}",
         f"--latency={args.latency}"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        settings = RegistrySettings(urls=(url,), concurrency=args.concurrency)
        with tempfile.TemporaryDirectory() as tmp:
            request = RegistryImportRequest(settings, Path(tmp) / "contracts")
            load = os.getloadavg()[0]
            started, cpu = time.perf_counter(), time.process_time()
            first = import_registry(request)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            started = time.perf_counter()
            again = import_registry(request)
            rerun = time.perf_counter() - started
    finally:
        if child.stdin:
            child.stdin.close()
        child.wait(timeout=10)
    print(
        json.dumps(
            {
                "subjects": args.subjects,
                "versions_per_subject": args.versions,
                "latency_ms": args.latency * 1000,
                "concurrency": args.concurrency,
                "contracts": first.contracts,
                "files_written": first.count(FileAction.CREATE),
                "major_versions": len(first.majors),
                "total_seconds": round(elapsed, 3),
                "client_cpu_seconds": round(cpu, 3),
                "load_average_at_start": round(load, 1),
                "cores": os.cpu_count(),
                "rerun_seconds": round(rerun, 3),
                "rerun_unchanged": again.count(FileAction.UNCHANGED) == len(again.actions),
                "target_seconds": TARGET_SECONDS,
                "ok": elapsed < TARGET_SECONDS,
            },
            indent=2,
        )
    )
    return 0 if elapsed < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
