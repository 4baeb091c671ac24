"""AsyncAPI 2.x and 3.x documents as contracts: each message becomes one contract.

Mapping (documented in docs/import.md): the message's ``name`` when it already is
``domain.EventName``, else ``<service>.<MessageName>``; the version from
``x-contractctl.version``, ``x-version``, else ``info.version``; the payload as JSON Schema
(bundled: every ``$ref`` it reaches moves into ``definitions``) or Avro through
``schemaFormat``; the channel's address; a Kafka message binding's ``key`` when it is an
object with one property the payload also has; ``correlationId`` locations into the payload.
Operations name the services: AsyncAPI 3 ``send`` and 2.x ``subscribe`` (the application
sends) make the producer, ``receive`` and 2.x ``publish`` the consumers, as the 2.x
specification defines them. The service is the operation's ``x-service``, else the
document's ``info.x-service``, else its title in kebab case. ``x-contractctl`` (what
``export asyncapi`` writes) fills the fields AsyncAPI has no place for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractctl.core.adoption.asyncapi_refs import RefError, Resolver
from contractctl.core.adoption.naming import kebab, pascal
from contractctl.core.contract.model import SemVer
from contractctl.core.errors import InputError

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)+$")
_SEGMENT = re.compile(r"[^A-Za-z0-9_-]+")
_PAYLOAD_POINTER = re.compile(r"^\$message\.payload#(/.*)?$")
UNSUPPORTED = ("protobuf", "raml", "graphql", "xsd")


@dataclass(slots=True)
class Use:
    service: str
    action: str  # send | receive
    channel: str | None
    purpose: str | None


@dataclass(slots=True)
class Draft:
    """One message's contract fields (in contract-file order) and its payload schema."""

    fields: dict[str, Any]
    schema_format: str  # jsonschema | avro
    schema: Any


@dataclass(slots=True)
class Reading:
    drafts: list[Draft] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (message, why)
    notes: list[str] = field(default_factory=list)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def semver(text: Any) -> str | None:
    """``1.0`` → ``1.0.0``, ``v2`` → ``2.0.0``; None when no version can be read."""
    if not isinstance(text, str | int | float):
        return None
    raw = str(text).strip().lstrip("vV")
    try:
        return str(SemVer.parse(raw))
    except ValueError:
        pass
    parts = raw.split(".")
    if 1 <= len(parts) <= 2 and all(p.isdigit() for p in parts):
        return str(SemVer.parse(".".join([*(str(int(p)) for p in parts), "0", "0"][:3])))
    return None


def service_name(document: dict[str, Any]) -> str:
    info = _mapping(document.get("info"))
    for candidate in (info.get("x-service"), document.get("x-service"), info.get("title")):
        if _text(candidate):
            return kebab(pascal(str(candidate))) or "service"
    return "service"


