"""Small numbers in published tables: what is hidden, so that no count tells of fewer than
five families (pure: plain values in and out).

A table is a set of counts and the sums that tie them together (a month's cells add up
to the quarter's, every organisation's to the whole country's, the answers to a
question add up to the answers given). Each sum is an equation ``Σ coefficient × count
= 0``. Hiding follows two rules:

1. Primary: every count from 1 to `THRESHOLD` − 1 is shown as "fewer than 5" (`SMALL`);
   zero stays zero (nothing to protect).
2. Secondary: a hidden count must not be worked out from the counts that are shown and
   the sums. Within each sum, a hidden count could be worked out when it is the only
   hidden one, or when the others hidden with it leave it a single possible value (two
   "fewer than 5" adding up to 2 are both 1); across sums, when the shown counts and the
   sums together determine it (exact linear algebra, `determined`). Each time, one more
   count of that sum is hidden (`HIDDEN`, shown as nothing): the smallest that is not
   zero, so that as little as possible is lost.

Medians and other figures about a group are not counts: they are shown only for groups
of at least `THRESHOLD` families (`enough`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

THRESHOLD = 5
#: A count from 1 to THRESHOLD - 1, shown as "fewer than 5".
SMALL = "<5"
#: A count hidden so that a small one cannot be worked out from the others.
HIDDEN = None

K = TypeVar("K", bound=Hashable)
#: One sum: pairs of (count key, coefficient) whose weighted total is zero,
#: e.g. ``[(quarter, 1), (jan, -1), (feb, -1), (mar, -1)]``.
Equation = Sequence[tuple[K, int]]
Published = int | str | None

_PRIME = (1 << 61) - 1  # exact arithmetic modulo a large prime (see `determined`)
_UNBOUNDED = 1 << 60


def enough(families: int) -> bool:
    """Whether a figure about a group (a median, a change) may be shown."""
    return families >= THRESHOLD


def publish(value: int, hidden: set, key) -> Published:
    """How one count is shown."""
    if key in hidden:
        return SMALL if 0 < value < THRESHOLD else HIDDEN
    return value


def suppress(
    values: Mapping[K, int], equations: Iterable[Equation], threshold: int = THRESHOLD
) -> dict[K, Published]:
    """Every count as it may be shown: the count, `SMALL` or `HIDDEN`."""
    equations = [list(eq) for eq in equations if len(eq) > 1]
    small = {key for key, value in values.items() if 0 < value < threshold}
    hidden = set(small)
    by_key: dict[K, list[int]] = {}
    for number, eq in enumerate(equations):
        for key, _coef in eq:
            by_key.setdefault(key, []).append(number)
    order = {key: index for index, key in enumerate(values)}

    def cheapest(candidates: Iterable[K]) -> K | None:
        shown = [key for key in candidates if key not in hidden]
        if not shown:
            return None
        # The smallest count that is not zero; a zero only when nothing else is left.
        return min(shown, key=lambda key: (values[key] == 0, values[key], order[key]))

    def nearest(key: K) -> K | None:
        """The cheapest shown count of the sums around `key`, going further out through
        hidden counts until there is one."""
        seen, ring = {key}, [key]
        while ring:
            members = {other for k in ring for n in by_key.get(k, ()) for other, _c in equations[n]}
            found = cheapest(members)
            if found is not None:
                return found
            ring = [k for k in members if k not in seen]
            seen.update(ring)
        return None

    pending = set(range(len(equations)))
    memo: dict = {}

    def hide(key: K) -> None:
        hidden.add(key)
        pending.update(by_key.get(key, ()))

    while True:
        # Within each sum: no small count on its own, none pinned by what a reader knows.
        while pending:
            eq = equations[pending.pop()]
            if exposed(eq, values, hidden, threshold):
                extra = cheapest(key for key, _coef in eq)
                if extra is not None:
                    hide(extra)
        # Across sums: no small count that the shown counts and all the sums determine.
        found = determined(hidden, equations, memo) & small
        for key in sorted(found, key=order.__getitem__):
            extra = nearest(key)
            if extra is not None:
                hide(extra)
        if not pending:
            break
    return {key: publish(value, hidden, key) for key, value in values.items()}


#: More hidden counts in one sum than this: too many cases to tell apart for a reader.
_MOST_CASES = 8


def exposed(eq: Equation, values: Mapping, hidden: set, threshold: int = THRESHOLD) -> bool:
    """Whether a small count of this sum can be worked out from the sum alone.

    A reader knows the shown counts, that a "fewer than 5" is 1-4 and that a count shown
    as nothing is 0 or at least 5. Each way of reading the blanks (0, or 5 and more)
    that fits the sum gives each small count a range; it is exposed when every reading
    leaves it one and the same value.
    """
    inside = [(key, coef) for key, coef in eq if key in hidden]
    smalls = [(key, coef) for key, coef in inside if 0 < values[key] < threshold]
    if not smalls:
        return False
    if len(inside) == 1:
        return True
    blanks = [key for key, _coef in inside if not 0 < values[key] < threshold]
    if len(blanks) > _MOST_CASES:
        return False
    total = -sum(coef * values[key] for key, coef in eq if key not in hidden)
    seen: dict = {key: set() for key, _coef in smalls}
    for case in range(1 << len(blanks)):
        bounds = {key: (1, threshold - 1) for key, _coef in smalls}
        for bit, key in enumerate(blanks):
            bounds[key] = (threshold, _UNBOUNDED) if case >> bit & 1 else (0, 0)
        ranges = _ranges(inside, bounds, total)
        if ranges is None:
            continue  # this reading does not fit the sum
        for key, _coef in smalls:
            seen[key].add(ranges[key])
    return any(_single(found) for found in seen.values())


def _single(found: set) -> bool:
    """Every reading gave the same single value."""
    return len(found) == 1 and next(iter(found))[0] == next(iter(found))[1]


def _ranges(inside: list, bounds: dict, total: int) -> dict | None:
    """Each hidden count's possible range given Σ coef × count = total and the bounds,
    or None when the bounds cannot make the total."""
    spans = []
    for key, coef in inside:
        low, high = bounds[key]
        spans.append((coef * low, coef * high) if coef > 0 else (coef * high, coef * low))
    all_low = sum(lo for lo, _hi in spans)
    all_high = sum(hi for _lo, hi in spans)
    if not all_low <= total <= all_high:
        return None
    out = {}
    for (key, coef), (lo, hi) in zip(inside, spans, strict=True):
        low_term, high_term = total - (all_high - hi), total - (all_low - lo)
        if coef < 0:
            low_term, high_term = -high_term, -low_term
        low, high = bounds[key]
        out[key] = (max(low, -(-low_term // abs(coef))), min(high, high_term // abs(coef)))
    return out


def determined(hidden: set, equations: Sequence[Equation], memo: dict | None = None) -> set:
    """The hidden counts that the shown ones and the sums determine exactly.

    Only the hidden part of each sum matters (the shown counts are constants): a hidden
    count is determined exactly when its unit vector lies in the row space of those
    parts, that is when the reduced row echelon form has a row with it alone. Worked out
    modulo a 61-bit prime: exact for these small whole coefficients except with a
    vanishing chance, and then on the safe side (a count reported determined is hidden
    with another).
    """
    rows = []
    for eq in equations:
        row: dict = {}
        for key, coef in eq:
            if key in hidden:
                row[key] = (row.get(key, 0) + coef) % _PRIME
        row = {key: coef for key, coef in row.items() if coef}
        if row:
            rows.append(row)
    found = set()
    for component in _components(rows):
        # A group of hidden counts that did not change since last time has the same answer.
        keys = frozenset(key for row in component for key in row)
        if memo is not None and keys in memo:
            found |= memo[keys]
            continue
        answer = _unit_rows(component)
        if memo is not None:
            memo[keys] = answer
        found |= answer
    return found


def _components(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by the hidden counts they share (each group solved on its own)."""
    parent: dict = {}

    def root(key):
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row in rows:
        keys = list(row)
        for key in keys[1:]:
            parent[root(key)] = root(keys[0])
    groups: dict = {}
    for row in rows:
        groups.setdefault(root(next(iter(row))), []).append(row)
    return list(groups.values())


def _unit_rows(rows: list[dict]) -> set:
    """Reduced row echelon form of sparse rows; the keys of rows left with one entry."""
    pivots: dict = {}  # pivot key -> row (normalised: pivot coefficient 1)
    for original in rows:
        row = dict(original)
        # Pivot rows hold no other pivot's key: one pass clears them all from the row.
        for key in [k for k in row if k in pivots]:
            if key in row:
                _subtract(row, pivots[key], row[key])
        if not row:
            continue
        pivot = min(row, key=repr)
        inverse = pow(row[pivot], _PRIME - 2, _PRIME)
        row = {key: coef * inverse % _PRIME for key, coef in row.items()}
        for other in pivots.values():
            if pivot in other:
                _subtract(other, row, other[pivot])
        pivots[pivot] = row
    return {pivot for pivot, row in pivots.items() if len(row) == 1}


def _subtract(row: dict, pivot_row: dict, factor: int) -> None:
    """row -= factor × pivot_row (mod the prime), dropping zeros."""
    for key, coef in pivot_row.items():
        value = (row.get(key, 0) - factor * coef) % _PRIME
        if value:
            row[key] = value
        else:
            row.pop(key, None)
