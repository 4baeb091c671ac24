"""contractctl vs datamodel-code-generator on every latest-version JSON schema in the corpus.

Both generate pydantic v2 models through their Python API, one schema per call, into a
folder. Reported: total time and ratio, success rate (generated and importable), real
example acceptance (examples python-jsonschema accepts that the model rejects, and the
reverse), and agreement with python-jsonschema on hypothesis-jsonschema instances plus
mutations of them (``--instances N`` per schema on a ``--sample`` of schemas).

    .venv/bin/python benchmarks/codegen.py [--sample 40] [--instances 20] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import fidelity as F  # noqa: N812 - one short handle for the harness

from contractctl.app.codegen import render_files


def gen_contractctl(name: str, file: Path, out: Path) -> Path:
    files = render_files([F.contract_for(name, file)])
    root = out / name.replace(".", "_").replace("-", "_")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return next(p for p in root.rglob("*.py") if "_shared" not in p.parts
                and p.name not in ("__init__.py", "_runtime.py"))  # fmt: skip


def gen_dmcg(name: str, file: Path, out: Path) -> Path:
    from datamodel_code_generator import DataModelType, InputFileType, generate

    target = out / (name.replace(".", "_").replace("-", "_") + ".py")
    out.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        generate(json.dumps(F.normalise_for_dmcg(json.loads(file.read_text()))),
                 input_file_type=InputFileType.JsonSchema, output=target,
                 output_model_type=DataModelType.PydanticV2BaseModel)  # fmt: skip
    return target


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=40, help="schemas for the instance test")
    ap.add_argument("--instances", type=int, default=20, help="hypothesis instances each")
    ap.add_argument("--limit", type=int, default=0, help="only the first N schemas")
    args = ap.parse_args()
    shared = F.shared_dir()
    if shared is None:
        print("skipped: no corpus (set CONTRACTCTL_SHARED or put it at ../shared)")
        return 0
    corpus = shared / "corpus"
    schemas = list(F.latest_schemas(corpus))[: args.limit or None]
    work = Path(tempfile.mkdtemp(prefix="codegen-bench-"))
    tools = {"contractctl": gen_contractctl, "datamodel-codegen": gen_dmcg}
    generated: dict[str, dict[str, Path]] = {t: {} for t in tools}
    seconds: dict[str, float] = {}
    for tool, gen in tools.items():
        start = time.perf_counter()
        for name, file in schemas:
            try:
                generated[tool][name] = gen(name, file, work / tool.replace("-", "_"))
            except Exception:
                continue
        seconds[tool] = time.perf_counter() - start
    models: dict[str, dict[str, Any]] = {t: {} for t in tools}
    for tool in tools:
        for name, path in generated[tool].items():
            try:
                root = path.parents[1] if tool == "contractctl" else None
                models[tool][name] = F.root_model(F.load_module(path, root))
            except Exception:
                continue
    n = len(schemas)
    print(f"schemas: {n} (latest version of each JSON schema in the corpus)")
    for tool in tools:
        print(f"{tool:18} time {seconds[tool]:8.2f}s  success {len(models[tool])}/{n} "
              f"({100 * len(models[tool]) / n:.1f}%)")  # fmt: skip
    print(f"speed-up: {seconds['datamodel-codegen'] / seconds['contractctl']:.1f}x")
    # Real examples.
    for tool in tools:
        stats = {"valid": 0, "wrong_reject": 0, "wrong_accept": 0, "github_wrong_reject": 0}
        for name, file in schemas:
            model = models[tool].get(name)
            exs = F.examples(corpus, name)
            if model is None or not exs:
                continue
            v = F.validator(json.loads(file.read_text()))
            for ex in exs:
                valid, ok = v.is_valid(ex), F.accepts(model, ex)
                stats["valid"] += valid
                stats["wrong_reject"] += valid and not ok
                stats["github_wrong_reject"] += valid and not ok and name.startswith("github.")
                stats["wrong_accept"] += ok and not valid
        print(f"{tool:18} examples: {stats}")
    # Generated and mutated instances on a sample.
    rng = random.Random(7)
    both = sorted(set(models["contractctl"]) & set(models["datamodel-codegen"]))
    sample = rng.sample(both, min(args.sample, len(both)))
    agree = {t: [0, 0] for t in tools}
    for name in sample:
        document = json.loads(dict(schemas)[name].read_text())
        v = F.validator(document)
        instances = F.valid_instances(document, args.instances)
        cases = [(x, True) for x in instances]
        for x in instances[:5]:
            cases += [(m, v.is_valid(m)) for m in F.mutations(x, rng)]
        for tool in tools:
            hits = sum(F.accepts(models[tool][name], x) == valid for x, valid in cases)
            agree[tool][0] += hits
            agree[tool][1] += len(cases)
    for tool, (hits, total) in agree.items():
        rate = 100 * hits / total if total else 0.0
        print(f"{tool:18} instance agreement {hits}/{total} ({rate:.1f}%) on {len(sample)} schemas")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
