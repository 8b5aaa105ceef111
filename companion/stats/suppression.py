"""Small numbers in published tables: what is hidden, so that no count tells of fewer than
five families (pure: plain values in and out).

A table is a set of counts and the sums that tie them together (a month's cells add up
to the quarter's, every organisation's to the whole country's, the answers to a
question add up to the answers given). Each sum is an equation ``Σ coefficient × count
= 0``. Hiding follows two rules, and a reader who knows them knows this much of a
hidden count:

1. Primary: every count from 1 to `THRESHOLD` − 1 is shown as "fewer than 5" (`SMALL`):
   1-4. Zero stays zero (nothing to protect).
2. Secondary: a small count must not be worked out from the counts that are shown, what
   a reader knows of the hidden ones and the sums. Within each sum from the values each
   hidden count may take (`exposed`: two "fewer than 5" adding up to 2 are both 1), across
   sums when the shown counts and the sums determine it exactly (linear algebra,
   `determined`), and by a reader who puts both together again and again (`read`: a blank
   the first column gives away as 6 is known to the row it is in too, which may then tell
   that its two "fewer than 5" are 4 and 4). Each time one more count is hidden
   (`HIDDEN`, shown as nothing: 0 or 5 and more), the smallest that is not 0, a 0 only
   when nothing else is left; across sums one count at a time, looking again before the
   next, and at the end every count hidden on the way that the result no longer needs is
   shown again, so that no more is hidden than needed (both within groups of at most
   `SMALL_GROUP` hidden counts), and so is every blank a reader works out anyway.

What no hiding within these rules can prevent: a total of "fewer than 5" made of four
parts of "fewer than 5" (four families, each answering differently; one new grant in each
quarter) shows that each part is 1, since every count there is already hidden. Such a
sum is left as it is. And a reader who tries every value of every hidden count together
(an integer search, not sum by sum) can now and then work out more than `read` does: in 1
to 3 of 300 random tables of 2-4 rows and columns (tests/stats/test_suppression.py).

Medians and other figures about a group are not counts: they are shown only for groups
of at least `THRESHOLD` families (`enough`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

THRESHOLD = 5
#: A count of 1 to THRESHOLD - 1, shown as "fewer than 5".
SMALL = "<5"
#: A count hidden so that a small one cannot be worked out (0, or 5 and more).
HIDDEN = None

K = TypeVar("K", bound=Hashable)
#: One sum: pairs of (count key, coefficient) whose weighted total is zero,
#: e.g. ``[(quarter, 1), (jan, -1), (feb, -1), (mar, -1)]``.
Equation = Sequence[tuple[K, int]]
Published = int | str | None

_PRIME = (1 << 61) - 1  # exact arithmetic modulo a large prime (see `determined`)
_UNBOUNDED = 1 << 60
#: Groups of hidden counts tied together by sums (see `_Suppression`) of at most this
#: many are worked on one count at a time and given back what they do not need; larger
#: ones (the whole country's cube) a round at a time, which costs far less time.
SMALL_GROUP = 50


def enough(families: int) -> bool:
    """Whether a figure about a group (a median, a change) may be shown."""
    return families >= THRESHOLD


def publish(value: int, hidden: set, key) -> Published:
    """How one count is shown: itself, "fewer than 5" or nothing."""
    if key in hidden:
        return SMALL if 0 < value < THRESHOLD else HIDDEN
    return value


#: What a reader knows of a hidden count: sorted, disjoint ranges (low, high).
Ranges = tuple[tuple[int, int], ...]


def suppress(
    values: Mapping[K, int], equations: Iterable[Equation], threshold: int = THRESHOLD
) -> dict[K, Published]:
    """Every count as it may be shown: the count, `SMALL` or `HIDDEN`."""
    return _Suppression(values, equations, threshold).run()


class _Suppression:
    """One table's hiding. Hidden counts fall into groups (counts that share a sum, and
    so on); the sums' hidden parts, the groups and what the sums determine (`_Kernel`)
    are kept up to date as counts are hidden, so that nothing is solved again."""

    def __init__(self, values: Mapping, equations: Iterable[Equation], threshold: int) -> None:
        self.values = values
        self.threshold = threshold
        self.equations = [list(eq) for eq in equations if len(eq) > 1]
        self.small = {key for key, value in values.items() if 0 < value < threshold}
        self.order = {key: index for index, key in enumerate(values)}
        self.by_key: dict = {}
        for number, eq in enumerate(self.equations):
            for key, _coef in eq:
                self.by_key.setdefault(key, []).append(number)
        self.hidden: set = set()
        self.pending: set[int] = set()
        #: Each count's table: the counts that sums tie together, and so on (a cube holds
        #: one for each kind of count, tied to nothing else).
        self.table = _tables(values, self.equations)
        # The hidden part of each sum, and the groups of hidden counts sums tie together
        # (kept up to date as counts are hidden: a group only ever grows).
        self.rows: list[dict] = [{} for _eq in self.equations]
        self.parent: dict = {}
        #: Each group's number of hidden counts with a part in a sum.
        self.size: dict = {}
        self.seen_size: dict = {}
        self.kernel = _Kernel()
        #: Small counts a reader works out even with every count but the zeros hidden:
        #: hiding cannot protect them (the known limit above; see `read_all`).
        self.beyond_help: set = set()
        self.last_found: set = set()
        for key in sorted(self.small, key=self.order.__getitem__):
            self.hide(key)

    def known(self, key) -> Ranges:
        """What a reader knows of a hidden count from how it is shown: 1-4 for "fewer
        than 5", 0 or 5 and more for a blank."""
        if key in self.small:
            return ((1, self.threshold - 1),)
        return ((0, 0), (self.threshold, _UNBOUNDED))

    def exposed(self, eq: Equation) -> bool:
        return exposed(eq, self.values, self.hidden, self.small, self.known)

    def run(self) -> dict:
        while True:
            self.within_sums()
            found = self.determined() & self.small
            if not found:
                if not self.read_all():
                    break
                continue
            if not self.hide_near(found, self.nearest, self.seen_size):
                break
        self.give_back()
        self.show_worked_out()
        return {key: publish(value, self.hidden, key) for key, value in self.values.items()}

    def read_all(self) -> bool:
        """One more count hidden near each small count that a reader works out by putting
        everything together (`read`: what the sums determine and what each sum leaves of
        the hidden counts, again and again), one for each group a round. False when there
        is none but those of the known limit (pinned even with every count of their
        tables hidden but the zeros: left as they are, see above)."""
        if self.last_found:
            # Hiding more only ever lets a reader work out less: what is left to protect
            # is among the counts found last time, and only their tables need reading.
            tables = {self.table[key] for key in self.last_found}
            numbers = [n for n, eq in enumerate(self.equations) if self.table[eq[0][0]] in tables]
            found = self.read(self.hidden, numbers) & self.last_found
        else:
            found = self.read(self.hidden) & self.small
            if found:
                # What a reader works out even with every count of their tables hidden
                # but the zeros: hiding cannot protect those (the known limit above).
                tables = {self.table[key] for key in found}
                everything = {
                    key for key, value in self.values.items() if value and self.table[key] in tables
                }
                self.beyond_help |= self.read(everything) & self.small
                found -= self.beyond_help
        self.last_found = found
        return self.hide_near(found, self.open_nearest, dict(self.size))

    def hide_near(self, found: set, choose, sizes: Mapping) -> bool:
        """One more count (`choose(key)`) for one small count of each group, then look
        again: the one hidden may well protect the others of its group too. In groups
        of more than SMALL_GROUP hidden counts (`sizes`), one for each small count: fewer
        rounds where `give_back` does not reach. False when nothing was hidden."""
        done: set = set()
        hidden_any = False
        for key in sorted(found, key=self.order.__getitem__):
            group = self.root(key)
            if group in done:
                continue
            extra = choose(key)
            if extra is None:
                continue
            if sizes.get(group, 0) <= SMALL_GROUP:
                done.add(group)
            self.hide(extra)
            hidden_any = True
        return hidden_any

    def open_nearest(self, key) -> object | None:
        """The cheapest shown count that is not 0 and that no sum of its own would give
        away at once (all its other counts shown), in the sums around `key`, or failing
        that in the sums around those, and so on: a hidden 0 can only be told from 5 and
        more, so it seldom leaves a reader more than one value of a small count.
        Failing all that, `nearest`."""
        seen, ring = {key}, {key}
        while ring:
            members = self.members(ring) - seen
            useful = [k for k in members if k not in self.hidden and self.values[k] and not self.closed(k)]
            if useful:
                return self.cheapest(useful)
            seen |= members
            ring = members
        return self.nearest(key)

    def closed(self, key) -> bool:
        return any(
            all(k == key or k not in self.hidden for k, _c in self.equations[n])
            for n in self.by_key.get(key, ())
        )

    def members(self, keys: set) -> set:
        return {other for k in keys for n in self.by_key.get(k, ()) for other, _c in self.equations[n]}

    def numbers(self, keys: Iterable) -> set[int]:
        return {n for k in keys for n in self.by_key.get(k, ())}

    def read(self, hidden: set, numbers: Iterable[int] | None = None) -> set:
        """The hidden counts a reader works out (see `read`), from the sums `numbers`
        (all of them unless given; for the counts hidden now, every sum of some tables)."""
        if numbers is None:
            numbers = self.numbers(hidden)
        exact = None
        if hidden is self.hidden:
            # What the sums determine is kept up to date (`_Kernel`), and tables do not
            # share sums: the same within a table as in the whole cube.
            free = self.kernel.free
            exact = {key for key in hidden if self.order[key] not in free}
        equations = [self.equations[n] for n in numbers]
        return read(self.values, hidden, self.known, equations, exact)

    def show_worked_out(self) -> None:
        """Shows again each blank that the shown counts and the sums determine anyway (a
        month's new grants next to its quarter's and the other months'): hiding it
        protects nothing, and showing it tells a reader nothing new."""
        self.hidden -= determined(self.hidden, self.equations) - self.small

    def give_back(self) -> None:
        """Shows again, the most telling first, each count hidden on the way that the
        end result no longer needs (the rules above still hold without it). Only in
        groups of at most SMALL_GROUP hidden counts: an association's sparse tables,
        where hiding costs the most, not the whole country's cube."""
        members: dict = {}
        for key in self.hidden:
            members.setdefault(self.root(key), set()).add(key)
        extra = [key for key in self.hidden if key not in self.small]
        for key in sorted(extra, key=lambda key: (-self.values[key], self.order[key])):
            group = members[self.root(key)]
            if len(group) > SMALL_GROUP:
                continue
            self.hidden.discard(key)
            group.discard(key)
            if self.still_safe(key, group):
                continue
            self.hidden.add(key)
            group.add(key)

    def still_safe(self, key, group: set) -> bool:
        """With `key` shown: a reader works out no small count of its group (but those
        of the known limit)."""
        numbers = self.numbers(group | {key})
        return not (self.read(group, numbers) & self.small - self.beyond_help)

    def hide(self, key) -> None:
        if key in self.hidden:
            return
        self.hidden.add(key)
        self.parent.setdefault(key, key)
        column: dict[int, int] = {}
        for number in self.by_key.get(key, ()):
            self.pending.add(number)
            row = self.rows[number]
            for other in row:
                self.union(key, other)
            coef = sum(c for k, c in self.equations[number] if k == key) % _PRIME
            if coef:
                row[key] = coef
                column[number] = coef
        if column:
            root = self.root(key)
            self.size[root] = self.size.get(root, 0) + 1
        self.kernel.add(self.order[key], column)

    def within_sums(self) -> None:
        """No small count pinned by one sum and what a reader knows of its hidden counts."""
        while self.pending:
            eq = self.equations[self.pending.pop()]
            if self.exposed(eq):
                # None when every count of the sum is hidden already (see above).
                extra = self.cheapest(key for key, _coef in eq)
                if extra is not None:
                    self.hide(extra)

    def cheapest(self, candidates: Iterable) -> object | None:
        """The shown count whose hiding loses the least: the smallest that is not 0 (a 0
        is fixed by its own sums more often than not); a 0 only when nothing else is left."""
        shown = [key for key in candidates if key not in self.hidden]
        if not shown:
            return None
        return min(shown, key=lambda key: (self.values[key] == 0, self.values[key], self.order[key]))

    def nearest(self, key) -> object | None:
        """The cheapest shown count of the sums around `key`, going further out through
        hidden counts until there is one."""
        seen, ring = {key}, [key]
        while ring:
            members = {other for k in ring for n in self.by_key.get(k, ()) for other, _c in self.equations[n]}
            found = self.cheapest(members)
            if found is not None:
                return found
            ring = [k for k in members if k not in seen]
            seen.update(ring)
        return None

    def root(self, key):
        parent = self.parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a, b) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[ra] = rb
            self.size[rb] = self.size.get(rb, 0) + self.size.pop(ra, 0)

    def determined(self) -> set:
        """The hidden counts the shown ones and all the sums determine exactly (kept up
        to date as counts are hidden, see `_Kernel`)."""
        # The groups' sizes as they are now: those of this round's choices (`run`).
        self.seen_size = dict(self.size)
        free = self.kernel.free
        return {key for key in self.hidden if self.order[key] not in free}


