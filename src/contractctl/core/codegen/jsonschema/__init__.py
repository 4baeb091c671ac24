"""JSON Schema → the codegen IR: the translator, and the schema facts and operations it
reads (types a node allows, refs followed, ``allOf`` merged). Imports only its parent's
modules (ir, naming, drafts, pyexpr) and core.schema."""

from contractctl.core.codegen.jsonschema.translator import External, JsonTranslator, _py, rt

__all__ = ["External", "JsonTranslator", "_py", "rt"]
