"""Scoring and ranking of competition works (plain Python, no Odoo import).

A judge scores a work on weighted criteria; the judge's total is the weighted mean of the criterion
scores. A work's score is the mean of its judges' totals. Works are ranked by:

1. the score, highest first;
2. the number of "top scores" (judges' totals at or above a threshold), most first;
3. the submission time, earliest first.

Works still equal after the three rules share a rank (competition ranking: 1, 2, 2, 4); the order
between them is then their key, so the result is deterministic. Prize tiers are filled in ranking
order, each with its number of places.
"""

from dataclasses import dataclass

from .errors import LibError, _lt

# Scores are compared after rounding, so that 85.0 and 84.99999999 (float noise) tie.
SCORE_DIGITS = 4


def weighted_total(scores):
    """Weighted mean of ``[(score, weight), ...]``; 0.0 for no criteria.

    :raises ValueError: on a negative weight or when every weight is zero.
    """
    scores = list(scores)
    if not scores:
        return 0.0
    if any(weight < 0 for _score, weight in scores):
        raise LibError(_lt("A criterion weight cannot be negative."))
    total_weight = sum(weight for _score, weight in scores)
    if not total_weight:
        raise LibError(_lt("The criteria weights add up to zero."))
    return sum(score * weight for score, weight in scores) / total_weight


@dataclass(frozen=True)
class Entry:
    """A work to rank: ``key`` identifies it, ``totals`` are its judges' totals."""

    key: object
    totals: tuple
    submitted_at: object  # anything ordered (datetime); earlier wins a tie


@dataclass(frozen=True)
class Ranked:
    key: object
    score: float
    top_count: int
    rank: int
    position: int  # 1-based place in the ranking (distinct even when ranks tie)


def mean_score(totals):
    totals = list(totals)
    return round(sum(totals) / len(totals), SCORE_DIGITS) if totals else 0.0


def rank_entries(entries, top_threshold):
    """Rank ``entries`` (iterable of :class:`Entry`) with the tie rules of the module docstring."""
    rows = []
    for entry in entries:
        score = mean_score(entry.totals)
        top_count = sum(1 for total in entry.totals if round(total, SCORE_DIGITS) >= top_threshold)
        rows.append((entry, score, top_count))
    rows.sort(key=lambda row: (-row[1], -row[2], row[0].submitted_at, row[0].key))
    result = []
    previous = None
    rank = 0
    for position, (entry, score, top_count) in enumerate(rows, start=1):
        criteria = (score, top_count, entry.submitted_at)
        if criteria != previous:
            rank = position
            previous = criteria
        result.append(Ranked(key=entry.key, score=score, top_count=top_count, rank=rank, position=position))
    return result


def assign_tiers(ranked_keys, tiers):
    """Give the first places to the tiers in order.

    :param ranked_keys: keys in ranking order (best first)
    :param tiers: ``[(tier_key, places), ...]`` best tier first
    :return: ``{key: tier_key}`` for the works that win a place
    """
    result = {}
    keys = iter(ranked_keys)
    for tier_key, places in tiers:
        if places < 0:
            raise LibError(_lt("A prize tier cannot have a negative number of places."))
        for _place in range(places):
            key = next(keys, None)
            if key is None:
                return result
            result[key] = tier_key
    return result
