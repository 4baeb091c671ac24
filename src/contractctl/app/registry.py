"""``registry ls | show | pull`` and ``check --server-verify``: reading a registry.

``pull`` writes ``<out>/<subject>/<version>.json`` (JSON Schema) or ``.avsc`` (Avro, with
referenced named types inlined so each file stands alone), plus ``index.json`` with ids and
levels: a directory ``check --against DIR`` reads as an offline baseline.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractctl.adapters.registry.api import RegisteredSchema, RegistryAPI, ServerVerdict
from contractctl.adapters.registry.baseline import RegistryBaseline, SubjectState, fetch_subject
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.compat.model import Change
from contractctl.core.contract.model import Contract
from contractctl.core.errors import ContractctlError, InputError
from contractctl.core.registry.config import RegistrySettings
from contractctl.core.rules import get_rule
from contractctl.core.schema.avro_refs import inline_named
from contractctl.core.vocab.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class RegistryRequest:
    settings: RegistrySettings
    root: Path = Path()
    open_api: Callable[[], RegistryAPI] | None = None  # test seam


@dataclass(slots=True)
class SubjectInfo:
    subject: str
    versions: list[RegisteredSchema]
    level: str | None  # subject level; None = the global level applies
    global_level: str

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "level": self.level or self.global_level,
            "level_source": "subject" if self.level else "global",
            "versions": [
                {
                    "version": v.version,
                    "id": v.id,
                    "schemaType": v.schema_type,
                    "references": [r.to_json() for r in v.references],
                }
                for v in self.versions
            ],
        }


@dataclass(slots=True)
class PullReport:
    out: Path
    registry: str
    files: list[Path] = field(default_factory=list)
    subjects: int = 0


def _run(request: RegistryRequest, work: Callable[[RegistryAPI], Any]) -> Any:
    from contractctl.adapters.registry import open_registry

    async def main() -> Any:
        api = (request.open_api or (lambda: open_registry(request.settings, root=request.root)))()
        try:
            return await work(api)
        finally:
            await api.aclose()

    return asyncio.run(main())


def list_subjects(request: RegistryRequest) -> list[str]:
    async def work(api: RegistryAPI) -> list[str]:
        return sorted(await api.subjects())

    result: list[str] = _run(request, work)
    return result


def _info(state: SubjectState, global_level: str) -> SubjectInfo:
    return SubjectInfo(state.subject, list(state.versions), state.level, global_level)


def show_subject(request: RegistryRequest, subject: str) -> SubjectInfo:
    async def work(api: RegistryAPI) -> SubjectInfo:
        state, level = await asyncio.gather(fetch_subject(api, subject), api.global_level())
        if not state.versions:
            from contractctl.core.errors import InputError

            # The registry answered: the subject named on the command line is the problem.
            raise InputError(f"subject {subject!r} is not registered in {api.name}")
        return _info(state, level)

    result: SubjectInfo = _run(request, work)
    return result


def pull(request: RegistryRequest, out: Path, subjects: Sequence[str] = ()) -> PullReport:
    """Write every (or each named) subject's versions below ``out``."""

    async def work(api: RegistryAPI) -> tuple[str, list[SubjectState], str]:
        names = list(subjects) or await api.subjects()
        states, level = await asyncio.gather(
            asyncio.gather(*(fetch_subject(api, s) for s in names)), api.global_level()
        )
        return api.name, list(states), level

    from contractctl.adapters.safe_write import OutputTree
    from contractctl.core.vocab.pathnames import casefold_unique

    name, states, global_level = _run(request, work)
    report = PullReport(out=out, registry=name)
    index: dict[str, Any] = {"registry": name, "global_level": global_level, "subjects": {}}
    # Written into a staging folder beside ``out`` and swapped in whole: a killed pull
    # leaves the previous baseline (or none), never a partial one.
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in (*out.parent.glob(f".{out.name}.pull-*"), *out.parent.glob(f".{out.name}.old-*")):
        shutil.rmtree(stale, ignore_errors=True)  # left by a pull that was killed
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.pull-", dir=out.parent))
    tree = OutputTree(staging)
    # Case twins (`Orders`, `orders`) get folders apart on any file system; index.json
    # records each subject's folder for `check --against` to find it.
    folders = casefold_unique(s.subject for s in states if s.versions)
    try:
        for state in states:
            if not state.versions:
                continue
            report.subjects += 1
            folder = folders[state.subject]
            for v in state.versions:
                suffix = ".avsc" if v.schema_type == "AVRO" else ".json"
                text = json.dumps(state.self_contained(v), indent=2, ensure_ascii=False) + "\n"
                tree.write(f"{folder}/{v.version}{suffix}", text)
                report.files.append(out / folder / f"{v.version}{suffix}")
            index["subjects"][state.subject] = {
                **_info(state, global_level).to_json(),
                "folder": folder,
            }
        tree.write("index.json", json.dumps(index, indent=2) + "\n")
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def _swap_in(staging: Path, out: Path) -> None:
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 would ignore the user's umask
    if not out.exists():
        os.replace(staging, out)
        return
    if not (out / "index.json").is_file() and any(out.iterdir()):
        raise InputError(
            f"{out} exists and is not a registry pull: choose an empty or new --out folder"
        )
    retired = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.replace(out, retired)
    os.replace(staging, out)
    shutil.rmtree(retired, ignore_errors=True)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


