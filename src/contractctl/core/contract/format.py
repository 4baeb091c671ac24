"""The JSON Schema of the contract format itself (version 1).

``contractctl schema`` prints it so editors (yaml-language-server) complete and check
contract files; the loader validates every contract document against it before building
the model, so the model can trust its input.
"""

from __future__ import annotations

from typing import Any

from contractctl.core.vocab.levels import Level

FORMAT_VERSION = 1
SCHEMA_ID = "https://contractctl.dev/schemas/contract-v1.json"

_LEVELS = tuple(level.value for level in Level)
_DURATION = {
    "type": "string",
    "pattern": r"^\d+(\.\d+)?(ms|s|m|h)$",
    "description": "A duration such as 200ms, 5s, 2m or 1h.",
}
_FIELD_PATH = {
    "type": "string",
    "minLength": 1,
    "description": "A field of the payload, dotted for nested fields (e.g. order.id).",
}
_EVENT_REF = {
    "type": "string",
    "pattern": r"^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)+$",
    "not": {"pattern": r"[\x00-\x1f\x7f]"},
    "description": "The name of another contract's event, e.g. orders.OrderCancelled.",
}
_SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
_TEXT = {"type": "string", "minLength": 1}
# Names end up in file names, Markdown, diagrams and terminals: no control characters (a
# trailing newline included, which Python's "$" would let through a pattern).
_NO_CONTROL = {"not": {"pattern": r"[\x00-\x1f\x7f]"}}
_NAME = {**_TEXT, **_NO_CONTROL}


def _obj(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> Any:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    schema.update(extra)
    return schema


CONTRACT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "contractctl event contract (format 1)",
    "description": "One version of one event: its payload schema, meaning, transport, "
    "delivery guarantee, producer, consumers and error policy.",
    **_obj(
        {
            "$schema": {"type": "string", "description": "Editor hint; ignored."},
            "format_version": {"const": FORMAT_VERSION, "description": "Contract format."},
            "name": {
                "type": "string",
                "pattern": r"^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)+$",
                **_NO_CONTROL,
                "description": "domain.EventName, e.g. orders.OrderPlaced.",
            },
            "version": {
                "type": "string",
                "pattern": _SEMVER,
                **_NO_CONTROL,
                "description": "Semantic version of this event contract (quote it in YAML).",
            },
            "owner": {**_NAME, "description": "The team that owns the event."},
            "summary": {**_TEXT, "description": "One line: what happened."},
            "description": {
                **_TEXT,
                "description": "What happened, when it is emitted, what a consumer may rely on.",
            },
            "schema": {
                "description": "The payload schema, inline or in a file.",
                **_obj(
                    {
                        "format": {"enum": ["jsonschema", "avro"]},
                        "file": {
                            **_TEXT,
                            "description": "Path to a .json/.avsc file, relative to the contract.",
                        },
                        "inline": {
                            "type": ["object", "array", "string"],
                            "description": "The schema itself.",
                        },
                        "subject": {
                            **_NAME,
                            "description": "Explicit schema-registry subject for this event.",
                        },
                        "references": {
                            "type": "array",
                            "items": _TEXT,
                            "description": "Avro: .avsc files defining named types this "
                            "schema uses (relative to the contract).",
                        },
                    },
                    ["format"],
                    oneOf=[{"required": ["file"]}, {"required": ["inline"]}],
                ),
            },
            "channel": {**_NAME, "description": "The topic or channel the event is sent on."},
            "key": {**_FIELD_PATH, "description": "The payload field used as partition key."},
            "ordering": {
                "enum": ["none", "per-key", "total"],
                "description": "Ordering guarantee consumers may rely on.",
            },
            "delivery": _obj(
                {
                    "guarantee": {"enum": ["at-most-once", "at-least-once", "exactly-once"]},
                    "idempotency_key": {
                        **_FIELD_PATH,
                        "description": "Field consumers deduplicate on (at-least-once).",
                    },
                },
                ["guarantee"],
            ),
            "correlation": _obj(
                {"correlation_id": _FIELD_PATH, "causation_id": _FIELD_PATH},
                ["correlation_id"],
            ),
            "producer": {**_NAME, "description": "The service that emits the event."},
            "consumers": {
                "type": "array",
                "items": _obj(
                    {
                        "service": _NAME,
                        "purpose": {**_TEXT, "description": "Why it consumes the event."},
                        "versions": {
                            **_TEXT,
                            "description": "Version range it reads, e.g. '>=1.0.0 <2.0.0'.",
                        },
                        "reads": {
                            "type": "array",
                            "items": {
                                **_TEXT,
                                "pattern": r"^[^.\[\]]+(\[\])?(\.[^.\[\]]+(\[\])?)*$",
                            },
                            "uniqueItems": True,
                            "description": "The payload fields it reads, dotted with [] for "
                            "array items (lines[].sku); absent: it reads everything.",
                        },
                    },
                    ["service"],
                ),
            },
            "error_policy": _obj(
                {
                    "retries": _obj(
                        {
                            "max_attempts": {"type": "integer", "minimum": 0},
                            "backoff": {"enum": ["exponential", "fixed"]},
                            "initial": _DURATION,
                            "max": _DURATION,
                            "jitter": {"type": "boolean"},
                        },
                        ["max_attempts"],
                    ),
                    "dead_letter": {**_NAME, "description": "Dead-letter channel."},
                    "timeout": _DURATION,
                    "compensation": {
                        "type": "array",
                        "items": _EVENT_REF,
                        "description": "Events emitted to undo the effect when the flow fails.",
                    },
                }
            ),
            "compatibility": {"enum": list(_LEVELS)},
            "examples": {
                "type": "array",
                "items": _obj(
                    {
                        "name": _NAME,
                        "description": _TEXT,
                        "payload": {"description": "The example payload, inline."},
                        "file": {**_TEXT, "description": "A JSON file holding the payload."},
                    },
                    ["name"],
                    oneOf=[{"required": ["payload"]}, {"required": ["file"]}],
                ),
            },
            "deprecated": _obj(
                {
                    "since": _TEXT,
                    "sunset": {"type": "string", "format": "date"},
                    "replaced_by": _EVENT_REF,
                    "reason": _TEXT,
                }
            ),
            "tags": {"type": "array", "items": _NAME, "uniqueItems": True},
            "metadata": {"type": "object", "description": "Free-form; never interpreted."},
            "ignore": {
                "type": "array",
                "description": "Lint rules switched off for this contract, with a reason.",
                "items": _obj({"rule": _TEXT, "reason": _TEXT}, ["rule", "reason"]),
            },
            "accepted_breaks": {
                "type": "array",
                "description": "Reviewed breaking changes the compatibility gate lets pass.",
                "items": _obj(
                    {
                        "rule": _TEXT,
                        "path": _TEXT,
                        "reason": _TEXT,
                        "version": _TEXT,
                        "expires": {
                            "type": "string",
                            "format": "date",
                            "description": "After this date the entry no longer excuses the break.",
                        },
                        "approved_by": {**_TEXT, "description": "Who reviewed the break."},
                    },
                    ["rule", "path", "reason"],
                ),
            },
        },
        ["name", "version", "schema"],
    ),
}

TOP_LEVEL_FIELDS = tuple(CONTRACT_SCHEMA["properties"])
