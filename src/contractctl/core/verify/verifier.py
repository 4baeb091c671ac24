"""The verifier: each event matched to a contract, checked, and fed to the saga tracker.

Read, judge, forget: an event leaves behind only counters, a capped sample in the tally and
its step in its (open) workflow instance. Events arrive as NDJSON lines or parsed values from
files, or as Kafka messages (bytes: JSON, Avro binary, or the Confluent wire format whose
schema id ``lookup`` resolves).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from contractctl.core.contract.model import Contract
from contractctl.core.flow.instances import SagaTracker
from contractctl.core.flow.roles import build_model
from contractctl.core.rules import verify as rv
from contractctl.core.verify.index import ContractIndex, Target
from contractctl.core.verify.model import (
    ENVELOPE_KEYS,
    SchemaLookup,
    VerifyOptions,
    VerifyResult,
    loads,
    timestamp_ms,
)
from contractctl.core.verify.tally import Tally, Where

__all__ = ["SchemaLookup", "Verifier", "VerifyOptions", "VerifyResult", "loads", "timestamp_ms"]


class Verifier:
    def __init__(
        self,
        contracts: Sequence[Contract],
        options: VerifyOptions | None = None,
        *,
        lookup: SchemaLookup | None = None,
    ) -> None:
        self.options = options or VerifyOptions()
        self.index = ContractIndex(contracts)
        self.tracker = SagaTracker(
            build_model(contracts, self.options.saga),
            now_ms=self.options.now_ms,
            examples=self.options.examples,
        )
        self.tally = Tally(self.options.samples, show_payloads=self.options.show_payloads)
        self.lookup = lookup
        self.events = 0
        self.unreadable = 0
        self.duplicates: Counter[str] = Counter()
        self._ids: dict[int, Target | None] = {}
        self._ts_field = self.options.timestamp_field
        self._type_header = self.options.type_header
        # (topic, type header) → (candidates, finding to report); a handful of entries.
        self._routes: dict[tuple[str | None, object], tuple[Any, Any]] = {}

    @property
    def matched(self) -> Counter[str]:
        """Events matched so far, per contract version (``name@version``)."""
        return Counter({t.id: t.seen for t in self.index.targets if t.seen})

    # -- inputs ---------------------------------------------------------------------------

    def bad_record(self, reason: str, where: Where) -> None:
        """A record the reader could not make an event of (oversize, truncated, not UTF-8)."""
        self.events += 1
        self.unreadable += 1
        self.tally.add(rv.UNREADABLE, reason, where)

    def feed_line(self, data: bytes | str, where: Where) -> None:
        """One NDJSON line: an event, or an envelope ``{topic, key, headers, timestamp, value}``."""
        try:
            obj = orjson.loads(data)
        except ValueError:
            try:
                obj = loads(data)
            except ValueError:
                self.bad_record("not JSON (a truncated or malformed line)", where)
                return
        self.feed_value(obj, where)

    def feed_value(self, obj: Any, where: Where) -> None:
        """One parsed event or envelope (a line of NDJSON, an element of a JSON array)."""
        self.events += 1
        if type(obj) is dict and "value" in obj and obj.keys() <= ENVELOPE_KEYS:
            get = obj.get
            headers = get("headers")
            key = get("key")
            ts = get("timestamp")
            self._check(
                obj["value"],
                get("topic"),
                key if key is None or type(key) is str else str(key),
                headers if type(headers) is dict else None,
                ts if type(ts) is int else timestamp_ms(ts),
                where,
            )
        else:
            self._check(obj, None, None, None, None, where)

    def feed_message(
        self,
        topic: str,
        value: bytes | None,
        where: Where,
        *,
        key: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        ts_ms: int | None = None,
    ) -> None:
        """One Kafka message: JSON, Avro binary of a contract on the topic, or wire format."""
        self.events += 1
        key_text = key.decode("utf-8", "replace") if key is not None else None
        if not value:
            self._unreadable("an empty message (a tombstone?)", where)
            return
        if value[0] == 0 and len(value) >= 5 and self.lookup is not None:
            self._wire(topic, value, where, key_text, headers, ts_ms)
            return
        if value[:1] in (b"{", b"[", b" ", b"\n"):
            try:
                parsed = loads(value)
            except ValueError:
                pass
            else:
                self._check(parsed, topic, key_text, headers, ts_ms, where)
                return
        candidates = [t for t in self.index.by_channel.get(topic, ()) if t.is_avro]
        if not self.index.by_channel.get(topic):
            self.tally.add(rv.UNKNOWN_CHANNEL, f"topic {topic!r} is no contract's channel", where)
            return
        for t in candidates:
            try:
                decoded = t.decode(value)
            except ValueError:
                continue
            self._check(decoded, topic, key_text, headers, ts_ms, where, target=t, trusted=True)
            return
        self._unreadable(
            f"neither JSON nor Avro of a contract on {topic} (magic byte 0x{value[0]:02x}; the "
            "Confluent wire format starts with 0x00)",
            where,
        )

    def _unreadable(self, reason: str, where: Where) -> None:
        self.unreadable += 1
        self.tally.add(rv.UNREADABLE, reason, where)

    def _wire(
        self,
        topic: str,
        value: bytes,
        where: Where,
        key: str | None,
        headers: Mapping[str, str] | None,
        ts_ms: int | None,
    ) -> None:
        schema_id = int.from_bytes(value[1:5], "big")
        if schema_id not in self._ids:
            assert self.lookup is not None  # _wire is only called with one
            found = self.lookup(schema_id)
            self._ids[schema_id] = (
                None if found is None else self.index.by_registered_schema(found[0], found[1])
            )
            if found is None:
                self._ids.pop(schema_id)  # unknown now, maybe registered later
                self.tally.add(
                    rv.UNKNOWN_SCHEMA_ID, f"schema id {schema_id} is not in the registry", where
                )
                return
        target = self._ids[schema_id]
        if target is None:
            self.tally.add(
                rv.UNKNOWN_VERSION,
                f"schema id {schema_id} is registered but is no version in the contract history",
                where,
            )
            return
        body = value[5:]
        try:
            decoded = target.decode(body) if target.is_avro else loads(body)
        except ValueError:
            self._unreadable(f"not a value of schema id {schema_id} ({target.id})", where)
            return
        self._check(
            decoded, topic, key, headers, ts_ms, where, target=target, trusted=target.is_avro
        )

    # -- the checks -------------------------------------------------------------------------

    def _candidates(
        self, topic: str | None, headers: Mapping[str, str] | None, where: Where
    ) -> list[Target] | None:
        named = None
        if headers and self._type_header:
            named = headers.get(self._type_header)
        cache_key = (topic, named)
        cached = self._routes.get(cache_key)
        if cached is None:
            cached = self._routes[cache_key] = self._route(topic, named)
        candidates, problem = cached
        if problem is not None:
            self.tally.add(problem[0], problem[1], where, event=problem[2])
        return candidates

    def _route(
        self, topic: str | None, named: object
    ) -> tuple[list[Target] | None, tuple[str, str, str | None] | None]:
        """The contracts an event of ``topic`` with type header ``named`` may answer to."""
        if topic is None:
            candidates = self.index.targets
        else:
            found = self.index.by_channel.get(topic)
            if found is None:
                return None, (
                    rv.UNKNOWN_CHANNEL,
                    f"topic {topic!r} is no contract's channel",
                    None,
                )
            candidates = found
        if not named:
            return candidates, None
        name, _, version = str(named).partition("@")
        of_name = [t for t in candidates if t.name == name]
        if not of_name:
            on = f"channel {topic}" if topic else "any channel"
            why = f"header {self._type_header} names {name}, not on {on}"
            return None, (rv.NO_CONTRACT, why, None)
        if version:
            exact = [t for t in of_name if t.contract.version == version]
            if not exact:
                why = f"{name}@{version} is not in the contract history"
                return of_name, (rv.UNKNOWN_VERSION, why, name)
            return exact, None
        return of_name, None

    def _check(
        self,
        value: Any,
        topic: str | None,
        key: str | None,
        headers: Mapping[str, str] | None,
        ts: int | None,
        where: Where,
        *,
        target: Target | None = None,
        trusted: bool = False,  # decoded from Avro binary: valid by construction
    ) -> None:
        if target is not None:
            if not trusted and not target.valid(value):
                self._invalid(value, [target], where)
        else:
            candidates = self._candidates(topic, headers, where)
            if candidates is None:
                return
            for t in candidates:
                if t.valid(value):
                    target = t
                    break
            else:
                target = self._invalid(value, candidates, where)
                if target is None:
                    return
        target.seen += 1
        if type(value) is not dict:
            return
        get = value.get if target.flat else target.get_field(value)
        key_field, corr_field, idem_field, cause_field = target.fields
        if key is not None and key_field is not None:
            declared = get(key_field)
            if declared is None or (declared != key and str(declared) != key):
                self._flag(
                    rv.KEY_MISMATCH,
                    f"message key differs from `{key_field}`",
                    where,
                    target,
                    value,
                )
        corr = get(corr_field) if corr_field is not None else None
        if corr_field is not None and (corr is None or corr == ""):
            self._flag(
                rv.CORRELATION_MISSING,
                f"`{corr_field}` is absent or empty",
                where,
                target,
                value,
            )
        idem = get(idem_field) if idem_field is not None else None
        if idem_field is not None and (idem is None or idem == ""):
            self._flag(
                rv.IDEMPOTENCY_MISSING,
                f"`{idem_field}` is absent or empty",
                where,
                target,
                value,
            )
        if ts is None and self._ts_field is not None:
            ts = timestamp_ms(value.get(self._ts_field))
        if target.sunset is not None:
            self._sunset(target, ts, where)
        if corr:
            cause = get(cause_field) if cause_field is not None else None
            if self.tracker.observe(
                corr if type(corr) is str else str(corr),
                target.name,
                ts,
                None if not idem else idem if type(idem) is str else str(idem),
                None if not cause else cause if type(cause) is str else str(cause),
            ):
                self.duplicates[target.name] += 1
                if target.strict_once:
                    guarantee = target.contract.delivery.guarantee  # type: ignore[union-attr]
                    why = f"idempotency key repeats on a {guarantee} event"
                    self._flag(rv.DUPLICATE, why, where, target, value)

    def _flag(self, rule: str, message: str, where: Where, target: Target, value: Any) -> None:
        self.tally.add(rule, message, where, event=target.id, payload=value)

    def _sunset(self, target: Target, ts: int | None, where: Where) -> None:
        assert target.sunset is not None  # the caller checked
        if ts is not None:
            day = _dt.datetime.fromtimestamp(ts / 1000, _dt.UTC).date()
        else:
            day = self.options.today or _dt.datetime.now(_dt.UTC).date()
        if day > target.sunset:
            why = f"{target.id} produced after its sunset {target.sunset.isoformat()}"
            self.tally.add(rv.SUNSET_PASSED, why, where, event=target.id)

    def _invalid(self, value: Any, candidates: list[Target], where: Where) -> Target | None:
        """Report schema violations against the closest candidate; it is the event's contract."""
        if not candidates:
            self.tally.add(rv.NO_CONTRACT, "no contract version to check the event against", where)
            return None
        show = self.options.show_payloads
        scored = []
        for t in candidates if len({t.name for t in candidates}) > 1 else candidates[:1]:
            errors = list(t.errors(value, show_values=show))
            scored.append((len(errors), t, errors))
            if not errors:
                break
        _, best, errors = min(scored, key=lambda s: s[0])
        if not errors:
            errors = [("/", "does not validate")]  # fast and slow paths disagree: still invalid
        for pointer, problem in errors[:20]:
            self.tally.add(
                rv.PAYLOAD_INVALID,
                f"{best.id}: {pointer}: {problem}",
                where,
                event=best.id,
                pointer=pointer,
                payload=value,
            )
        return best

    def finish(self) -> VerifyResult:
        flows = self.tracker.finish()
        return VerifyResult(
            tally=self.tally,
            flows=flows,
            events=self.events,
            matched=self.matched,
            duplicates=self.duplicates,
            unreadable=self.unreadable,
            peak_open=self.tracker.peak_open,
            truncated=self.tracker.truncated,
        )
