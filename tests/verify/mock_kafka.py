"""librdkafka's mock Kafka cluster in a process of its own, for the Kafka tests and benchmark.

The confluent-kafka wheel bundles librdkafka, whose mock cluster speaks the Kafka protocol on
loopback ports (its C API: ``rd_kafka_mock_cluster_new``, ``rd_kafka_mock_topic_create``);
the Python client does not expose it, hence ctypes. The cluster lives in this process's memory
only. Run as a script: prints the bootstrap address on stdout, then serves until stdin closes.
``MockCluster`` starts and stops it from a test.
"""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path
from types import TracebackType


def _librdkafka() -> ctypes.CDLL:
    import confluent_kafka

    package = Path(confluent_kafka.__file__).parent
    found = sorted((package.parent / "confluent_kafka.libs").glob("librdkafka*.so*"))
    found += sorted(package.glob("**/librdkafka*.so*"))
    if not found:
        sys.exit(f"no librdkafka shipped beside {package}")
    lib = ctypes.CDLL(str(found[0]))
    p, c, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    lib.rd_kafka_conf_new.restype = p
    lib.rd_kafka_conf_set.argtypes = [p, c, c, c, ctypes.c_size_t]
    lib.rd_kafka_conf_set.restype = i
    lib.rd_kafka_new.argtypes = [i, p, c, ctypes.c_size_t]
    lib.rd_kafka_new.restype = p
    lib.rd_kafka_mock_cluster_new.argtypes = [p, i]
    lib.rd_kafka_mock_cluster_new.restype = p
    lib.rd_kafka_mock_cluster_bootstraps.argtypes = [p]
    lib.rd_kafka_mock_cluster_bootstraps.restype = c
    lib.rd_kafka_mock_topic_create.argtypes = [p, c, i, i]
    lib.rd_kafka_mock_topic_create.restype = i
    return lib


def serve(topics: list[tuple[str, int]], brokers: int = 1) -> None:
    lib = _librdkafka()
    err = ctypes.create_string_buffer(512)
    conf = lib.rd_kafka_conf_new()
    # The host handle has no bootstrap servers of its own and would warn about it.
    lib.rd_kafka_conf_set(conf, b"log_level", b"0", err, len(err))
    # A producer handle only hosts the cluster; it never produces.
    handle = lib.rd_kafka_new(0, conf, err, len(err))
    if not handle:
        sys.exit(f"rd_kafka_new: {err.value.decode()}")
    cluster = lib.rd_kafka_mock_cluster_new(handle, brokers)
    if not cluster:
        sys.exit("rd_kafka_mock_cluster_new failed")
    for name, partitions in topics:
        # The mock has no CreateTopics handler: topics exist from the start or not at all.
        if lib.rd_kafka_mock_topic_create(cluster, name.encode(), partitions, 1) != 0:
            sys.exit(f"cannot create topic {name}")
    sys.stdout.write(lib.rd_kafka_mock_cluster_bootstraps(cluster).decode() + "\n")
    sys.stdout.flush()
    sys.stdin.read()  # serve until the parent closes our stdin (or dies)


class MockCluster:
    """``with MockCluster([(topic, partitions), …]) as bootstrap:`` a cluster on 127.0.0.1."""

    def __init__(self, topics: list[tuple[str, int]], brokers: int = 1) -> None:
        self.topics = topics
        self.brokers = brokers
        self.proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> str:
        spec = [f"{name}:{n}" for name, n in self.topics]
        self.proc = subprocess.Popen(
            [sys.executable, __file__, str(self.brokers), *spec],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line:
            self.__exit__(None, None, None)
            raise RuntimeError("the mock Kafka cluster did not start")
        return line

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()


if __name__ == "__main__":
    pairs = [(s.rpartition(":")[0], int(s.rpartition(":")[2])) for s in sys.argv[2:]]
    serve(pairs, brokers=int(sys.argv[1]))