class _Reader:
    def __init__(self, resolver: Resolver, document: dict[str, Any]) -> None:
        self.r = resolver
        self.doc = document
        self.file = resolver.root
        self.service = service_name(document)
        self.reading = Reading()
        self.messages: dict[Any, tuple[str, Any, Path]] = {}  # identity -> (key, node, file)
        self.uses: dict[Any, list[Use]] = {}
        self.channels: dict[Any, str] = {}  # message identity -> first channel address

    def _message(self, node: Any, here: Path, key: str, at: str = "") -> Any:
        """The message's identity: where its ``$ref`` chain ends (``at`` for an inline one)."""
        target, file, pointer = self.r.follow(node, here)
        pointer = pointer or at
        identity = (file, pointer) if pointer else ("inline", id(target))
        if identity not in self.messages and isinstance(target, dict):
            self.messages[identity] = (key or pointer.rpartition("/")[2], target, file)
        return identity

    def _messages_of(self, node: Any, here: Path, key: str) -> Iterator[Any]:
        """One message, or each of a 2.x ``oneOf`` list."""
        target, file, _ = self.r.follow(node, here)
        if isinstance(target, dict) and isinstance(target.get("oneOf"), list):
            for i, branch in enumerate(target["oneOf"]):
                yield self._message(branch, file, f"{key}{i + 1}")
        else:
            yield self._message(node, here, key)

    def _use(self, identity: Any, use: Use) -> None:
        self.uses.setdefault(identity, []).append(use)
        if use.channel and identity not in self.channels:
            self.channels[identity] = use.channel

    def read_v3(self) -> None:
        by_channel: dict[Any, tuple[str | None, list[Any]]] = {}
        for key, raw in _mapping(self.doc.get("channels")).items():
            channel, file, pointer = self.r.follow(raw, self.file)
            if not isinstance(channel, dict):
                continue
            address = _text(channel.get("address")) or str(key)
            base = pointer or f"/channels/{_escape(str(key))}"
            ids = [
                self._message(m, file, str(k), f"{base}/messages/{_escape(str(k))}")
                for k, m in _mapping(channel.get("messages")).items()
            ]
            for identity in ids:
                self.channels.setdefault(identity, address)
            by_channel[(file, base)] = (address, ids)
        for raw in _mapping(self.doc.get("operations")).values():
            op, file, _ = self.r.follow(raw, self.file)
            if not isinstance(op, dict) or op.get("action") not in ("send", "receive"):
                continue
            channel_ref = op.get("channel")
            _, cfile, cpointer = self.r.follow(channel_ref, file)
            on, members = by_channel.get((cfile, cpointer), (None, []))
            chosen = [self._message(m, file, "") for m in _sequence(op.get("messages"))] or members
            use = Use(
                _text(op.get("x-service")) or self.service,
                str(op["action"]),
                on,
                _text(op.get("description")) or _text(op.get("summary")),
            )
            for identity in chosen:
                self._use(identity, use)

    def read_v2(self) -> None:
        for address, raw in _mapping(self.doc.get("channels")).items():
            channel, file, _ = self.r.follow(raw, self.file)
            if not isinstance(channel, dict):
                continue
            for verb, action in (("subscribe", "send"), ("publish", "receive")):
                if verb not in channel:
                    continue
                op, ofile, _ = self.r.follow(channel[verb], file)
                if not isinstance(op, dict) or "message" not in op:
                    continue
                use = Use(
                    _text(op.get("x-service")) or self.service,
                    action,
                    str(address),
                    _text(op.get("description")) or _text(op.get("summary")),
                )
                key = _text(op.get("operationId")) or ""
                for identity in self._messages_of(op["message"], ofile, key):
                    self._use(identity, use)

    def read_components(self) -> None:
        components = _mapping(self.doc.get("components"))
        for key, raw in _mapping(components.get("messages")).items():
            self._message(raw, self.file, str(key), f"/components/messages/{_escape(str(key))}")

    # -- one message -------------------------------------------------------------------

    def _with_traits(self, message: dict[str, Any], file: Path) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for trait in _sequence(message.get("traits")):
            value = self.r.value(trait, file)
            if isinstance(value, dict):
                merged.update(value)
        merged.update({k: v for k, v in message.items() if k != "traits"})
        return merged

    def _payload(self, message: dict[str, Any], file: Path) -> tuple[str, Any]:
        payload = message.get("payload")
        fmt = message.get("schemaFormat")
        if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            fmt, payload = payload["schemaFormat"], payload["schema"]  # 3.x multi-format
        fmt = str(fmt or "").lower()
        if any(kind in fmt for kind in UNSUPPORTED):
            raise InputError(f"payload format {fmt} is not JSON Schema or Avro")
        if payload is None:
            return "jsonschema", {}  # no payload declared: any payload is valid
        if "avro" in fmt:
            return "avro", self.r.value(payload, file)
        document = self.r.bundle(payload, file)
        if isinstance(document, dict) and "$schema" not in document:
            for draft, uri in (
                ("2020-12", "https://json-schema.org/draft/2020-12/schema"),
                ("2019-09", "https://json-schema.org/draft/2019-09/schema"),
            ):
                if draft in fmt:
                    document = {"$schema": uri, **document}
        return "jsonschema", document

    def _key(self, message: dict[str, Any], ext: dict[str, Any], payload: Any, file: Path) -> Any:
        if _text(ext.get("key")):
            return ext["key"]
        bindings = _mapping(self.r.value(message.get("bindings"), file))
        kafka = _mapping(self.r.value(bindings.get("kafka"), file))
        key = self.r.value(kafka.get("key"), file)
        props = key.get("properties") if isinstance(key, dict) else None
        fields = payload.get("properties") if isinstance(payload, dict) else None
        if isinstance(props, dict) and len(props) == 1 and isinstance(fields, dict):
            (name,) = props
            return name if name in fields else None
        return None

    def _correlation(self, message: dict[str, Any], file: Path) -> str | None:
        found = self.r.value(message.get("correlationId"), file)
        location = found.get("location") if isinstance(found, dict) else None
        match = _PAYLOAD_POINTER.match(location) if isinstance(location, str) else None
        if not match or not match.group(1) or match.group(1) == "/":
            return None  # a header location names no payload field
        return ".".join(_unescape_token(t) for t in match.group(1).split("/")[1:])

    def draft(self, identity: Any) -> Draft:
        key, raw, file = self.messages[identity]
        message = self._with_traits(raw, file)
        ext = _mapping(message.get("x-contractctl"))
        schema_format, schema = self._payload(message, file)
        info = _mapping(self.doc.get("info"))
        uses = self.uses.get(identity, [])
        name = _text(message.get("name")) or ""
        if not _NAME.match(name):
            event = pascal(name or key or _text(message.get("title")) or "Message")
            name = f"{_SEGMENT.sub('-', self.service).strip('-') or 'service'}.{event}"
        version = (
            semver(ext.get("version")) or semver(message.get("x-version"))
            or semver(info.get("version")) or "1.0.0"
        )  # fmt: skip
        fields: dict[str, Any] = {"name": name, "version": version}
        summary = _text(message.get("summary"))
        if summary is None and not ext:  # an export's title is "name version", not a summary
            summary = _text(message.get("title"))
        if summary and "\n" not in summary:
            fields["summary"] = summary
        if _text(message.get("description")):
            fields["description"] = message["description"].strip() + "\n"
        if _text(ext.get("owner")):
            fields["owner"] = ext["owner"]
        fields["schema"] = {"format": schema_format}  # the file is named by the writer
        if identity in self.channels:
            fields["channel"] = self.channels[identity]
        if (key_field := self._key(message, ext, schema, file)) is not None:
            fields["key"] = key_field
        if _text(ext.get("ordering")):
            fields["ordering"] = ext["ordering"]
        if _text(ext.get("deliveryGuarantee")):
            fields["delivery"] = {"guarantee": ext["deliveryGuarantee"]}
        if (correlation := self._correlation(message, file)) is not None:
            fields["correlation"] = {"correlation_id": correlation}
        producers = sorted({u.service for u in uses if u.action == "send"})
        producer = _text(ext.get("producer")) or (producers[0] if producers else None)
        if producer:
            fields["producer"] = producer
        consumers: dict[str, str | None] = {}
        for u in uses:
            if u.action == "receive":
                consumers[u.service] = consumers.get(u.service) or u.purpose
        if consumers:
            fields["consumers"] = [
                {"service": s, **({"purpose": p} if p else {})} for s, p in consumers.items()
            ]
        if isinstance(ext.get("errorPolicy"), dict):
            fields["error_policy"] = _error_policy(ext["errorPolicy"])
        if ext.get("deprecated"):
            fields["deprecated"] = _deprecated(ext["deprecated"])
        examples = _examples(self.r.value(message.get("examples"), file))
        if examples:
            fields["examples"] = examples
        tags = [
            t["name"]
            for t in _sequence(message.get("tags"))
            if isinstance(t, dict) and _text(t.get("name"))
        ]
        if tags:
            fields["tags"] = tags
        return Draft(fields, schema_format, schema)


