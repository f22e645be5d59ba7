"""Exact integer splits (plain Python, no Odoo import).

The synthetic province must reproduce the bulletin's totals to the contract and to the yuan, so
every split of a total into parts is done on integers: the parts always add up to the total.
"""

import math


def split_exact(total, weights, caps=None):
    """Split the integer ``total`` into ``len(weights)`` non-negative integers proportional to
    ``weights`` (largest-remainder method), each at most ``caps[i]``; the parts add up to ``total``.

    Parts whose cap is reached give their share to the others. Zero weights get nothing unless
    the parts with a weight cannot take the whole total.

    :raises ValueError: when the total is negative or the caps cannot hold it.
    """
    count = len(weights)
    if total < 0:
        raise ValueError(f"Cannot split a negative total ({total}).")
    if any(weight < 0 for weight in weights):
        raise ValueError("Weights cannot be negative.")
    caps = list(caps) if caps is not None else [total] * count
    if len(caps) != count:
        raise ValueError("There must be one cap per weight.")
    if any(cap < 0 for cap in caps) or sum(caps) < total:
        raise ValueError(f"The caps (sum {sum(caps)}) cannot hold the total {total}.")
    parts = [0] * count
    remaining = total
    while remaining:
        open_parts = [index for index in range(count) if parts[index] < caps[index]]
        weighted = [index for index in open_parts if weights[index] > 0]
        if weighted:
            weight_sum = sum(weights[index] for index in weighted)
            shares = {index: remaining * weights[index] / weight_sum for index in weighted}
        else:  # only parts without weight have room left: even shares
            shares = {index: remaining / len(open_parts) for index in open_parts}
        given = 0
        fractions = {}
        for index, share in shares.items():
            whole = math.floor(share)
            amount = min(caps[index] - parts[index], whole, remaining - given)
            parts[index] += amount
            given += amount
            if amount == whole and parts[index] < caps[index]:
                fractions[index] = share - whole
        if given == 0 or len(fractions) == len(shares):
            # no part was capped (or nothing moved): the rest, one each, largest remainder first
            for index in sorted(fractions, key=lambda index: (-fractions[index], index))[: remaining - given]:
                parts[index] += 1
                given += 1
        remaining -= given
    return parts


def fit_amounts(amounts, lows, highs, total, quantum=1):
    """Adjust ``amounts`` (integers within ``lows``/``highs``) so that they add up to ``total``.

    The difference is spread in steps of ``quantum`` in proportion to each amount's room to
    move (amounts at their bound do not move), so the shape of the distribution is kept; a
    remainder smaller than ``quantum`` goes to the first amount that has room for it.

    :raises ValueError: when the bounds cannot reach the total.
    """
    amounts = list(amounts)
    if not lows or len(lows) != len(amounts) or len(highs) != len(amounts):
        raise ValueError("There must be one low and one high bound per amount.")
    if not sum(lows) <= total <= sum(highs):
        raise ValueError(f"The total {total} is outside the bounds ({sum(lows)} to {sum(highs)}).")
    for amount, low, high in zip(amounts, lows, highs, strict=True):
        if not low <= amount <= high:
            raise ValueError(f"The amount {amount} is outside its bounds ({low} to {high}).")
    difference = total - sum(amounts)
    sign = 1 if difference > 0 else -1
    steps, remainder = divmod(abs(difference), quantum)
    rooms = [
        ((high - amount) if sign > 0 else (amount - low)) // quantum
        for amount, low, high in zip(amounts, lows, highs, strict=True)
    ]
    if steps > sum(rooms):  # not enough whole steps: move in single yuan
        steps, remainder, quantum = abs(difference), 0, 1
        rooms = [
            (high - amount) if sign > 0 else (amount - low)
            for amount, low, high in zip(amounts, lows, highs, strict=True)
        ]
    if steps:
        for index, step in enumerate(split_exact(steps, rooms, caps=rooms)):
            amounts[index] += sign * step * quantum
    if remainder:
        for index, (amount, low, high) in enumerate(zip(amounts, lows, highs, strict=True)):
            if (high - amount if sign > 0 else amount - low) >= remainder:
                amounts[index] += sign * remainder
                break
        else:
            raise ValueError(f"No amount has room for the remainder {remainder}.")
    return amounts