def _tables(values: Mapping, equations: Sequence[Equation]) -> dict:
    """Each count's table (one of its counts): counts in one sum share a table."""
    parent = {key: key for key in values}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for eq in equations:
        first = root(eq[0][0])
        for key, _coef in eq[1:]:
            other = root(key)
            if other != first:
                parent[other] = first
    return {key: root(key) for key in values}


def read(
    values: Mapping, hidden: set, known, equations: Sequence[Equation], determined_first: set | None = None
) -> set:
    """The hidden counts a reader who knows the rules works out exactly: what the sums
    determine together (`determined`), and what each sum leaves of each of its hidden
    counts given what is known of the others (`known(key)`: 1-4 for "fewer than 5", 0 or
    5 and more for a blank), again with what that gave, until nothing more comes out.
    A count the reader narrows down to one value is known from then on, to every sum
    and to the linear algebra. `determined_first`: what all the sums determine, when
    already known."""
    equations = [eq for eq in equations if any(key in hidden for key, _coef in eq)]
    possible: dict = {key: known(key) for key in hidden}
    exact: set = set()
    while True:
        if determined_first is None:
            found = determined(hidden - exact, equations)
        else:
            found, determined_first = determined_first, None
        for key in found - exact:
            possible[key] = ((values[key], values[key]),)
        if not _narrow(possible, values, equations):
            break  # a sum no values fit: cannot be, the values are the real ones
        now = {key for key, ranges in possible.items() if _single(ranges)}
        if now == exact:
            return exact
        exact = now
    return exact


