"""Fidelity on any folder of schemas with their own test payloads, beside datamodel-code-generator.

    .venv/bin/python benchmarks/fidelity_folder.py DIR [--only NAME] [--verbose]

``DIR`` holds one folder per schema: ``schema.json`` (the root; other ``*.json`` files
beside it are documents it may reference), ``positive/*.json`` (payloads the schema
accepts) and ``negative/*.json`` (payloads it rejects). python-jsonschema, with each
schema's draft, is the judge: a payload whose folder disagrees with it is reported and
left out. A reference resolves to the file of the case folder named by the URI's last
segment (``.json`` appended when it has none), as a catalog's local copies are laid out.

Reported per tool: schemas generated and importable, valid payloads wrongly rejected
(a crash other than pydantic's ``ValidationError`` counts too, and is named), invalid
payloads wrongly accepted, and generation time in this one process: the source text,
in memory, for every schema (writing it to disk and importing it are not timed, since
both are the file system's and Python's cost, not the generator's).

Time is measured twice per tool, in the same way for both. ``first call`` is the first
schema generated in the process, with the tool's imports and set-up (compiling
templates); ``generation`` is then every schema, the best of ``--repeat`` passes (the
machine is shared: the best pass is the least disturbed one), in wall-clock and in this
process's CPU time. The speed-up compares ``generation``; the CPU-time one and the one
with the first call included are printed too.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).parent))
import fidelity as F  # noqa: N812 - one short handle for the harness
from pydantic import ValidationError

from contractctl.app.codegen import render_files


@dataclass
class Case:
    name: str
    folder: Path
    document: Any
    positive: list[tuple[str, Any]]
    negative: list[tuple[str, Any]]

    @property
    def schema(self) -> Path:
        return self.folder / "schema.json"


@dataclass
class Tally:
    schemas: int = 0
    importable: int = 0
    valid: int = 0
    invalid: int = 0
    wrong_reject: int = 0
    wrong_accept: int = 0
    seconds: float = 0.0  # every schema, warm: the best of the passes
    cpu: float = 0.0  # the same passes in this process's CPU time (other jobs' load aside)
    first: float = 0.0  # the first schema in the process, imports and set-up included
    notes: list[str] = field(default_factory=list)


def cases(folder: Path) -> list[Case]:
    out = []
    for d in sorted(p for p in folder.iterdir() if (p / "schema.json").is_file()):
        payloads = {
            kind: [(f.name, json.loads(f.read_text())) for f in sorted((d / kind).glob("*.json"))]
            for kind in ("positive", "negative")
        }
        document = json.loads((d / "schema.json").read_text())
        out.append(Case(d.name, d, document, payloads["positive"], payloads["negative"]))
    return out


def judge(case: Case) -> Any:
    """python-jsonschema for the case's draft, resolving references to the local copies."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    def retrieve(uri: str) -> Resource[Any]:
        name = Path(urlparse(uri).path).name
        for candidate in (name, name + ".json"):
            path = case.folder / candidate
            if candidate and path.is_file():
                return Resource.from_contents(json.loads(path.read_text()), DRAFT7)
        raise LookupError(uri)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cls = F.jsonschema.validators.validator_for(case.document, F.jsonschema.Draft7Validator)
    return cls(case.document, registry=Registry(retrieve=retrieve))  # type: ignore[call-arg]


def gen_contractctl(case: Case, out: Path) -> Callable[[], Any]:
    """Generate (timed by the caller) and write (not timed); returns the model's loader."""
    files = render_files([F.contract_for("fixtures." + case.name, case.schema)])

    def load() -> Any:
        root = out / ("m_" + _identifier(case.name))
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        path = next(p for p in root.rglob("*.py") if "_shared" not in p.parts
                    and p.name not in ("__init__.py", "_runtime.py"))  # fmt: skip
        return F.root_model(F.load_module(path, root))

    return load


def gen_dmcg(case: Case, out: Path) -> Callable[[], Any]:
    from datamodel_code_generator import DataModelType, InputFileType, generate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # From the file, so that references to the documents beside it resolve.
        text = generate(case.schema, input_file_type=InputFileType.JsonSchema,
                        output_model_type=DataModelType.PydanticV2BaseModel)  # fmt: skip

    def load() -> Any:
        if not isinstance(text, str):
            raise TypeError(f"expected one module, got {type(text).__name__}")
        target = out / ("d_" + _identifier(case.name) + ".py")
        out.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        return F.root_model(F.load_module(target))

    return load


TOOLS = {"contractctl": gen_contractctl, "datamodel-codegen": gen_dmcg}


