"""Small numbers: no count below 5 is shown, and no hidden small count can be worked out
from the totals and the other cells (hypothesis builds small worlds)."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.stats import figures, suppression
from companion.stats.suppression import SMALL, exposed, suppress

COUNTS = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 30))


def table_with_totals(cells: list[list[int]]):
    """A table with its row totals, column totals and grand total, and their sums."""
    values = {}
    equations = []
    rows, cols = len(cells), len(cells[0])
    for r, c in itertools.product(range(rows), range(cols)):
        values[(r, c)] = cells[r][c]
    for r in range(rows):
        values[(r, "T")] = sum(cells[r])
        equations.append([((r, "T"), 1), *(((r, c), -1) for c in range(cols))])
    for c in range(cols):
        values[("T", c)] = sum(cells[r][c] for r in range(rows))
        equations.append([(("T", c), 1), *(((r, c), -1) for r in range(rows))])
    values[("T", "T")] = sum(map(sum, cells))
    equations.append([(("T", "T"), 1), *((("T", c), -1) for c in range(cols))])
    equations.append([(("T", "T"), 1), *(((r, "T"), -1) for r in range(rows))])
    return values, equations


def worked_out(published: dict, values: dict, equations: list) -> set:
    """Independent audit: the hidden counts the shown ones and the sums fix exactly
    (Gaussian elimination over the rationals)."""
    hidden = [key for key, shown in published.items() if shown is None or shown == SMALL]
    index = {key: i for i, key in enumerate(hidden)}
    matrix = []
    for eq in equations:
        row = [Fraction(0)] * len(hidden)
        for key, coef in eq:
            if key in index:
                row[index[key]] += coef
        if any(row):
            matrix.append(row)
    # Reduced row echelon form.
    pivots = []
    r = 0
    for c in range(len(hidden)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][c] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][c]
        matrix[r] = [x / lead for x in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][c] != 0:
                factor = matrix[i][c]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(c)
        r += 1
    found = set()
    for row in matrix[:r]:
        nonzero = [i for i, x in enumerate(row) if x != 0]
        if len(nonzero) == 1:
            found.add(hidden[nonzero[0]])
    return {key for key in found if 0 < values[key] < 5}


def reader_options(published: dict, key, cap: int):
    """What a reader who knows the rules can take a hidden count to be: 1-4 for "fewer
    than 5", 0 or 5 and more (up to `cap`) for a blank."""
    return range(1, 5) if published[key] == SMALL else [0, *range(5, cap)]


def pinned_by_one_sum(
    published: dict, values: dict, equations: list, most: int = 400_000, known_limit: bool = False
) -> set:
    """Independent audit of each sum alone, by trying every value a reader thinks possible
    for its hidden counts (sums with too many combinations to try are left out, and
    unless `known_limit`, sums with nothing shown but zeros: every count there is hidden
    already, see test_four_small_parts_of_a_small_total_are_the_known_limit)."""
    cap = sum(values.values()) + 10
    found = set()
    for eq in equations:
        inside = [(k, c) for k, c in eq if published[k] is None or published[k] == SMALL]
        smalls = [k for k, _c in inside if 0 < values[k] < 5]
        if not smalls or (not known_limit and all(published[k] in (SMALL, None, 0) for k, _c in eq)):
            continue
        options = [reader_options(published, k, cap) for k, _c in inside]
        if math.prod(len(option) for option in options) > most:
            continue
        total = -sum(c * values[k] for k, c in eq if (k, c) not in inside)
        possible = {k: set() for k in smalls}
        for combo in itertools.product(*options):
            if sum(c * v for (_k, c), v in zip(inside, combo, strict=True)) == total:
                for (k, _c), v in zip(inside, combo, strict=True):
                    if k in possible:
                        possible[k].add(v)
        found |= {k for k, seen in possible.items() if len(seen) == 1}
    return found


INFINITE = 10**12


def _spans_add(a: list, b: list) -> list:
    """Every sum of a value in `a` and one in `b` (lists of (low, high)), merged."""
    spans = sorted((la + lb, ha + hb) for la, ha in a for lb, hb in b)
    out: list = []
    for low, high in spans:
        if out and low <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return out


def _spans_negate(a: list) -> list:
    return sorted((-high, -low) for low, high in a)


def _spans_within(a: list, b: list) -> list:
    return [(max(la, lb), min(ha, hb)) for la, ha in a for lb, hb in b if max(la, lb) <= min(ha, hb)]


