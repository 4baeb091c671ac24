"""Sagas read from the contracts: which events start, fail and compensate (``inference``),
the happy and failure paths (``paths``) and their sequence diagrams (``draw``).

May import what ``flow`` may, and ``flow.graph``.
"""

from contractctl.core.flow.saga.draw import saga_mermaid, saga_svg
from contractctl.core.flow.saga.inference import (
    FAILURE_TAG,
    START_TAG,
    SagaRoles,
    compensation_closure,
    infer_roles,
)
from contractctl.core.flow.saga.paths import (
    COMPENSATION,
    FAILURE,
    HAPPY,
    MAX_FAILURES,
    MAX_SAGAS,
    MAX_STEPS,
    Saga,
    SagaPath,
    Step,
    find_sagas,
)

__all__ = [
    "COMPENSATION",
    "FAILURE",
    "FAILURE_TAG",
    "HAPPY",
    "MAX_FAILURES",
    "MAX_SAGAS",
    "MAX_STEPS",
    "START_TAG",
    "Saga",
    "SagaPath",
    "SagaRoles",
    "Step",
    "compensation_closure",
    "find_sagas",
    "infer_roles",
    "saga_mermaid",
    "saga_svg",
]
