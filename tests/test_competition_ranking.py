"""competitionlib (student_loan_event): weighted scores, ranking with tie rules, prize tiers,
upload limits (no Odoo)."""

import datetime

import pytest
from competitionlib import files, ranking
from hypothesis import given
from hypothesis import strategies as st

T0 = datetime.datetime(2025, 4, 10, 8, 0)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


def test_weighted_total():
    assert ranking.weighted_total([(90, 30), (80, 25), (70, 25), (60, 20)]) == pytest.approx(76.5)
    assert ranking.weighted_total([(88, 1)]) == 88
    assert ranking.weighted_total([]) == 0.0
    with pytest.raises(ValueError):
        ranking.weighted_total([(50, 0), (60, 0)])
    with pytest.raises(ValueError):
        ranking.weighted_total([(50, -1), (60, 2)])


def test_mean_then_top_scores_then_earlier_submission():
    entries = [
        ranking.Entry("late", (80, 80), at(30)),
        ranking.Entry("one-top", (95, 75), at(50)),
        ranking.Entry("no-top", (85, 85), at(0)),
        ranking.Entry("early", (80, 80), at(10)),
        ranking.Entry("best", (99, 97), at(99)),
    ]
    ranked = ranking.rank_entries(entries, top_threshold=90)
    assert [row.key for row in ranked] == ["best", "one-top", "no-top", "early", "late"]
    assert [row.rank for row in ranked] == [1, 2, 3, 4, 5]
    assert ranked[1].top_count == 1 and ranked[2].top_count == 0
    assert ranked[1].score == ranked[2].score == 85


def test_full_ties_share_a_rank():
    entries = [
        ranking.Entry(1, (70, 70), at(0)),
        ranking.Entry(2, (90, 90), at(5)),
        ranking.Entry(3, (70, 70), at(0)),
        ranking.Entry(4, (60, 60), at(0)),
    ]
    ranked = ranking.rank_entries(entries, top_threshold=90)
    assert [(row.key, row.rank, row.position) for row in ranked] == [(2, 1, 1), (1, 2, 2), (3, 2, 3), (4, 4, 4)]


def test_float_noise_does_not_break_a_tie():
    a = ranking.Entry("a", (ranking.weighted_total([(85, 1), (85, 2)]),), at(1))
    b = ranking.Entry("b", (85.00000000001,), at(1))
    assert [row.rank for row in ranking.rank_entries([a, b], 90)] == [1, 1]


def test_assign_tiers_in_order():
    keys = [f"w{index}" for index in range(40)]
    awarded = ranking.assign_tiers(keys, [("first", 3), ("second", 6), ("third", 10), ("mention", 12)])
    assert len(awarded) == 31
    assert [awarded[key] for key in keys[:4]] == ["first", "first", "first", "second"]
    assert awarded["w30"] == "mention" and "w31" not in awarded


def test_fewer_works_than_places():
    assert ranking.assign_tiers(["a", "b"], [("first", 3), ("second", 6)]) == {"a": "first", "b": "first"}
    with pytest.raises(ValueError):
        ranking.assign_tiers(["a"], [("first", -1)])


@given(
    st.lists(
        st.tuples(st.lists(st.integers(0, 100), min_size=1, max_size=5), st.integers(0, 500)), min_size=1, max_size=40
    )
)
def test_ranking_is_sorted_and_complete(rows):
    entries = [ranking.Entry(index, tuple(totals), at(minute)) for index, (totals, minute) in enumerate(rows)]
    ranked = ranking.rank_entries(entries, top_threshold=90)
    assert sorted(row.key for row in ranked) == list(range(len(rows)))
    keys = [(-row.score, -row.top_count, entries[row.key].submitted_at) for row in ranked]
    assert keys == sorted(keys)
    assert [row.position for row in ranked] == list(range(1, len(rows) + 1))
    assert all(row.rank <= row.position for row in ranked)


def test_file_limits():
    assert files.parse_extensions(" jpg, .PNG;pdf,jpg") == ("jpg", "png", "pdf")
    files.check_file("photo.JPG", 1000, "jpg,png", 20)
    files.check_file("anything.bin", 10, "", 0)
    with pytest.raises(files.FileProblem) as problem:
        files.check_file("virus.exe", 10, "jpg,png", 20)
    assert problem.value.code == "type" and problem.value.params["allowed"] == "jpg, png"
    with pytest.raises(files.FileProblem) as problem:
        files.check_file("big.png", 20 * 1024 * 1024 + 1, "png", 20)
    assert problem.value.code == "size"
    with pytest.raises(files.FileProblem) as problem:
        files.check_file("empty.png", 0, "png", 20)
    assert problem.value.code == "empty"
    with pytest.raises(files.FileProblem):
        files.check_file("", 10, "png", 20)
