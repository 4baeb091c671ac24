"""The name encoding every name-derived path goes through: safe, bounded, injective, and
with ``case_safe`` still injective once a file system folds case."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from contractctl.core.vocab.pathnames import MAX_COMPONENT, case_mask, component

# Names that differ only in case, hostile names, and lengths on both sides of the bound.
TWINS = ["orders", "Orders", "ORDERS", "oRders", "index", "Index", "a~u1", "A", "a", "%41"]
LONG = ["x" * 200, "X" * 200, "x" * 199 + "X", "é" * 80, "É" * 80]

_names = st.text(
    alphabet=st.sampled_from("aAbBzZ09._-~% /é\x00\U0001f600"), min_size=0, max_size=40
) | st.sampled_from([*TWINS, *LONG])


def _safe(value: str) -> None:
    assert value not in ("", ".", "..")
    for bad in ("/", "\x00", "\\"):
        assert bad not in value
    assert not value.startswith(".")
    assert len(value.encode()) <= MAX_COMPONENT
    assert value.isascii()  # so no Unicode normalisation can merge two of them


def test_names_that_differ_only_in_case_get_paths_that_differ_after_folding() -> None:
    encoded = [component(n, case_safe=True, reserved=("index",)) for n in TWINS + LONG]
    assert len({e.casefold() for e in encoded}) == len(TWINS + LONG), encoded
    for value in encoded:
        _safe(value)


def test_lower_case_names_keep_their_plain_form_and_capitals_get_a_mask() -> None:
    assert component("order-service", case_safe=True) == "order-service"
    assert component("Orders", case_safe=True) == "Orders~u1"
    assert component("orders.OrderPlaced", case_safe=True) == "orders.OrderPlaced~u1080"
    assert component("Orders") == "Orders"  # without case_safe: the encoding as before
    assert case_mask("aBc") == 0b10


def test_the_encoding_is_deterministic_whatever_other_names_exist() -> None:
    alone = component("Orders", case_safe=True)
    for _ in ("orders", "ORDERS"):
        assert component("Orders", case_safe=True) == alone


def test_a_short_component_decodes_back_to_its_name() -> None:
    for name in ("Orders", "svc a", "shop.Thing/Happened", "~u1", "é"):
        value = component(name, case_safe=True)
        plain, _, mask = value.rpartition("~u") if case_mask(name) else (value, "", "")
        assert unquote(plain) == name
        assert int(mask or "0", 16) == case_mask(name)


@settings(max_examples=400, deadline=None)
@given(st.lists(_names, min_size=2, max_size=6, unique=True))
def test_no_two_distinct_names_fold_to_one_path(names: list[str]) -> None:
    encoded = [component(n, case_safe=True) for n in names]
    assert len({e.casefold() for e in encoded}) == len(names), list(
        zip(names, encoded, strict=True)
    )
    for value in encoded:
        _safe(value)


@settings(max_examples=200, deadline=None)
@given(_names)
def test_without_case_safe_the_encoding_is_still_injective_and_bounded(name: str) -> None:
    value = component(name)
    _safe(value)
    assert value == component(name)
