"""Contracts indexed for matching events: by channel, by event name, by registered schema.

Each contract version becomes a ``Target``: its schema compiled once (jsonschema-rs for JSON
Schema, fastavro for Avro) and its declared fields (key, correlation, idempotency, causation)
turned into getters, so that the per-event work is a dictionary lookup and a validator call.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from contractctl.core.contract.model import Contract, SemVer
from contractctl.core.contract.payload import resolved_schema
from contractctl.core.verify import avro_values

Getter = Callable[[Any], Any]
_STRICT_ONCE = ("exactly-once", "at-most-once")


def _keyword_message(error: Any) -> str:
    keyword = str(error.schema_path[-1]) if error.schema_path else "schema"
    if keyword == "required":
        return str(error.message)  # names the schema's property, not a payload value
    where = "/".join(str(p) for p in error.schema_path)
    return f"breaks `{keyword}` (schema #/{where})"


@dataclass(slots=True, eq=False)
class Target:
    """One contract version, compiled for checking events against it."""

    contract: Contract
    # Declared field paths: key, correlation id, idempotency key, causation id (None: undeclared).
    fields: tuple[str | None, str | None, str | None, str | None]
    strict_once: bool  # a duplicate breaks the delivery guarantee
    sunset: _dt.date | None
    seen: int = 0  # events matched to this version
    id: str = field(init=False)
    name: str = field(init=False)
    flat: bool = field(init=False)
    _compiled: Any = field(default=None, repr=False)
    _parsed_avro: Any = field(default=None, repr=False)
    # Rebound to the compiled validator's own ``is_valid`` on first use (no Python frame).
    valid: Callable[[Any], bool] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.valid = self._compile_then_validate
        self.id = self.contract.id
        self.name = self.contract.name
        # Top-level fields are read with dict.get; dotted paths need the slower walk.
        self.flat = all(f is None or "." not in f for f in self.fields)

    def get_field(self, value: Any) -> Getter:
        """A ``get(path)`` over ``value`` that follows dotted paths."""

        def get(path: str) -> Any:
            node = value
            for part in path.split("."):
                if not isinstance(node, dict):
                    return None
                node = node.get(part)
            return node

        return get

    @property
    def is_avro(self) -> bool:
        return self.contract.schema.format == "avro"

    def compiled(self) -> Any:
        """The jsonschema-rs validator (for Avro: of the JSON Schema the Avro schema means)."""
        if self._compiled is None:
            import jsonschema_rs

            spec = self.contract.schema
            if self.is_avro:
                schema = avro_values.as_json_schema(spec.document, spec.named_types)
            else:
                from contractctl.core.schema import dialects

                schema = dialects.normalised(resolved_schema(self.contract))
            self._compiled = jsonschema_rs.validator_for(schema, validate_formats=True)
            self.valid = self._compiled.is_valid
        return self._compiled

    def _compile_then_validate(self, value: Any) -> bool:
        return bool(self.compiled().is_valid(value))

    def errors(self, value: Any, *, show_values: bool = False) -> Iterator[tuple[str, str]]:
        """(JSON pointer, problem) per violation; payload values only with ``show_values``."""
        if self.is_avro:
            spec = self.contract.schema
            yield from avro_values.avro_errors(value, spec.document, spec.named_types)
            return
        for error in self.compiled().iter_errors(value):
            pointer = "".join(
                "/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.instance_path
            )
            yield pointer or "/", str(error.message) if show_values else _keyword_message(error)

    def decode(self, data: bytes) -> Any:
        """Avro binary of this version's schema → value (ValueError if it is not)."""
        if self._parsed_avro is None:
            spec = self.contract.schema
            self._parsed_avro = avro_values.compile_avro(spec.document, spec.named_types)
        return avro_values.decode_binary(data, self._parsed_avro)


def _target(c: Contract) -> Target:
    sunset = None
    if c.deprecated is not None and c.deprecated.sunset:
        try:
            sunset = _dt.date.fromisoformat(c.deprecated.sunset)
        except ValueError:
            sunset = None  # validate reports the bad date; verify does not guess one
    return Target(
        contract=c,
        fields=(
            c.key,
            c.correlation.correlation_id if c.correlation else None,
            c.delivery.idempotency_key if c.delivery else None,
            c.correlation.causation_id if c.correlation else None,
        ),
        strict_once=bool(c.delivery and c.delivery.guarantee in _STRICT_ONCE),
        sunset=sunset,
    )


def _newest_first(c: Contract) -> tuple[int, SemVer | str]:
    try:
        return (0, SemVer.parse(c.version))
    except ValueError:
        return (1, c.version)


class ContractIndex:
    """Every contract version by channel and event name, newest version first."""

    def __init__(self, contracts: Sequence[Contract]) -> None:
        ordered = sorted(contracts, key=_newest_first, reverse=True)
        self.targets = [_target(c) for c in ordered]
        self.by_channel: dict[str, list[Target]] = {}
        self.by_name: dict[str, list[Target]] = {}
        for t in self.targets:
            if t.contract.channel:
                self.by_channel.setdefault(t.contract.channel, []).append(t)
            self.by_name.setdefault(t.name, []).append(t)
        self._by_schema: dict[tuple[str, str], Target] | None = None

    def version(self, name: str, version: str) -> Target | None:
        return next((t for t in self.by_name.get(name, ()) if t.contract.version == version), None)

    def by_registered_schema(self, schema_type: str, text: str) -> Target | None:
        """The contract version whose registered form is ``text`` (key order, spacing aside)."""
        if self._by_schema is None:
            from contractctl.core.errors import ContractctlError
            from contractctl.core.registry.schema import registry_schema

            self._by_schema = {}
            for t in self.targets:
                try:
                    form = registry_schema(t.contract)
                except ContractctlError:
                    continue  # a schema validate rejects matches no registered one
                self._by_schema.setdefault((form.schema_type, _canonical(form.document)), t)
        try:
            key = (schema_type, _canonical(json.loads(text)))
        except ValueError:
            return None
        return self._by_schema.get(key)


def _canonical(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))