# Where Karapace is known to read JSON Schema differently from Confluent (its own docs and
# the agreement benchmark): recognised from the schema nodes a breaking change points at.
def _known_deviations(old: Any, new: Any, breaks: list[Change]) -> list[str]:
    from contractctl.core.schema.jsonschema_refs import resolve_pointer

    found: set[str] = set()
    for change in breaks:
        if change.rule_id.startswith("REQUIRED_"):
            found.add("Karapace reads `required` from the property's own schema")
        for document in (old, new):
            found_node, node = resolve_pointer(document, change.path.lstrip("#"))
            if not found_node:
                continue
            if isinstance(node, dict) and "enum" in node and "type" in node:
                found.add("Karapace ignores `enum` beside `type`")
            if node == {}:
                found.add("Karapace reads `{}` as an object schema")
    return sorted(found)


def _disagreement(
    contract: Contract,
    level: str,
    server: ServerVerdict,
    local_ok: bool,
    breaks: list[Change],
    known: list[str],
) -> Finding:
    said = "compatible" if server.compatible else "incompatible"
    ours = "compatible" if local_ok else "incompatible"
    why = "; ".join(f"{c.rule_id} at {c.path}" for c in breaks[:5])
    message = (
        f"{contract.id}: the registry judges the schema {said} at {level}; contractctl "
        f"(Confluent's rules) judges it {ours}" + (f": {why}" if why else "")
    )
    if known and server.compatible:
        message += f". This is the server's verdict, a known server deviation: {'; '.join(known)}"
    elif server.messages:
        message += f". The server says: {'; '.join(server.messages)[:300]}"
    return Finding(
        "REGISTRY_VERDICT_DISAGREES",
        Severity.WARNING,
        message,
        file=str(contract.path),
        event=contract.name,
        hint=get_rule("REGISTRY_VERDICT_DISAGREES").hint,
    )


def server_verify(
    baseline: RegistryBaseline, contracts: Sequence[Contract], *, default_level: str = "BACKWARD"
) -> list[Finding]:
    """Ask the registry's own compatibility endpoint and report where it disagrees with ours.

    The local verdict uses the registry's level for the subject (what the server applies),
    so a disagreement means the two implementations judged the same question differently.
    """
    # A schema already registered is judged against the versions before it; the server's
    # endpoint only answers about the latest, so only unregistered schemas are comparable.
    contracts = [c for c in contracts if not baseline.is_registered(c)]
    verdicts = baseline.server_verdicts(
        contracts, transitive=lambda c: (baseline.level(c) or "").endswith("_TRANSITIVE")
    )
    findings: list[Finding] = []
    for contract in contracts:
        server = verdicts.get(contract.id)
        if server is None:
            continue
        history = baseline.history(contract)
        level = baseline.level(contract) or default_level
        local_ok, breaks, known = True, [], []
        if history:
            docs = [
                inline_named(h.schema, h.named_types or {}) if h.schema_type == "AVRO" else h.schema
                for h in history
            ]
            from contractctl.core.registry.schema import registry_schema

            form = registry_schema(contract)
            try:
                result = check_compatibility(
                    docs[-1],
                    inline_named(form.document, form.named),
                    schema_type=form.schema_type,
                    level=level,
                    history=docs,
                )
            except ContractctlError:
                continue
            local_ok, breaks = result.is_compatible, result.breaking_changes
            if form.schema_type == "JSON":
                known = _known_deviations(docs[-1], form.document, breaks)
        if local_ok != server.compatible:
            findings.append(_disagreement(contract, level, server, local_ok, breaks, known))
    return findings
