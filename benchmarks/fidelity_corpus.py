"""The fidelity-folder benchmark on the in-repo corpus: real examples, plus mutated ones.

    .venv/bin/python benchmarks/fidelity_corpus.py [--limit N] [--repeat 1] [--keep DIR]

For every JSON schema of ``../shared/corpus/json`` (latest version) that has real examples
in ``json-examples/``, a case folder is laid out as ``fidelity_folder.py`` reads it:
``schema.json``; ``positive/`` the examples python-jsonschema accepts; ``negative/`` the
examples it rejects and small mutations of the first three examples (a wrong leaf type,
a dropped key, an extra key: ``fidelity.mutations``, seeded) that it rejects. Then
``fidelity_folder.run`` scores contractctl and datamodel-code-generator on the folder.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import fidelity as F  # noqa: N812 - one short handle for the harness
import fidelity_folder as FF  # noqa: N812


def build(corpus: Path, target: Path, limit: int = 0, mutants: int = 3) -> int:
    """Lay the corpus out below ``target``; the number of case folders."""
    made = 0
    for name, file in F.latest_schemas(corpus):
        examples = F.examples(corpus, name)
        if not examples:
            continue
        document = json.loads(file.read_text())
        judge = F.validator(document)
        case = target / name
        rng = random.Random(name)  # the same mutations on every run
        rows: list[tuple[str, object]] = []
        for i, example in enumerate(examples):
            rows.append(("positive" if judge.is_valid(example) else "negative", example))
            if i < mutants:
                rows += [
                    ("negative", m) for m in F.mutations(example, rng) if not judge.is_valid(m)
                ]
        for kind in ("positive", "negative"):
            (case / kind).mkdir(parents=True, exist_ok=True)
        for n, (kind, payload) in enumerate(rows):
            (case / kind / f"{n}.json").write_text(json.dumps(payload))
        (case / "schema.json").write_text(json.dumps(document))
        made += 1
        if limit and made >= limit:
            break
    return made


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N schemas")
    ap.add_argument("--repeat", type=int, default=1, help="timed passes (the best counts)")
    ap.add_argument("--keep", type=Path, help="lay the cases out here and keep them")
    args = ap.parse_args()
    shared = F.shared_dir()
    if shared is None:
        print("skipped: no corpus (set CONTRACTCTL_SHARED or put it at ../shared)")
        return 0
    target = args.keep or Path(tempfile.mkdtemp(prefix="fidelity-corpus-"))
    try:
        made = build(shared / "corpus", target, args.limit)
        print(f"{made} corpus schemas with real examples")
        FF.run(target, repeat=args.repeat)
    finally:
        if args.keep is None:
            shutil.rmtree(target, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
