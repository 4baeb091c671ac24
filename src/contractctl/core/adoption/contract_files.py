"""Where an imported contract and its schema are written, and the contract's text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from contractctl.core.adoption import yaml_text
from contractctl.core.adoption.manifest import ImportPlan, Manifest, PlannedFile
from contractctl.core.adoption.naming import folder_of, kebab, unique

if TYPE_CHECKING:
    from contractctl.core.adoption.asyncapi_import import Draft

SUFFIX = {"avro": ".avsc", "jsonschema": ".json"}


def _where(name: str) -> tuple[str, str]:
    """(folder, file stem) of an event: ``orders.OrderPlaced`` → (``orders``, ``order-placed``)."""
    return folder_of(name), kebab(name.rpartition(".")[2])


def contract_path(name: str, version: str) -> str:
    """Where the contract of ``name`` at ``version`` is written, relative to the output."""
    folder, stem = _where(name)
    return f"{folder}/{stem}.v{version}.yaml"


def contract_text(fields: dict[str, Any], origin: str) -> str:
    return (
        f"# Imported by `contractctl import` from {origin}.\n"
        "# Fill in what the source cannot know; `contractctl validate` lists it.\n"
        + yaml_text.dump(fields)
    )


def schema_text(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def contract_files(
    fields: dict[str, Any], schema_format: str, document: Any, origin: str
) -> tuple[PlannedFile, PlannedFile]:
    """(schema file, contract file) for one contract; sets ``schema.file`` in ``fields``."""
    name, version = fields["name"], fields["version"]
    folder, stem = _where(name)
    relative = f"schemas/{stem}.v{version}{SUFFIX[schema_format]}"
    fields["schema"] = {"format": schema_format, "file": relative, **fields["schema"]}
    fields["schema"]["file"] = relative
    return (
        PlannedFile(f"{folder}/{relative}", schema_text(document), "schema"),
        PlannedFile(contract_path(name, version), contract_text(fields, origin), "contract"),
    )


def plan_drafts(
    drafts: Sequence[Draft], previous: Manifest, *, source: str, skipped: Sequence[Any] = ()
) -> ImportPlan:
    """The files for drafted contracts; a name@version drafted twice gets a numbered name."""
    plan = ImportPlan(manifest=Manifest(source=source, subjects=dict(previous.subjects)))
    plan.skipped = list(skipped)
    taken: set[str] = set()
    for draft in drafts:
        fields = dict(draft.fields)
        name = fields["name"]
        while f"{name}@{fields['version']}" in taken:
            name = unique(name, {n.partition("@")[0] for n in taken})
        fields["name"] = name
        taken.add(f"{name}@{fields['version']}")
        fields["schema"] = dict(fields["schema"])
        plan.add(*contract_files(fields, draft.schema_format, draft.schema, source))
        plan.contracts += 1
    return plan