def narrow_spans(possible: dict, hidden: set, values: dict, equations: list) -> bool:
    """Narrows what each hidden count may be, one sum at a time, until no sum narrows
    anything more; False when some count has no value left."""
    changed = True
    while changed:
        changed = False
        for eq in equations:
            inside = [(key, coef) for key, coef in eq if key in hidden]
            total = -sum(coef * values[key] for key, coef in eq if key not in hidden)
            for key, coef in inside:
                others = [(0, 0)]
                for other, other_coef in inside:
                    if other != key:
                        spans = possible[other] if other_coef == 1 else _spans_negate(possible[other])
                        others = _spans_add(others, spans)
                rest = _spans_add([(total, total)], _spans_negate(others))
                fits = _spans_within(possible[key], rest if coef == 1 else _spans_negate(rest))
                if not fits:
                    return False
                if fits != possible[key]:
                    possible[key], changed = fits, True
    return True


def read_everything(published: dict, values: dict, equations: list) -> set:
    """Independent audit of a reader who puts everything together: what all the sums fix
    exactly (over the rationals), and what each sum leaves of each hidden count given
    what is known of the others ("fewer than 5": 1-4, a blank: 0 or 5 and more), again
    with everything found so far, until nothing more comes out. The small counts it
    works out."""
    hidden = {key for key, shown in published.items() if shown is None or shown == SMALL}
    possible = {key: [(1, 4)] if published[key] == SMALL else [(0, 0), (5, INFINITE)] for key in hidden}
    known: set = set()
    while True:
        # All the sums together, with what is known so far as if shown.
        shown_now = {key: (values[key] if key in known else shown) for key, shown in published.items()}
        for key in worked_out(shown_now, dict.fromkeys(values, 1), equations):
            possible[key] = [(values[key], values[key])]
        # Each sum alone, until none narrows anything more.
        narrow_spans(possible, hidden, values, equations)
        now = {key for key, spans in possible.items() if spans[0][0] == spans[-1][1]}
        if now == known:
            break
        known = now
    return {key for key in known if 0 < values[key] < 5}