def _single(ranges: Ranges) -> bool:
    return len(ranges) == 1 and ranges[0][0] == ranges[0][1]


def _narrow(possible: dict, values: Mapping, equations: Sequence[Equation]) -> bool:
    """Narrows what each hidden count may be, one sum at a time, until no sum narrows
    anything more (or a generous number of steps: then the reader is a little weaker
    than it could be, never wrong)."""
    by_key: dict = {}
    parts = []
    for number, eq in enumerate(equations):
        inside = [(key, coef) for key, coef in eq if key in possible]
        total = -sum(coef * values[key] for key, coef in eq if key not in possible)
        parts.append((inside, total))
        for key, _coef in inside:
            by_key.setdefault(key, []).append(number)
    pending = set(range(len(parts)))
    steps = 50 * len(parts) + 1000
    while pending and steps:
        steps -= 1
        inside, total = parts[pending.pop()]
        for (key, _coef), fits in zip(
            inside, _fits(inside, total, [possible[k] for k, _c in inside]), strict=True
        ):
            if not fits:
                return False
            if fits != possible[key]:
                possible[key] = fits
                pending.update(by_key[key])
    return True


def exposed(eq: Equation, values: Mapping, hidden: set, small: set, known) -> bool:
    """Whether a small count of this sum can be worked out from the sum alone: with the
    shown counts and what a reader knows of each hidden one (`known(key)`), it is exposed
    when a single value of it fits the sum."""
    inside = [(key, coef) for key, coef in eq if key in hidden]
    if not any(key in small for key, _coef in inside):
        return False
    total = -sum(coef * values[key] for key, coef in eq if key not in hidden)
    return any(
        key in small and sum(high - low + 1 for low, high in fits) <= 1
        for (key, _coef), fits in zip(
            inside, _fits(inside, total, [known(k) for k, _c in inside], small), strict=True
        )
    )


