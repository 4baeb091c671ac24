"""Contracts as one AsyncAPI 3.0 document (a plain dict; the caller serialises it).

Mapping: every contract (event version) is a message under ``components.messages``; every
channel address gets a channel listing its messages; every producer gets a ``send`` and every
consumer a ``receive`` operation per event, referencing the versions it produces or reads.
Payloads keep their own format through ``schemaFormat`` (JSON Schema draft-07 or Avro 1.9);
``asyncapi_schemas`` places them so that every reference resolves inside the document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from contractctl.core.contract.model import Contract, SemVer
from contractctl.core.flow.asyncapi_schemas import SchemaComponents

ASYNCAPI_VERSION = "3.0.0"
JSON_SCHEMA_FORMAT = "application/schema+json;version=draft-07"
AVRO_SCHEMA_FORMAT = "application/vnd.apache.avro;version=1.9.0"

_UNSAFE = re.compile(r"[^\w.\-]")


def component_id(text: str) -> str:
    """A key that AsyncAPI accepts for components (``^[\\w\\d.\\-_]+$``) and JSON pointers."""
    return _UNSAFE.sub("_", text) or "_"


def _sort_key(c: Contract) -> tuple[str, tuple[int, SemVer | str]]:
    try:
        return (c.name, (0, SemVer.parse(c.version)))
    except ValueError:
        return (c.name, (1, c.version))


def message_id(c: Contract) -> str:
    return component_id(f"{c.name}-{c.version}")


def channel_id(c: Contract) -> str:
    return component_id(c.channel or c.name)


def _message(c: Contract, schemas: SchemaComponents) -> dict[str, Any]:
    fmt = AVRO_SCHEMA_FORMAT if c.schema.format == "avro" else JSON_SCHEMA_FORMAT
    msg: dict[str, Any] = {
        "name": c.name,
        "title": f"{c.name} {c.version}",
        "contentType": "avro/binary" if c.schema.format == "avro" else "application/json",
        "payload": {"schemaFormat": fmt, "schema": schemas.payload(c, message_id(c))},
    }
    if c.summary:
        msg["summary"] = c.summary
    if c.description:
        msg["description"] = c.description
    if c.correlation is not None and re.fullmatch(r"[\w.\-]+", c.correlation.correlation_id):
        msg["correlationId"] = {
            "description": "Shared by every event of one saga.",
            "location": f"$message.payload#/{c.correlation.correlation_id}",
        }
    if c.tags:
        msg["tags"] = [{"name": t} for t in c.tags]
    if c.examples:
        msg["examples"] = [
            {"name": component_id(e.name), "summary": e.description or e.name, "payload": e.payload}
            for e in c.examples
        ]
    ext: dict[str, Any] = {"version": c.version}
    for key, value in (
        ("owner", c.owner),
        ("producer", c.producer),
        ("key", c.key),
        ("ordering", c.ordering),
        ("deliveryGuarantee", c.delivery.guarantee if c.delivery else None),
    ):
        if value:
            ext[key] = value
    if c.error_policy is not None:
        policy: dict[str, Any] = {}
        if c.error_policy.retries is not None:
            policy["maxAttempts"] = c.error_policy.retries.max_attempts
            policy["backoff"] = c.error_policy.retries.backoff
        if c.error_policy.dead_letter:
            policy["deadLetter"] = c.error_policy.dead_letter
        if c.error_policy.compensation:
            policy["compensation"] = list(c.error_policy.compensation)
        ext["errorPolicy"] = policy
    if c.deprecated is not None:
        ext["deprecated"] = {
            k: v
            for k, v in (
                ("since", c.deprecated.since),
                ("sunset", c.deprecated.sunset),
                ("replacedBy", c.deprecated.replaced_by),
                ("reason", c.deprecated.reason),
            )
            if v
        } or True
    msg["x-contractctl"] = ext
    return msg


def build_asyncapi(
    contracts: Sequence[Contract],
    *,
    title: str = "Event contracts",
    version: str = "1.0.0",
    description: str | None = None,
) -> dict[str, Any]:
    """The AsyncAPI 3.0 document for ``contracts``; key order is fixed for stable output."""
    ordered = sorted(contracts, key=_sort_key)
    channels: dict[str, dict[str, Any]] = {}
    messages: dict[str, Any] = {}
    # (service, action, channel, event) -> message ids, so each service/event pair is one op.
    ops: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    purposes: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    schemas = SchemaComponents()
    for c in ordered:
        mid, cid = message_id(c), channel_id(c)
        messages[mid] = _message(c, schemas)
        chan = channels.setdefault(cid, {"address": c.channel or c.name, "messages": {}})
        chan["messages"][mid] = {"$ref": f"#/components/messages/{mid}"}
        if c.producer:
            ops[(c.producer, "send", cid, c.name)].append(mid)
        for k in c.consumers:
            key = (k.service, "receive", cid, c.name)
            ops[key].append(mid)
            if k.purpose and k.purpose not in purposes[key]:
                purposes[key].append(k.purpose)

    operations: dict[str, Any] = {}
    for key in sorted(ops):
        service, action, cid, event = key
        op: dict[str, Any] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{cid}"},
            "title": f"{service} {'sends' if action == 'send' else 'receives'} {event}",
            "messages": [{"$ref": f"#/channels/{cid}/messages/{m}"} for m in ops[key]],
            "x-service": service,
        }
        if purposes[key]:
            op["description"] = " ".join(purposes[key])
        operations[component_id(f"{service}.{action}.{event}")] = op

    info: dict[str, Any] = {"title": title, "version": version}
    if description:
        info["description"] = description
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": info,
        "defaultContentType": "application/json",
        "channels": dict(sorted(channels.items())),
        "operations": operations,
        "components": {
            **({"schemas": dict(sorted(schemas.schemas.items()))} if schemas.schemas else {}),
            "messages": messages,
        },
    }
