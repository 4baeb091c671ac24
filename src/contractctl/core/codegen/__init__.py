"""Code generation, pure part: contracts → an intermediate model of modules and classes."""

from contractctl.core.codegen.ir import AliasSpec, ClassSpec, FieldSpec, Gap, ModuleSpec
from contractctl.core.codegen.plan import fingerprint, plan, plan_module

__all__ = [
    "AliasSpec",
    "ClassSpec",
    "FieldSpec",
    "Gap",
    "ModuleSpec",
    "fingerprint",
    "plan",
    "plan_module",
]