def every_combination(published: dict, values: dict, equations: list) -> set:
    """The small counts a reader who tries every value works out: for each, whether any
    other value of 1-4 still lets every sum add up (a search over what each hidden count
    may be; slow, for small tables only)."""
    hidden = {key for key, shown in published.items() if shown is None or shown == SMALL}
    start = {key: [(1, 4)] if published[key] == SMALL else [(0, 0), (5, INFINITE)] for key in hidden}

    def fits_somehow(possible: dict) -> bool:
        possible = dict(possible)
        if not narrow_spans(possible, hidden, values, equations):
            return False
        open_ = [key for key, spans in possible.items() if spans[0][0] != spans[-1][1]]
        if not open_:
            return True
        key = open_[0]
        spans = possible[key]
        if len(spans) > 1:
            halves = [[span] for span in spans]
        else:
            ((low, high),) = spans
            halves = [[(low, (low + high) // 2)], [((low + high) // 2 + 1, high)]]
        return any(fits_somehow({**possible, key: half}) for half in halves)

    return {
        key
        for key in hidden
        if 0 < values[key] < 5
        and not any(fits_somehow({**start, key: [(v, v)]}) for v in range(1, 5) if v != values[key])
    }


def check(values: dict, equations: list) -> dict:
    published = suppress(values, equations)
    for key, value in values.items():
        shown = published[key]
        # No figure below the threshold: 1-4 is always "<5", a shown number is 0 or 5+.
        if 0 < value < 5:
            assert shown == SMALL, (key, value, shown)
        else:
            assert shown in (value, None), (key, value, shown)
    # Nothing worked out beyond the known limit (four "fewer than 5" making a "fewer
    # than 5"), which the sums alone may give away too: a grand total less the other
    # columns' totals is that small total, and hiding more would not protect it.
    found = worked_out(published, values, equations) | read_everything(published, values, equations)
    assert not found or found <= beyond_help(values, equations), found
    return published


def beyond_help(values: dict, equations: list) -> set:
    """The small counts a reader works out even when every count but the zeros is
    hidden: no hiding can protect them (the known limit, see
    test_four_small_parts_of_a_small_total_are_the_known_limit)."""
    everything_hidden = {
        key: (0 if value == 0 else SMALL if value < 5 else None) for key, value in values.items()
    }
    return read_everything(everything_hidden, values, equations)


def tables(counts, least: int):
    """Tables of `least` to 4 rows and columns of these counts."""
    return st.integers(least, 4).flatmap(
        lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols), min_size=least, max_size=4)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables(COUNTS, 1))
def test_tables_with_totals_hide_small_counts_and_their_differences(cells):
    values, equations = table_with_totals(cells)
    check(values, equations)


def test_a_single_small_cell_takes_a_second_one_with_it():
    values, equations = table_with_totals([[3, 10], [12, 20]])
    published = suppress(values, equations)
    assert published[(0, 0)] == SMALL
    hidden = [key for key, shown in published.items() if shown is None]
    assert hidden, "the small cell alone could be worked out from its row total"
    assert worked_out(published, values, equations) == set()


def test_two_small_cells_that_add_up_to_two_are_not_left_alone():
    # 1 + 1 + 10 = 12: with 10 shown, both "<5" would be 1 (two "<5" that make 2).
    values = {"a": 1, "b": 1, "c": 10, "t": 12}
    equations = [[("t", 1), ("a", -1), ("b", -1), ("c", -1)]]
    published = suppress(values, equations)
    assert published["a"] == published["b"] == SMALL
    assert published["c"] is None or published["t"] is None
    assert pinned_by_one_sum(published, values, equations) == set()


def test_a_sum_with_many_blanks_is_still_checked():
    # 7 = "fewer than 5" + 5 + nine blanks: a blank is 0 or 5 and more, so the blanks can
    # only be 0 and the "fewer than 5" is 2 (the check once gave up past 8 blanks).
    keys = [f"b{n}" for n in range(9)]
    values = {"t": 7, "a": 2, "c": 5, **dict.fromkeys(keys, 0)}
    equation = [("t", 1), ("a", -1), ("c", -1), *((key, -1) for key in keys)]
    known = {"a": ((1, 4),), **dict.fromkeys(keys, ((0, 0), (5, 1 << 60)))}
    assert exposed(equation, values, {"a", *keys}, {"a"}, known.__getitem__)
    published = suppress(values, [equation])
    hidden = {key for key, shown in published.items() if shown in (SMALL, None)}
    known.update({key: known["b0"] for key in hidden if key not in known})
    assert published["a"] == SMALL and not exposed(equation, values, hidden, {"a"}, known.__getitem__)


def test_four_small_parts_of_a_small_total_are_the_known_limit():
    # Each part is 1: every count is hidden already, nothing else is hidden for it, and
    # the rule is written down (companion/stats/suppression.py, the README).
    values = {"given": 4, "a": 1, "b": 1, "c": 1, "d": 1, "e": 0}
    equations = [[("given", 1), *((key, -1) for key in "abcde")]]
    published = suppress(values, equations)
    assert [published[key] for key in ("given", "a", "b", "c", "d")] == [SMALL] * 5
    assert pinned_by_one_sum(published, values, equations, known_limit=True) == {"given", "a", "b", "c", "d"}


def test_the_known_limit_may_show_through_the_sums_alone():
    # The last column is four 1s under a total of "fewer than 5": it can only be 4, and so
    # can the grand total less the other columns' totals. Hiding those too protects
    # nothing, so they stay shown.
    values, equations = table_with_totals([[2, 0, 3, 1]] * 4)
    published = check(values, equations)
    assert published[("T", 0)] == 8 and published[("T", "T")] == 24
    assert worked_out(published, values, equations) == {("T", 3)}
    assert ("T", 3) in beyond_help(values, equations)


def test_a_count_the_sums_give_away_is_known_to_the_other_sums_too():
    # Row 0: 6 (hidden) + 0 + "<5" + "<5" = 14. The first column (6 + 6 = 12) gives the 6
    # away, and then the two "fewer than 5" of row 0 add up to 8: both would be 4.
    values, equations = table_with_totals([[6, 0, 4, 4], [6, 4, 1, 3]])
    published = check(values, equations)
    assert published[(0, 2)] == published[(0, 3)] == SMALL


def test_a_chain_of_sums_is_followed_to_its_end():
    # One new grant in March and one in September, eight in November, in one association
    # (the whole country the same): the fourth quarter's 8 is its months' (all shown), so
    # a blank there tells nothing, and the year's 10 would then give 1 + 1 away.
    months: dict = {"org": {}}
    for month, new in ((3, 1), (9, 1), (11, 8)):
        months["org"][month] = figures.Month()
        months["org"][month].add("new", new)
    cube = figures.build_cube(2026, months)
    names = [key for key in cube.counts if key[2] == "new_grants_count"]
    values = {key: cube.counts[key] for key in names}
    equations = [eq for eq in cube.equations if all(key in values for key, _coef in eq)]
    published = check(values, equations)
    assert published[("org", "2026-03", "new_grants_count")] == SMALL
    assert published[("org", "2026-09", "new_grants_count")] == SMALL


def test_what_only_trying_every_combination_finds_is_the_known_limit():
    # A reader who tries every value of every hidden count at once finds more than one who
    # works sum by sum and solves them all together: here, that the "<5" in the first row's
    # second column is 4 (it takes the first row, the second and third columns and the
    # third row together, each count limited to 1-4 or to 0 and 5 and more). The hiding
    # protects against the reader of `read_everything`; such combinations are the rest
    # (the README says so; 1 to 3 of 300 random small tables).
    values, equations = table_with_totals([[4, 4, 0, 1], [8, 2, 4, 5], [0, 4, 1, 0]])
    published = check(values, equations)
    assert read_everything(published, values, equations) == set()
    assert every_combination(published, values, equations) == {(0, 1)}


def needed(published: dict, values: dict, equations: list) -> list:
    """The blanks that could not be shown: showing any one of them alone again lets an
    audit work a small count out."""
    out = []
    for key, shown in published.items():
        if shown is None:
            again = {**published, key: values[key]}
            found = read_everything(again, values, equations)
            if found and found - beyond_help(values, equations):
                out.append(key)
    return out


SPARSE = st.one_of(st.just(0), st.just(0), st.integers(1, 4), st.integers(5, 12))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables(SPARSE, 2))
def test_sparse_tables_hide_no_more_than_needed(cells):
    values, equations = table_with_totals(cells)
    published = check(values, equations)
    blanks = [key for key, shown in published.items() if shown is None]
    assert needed(published, values, equations) == blanks


