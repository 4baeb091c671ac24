"""The generated fallback validator: failures surface as ValidationError, never as crashes."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from contractctl.app.codegen import render_files
from contractctl.core.contract.model import Contract, SchemaSpec


def _model(tmp_path: Path, document: Any, package: str) -> Any:
    file = tmp_path / "schema.json"
    file.write_text(json.dumps(document))
    contract = Contract(name="x.Thing", version="1.0.0",
                        schema=SchemaSpec("jsonschema", document, file), path=file)  # fmt: skip
    for rel, text in render_files([contract]).items():
        (tmp_path / package / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / package / rel).write_text(text)
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(f"{package}.x.thing_v1_0_0").Thing
    finally:
        sys.path.remove(str(tmp_path))


def test_a_ref_the_fallback_cannot_follow_rejects_with_validation_error(tmp_path: Path) -> None:
    model = _model(tmp_path, {"type": "object", "not": {"required": ["z"]}, "properties": {
        "a": {"$ref": "https://example.test/missing.json#/definitions/a"}}}, "fb_missing")  # fmt: skip
    model.model_validate({})
    with pytest.raises(ValidationError, match="could not be checked"):
        model.model_validate({"a": 1})


def test_deep_payloads_are_rejected_not_crashed(tmp_path: Path) -> None:
    model = _model(tmp_path, {"type": "object", "not": {"required": ["z"]},
                              "additionalProperties": {"$ref": "#"}}, "fb_deep")  # fmt: skip
    deep: dict[str, Any] = {}
    for _ in range(400):
        deep = {"a": deep}
    with pytest.raises(ValidationError):
        model.model_validate(deep)
