"""docs/rules.md is generated from the catalogue and lists every VERIFY_* rule."""

from __future__ import annotations

from contractctl.app.catalogue import rules_markdown
from contractctl.core.rules import all_rules
from contractctl.core.rules.verify import VERIFY_RULES
from tests.conftest import REPO


def test_docs_rules_md_is_generated() -> None:
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "regenerate: contractctl rules --format markdown > docs/rules.md"
    )


def test_verify_rules_are_in_the_catalogue() -> None:
    ids = {r.id for r in all_rules()}
    assert {r.id for r in VERIFY_RULES} <= ids
    assert all(r.id.startswith("VERIFY_") for r in VERIFY_RULES)