def run(
    folder: Path, only: str | None = None, verbose: bool = False, repeat: int = 5
) -> dict[str, Tally]:
    selected = [c for c in cases(folder) if only is None or c.name == only]
    labelled: dict[str, list[tuple[str, Any, bool]]] = {}
    for case in selected:
        v = judge(case)
        rows = []
        for kind, payloads in (("positive", case.positive), ("negative", case.negative)):
            for fname, payload in payloads:
                if v.is_valid(payload) != (kind == "positive"):
                    print(f"  label: {case.name}/{kind}/{fname} disagrees with python-jsonschema")
                    continue
                rows.append((f"{kind}/{fname}", payload, kind == "positive"))
        labelled[case.name] = rows
    work = Path(tempfile.mkdtemp(prefix="fidelity-folder-"))
    tallies = {tool: Tally(schemas=len(selected)) for tool in TOOLS}
    try:
        for tool, gen in TOOLS.items():
            tally = tallies[tool]
            target = work / tool.replace("-", "_")
            start = time.perf_counter()
            with contextlib.suppress(Exception):  # counted in the passes below
                gen(selected[0], work / "first")
            tally.first = time.perf_counter() - start
            loaders: dict[str, Callable[[], Any]] = {}
            for n in range(max(1, repeat)):
                start, cpu = time.perf_counter(), time.process_time()
                for case in selected:
                    try:
                        loaders[case.name] = gen(case, target)
                    except Exception as exc:  # a benchmark counts every failure, of any kind
                        if n == 0:
                            tally.notes.append(f"{case.name}: generation failed: {_short(exc)}")
                elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
                tally.seconds = elapsed if n == 0 else min(tally.seconds, elapsed)
                tally.cpu = cpu if n == 0 else min(tally.cpu, cpu)
            for case in selected:
                _score(case, loaders.get(case.name), labelled[case.name], tally)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _print(tallies, verbose)
    return tallies


def _score(
    case: Case, loader: Callable[[], Any] | None, rows: list[tuple[str, Any, bool]], tally: Tally
) -> None:
    if loader is None:
        return
    try:
        model = loader()
    except Exception as exc:
        tally.notes.append(f"{case.name}: import failed: {_short(exc)}")
        return
    tally.importable += 1
    for where, payload, valid in rows:
        tally.valid += valid
        tally.invalid += not valid
        try:
            model.model_validate(payload)
            accepted = True
        except ValidationError:
            accepted = False
        except Exception as exc:
            accepted = False
            tally.notes.append(f"{case.name}/{where}: crashed: {_short(exc)}")
        if valid and not accepted:
            tally.wrong_reject += 1
            tally.notes.append(f"{case.name}/{where}: valid, rejected")
        elif accepted and not valid:
            tally.wrong_accept += 1
            tally.notes.append(f"{case.name}/{where}: invalid, accepted")


def _identifier(name: str) -> str:
    return re.sub(r"\W", "_", name)


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"


def _print(tallies: dict[str, Tally], verbose: bool) -> None:
    print("| | " + " | ".join(tallies) + " |")
    print("|---|" + "---|" * len(tallies))
    rows = [
        ("generated and importable", lambda t: f"{t.importable}/{t.schemas}"),
        ("valid payloads wrongly rejected", lambda t: f"{t.wrong_reject} of {t.valid}"),
        ("invalid payloads wrongly accepted", lambda t: f"{t.wrong_accept} of {t.invalid}"),
        ("first call (imports, set-up)", lambda t: f"{t.first:.3f} s"),
        ("generation time (every schema)", lambda t: f"{t.seconds:.3f} s"),
        ("generation CPU time (every schema)", lambda t: f"{t.cpu:.3f} s"),
    ]
    for label, cell in rows:
        print(f"| {label} | " + " | ".join(cell(t) for t in tallies.values()) + " |")
    ours, theirs = tallies["contractctl"], tallies["datamodel-codegen"]
    if ours.seconds:
        cold = (theirs.first + theirs.seconds) / (ours.first + ours.seconds)
        print(f"speed-up: {theirs.seconds / ours.seconds:.1f}x"
              f" (CPU time {theirs.cpu / max(ours.cpu, 1e-9):.1f}x;"
              f" {cold:.1f}x with the first call included)")  # fmt: skip
    for tool, tally in tallies.items():
        if verbose or tool == "contractctl":
            for note in tally.notes:
                print(f"  {tool}: {note}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--only", help="one case folder by name")
    ap.add_argument("--verbose", action="store_true", help="also list the peer's misses")
    ap.add_argument("--repeat", type=int, default=5, help="timed passes (the best counts)")
    args = ap.parse_args()
    run(args.folder, args.only, args.verbose, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
