"""Verdict agreement: a real schema registry's compatibility answers beside contractctl's.

Every consecutive version pair of ../shared/corpus (JSON Schema and Avro) is registered
under a fresh subject (the older version), and the registry is asked whether the newer one
is compatible at BACKWARD, FORWARD and FULL. The same question goes to contractctl's engine.
Reports agreement per format and level, each disagreement class (who said "breaks", the
rule contractctl found, the JSON Schema keywords on the node it points at), and verdicts per
second for both sides.

    python benchmarks/registry_agreement.py --registry http://127.0.0.1:18081 [--limit 500]

Start a local Karapace with ../shared/karapace/start.sh. Subjects are prefixed per run
(``agree-<run>-``) and left in the registry (a fresh Karapace is empty again).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compat_avro import load_pairs as load_avro_pairs
from compat_json import default_shared
from compat_json import load_pairs as load_json_pairs

from contractctl.core.compat.engine import check_compatibility
from contractctl.core.errors import ContractctlError
from contractctl.core.schema.avro_refs import defined_types, inline_named
from contractctl.core.schema.jsonschema_refs import resolve_pointer

LEVELS = ("BACKWARD", "FORWARD", "FULL")
SR = {"Content-Type": "application/vnd.schemaregistry.v1+json"}
MARKS = ("enum", "const", "required", "type", "additionalProperties", "items", "oneOf", "anyOf")


def _pairs(shared: Path, limit: int | None) -> list[tuple[str, str, Any, Any]]:
    """(format, label, old, new); Avro dependencies are inlined so each schema stands alone."""
    out: list[tuple[str, str, Any, Any]] = []
    for label, old, new, deps in load_avro_pairs(shared):
        named: dict[str, Any] = {}
        for dep in deps:
            named.update(defined_types(dep))
        out.append(("AVRO", label, inline_named(old, named), inline_named(new, named)))
    json_pairs = load_json_pairs(shared)
    if limit is not None and limit < len(json_pairs):  # an even sample across every source
        step = len(json_pairs) / limit
        json_pairs = [json_pairs[int(i * step)] for i in range(limit)]
    out.extend(("JSON", label, old, new) for label, old, new in json_pairs)
    return out


def _marks(old: Any, new: Any, path: str) -> str:
    found: set[str] = set()
    for document in (old, new):
        ok, node = resolve_pointer(document, path.lstrip("#"))
        if ok and isinstance(node, dict):
            found.update(k for k in MARKS if k in node)
            if not node:
                found.add("{}")
    return "+".join(sorted(found)) or "-"


def ours(fmt: str, old: Any, new: Any, level: str) -> tuple[bool, str]:
    """contractctl's verdict and, when it breaks, the first breaking rule with its keywords."""
    try:
        result = check_compatibility(old, new, schema_type=fmt, level=level)
    except ContractctlError as exc:
        return False, f"unreadable: {type(exc).__name__}"
    if result.is_compatible:
        return True, ""
    first = result.breaking_changes[0]
    marks = _marks(old, new, first.path) if fmt == "JSON" else "-"
    return False, f"{first.rule_id} [{marks}]"


async def theirs(
    client: httpx.AsyncClient, subject: str, fmt: str, old: Any, new: Any
) -> dict[str, bool | str]:
    """The registry's verdict at each level: register ``old``, then ask about ``new``."""
    body: dict[str, Any] = {"schema": json.dumps(old)}
    if fmt != "AVRO":
        body["schemaType"] = fmt
    reply = await client.post(f"/subjects/{subject}/versions", json=body, headers=SR)
    if reply.status_code != 200:
        return dict.fromkeys(LEVELS, f"register failed: HTTP {reply.status_code}")
    candidate = {**body, "schema": json.dumps(new)}
    verdicts: dict[str, bool | str] = {}
    for level in LEVELS:
        await client.put(f"/config/{subject}", json={"compatibility": level}, headers=SR)
        answer = await client.post(
            f"/compatibility/subjects/{subject}/versions/latest", json=candidate, headers=SR
        )
        payload = answer.json() if answer.status_code == 200 else None
        verdicts[level] = (
            bool(payload.get("is_compatible"))
            if isinstance(payload, dict)
            else f"HTTP {answer.status_code}"
        )
    return verdicts


async def ask_registry(
    url: str, pairs: list[tuple[str, str, Any, Any]], concurrency: int
) -> tuple[list[dict[str, bool | str]], float]:
    run = uuid.uuid4().hex[:8]
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:

        async def one(index: int, fmt: str, old: Any, new: Any) -> dict[str, bool | str]:
            subject = f"agree-{run}-{fmt.lower()}-{index}"
            async with gate:
                for attempt in (1, 2):  # a dropped connection is retried once, then counted
                    try:
                        return await theirs(client, subject, fmt, old, new)
                    except httpx.HTTPError as exc:
                        failure = f"{type(exc).__name__} (attempt {attempt})"
                return dict.fromkeys(LEVELS, failure)

        start = time.perf_counter()
        answers = await asyncio.gather(
            *(one(i, fmt, old, new) for i, (fmt, _label, old, new) in enumerate(pairs))
        )
        return list(answers), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", required=True, help="base URL, e.g. http://127.0.0.1:18081")
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--limit", type=int, default=None, help="an even sample of N JSON pairs")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the full result here")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"no corpus under {args.shared}: set --shared or CONTRACTCTL_SHARED")
        return 2

    pairs = _pairs(args.shared, args.limit)
    start = time.perf_counter()
    local = [[ours(fmt, old, new, level) for level in LEVELS] for fmt, _l, old, new in pairs]
    local_seconds = time.perf_counter() - start
    remote, remote_seconds = asyncio.run(ask_registry(args.registry, pairs, args.concurrency))

    agree: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    classes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for (fmt, label, _old, _new), mine, server in zip(pairs, local, remote, strict=True):
        for level, (ok, why) in zip(LEVELS, mine, strict=True):
            total[fmt, level] += 1
            said = server[level]
            if said == ok:
                agree[fmt, level] += 1
                continue
            if isinstance(said, str):
                key = f"{fmt} server error: {said}"
            elif ok:
                key = f"{fmt} only the server breaks"
            else:
                key = f"{fmt} only contractctl breaks: {why}"
            classes[key] += 1
            examples.setdefault(key, f"{label} at {level}")

    verdicts = len(pairs) * len(LEVELS)
    print(f"registry {args.registry}: {len(pairs)} pairs, {verdicts} verdicts per side")
    print(f"{'format':<6} {'level':<9} {'agree':>13}")
    for fmt in ("AVRO", "JSON"):
        for level in LEVELS:
            if total[fmt, level]:
                print(f"{fmt:<6} {level:<9} {agree[fmt, level]:>6}/{total[fmt, level]:<6}")
    print("disagreement classes (count, first example):")
    for key, count in classes.most_common():
        print(f"  {count:>6}  {key}  (e.g. {examples[key]})")
    per_format = Counter(fmt for fmt, *_ in pairs)
    print(
        f"contractctl: {verdicts / local_seconds:,.0f} verdicts/s "
        f"({local_seconds:.2f} s); registry: {verdicts / remote_seconds:,.1f} verdicts/s "
        f"({remote_seconds:.1f} s, {args.concurrency} concurrent); pairs {dict(per_format)}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "agree": {f"{f}/{lv}": n for (f, lv), n in agree.items()},
                    "total": {f"{f}/{lv}": n for (f, lv), n in total.items()},
                    "classes": dict(classes),
                    "examples": examples,
                    "contractctl_seconds": local_seconds,
                    "registry_seconds": remote_seconds,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
