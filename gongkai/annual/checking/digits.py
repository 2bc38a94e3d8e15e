"""Digits run together: a row printed without separators ("713000074") split back into
its cells, by the totals the format says they add up to.

Pure: no Django, no format. `decode(atoms, columns, sums)` gives every split of the atoms
into `columns` cells (no cell but "0" starts with 0) in which each total of `sums` (addend
positions, total position) is the sum of its addends, at most `limit` of them, within a
fixed budget of steps (DECODE_STEPS): a row whose splits cannot be counted in that time is
given up, not waited for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gongkai.annual.checking.document import BLANK, Value

CANDIDATES_SOUGHT = 50  # splits enumerated before giving up on agreeing cells
DECODE_STEPS = 20_000  # work allowed to split one row (a few ms); beyond it, "?"


def decode(
    atoms: Sequence[str | Value],
    columns: int,
    sums: Sequence[tuple[tuple[int, ...], int]] = (),
    limit: int = CANDIDATES_SOUGHT,
) -> tuple[list[tuple[Value, ...]], bool]:
    """Ways to read `atoms` as `columns` cells, and whether they are all of them (at most
    `limit` are sought, within a fixed amount of work).

    An atom that is a string of digits may be split into several cells (no cell but "0"
    starts with 0); any other atom is one cell. A split is kept only if every total of
    `sums` (addend positions, total position) adds up, where its cells are whole numbers.
    """
    budget = [DECODE_STEPS]
    try:
        found = _decode(atoms, columns, sums, limit, budget)
    except Exhausted as stop:
        return stop.found, False
    return found, len(found) < limit


def splittable(atom: str | Value) -> bool:
    return isinstance(atom, str) and atom.isdigit()


class Exhausted(Exception):
    def __init__(self, found: list[tuple[Value, ...]]) -> None:
        self.found = found


def _spend(budget: list[int], found: list[tuple[Value, ...]]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise Exhausted(found)


def _decode(
    atoms: Sequence[str | Value],
    columns: int,
    sums: Sequence[tuple[tuple[int, ...], int]],
    limit: int,
    budget: list[int],
) -> list[tuple[Value, ...]]:
    totals = {total: addends for addends, total in sums}
    group_of = {p: (addends, total) for addends, total in sums for p in addends}
    group_at = {p: (addends, total) for addends, total in sums for p in (*addends, total)}
    units = [len(a) if isinstance(a, str) and splittable(a) else 1 for a in atoms]
    after = [sum(units[i:]) for i in range(len(atoms) + 1)]  # cells the atoms can still give
    found: list[tuple[Value, ...]] = []
    cells: list[Value] = [BLANK] * columns

    def fits(position: int) -> bool:
        addends = totals.get(position)
        if addends is None:
            return True
        parts = [cells[p] for p in addends]
        if not all(type(v) is int for v in [*parts, cells[position]]):
            return True
        return sum(int(v) for v in parts) == cells[position]

    def room(column: int, units_left: int) -> bool:
        """Whether the digits left can still hold the total of the group `column` is an
        addend of: the total is at least the addends so far, so it has as many digits."""
        group = group_of.get(column)
        if group is None:
            return True
        parts = [cells[p] for p in group[0] if p <= column]
        if not all(type(v) is int for v in parts):
            return True
        other_cells = columns - column - 2  # cells to fill besides the total
        return len(str(sum(int(v) for v in parts))) <= units_left - other_cells

    failed: set[tuple[int, int, int, int | None]] = set()

    def open_sum(column: int) -> int | None:
        """The sum of the addends placed so far in the group `column` is in."""
        group = group_at.get(column)
        if group is None:
            return None
        parts = [cells[p] for p in group[0] if p < column]
        return sum(int(v) for v in parts) if all(type(v) is int for v in parts) else -1

    def walk(column: int, atom: int, offset: int) -> None:
        # What can follow depends on the cells so far only through the open group's sum:
        # a state that led nowhere once leads nowhere again.
        state = (column, atom, offset, open_sum(column))
        if state in failed:
            return
        before = len(found)
        step(column, atom, offset)
        if len(found) == before:
            failed.add(state)

    def step(column: int, atom: int, offset: int) -> None:
        if len(found) >= limit:
            return
        _spend(budget, found)
        group = runs.get(column)
        if group is not None and atom == len(atoms) - 1 and splittable(atoms[atom]):
            # The last string of digits holds this whole group: choose its total first,
            # then the addends that add up to it (each at most the total).
            group_in(column, group, atom, offset)
            return
        if column == columns:
            if atom == len(atoms):
                found.append(tuple(cells))
            return
        if atom == len(atoms):
            return
        left = columns - column - 1  # cells still to fill after this one
        current = atoms[atom]
        if not isinstance(current, str) or not splittable(current):
            if left < len(atoms) - atom - 1 or left > after[atom + 1]:
                return
            cells[column] = current
            if fits(column):
                walk(column + 1, atom + 1, 0)
            return
        rest = current[offset:]
        addends = totals.get(column)
        parts = [cells[p] for p in addends] if addends is not None else []
        if parts and all(type(v) is int for v in parts):
            # The total is known: only its own digits can come next.
            lengths = [len(str(sum(int(v) for v in parts)))]
        else:
            lengths = list(range(1, (1 if rest[0] == "0" else len(rest)) + 1))
        for length in lengths:
            if length > len(rest) or (length > 1 and rest[0] == "0"):
                continue
            remaining = len(rest) - length
            atoms_after = len(atoms) - atom - 1 + (1 if remaining else 0)
            if left < atoms_after or left > remaining + after[atom + 1]:
                continue
            cells[column] = int(rest[:length])
            if not fits(column) or not room(column, remaining + after[atom + 1]):
                continue
            if remaining:
                walk(column + 1, atom, offset + length)
            else:
                walk(column + 1, atom + 1, 0)

    def group_in(column: int, total: int, atom: int, offset: int) -> None:
        digits = str(atoms[atom])  # a string of digits (step() made sure)
        count = total - column  # addends
        after_group = columns - total - 1  # cells after the total, from the same digits
        for end in range(offset + count, len(digits)):
            width = end - offset
            for length in range(-(-width // count), min(width - count + 2, len(digits) - end) + 1):
                if length > 1 and digits[end] == "0":
                    break
                if len(digits) - end - length < after_group or (
                    after_group == 0 and end + length != len(digits)
                ):
                    continue
                target = int(digits[end : end + length])
                for parts in _addends(digits, offset, end, count, target, budget, found):
                    cells[column:total] = parts
                    cells[total] = target
                    if end + length == len(digits):
                        walk(total + 1, atom + 1, 0)
                    else:
                        walk(total + 1, atom, end + length)
                    if len(found) >= limit:
                        return

    runs = {
        addends[0]: total
        for addends, total in sums
        if list(addends) == list(range(addends[0], total))
    }
    walk(0, 0, 0)
    return found


def _addends(
    digits: str,
    start: int,
    end: int,
    count: int,
    target: int,
    budget: list[int],
    found: list[tuple[Value, ...]],
) -> Iterator[list[int]]:
    """Splits of digits[start:end] into `count` numbers (no leading zeros) adding up to
    `target`."""
    _spend(budget, found)
    if count == 1:
        piece = digits[start:end]
        if (len(piece) == 1 or piece[0] != "0") and int(piece) == target:
            yield [target]
        return
    for cut in range(start + 1, end - count + 2):
        if cut - start > 1 and digits[start] == "0":
            break
        value = int(digits[start:cut])
        if value > target:
            break
        for rest in _addends(digits, cut, end, count - 1, target - value, budget, found):
            yield [value, *rest]


__all__ = ["CANDIDATES_SOUGHT", "DECODE_STEPS", "Exhausted", "decode", "splittable"]