def _fits(inside: Sequence[tuple], total: int, ranges: Sequence[Ranges], only=None) -> list[Ranges]:
    """For each hidden count of a sum (`inside`: count and coefficient; `ranges`: what
    each may be), the values that fit the sum (`total`: what the hidden part adds up
    to) with some values of the others; for the counts in `only` (all unless given; the
    others keep their ranges)."""
    terms = [_times(r, coef) for r, (_key, coef) in zip(ranges, inside, strict=True)]
    # The terms before each one and after it, added up once (not again for each count).
    before: list[Ranges] = [((0, 0),)]
    for term in terms[:-1]:
        before.append(_plus(before[-1], term))
    out: list[Ranges] = [()] * len(inside)
    after: Ranges = ((0, 0),)
    for index in range(len(inside) - 1, -1, -1):
        key, coef = inside[index]
        if only is None or key in only:
            others = _plus(before[index], after)
            # coef × value = total − the others: the values of this count that fit.
            out[index] = _intersect(ranges[index], _times(_plus(((total, total),), _times(others, -1)), coef))
        else:
            out[index] = ranges[index]
        after = _plus(after, terms[index])
    return out


def _times(ranges: Ranges, coef: int) -> Ranges:
    """The ranges times a coefficient of 1 or -1 (the sums' coefficients)."""
    if coef == 1:
        return ranges
    if coef == -1:
        return tuple(sorted((-high, -low) for low, high in ranges))
    raise ValueError("sums have coefficients of 1 and -1")


