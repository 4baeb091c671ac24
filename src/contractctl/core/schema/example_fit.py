"""Does a payload fit a schema? The data-level half of the compatibility gate.

Used to replay one version's examples against another version's schema: a failing example
is concrete evidence that real data would not deserialize across the two versions.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

_MAX_ERRORS = 3


@lru_cache(maxsize=256)
def _json_validator(text: str) -> Any:
    from contractctl.core.schema import dialects
    from contractctl.core.schema.offline import compile_validator

    # The schema is self-contained (bundled): a ref left outside it is not fetched.
    return compile_validator(dialects.normalised(json.loads(text)))


@lru_cache(maxsize=256)
def _avro_schema(text: str) -> Any:
    from fastavro import parse_schema

    return parse_schema(json.loads(text))


def payload_errors(schema: Any, schema_type: str, payload: Any) -> list[str] | None:
    """Why ``payload`` does not fit ``schema`` ([] when it does; None if the schema is unusable).

    Avro schemas must be self-contained (named types from other files inlined).
    """
    text = json.dumps(schema, sort_keys=True)
    if schema_type == "AVRO":
        from fastavro.validation import ValidationError, validate

        try:
            parsed = _avro_schema(text)
        except Exception:  # an invalid schema is validate's to report
            return None
        try:
            validate(payload, parsed, raise_errors=True)
        except ValidationError as exc:
            from contractctl.core.schema.avro_errors import describe_all

            return describe_all(exc.errors)[:_MAX_ERRORS]
        except (TypeError, ValueError, AttributeError) as exc:
            return [str(exc)]
        return []
    try:
        validator = _json_validator(text)
    except Exception:  # an invalid schema is validate's to report
        return None
    out = []
    for error in list(validator.iter_errors(payload))[:_MAX_ERRORS]:
        where = "".join(f"/{t}" for t in error.instance_path) or "/"
        out.append(f"at {where}: {error.message}")
    return out
