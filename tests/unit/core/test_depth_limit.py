"""The depth limit holds whether or not the bracket count lets the walk be skipped."""

from __future__ import annotations

import json

import pytest

from contractctl.core.errors import LoadError
from contractctl.core.source.documents import Limits, check_depth, parse_json


def _nested(containers: int, padding: int = 0) -> str:
    """``containers`` objects inside one another (the innermost at depth containers - 1);
    ``padding`` strings full of brackets push the text's bracket count past any limit
    without nesting anything, so the exact walk must decide."""
    filler = "".join(f', "k{i}": "{{[{{["' for i in range(padding))
    inner = "1"
    for _ in range(containers):
        inner = f'{{"a": {inner}{filler}}}'
    return inner


@pytest.mark.parametrize(
    ("containers", "padding", "fails"),
    [(8, 0, False), (8, 300, False), (257, 0, False), (258, 0, True), (258, 2, True)],
)
def test_depth_limit(containers: int, padding: int, fails: bool) -> None:
    text = _nested(containers, padding)
    data = json.loads(text)
    for given in (text, None):  # with the text (count shortcut) and without (walk only)
        if fails:
            with pytest.raises(LoadError, match="nested deeper than 256"):
                check_depth(data, 256, "x.json", text=given)
        else:
            check_depth(data, 256, "x.json", text=given)


def test_lists_and_objects_count_alike() -> None:
    text = "[" * 6 + "{}" + "]" * 6  # the object sits at depth 6
    with pytest.raises(LoadError, match="nested deeper than 5"):
        parse_json(text, "x.json", Limits(max_depth=5))
    assert parse_json(text, "x.json", Limits(max_depth=6)) == json.loads(text)