def test_a_sparse_years_months_hide_no_more_than_needed():
    # One association, a few grants in April and December: the months, quarters and the
    # year, with the whole country the same association.
    month = {4: 3, 12: 6}
    months = {"org": {}}
    for number, amount in month.items():
        months["org"][number] = figures.Month()
        months["org"][number].add("new", amount)
    cube = figures.build_cube(2026, months)
    published = check(cube.counts, cube.equations)
    blanks = [key for key, shown in published.items() if shown is None]
    assert needed(published, cube.counts, cube.equations) == blanks
    # The year's 9 (6 + 3) and the quarter's 6 tell nothing of April's 3 on their own.
    assert published[("org", "2026-04", "new_grants_count")] == SMALL
    assert len(blanks) <= 4, blanks


def months_of(draw_counts: list[list[dict]]) -> dict:
    out = {}
    for org, months in enumerate(draw_counts):
        out[f"org{org}"] = {}
        for number, counts in enumerate(months, start=1):
            month = figures.Month()
            for key, value in counts.items():
                month.add(key, value)
            out[f"org{org}"][number] = month
    return out


MONTH_COUNTS = st.fixed_dictionaries(
    {
        "new": COUNTS,
        "active_start": st.integers(0, 12),
        "opens": COUNTS,
        "helped.a_lot": COUNTS,
        "helped.somewhat": COUNTS,
        "recommend.yes": st.integers(0, 0),
        "age.months_0_3": COUNTS,
    }
)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(MONTH_COUNTS, min_size=12, max_size=12), min_size=1, max_size=2))
def test_a_years_cube_of_organisations_months_quarters_and_the_country(worlds):
    months = months_of(worlds)
    for org in months.values():  # feedback given is the answers to "did it help"
        for month in org.values():
            answers = month.counts.get("helped.a_lot", 0) + month.counts.get("helped.somewhat", 0)
            month.add("feedback", answers)
            month.add("recommend.not_sure", answers)
    cube = figures.build_cube(2026, months)
    check(cube.counts, cube.equations)


def test_medians_need_five_families():
    month = figures.Month()
    for days in (30, 40, 50, 60):
        month.value("grant_days", days)
    cube = figures.build_cube(2026, {"a": {3: month}})
    assert cube.medians[("a", "2026-03", "grant_days_median")] is None
    month.value("grant_days", 70)
    cube = figures.build_cube(2026, {"a": {3: month}})
    assert cube.medians[("a", "2026-03", "grant_days_median")] == 50
    assert cube.medians[("a", "2026-Q1", "grant_days_median")] == 50


