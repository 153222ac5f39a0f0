"""Inter-coder reliability: percent agreement, Cohen's kappa, Krippendorff's alpha (nominal).

Each figure is computed from a *pattern table*: how many units received each
combination of values, one value per coder in a fixed coder order (``None``
where a coder gave no value: missing data, which only alpha can use). A
table, not a list of units, because ``dossier agree`` counts hundreds of
thousands of units of which almost all share one pattern (nobody coded
them); the figures depend on the counts alone.

The arithmetic is exact (``fractions.Fraction``) and turned into a float at
the end, so a figure that should be exactly 1 or 0 is. A figure that is
undefined for the data is ``None``, never a division by zero:

- kappa when chance agreement is 1 (both coders gave every unit one and the
  same value: there is nothing to tell apart from chance), or there are no units;
- alpha when fewer than two values can be paired (no unit with two or more
  values) or every paired value is the same (no variation, so no expected
  disagreement).

Definitions: Cohen (1960), "A coefficient of agreement for nominal scales";
Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C
(nominal data, any number of coders, missing values).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction

#: One unit's values, one per coder; ``None`` where a coder gave none.
Pattern = tuple[Hashable | None, ...]


def table(units: Sequence[Sequence[Hashable | None]]) -> Counter[Pattern]:
    """The pattern table of ``units`` (each a sequence of values, one per coder): for tests and small data."""
    return Counter(tuple(unit) for unit in units)


def percent_agreement(patterns: Mapping[Pattern, int]) -> float | None:
    """The share (0 to 1) of units on which every coder who gave a value gave the same one.

    Only units with at least two values count; None if there are none.
    """
    paired = agreed = 0
    for pattern, count in patterns.items():
        values = [v for v in pattern if v is not None]
        if len(values) < 2:
            continue
        paired += count
        if all(v == values[0] for v in values):
            agreed += count
    return float(Fraction(agreed, paired)) if paired else None


def cohen_kappa(patterns: Mapping[Pattern, int]) -> float | None:
    """Cohen's kappa of two coders: (observed − chance agreement) / (1 − chance agreement).

    ``patterns`` maps ``(first coder's value, second coder's value)`` to a
    number of units; units where either value is missing are left out.
    Chance agreement is the sum over values of the product of the two
    coders' shares of that value. None when it is 1 (both coders used one
    and the same value throughout) or when there is no unit.
    """
    first: Counter[Hashable] = Counter()
    second: Counter[Hashable] = Counter()
    units = agreed = 0
    for pattern, count in patterns.items():
        if len(pattern) != 2:
            raise ValueError(f"Cohen's kappa is for two coders; a pattern has {len(pattern)} values")
        a, b = pattern
        if a is None or b is None or count == 0:
            continue
        units += count
        first[a] += count
        second[b] += count
        if a == b:
            agreed += count
    chance = sum(first[value] * second[value] for value in first)  # × 1/units² below
    if units == 0 or chance == units * units:
        return None
    # (agreed/N − chance/N²) / (1 − chance/N²), multiplied through by N².
    return float(Fraction(agreed * units - chance, units * units - chance))


def krippendorff_alpha(patterns: Mapping[Pattern, int]) -> float | None:
    """Krippendorff's alpha for nominal data: 1 − observed / expected disagreement.

    Any number of coders; ``None`` values are missing and a unit with fewer
    than two values is left out (it cannot be paired). Built on the
    coincidence matrix: a unit with ``m`` values adds ``1/(m − 1)`` for each
    ordered pair of values from different coders. With ``n_c`` the number of
    paired values equal to ``c`` and ``n`` their sum, observed disagreement
    is the off-diagonal total of the matrix, and expected disagreement is
    ``(n² − Σ n_c²) / (n − 1)``.
    """
    matrix: dict[tuple[Hashable, Hashable], Fraction] = {}
    for pattern, count in patterns.items():
        values: Counter[Hashable] = Counter(v for v in pattern if v is not None)
        m = sum(values.values())
        if m < 2 or count == 0:
            continue  # a unit with one value has nothing to be paired with
        for c, n_c in values.items():
            for k, n_k in values.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[c, k] = matrix.get((c, k), Fraction(0)) + Fraction(pairs * count, m - 1)
    totals: dict[Hashable, Fraction] = {}
    for (c, _), value in matrix.items():
        totals[c] = totals.get(c, Fraction(0)) + value
    n = sum(totals.values(), Fraction(0))
    if n < 2:
        return None
    observed = sum((value for (c, k), value in matrix.items() if c != k), Fraction(0))
    expected = (n * n - sum((t * t for t in totals.values()), Fraction(0))) / (n - 1)
    if expected == 0:
        return None  # every paired value is the same: no variation to measure agreement on
    return float(1 - observed / expected)
