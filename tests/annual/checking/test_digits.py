"""Digits run together (gongkai.annual.checking.digits), as properties: cells that satisfy
the format's sums, printed without separators, decode back to a split that contains them;
every split decode gives re-concatenates to what was printed and keeps the sums; and the
work decode does is bounded by its step budget."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from unittest import mock

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gongkai.annual.checking import digits
from gongkai.annual.checking.digits import CANDIDATES_SOUGHT, DECODE_STEPS, decode

Sums = list[tuple[tuple[int, ...], int]]


@st.composite
def printed_rows(draw: st.DrawFn) -> tuple[list[int], Sums, list[str]]:
    """Cells of one or more groups "addends, then their total" (table 三's applicant columns
    and 总计, table 四's four results and 总计), printed as strings of digits that each hold
    one or more whole cells."""
    cells: list[int] = []
    sums: Sums = []
    for _group in range(draw(st.integers(1, 3))):
        addends = draw(st.lists(st.integers(0, 2000), min_size=2, max_size=6))
        start = len(cells)
        cells += addends
        sums.append((tuple(range(start, len(cells))), len(cells)))
        cells.append(sum(addends))
    cuts = sorted(draw(st.sets(st.integers(1, len(cells) - 1), max_size=len(cells) - 1)))
    bounds = [0, *cuts, len(cells)]
    atoms = ["".join(map(str, cells[a:b])) for a, b in pairwise(bounds)]
    return cells, sums, atoms


def _keeps_sums(split: Sequence[object], sums: Sums) -> bool:
    return all(sum(int(str(split[p])) for p in addends) == split[total] for addends, total in sums)


def _reprinted(split: Sequence[object], atoms: list[str]) -> bool:
    return "".join(map(str, split)) == "".join(atoms)


@contextmanager
def counted_steps() -> Iterator[list[int]]:
    """How many steps decode spends (digits._spend is its only meter)."""
    count = [0]
    spend = digits._spend

    def counting(budget: list[int], found: list) -> None:
        count[0] += 1
        spend(budget, found)

    with mock.patch.object(digits, "_spend", counting):
        yield count


@hypothesis_settings(max_examples=200, deadline=None)
@given(printed_rows())
def test_cells_that_add_up_are_found_again_from_their_digits(row):
    cells, sums, atoms = row
    splits, complete = decode(atoms, len(cells), sums)
    for split in splits:
        assert len(split) == len(cells)
        assert _reprinted(split, atoms)
        assert _keeps_sums(split, sums)
        assert all(len(str(v)) == 1 or not str(v).startswith("0") for v in split)
    if complete:
        assert tuple(cells) in splits
    else:
        assert len(splits) <= CANDIDATES_SOUGHT


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text("0123456789", min_size=1, max_size=14), min_size=1, max_size=4),
    st.integers(1, 9),
)
def test_every_split_reprints_the_digits_and_keeps_the_sums(atoms, columns):
    sums: Sums = [(tuple(range(columns - 1)), columns - 1)] if columns > 2 else []
    splits, _complete = decode(atoms, columns, sums)
    assert len(splits) <= CANDIDATES_SOUGHT
    assert len(set(splits)) == len(splits)
    for split in splits:
        assert len(split) == columns
        assert _reprinted(split, atoms)
        assert _keeps_sums(split, sums)
    if not sums and len(atoms) == columns:
        # As many strings as columns: each string one cell, the only split there is.
        plain = all(len(a) == 1 or a[0] != "0" for a in atoms)
        assert splits == ([tuple(int(a) for a in atoms)] if plain else [])


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.text("0123456789", min_size=20, max_size=60), st.integers(5, 15))
def test_decode_never_spends_more_than_its_budget(text, columns):
    sums: Sums = [(tuple(range(columns - 1)), columns - 1)]
    with counted_steps() as steps:
        splits, complete = decode([text], columns, sums)
    # The step that finds the budget spent is the last one taken.
    assert steps[0] <= DECODE_STEPS + 1
    if steps[0] > DECODE_STEPS:
        assert not complete
    assert all(_reprinted(split, [text]) for split in splits)


def test_hopeless_digits_stop_at_the_budget():
    with counted_steps() as steps:
        splits, complete = decode(["1" * 40], 7, [((0, 1, 2, 3, 4, 5), 6)])
    assert not complete
    assert steps[0] == DECODE_STEPS + 1
    assert all(_keeps_sums(split, [((0, 1, 2, 3, 4, 5), 6)]) for split in splits)
