"""Shared by the codegen benchmark and the fidelity tests: corpus access, model loading,
generated and mutated instances, agreement with python-jsonschema."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import random
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
from pydantic import BaseModel

from contractctl.core.codegen.plan import normalise
from contractctl.core.contract.model import Contract, SchemaSpec
from contractctl.core.schema.jsonschema_refs import preload


def shared_dir() -> Path | None:
    env = os.environ.get("CONTRACTCTL_SHARED")
    path = Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"
    return path if (path / "corpus" / "json").is_dir() else None


def latest_schemas(corpus: Path) -> Iterator[tuple[str, Path]]:
    """(``source.event``, latest ``<n>.json``) for every JSON schema in the corpus."""
    root = corpus / "json"
    for d in sorted(p for p in root.iterdir() if p.is_dir()):
        n = max(int(f.stem) for f in d.glob("*.json"))
        yield d.name, d / f"{n}.json"


def examples(corpus: Path, name: str) -> list[Any]:
    d = corpus / "json-examples" / name
    return [json.loads(f.read_text()) for f in sorted(d.glob("*.json"))] if d.is_dir() else []


def contract_for(name: str, file: Path) -> Contract:
    source, _, event = name.partition(".")
    event_name = "".join(w[:1].upper() + w[1:] for w in event.replace("-", "_").split("_")
                         for w in [w])  # fmt: skip
    document = json.loads(file.read_text())
    # As the loader does: the files its refs reach are read now, inside the case's folder.
    real = file.resolve()
    refs = preload(document, real, (real.parent,))
    return Contract(name=f"{source}.{event_name.replace('.', '')}", version="1.0.0",
                    schema=SchemaSpec("jsonschema", document, file, refs=refs),
                    path=file)  # fmt: skip


def validator(document: Any) -> Any:
    document = normalise(document)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cls = jsonschema.validators.validator_for(document, jsonschema.Draft7Validator)
    return cls(document)


def load_module(path: Path, package_root: Path | None = None) -> ModuleType:
    """Import a generated module (by dotted name below ``package_root`` when given)."""
    if package_root is not None:
        if str(package_root.parent) not in sys.path:
            sys.path.insert(0, str(package_root.parent))
        rel = path.relative_to(package_root.parent).with_suffix("")
        return importlib.import_module(".".join(rel.parts))
    spec = importlib.util.spec_from_file_location(f"bench_{abs(hash(path))}", path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def root_model(module: ModuleType, prefer: str | None = None) -> type[BaseModel]:
    models = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, BaseModel)
              and v.__module__ == module.__name__]  # fmt: skip
    for m in models:
        if getattr(m, "EVENT", None) or m.__name__ == prefer:
            return m
    return models[-1]


def accepts(model: type[BaseModel], instance: Any) -> bool:
    try:
        model.model_validate(instance)
    except Exception:
        return False
    return True


def mutations(instance: Any, rng: random.Random, count: int = 6) -> list[Any]:
    """Small edits of a valid instance: wrong leaf types, dropped keys, extra keys."""
    out: list[Any] = []
    paths = list(_paths(instance, ()))
    for _ in range(count):
        if not paths:
            break
        path, value = rng.choice(paths)
        m = copy.deepcopy(instance)
        kind = rng.randrange(4)
        if kind == 0:
            replacement: Any = 12345 if isinstance(value, str) else "not-a-value"
        elif kind == 1:
            replacement = None
        elif kind == 2:
            replacement = [] if not isinstance(value, list) else {}
        else:
            replacement = _DROP
        _set(m, path, replacement)
        out.append(m)
    if isinstance(instance, dict):
        out.append({**instance, "zz_unexpected_key": 1})
    return out


_DROP = object()


def _paths(v: Any, at: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if at:
        yield at, v
    if isinstance(v, dict):
        for k, x in v.items():
            yield from _paths(x, (*at, k))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from _paths(x, (*at, i))


def _set(root: Any, path: tuple[Any, ...], value: Any) -> None:
    node = root
    for p in path[:-1]:
        node = node[p]
    if value is _DROP:
        del node[path[-1]]
    else:
        node[path[-1]] = value


def generated_instances(document: Any, n: int, seed: int = 0) -> list[Any]:
    """Up to ``n`` valid instances from hypothesis-jsonschema (empty when it cannot)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed
    from hypothesis_jsonschema import from_schema

    found: list[Any] = []
    try:
        strategy = from_schema(normalise(document))
    except Exception:
        return found

    @hseed(seed)
    @settings(max_examples=n, database=None, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def collect(x: Any) -> None:
        found.append(x)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            collect()
    except Exception:
        pass
    return found


def normalise_for_dmcg(document: Any) -> Any:
    """datamodel-code-generator gets the same normalised schema contractctl validates with."""
    return normalise(document)


_FORMAT_SAMPLES = {
    "date-time": "2024-05-01T12:30:00Z", "date": "2024-05-01", "time": "12:30:00Z",
    "uuid": "1e4b7c2a-9d8f-4e6a-b5c3-2f1a0e9d8c7b", "email": "a@example.org",
    "uri": "https://example.org/x", "uri-reference": "/x", "uri-template": "https://e.org/{x}",
}  # fmt: skip


def random_instance(schema: Any, root: Any, rng: random.Random, depth: int = 0) -> Any:
    """A random instance that tries to satisfy ``schema`` (callers keep only valid ones).

    Used because hypothesis-jsonschema 0.23 does not run with this hypothesis release.
    """
    if depth > 8 or schema is True or not isinstance(schema, dict):
        return rng.choice([None, 1, "x", True])
    if isinstance(schema.get("$ref"), str):
        from contractctl.core.codegen.jsonschema.ops import resolve_pointer

        target = resolve_pointer(root, schema["$ref"])
        return random_instance(target[1] if target else {}, root, rng, depth + 1)
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return copy.deepcopy(rng.choice(schema["enum"]))
    if "allOf" in schema:
        from contractctl.core.codegen.jsonschema.ops import merge_all_of

        return random_instance(merge_all_of(root, schema)[0], root, rng, depth + 1)
    for word in ("oneOf", "anyOf"):
        if isinstance(schema.get(word), list) and schema[word]:
            base = {k: v for k, v in schema.items() if k != word}
            branch = rng.choice(schema[word])
            return random_instance({"allOf": [base, branch]}, root, rng, depth + 1)
    types = schema.get("type")
    kinds = [types] if isinstance(types, str) else list(types or [])
    if not kinds:
        kinds = ["object"] if "properties" in schema else ["string", "integer", "boolean"]
    kind = rng.choice(kinds)
    if kind == "null":
        return None
    if kind == "boolean":
        return rng.random() < 0.5
    if kind in ("integer", "number"):
        lo = schema.get("minimum", schema.get("exclusiveMinimum", -1000))
        hi = schema.get("maximum", schema.get("exclusiveMaximum", 1000))
        lo, hi = (lo, hi) if isinstance(lo, int | float) and isinstance(hi, int | float) else (0, 9)
        value = rng.randint(int(lo) + 1, max(int(lo) + 1, int(hi) - 1)) if hi - lo > 2 else lo
        return value if kind == "integer" else value + (0.5 if rng.random() < 0.5 else 0)
    if kind == "string":
        if schema.get("format") in _FORMAT_SAMPLES:
            return _FORMAT_SAMPLES[schema["format"]]
        low = int(schema.get("minLength", 0))
        high = max(low, min(int(schema.get("maxLength", low + 12)), low + 12))
        return "".join(rng.choice("abcXYZ09 _-") for _ in range(rng.randint(low, high)))
    if kind == "array":
        items = schema.get("items", {})
        n = rng.randint(schema.get("minItems", 0), max(schema.get("minItems", 0), 3))
        if isinstance(items, list):
            return [random_instance(s, root, rng, depth + 1) for s in items]
        return [random_instance(items, root, rng, depth + 1) for _ in range(n)]
    out: dict[str, Any] = {}
    props = schema.get("properties", {}) or {}
    for key, sub in props.items():
        if key in schema.get("required", []) or rng.random() < 0.5:
            out[key] = random_instance(sub, root, rng, depth + 1)
    return out


def valid_instances(document: Any, n: int, seed: int = 0, tries: int = 0) -> list[Any]:
    """Up to ``n`` instances python-jsonschema accepts: hypothesis-jsonschema when it runs,
    else the random generator above."""
    found = generated_instances(document, n, seed)
    if found:
        return found
    rng = random.Random(seed)
    v = validator(document)
    for _ in range(tries or n * 10):
        try:
            x = random_instance(document, document, rng)
        except (ValueError, TypeError, KeyError, RecursionError):
            continue
        if v.is_valid(x):
            found.append(x)
            if len(found) >= n:
                break
    return found
