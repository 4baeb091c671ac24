"""``contractctl init``: a config and one example contract, refusing to overwrite anything."""

from __future__ import annotations

from pathlib import Path

from contractctl.core.errors import InputError, UsageError

CONFIG = """\
# contractctl settings. Every key: `contractctl schema config`; commands: `contractctl --help`.
contracts: contracts
compatibility: BACKWARD
policy: STRICT
rules: {}
"""

CONTRACT = """\
# yaml-language-server: $schema=../contract.schema.json
name: example.SomethingHappened
version: "1.0.0"
owner: team-example
summary: Something happened that other services care about.
description: |
  Emitted once when something happens. Consumers may rely on `id` being unique.
schema:
  format: jsonschema
  inline:
    type: object
    # Closed from v1: adding an optional property later stays BACKWARD compatible under the
    # STRICT policy (to an open object it is not). For FORWARD or FULL, make it partially
    # open instead, e.g. `additionalProperties: {type: string}`.
    additionalProperties: false
    required: [id, occurred_at]
    properties:
      id: {type: string, format: uuid}
      occurred_at: {type: string, format: date-time}
channel: example.something-happened
key: id
producer: example-service
delivery:
  guarantee: at-least-once
  idempotency_key: id
consumers:
  - service: another-service
    purpose: Reacts to it.
error_policy:
  retries: {max_attempts: 3, backoff: exponential, initial: 200ms, max: 10s}
  dead_letter: example.dlq
examples:
  - name: minimal
    payload: {id: 6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b, occurred_at: "2026-01-01T00:00:00Z"}
"""


def scaffold(directory: Path) -> list[Path]:
    """Write the config, one example contract and, for editors, the contract JSON Schema.

    The example's modeline points at that schema file (``contractctl schema`` output) by a
    path relative to the contract, so completion works offline and the link always resolves.
    """
    import json

    from contractctl.core.contract.format import CONTRACT_SCHEMA

    targets = {
        directory / "contractctl.yaml": CONFIG,
        directory / "contracts" / "contract.schema.json": json.dumps(CONTRACT_SCHEMA, indent=2)
        + "\n",
        directory / "contracts" / "example" / "something-happened.v1.yaml": CONTRACT,
    }
    # A dangling symlink "exists" too: writing would create its target somewhere else.
    existing = [p for p in targets if p.exists() or p.is_symlink()]
    if existing:
        raise UsageError(f"refusing to overwrite {', '.join(str(p) for p in existing)}")
    for path, text in targets.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:  # "x": never clobber a racer
                handle.write(text)
        except FileExistsError:
            raise UsageError(f"refusing to overwrite {path}") from None
        except OSError as exc:
            raise InputError(f"cannot create {path}: {exc.strerror}", file=str(path)) from None
    return list(targets)