def _plus(a: Ranges, b: Ranges) -> Ranges:
    """Every sum of a value of `a` and one of `b`, as merged ranges."""
    if len(b) == 1:
        ((lb, hb),) = b
        if lb == hb == 0:
            return a
        if len(a) == 1:  # the usual case, quickly
            ((la, ha),) = a
            return ((max(-_UNBOUNDED, la + lb), min(_UNBOUNDED, ha + hb)),)
    spans = sorted((max(-_UNBOUNDED, la + lb), min(_UNBOUNDED, ha + hb)) for la, ha in a for lb, hb in b)
    merged: list[tuple[int, int]] = []
    for low, high in spans:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def _intersect(a: Ranges, b: Ranges) -> Ranges:
    """The values in both."""
    out = []
    for la, ha in a:
        for lb, hb in b:
            low, high = max(la, lb), min(ha, hb)
            if low <= high:
                out.append((low, high))
    return tuple(out)


def determined(hidden: set, equations: Sequence[Equation]) -> set:
    """The hidden counts that the shown ones and the sums determine exactly (for a table
    already made: `suppress` keeps the same answer up to date as it hides counts).

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
    return _unit_rows(rows)


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


class _Kernel:
    """Which hidden counts the sums determine, kept up to date one hidden count at a time.

    A hidden count is determined exactly when its unit vector lies in the row space of
    the sums' hidden parts, that is when no vector of their kernel (a way to change the
    hidden counts together and keep every sum) moves it. The kernel only grows as counts
    are hidden, so the counts some kernel vector moves (`free`) only grow too: each
    newly hidden count's column of the sums is reduced once against the columns before
    it, and nothing is solved again from the start.

    Column echelon form modulo the prime (as `_unit_rows`, the same answer): `basis`
    maps a pivot (a sum's number) to a reduced column that is 0 at every other pivot,
    with the combination of hidden counts' columns it was made of; a column that reduces
    to nothing gives a kernel vector, its combination.
    """

    def __init__(self) -> None:
        self.basis: dict[int, tuple[dict[int, int], dict[int, int]]] = {}
        #: For each sum, the pivots whose reduced column is not 0 there.
        self.holding: dict[int, set[int]] = {}
        #: The hidden counts (by number) that some kernel vector moves.
        self.free: set[int] = set()

    def add(self, count: int, column: Mapping[int, int]) -> None:
        """One more hidden count (its number) with its coefficient in each sum (by number)."""
        vector = dict(column)
        combination = {count: 1}
        for pivot in [number for number in vector if number in self.basis]:
            factor = vector[pivot]  # other pivots' columns are 0 here: still the same
            base, made = self.basis[pivot]
            _subtract(vector, base, factor)
            _subtract(combination, made, factor)
        if not vector:
            self.free.update(combination)
            return
        pivot = min(vector)
        inverse = pow(vector[pivot], _PRIME - 2, _PRIME)
        vector = {number: coef * inverse % _PRIME for number, coef in vector.items()}
        combination = {k: coef * inverse % _PRIME for k, coef in combination.items()}
        for other in list(self.holding.get(pivot, ())):
            base, made = self.basis[other]
            before = set(base)
            factor = base[pivot]
            _subtract(base, vector, factor)
            _subtract(made, combination, factor)
            for number in before - base.keys():
                self.holding[number].discard(other)
            for number in base.keys() - before:
                self.holding.setdefault(number, set()).add(other)
        self.basis[pivot] = (vector, combination)
        for number in vector:
            self.holding.setdefault(number, set()).add(pivot)
