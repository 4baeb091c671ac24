"""Use case ``export asyncapi``: the contracts as one AsyncAPI 3.0 document (YAML or JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contractctl.core.contract.loader import load_contracts
from contractctl.core.flow.asyncapi import build_asyncapi
from contractctl.core.vocab.findings import Finding


@dataclass(frozen=True, slots=True)
class AsyncApiRequest:
    paths: Sequence[Path] = ()
    config: object | None = None  # core.config.Config
    title: str = "Event contracts"
    version: str = "1.0.0"
    description: str | None = None


@dataclass(slots=True)
class AsyncApiOutcome:
    document: dict[str, Any]
    input_errors: list[Finding]

    def text(self, fmt: str = "yaml") -> str:
        if fmt == "json":
            return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"
        return str(yaml.safe_dump(self.document, sort_keys=False, allow_unicode=True, width=100))


def export_asyncapi(request: AsyncApiRequest) -> AsyncApiOutcome:
    from contractctl.core.contract.config import Config

    config = request.config if isinstance(request.config, Config) else None
    loaded = load_contracts(list(request.paths), config)
    doc = build_asyncapi(
        loaded.contracts,
        title=request.title,
        version=request.version,
        description=request.description,
    )
    return AsyncApiOutcome(doc, loaded.unusable)
