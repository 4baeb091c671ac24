"""Whole reports remembered in the parse cache's store, with the trail they rest on.

A full ``validate`` or ``check`` over a tree that has not changed gives the same report; this
keeps that report in ``.contractctl/cache/`` (signed like every entry, see ``parse_cache``),
named by what the run was asked (the command, its options, the working directory). The entry
holds a digest of what the run was given (the effective config, the date, the project roots)
and of the code that ran it (contractctl's modules, the versions of the libraries it parses
and validates with), and the run's trail (``core.source.trail``): the digest of every file
read, where every path resolved to, what every folder walk found. A later run asked the same
reuses the report only if it was given the same and every fact on the trail still holds; any
edit, added or removed file or retargeted symlink is a miss, and the run is made in full
(with its parses recalled), replacing the entry.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractctl.adapters.parse_cache import ParseCache
from contractctl.core.vocab.findings import Finding, Report, Severity

FORMAT = "1"  # bump when an entry's layout changes
# The libraries whose versions decide findings (parsing, meta-validation, example checks).
_LIBRARIES = ("pyyaml", "jsonschema_rs", "jsonschema", "fastavro", "orjson", "referencing")
_PLAIN = (str, int, float, bool, type(None))


@dataclass(frozen=True, slots=True)
class RunKey:
    name: str  # what the entry is named by: a later run asked the same overwrites it
    inputs: str  # the digest of the rest of what the report depends on, kept in the entry


def run_key(command: str, asked: Sequence[Any], given: Sequence[Any]) -> RunKey | None:
    """The key of ``command``'s report: named by what it was ``asked`` (its options) and the
    working directory; ``given`` (the effective config, the date, the project roots) and the
    code must also match, without giving each day or each edit of contractctl.yaml an entry
    of its own. None when the parts are not plain data."""
    name = [FORMAT, command, os.getcwd(), *asked]
    inputs = [_code_id(), *given]
    if not (_plain(name) and _plain(inputs)):
        return None
    text = json.dumps(inputs, separators=(",", ":"))
    return RunKey(
        json.dumps(name, separators=(",", ":")), hashlib.sha256(text.encode()).hexdigest()
    )


def recall(cache: ParseCache, command: str, key: RunKey) -> tuple[Report, int] | None:
    """The report (and its count of input errors) remembered under ``key``, if it was made
    from the same inputs and its trail still holds."""
    from contractctl.core.contract.facts import still_hold

    entry = cache.recall(f"run/{command}", key.name)
    if not (isinstance(entry, dict) and entry.get("inputs") == key.inputs):
        return None
    facts = entry.get("facts")
    if not (
        isinstance(facts, list)
        and all(
            isinstance(f, list) and len(f) == 3 and all(isinstance(x, str) for x in f)
            for f in facts
        )
    ):
        return None
    report = report_from_data(entry.get("report"), command)
    input_errors = entry.get("input_errors")
    if report is None or type(input_errors) is not int or not still_hold(facts):
        return None
    return report, input_errors


def remember(
    cache: ParseCache,
    command: str,
    key: RunKey,
    facts: dict[tuple[str, str], str],
    report: Report,
    input_errors: int,
) -> bool:
    """Keep ``report`` with its trail; False when it cannot be kept exactly (data that JSON
    would not give back as it was)."""
    data = report_to_data(report)
    if data is None:
        return False
    trail = [[kind, arg, value] for (kind, arg), value in facts.items()]
    entry = {"inputs": key.inputs, "facts": trail, "report": data, "input_errors": input_errors}
    cache.remember(f"run/{command}", key.name, entry)
    return True


# A finding is kept as a row of its fields in this order (the severity by its value).
_ROW = ("rule_id", "severity", "message", "file", "line", "column", "pointer", "hint", "event")


def report_to_data(report: Report) -> dict[str, Any] | None:
    rows = [[*(getattr(f, n) for n in _ROW), f.extra] for f in report.findings]
    for row in rows:
        row[1] = row[1].value
    data = {"files": report.files, "summary": report.summary, "findings": rows}
    return data if _plain(data) else None


def report_from_data(value: Any, command: str) -> Report | None:
    """The inverse of ``report_to_data``; None when ``value`` does not have its shape."""
    if not isinstance(value, dict):
        return None
    files, summary, rows = value.get("files"), value.get("summary"), value.get("findings")
    if not (
        isinstance(files, list)
        and all(isinstance(f, str) for f in files)
        and isinstance(summary, dict)
        and isinstance(rows, list)
    ):
        return None
    findings = []
    severities = {s.value: s for s in Severity}
    optional_str = (str, type(None))
    for row in rows:
        if not (isinstance(row, list) and len(row) == len(_ROW) + 1):
            return None
        rule_id, severity, message, file, line, column, pointer, hint, event, extra = row
        if not (
            isinstance(rule_id, str)
            and severity in severities
            and isinstance(message, str)
            and isinstance(file, optional_str)
            and (line is None or type(line) is int)
            and (column is None or type(column) is int)
            and isinstance(pointer, optional_str)
            and isinstance(hint, optional_str)
            and isinstance(event, optional_str)
            and isinstance(extra, dict)
        ):
            return None
        fields = dict(zip(_ROW, row, strict=False), severity=severities[severity], extra=extra)
        findings.append(Finding(**fields))
    return Report(command=command, findings=findings, files=files, summary=summary)


def _plain(value: Any) -> bool:
    """JSON gives ``value`` back with the same types (no tuples, enums, paths, non-str keys)."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is list:
        return all(map(_plain, value))
    if kind is dict:
        return all(type(k) is str for k in value) and all(map(_plain, value.values()))
    return False


@functools.cache
def _code_id() -> str:
    """Which code makes a report: each of contractctl's modules (path, size, modification
    time: what Python itself trusts to reuse their bytecode, so a report is never older
    than the code that would run) and the libraries' versions, from their dist-info names."""
    digest = hashlib.sha256(f"{FORMAT}/{sys.version}".encode())
    package = Path(__file__).resolve().parent.parent
    for folder, subfolders, names in os.walk(package):
        subfolders.sort()
        for name in sorted(names):
            if name.endswith((".py", ".json", ".yaml", ".j2")):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    digest.update(_libraries().encode())
    return digest.hexdigest()


def _libraries() -> str:
    wanted = tuple(n.replace("-", "_").lower() for n in _LIBRARIES)
    found: list[str] = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                found.extend(
                    e.name
                    for e in listing
                    if e.name.endswith(".dist-info") and e.name.lower().startswith(wanted)
                )
        except OSError:
            continue
    return "\n".join(sorted(found))
