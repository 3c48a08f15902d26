"""nearest_in_runs must pick exactly what findings.nearest picks, only faster."""
from hypothesis import given, settings, strategies as st

from factlint.findings import nearest
from factlint.rules._nearest import Run, nearest_in_runs

lines_strategy = st.lists(st.integers(min_value=1, max_value=60), max_size=60)


def _claims(lines: list[int], tag: str) -> list[dict]:
    return [{"line": line, "id": f"{tag}{i}"} for i, line in enumerate(lines)]


@settings(max_examples=300, deadline=None)
@given(runs=st.lists(st.tuples(lines_strategy, st.booleans()), max_size=4),
       line=st.integers(min_value=-5, max_value=70), limit=st.integers(min_value=1, max_value=8))
def test_same_pick_as_findings_nearest(runs, line, limit):
    claims = [_claims(sorted(lines) if in_order else lines, f"r{n}-") for n, (lines, in_order) in enumerate(runs)]
    expected = nearest([c for run in claims for c in run], line, limit)
    assert nearest_in_runs([Run.of(run) for run in claims], line, limit) == expected


def test_many_cells_on_one_line_keep_the_earliest():
    claims = _claims([5] * 30 + [6] * 30, "a")
    kept, left_off = nearest_in_runs([Run.of(claims)], 6, 4)
    assert [c["id"] for c in kept] == ["a30", "a31", "a32", "a33"] and left_off == 56


def test_key_reads_the_line_of_any_item():
    items = [(line, str(line)) for line in range(100)]
    kept, left_off = nearest_in_runs([Run.of(items, key=lambda item: item[0])], 50, 3)
    assert kept == [(49, "49"), (50, "50"), (51, "51")] and left_off == 97