def _unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _error_policy(ext: dict[str, Any]) -> dict[str, Any]:
    policy: dict[str, Any] = {}
    if isinstance(ext.get("maxAttempts"), int):
        retries: dict[str, Any] = {"max_attempts": ext["maxAttempts"]}
        if ext.get("backoff") in ("exponential", "fixed"):
            retries["backoff"] = ext["backoff"]
        policy["retries"] = retries
    if _text(ext.get("deadLetter")):
        policy["dead_letter"] = ext["deadLetter"]
    if isinstance(ext.get("compensation"), list):
        policy["compensation"] = [str(c) for c in ext["compensation"]]
    return policy


def _deprecated(ext: Any) -> dict[str, Any]:
    if not isinstance(ext, dict):
        return {}
    names = {"since": "since", "sunset": "sunset", "replacedBy": "replaced_by", "reason": "reason"}
    return {ours: str(ext[theirs]) for theirs, ours in names.items() if _text(ext.get(theirs))}


def _examples(found: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, ex in enumerate(found if isinstance(found, list) else ()):
        if isinstance(ex, dict) and "payload" in ex:
            name = _text(ex.get("name")) or f"example-{i + 1}"
            out.append({"name": name, "payload": ex["payload"]})
    return out


def read_asyncapi(resolver: Resolver, document: Any) -> Reading:
    """Every message of ``document`` as a draft contract; broken messages are skipped."""
    if not isinstance(document, dict) or not isinstance(document.get("asyncapi"), str):
        raise InputError(
            "not an AsyncAPI document (no `asyncapi` version field)", file=str(resolver.root)
        )
    major = document["asyncapi"].strip().split(".")[0]
    if major not in ("2", "3"):
        raise InputError(
            f"AsyncAPI {document['asyncapi']} is not supported (2.x or 3.x)",
            file=str(resolver.root),
        )
    reader = _Reader(resolver, document)
    try:
        reader.read_v3() if major == "3" else reader.read_v2()
        reader.read_components()
    except RefError as exc:
        raise InputError(exc.message, file=exc.file) from None
    for identity, (key, _, file) in reader.messages.items():
        try:
            reader.reading.drafts.append(reader.draft(identity))
        except InputError as exc:
            where = f"{file.name}#{identity[1]}" if identity[0] != "inline" else key
            reader.reading.skipped.append((where, exc.message))
    return reader.reading
