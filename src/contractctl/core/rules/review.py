"""Review rules (REVIEW_*): consumer impact and deprecation policy on top of the verdicts.

The engines' verdicts never change; these rules say who a break reaches, whether the
consumers' declared reads are real fields, and whether consumers are left on deprecated or
sunset versions.
"""

from __future__ import annotations

from contractctl.core.rules.model import Category, Rule
from contractctl.core.vocab.findings import Severity

E, W = Severity.ERROR, Severity.WARNING
_CONSUMERS = frozenset({"consumers"})

REVIEW_RULES = (
    Rule(
        "REVIEW_READS_UNKNOWN_FIELD",
        "A consumer's `reads` names a field that a version in its range does not have.",
        Category.REVIEW,
        E,
        configurable=True,
        hint="Fix the path (dotted, [] for array items) or narrow the consumer's `versions`.",
        affects=_CONSUMERS,
    ),
    Rule(
        "REVIEW_BREAK_UNREAD",
        "A breaking change at a field that no consumer declaring `reads` reads (the severity "
        "the break is reported with instead of error; `off` keeps it an error).",
        Category.REVIEW,
        W,
        configurable=True,
        hint="Nobody declared reading it; keep the consumers' `reads` honest, since this "
        "lets the change through without a major version.",
        affects=_CONSUMERS,
    ),
    Rule(
        "REVIEW_DEPRECATED_CONSUMED",
        "A consumer's version range includes only deprecated versions of the event.",
        Category.REVIEW,
        W,
        configurable=True,
        hint="Move the consumer to the replacement (replaced_by) before the sunset date.",
        affects=_CONSUMERS,
    ),
    Rule(
        "REVIEW_SUNSET_CONSUMED",
        "A consumer still reads only versions whose sunset date has passed.",
        Category.REVIEW,
        E,
        configurable=True,
        hint="Move the consumer to the replacement, or move the sunset date with its owner.",
        affects=_CONSUMERS,
    ),
    Rule(
        "REVIEW_REPLACEMENT_UNAVAILABLE",
        "A deprecated event's replaced_by names an event consumers cannot move to (it is "
        "itself deprecated in every version).",
        Category.REVIEW,
        E,
        configurable=True,
        hint="Name the event consumers should move to, with a version that is not deprecated.",
        affects=_CONSUMERS,
    ),
    Rule(
        "REVIEW_ACCEPTED_BREAK_EXPIRED",
        "An accepted_breaks entry is past its `expires` date and no longer excuses the break.",
        Category.REVIEW,
        E,
        configurable=True,
        hint="Remove the entry if the break is gone, or review it again and move `expires`.",
    ),
)