def test_active_grants_are_those_active_at_the_start_and_those_made():
    jan, feb = figures.Month(), figures.Month()
    jan.add("active_start", 7)
    jan.add("new", 5)
    feb.add("active_start", 9)
    feb.add("new", 6)
    cube = figures.build_cube(2026, {"a": {1: jan, 2: feb}})
    assert cube.counts[("a", "2026-01", figures.ACTIVE)] == 12
    assert cube.counts[("a", "2026-02", figures.ACTIVE)] == 15
    assert cube.counts[("a", "2026-Q1", figures.ACTIVE)] == 7 + 5 + 6
    assert cube.counts[("*", "2026", "new_grants_count")] == 11


def test_change_over_the_work_needs_enough_logged_days():
    day = figures.DayValues(True, 3, 200, 90)
    later = figures.DayValues(True, 1, 320, 40)
    gap = figures.DayValues(False, 0, 0, 0)
    days = [day] * 7 + [gap] * 21 + [later] * 28
    assert figures.change_over_work(days) == {
        "night_wakings": (3.0, 1.0),
        "longest_sleep_minutes": (200.0, 320.0),
        "crying_minutes": (90.0, 40.0),
    }
    assert figures.change_over_work([gap] * 4 + [day] * 3 + [gap] * 21 + [later] * 28) is None
    assert figures.change_over_work(days[:50]) is None


def test_the_usual_answer_is_the_most_frequent_the_latest_of_equals():
    assert figures.usual_answer([2, 2, 4]) == 2
    assert figures.usual_answer([2, 4]) == 4
    assert figures.usual_answer([]) is None


def test_age_bands():
    from datetime import date

    on = date(2026, 6, 15)
    assert figures.age_band(None, on) == "pregnancy"
    assert figures.age_band(date(2026, 7, 1), on) == "pregnancy"
    assert figures.age_band(date(2026, 3, 16), on) == "months_0_3"
    assert figures.age_band(date(2026, 2, 15), on) == "months_4_6"
    assert figures.age_band(date(2025, 6, 15), on) == "months_7_12"
    assert figures.age_band(date(2025, 5, 1), on) == "over_12_months"


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables(SPARSE, 1), st.randoms(use_true_random=False))
def test_what_the_hiding_keeps_up_to_date_is_what_solving_again_finds(cells, rng):
    # The hidden counts the sums determine are kept up to date one hidden count at a
    # time; solving every sum's hidden part again from the start finds the same counts.
    values, equations = table_with_totals(cells)
    hiding = suppression._Suppression(values, equations, suppression.THRESHOLD)
    shown = [key for key in values if key not in hiding.hidden]
    rng.shuffle(shown)
    for key in [None, *shown]:
        if key is not None:
            hiding.hide(key)
        found = hiding.determined()
        assert found == suppression.determined(hiding.hidden, equations)
        assert found == worked_out_all(hiding, equations)


def worked_out_all(hiding, equations: list) -> set:
    """Every hidden count (small or not) the sums fix, by the audit over the rationals."""
    published = {key: (None if key in hiding.hidden else value) for key, value in hiding.values.items()}
    everything = {key: 1 for key in hiding.values}  # each hidden count counts as small here
    return worked_out(published, everything, equations)


def test_a_blank_the_shown_figures_give_away_shows_its_figure():
    # One association made a grant in April; another one in August, 12 in September. The
    # whole country's 13 new grants of the third quarter could be worked out from its 13
    # active ones (none active on 1 July) and its months: left blank beside them, it hid
    # nothing and only lost a figure, as did the first association's quarters of 0.
    months: dict = {"first": {}, "second": {}}
    for org, month, new in (("first", 4, 1), ("second", 8, 1), ("second", 9, 12)):
        months[org][month] = figures.Month()
        months[org][month].add("new", new)
    cube = figures.build_cube(2026, months)
    published = check(cube.counts, cube.equations)
    quarters = figures.periods_of(2026, "quarter")
    assert [published[("*", q, "new_grants_count")] for q in quarters] == [0, SMALL, 13, 0]
    assert [published[("*", q, figures.ACTIVE)] for q in quarters] == [0, SMALL, 13, 0]
    assert [published[("first", q, "new_grants_count")] for q in quarters] == [0, SMALL, 0, 0]
    blanks = {key for key, shown in published.items() if shown is None}
    assert not blanks & worked_out({**published}, dict.fromkeys(cube.counts, 1), cube.equations)
