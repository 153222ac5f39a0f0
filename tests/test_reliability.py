"""Percent agreement, Cohen's kappa and Krippendorff's alpha: textbook examples, the `krippendorff` package, properties."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.reliability import cohen_kappa, krippendorff_alpha, percent_agreement, table

krippendorff = pytest.importorskip("krippendorff")  # the test extra's oracle


def two_by_two(both_yes: int, only_first: int, only_second: int, both_no: int) -> Counter:
    """A pattern table from a 2×2 contingency table of two coders' yes/no answers."""
    return Counter({("yes", "yes"): both_yes, ("yes", "no"): only_first, ("no", "yes"): only_second, ("no", "no"): both_no})


# --- Cohen's kappa: the worked examples of Wikipedia's "Cohen's kappa" ("Examples") -----------


def test_kappa_of_the_grant_proposals() -> None:
    # 50 proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15.
    # p_o = 35/50 = 0.7; A says yes to 25 (0.5), B to 30 (0.6): p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.2/0.5 = 0.4.
    assert cohen_kappa(two_by_two(20, 5, 10, 15)) == pytest.approx(0.4)
    assert percent_agreement(two_by_two(20, 5, 10, 15)) == pytest.approx(0.7)


def test_kappa_differs_where_percent_agreement_does_not() -> None:
    # Both tables agree on 60 of 100; Wikipedia gives κ = 0.1304 and 0.2593.
    first, second = two_by_two(45, 15, 25, 15), two_by_two(25, 35, 5, 35)
    assert percent_agreement(first) == percent_agreement(second) == pytest.approx(0.6)
    assert cohen_kappa(first) == pytest.approx(0.1304, abs=5e-5)
    assert cohen_kappa(second) == pytest.approx(0.2593, abs=5e-5)


# --- Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" ------------------------


# Section A: two observers, binary data, ten units.
OBSERVER_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
OBSERVER_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def test_alpha_of_two_observers_binary_by_hand() -> None:
    # Coincidences: each unit adds its two ordered pairs. Units 4, 5, 7, 8, 10 add 2 to o₀₀ each (10);
    # unit 2 adds 2 to o₁₁; units 1, 3, 6, 9 add 1 to o₀₁ and 1 to o₁₀ each (4 and 4).
    # n₀ = 14, n₁ = 6, n = 20: α = 1 − (n − 1)·o₀₁ / (n₀·n₁) = 1 − 19·4/84 = 8/84 = 0.095 (the paper's figure).
    patterns = table(list(zip(OBSERVER_A, OBSERVER_B, strict=True)))
    assert krippendorff_alpha(patterns) == pytest.approx(8 / 84)
    assert round(krippendorff_alpha(patterns) or 0, 3) == 0.095
    # The same data by Cohen: 6 of 10 alike; A codes 2 ones, B 4: p_e = 0.2·0.4 + 0.8·0.6 = 0.56;
    # κ = (0.6 − 0.56)/(1 − 0.56) = 1/11.
    assert cohen_kappa(patterns) == pytest.approx(1 / 11)
    assert percent_agreement(patterns) == pytest.approx(0.6)


def test_alpha_of_four_observers_nominal_with_missing_values() -> None:
    # Section C: four observers, twelve units, values 1–5, some missing; the paper gives α = 0.743.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    alpha = krippendorff_alpha(table(list(zip(a, b, c, d, strict=True))))
    assert alpha == pytest.approx(0.743, abs=5e-4)
    assert alpha == pytest.approx(_oracle([a, b, c, d]))


# --- undefined figures ------------------------------------------------------------


def test_no_variation_leaves_kappa_and_alpha_undefined() -> None:
    everyone_no = Counter({("no", "no"): 30})
    assert cohen_kappa(everyone_no) is None and krippendorff_alpha(everyone_no) is None
    assert percent_agreement(everyone_no) == 1.0


def test_nothing_to_pair_is_undefined() -> None:
    assert cohen_kappa(Counter()) is None and krippendorff_alpha(Counter()) is None and percent_agreement(Counter()) is None
    one_value_per_unit = table([[1, None], [None, 2], [3, None]])
    assert krippendorff_alpha(one_value_per_unit) is None and percent_agreement(one_value_per_unit) is None
    assert cohen_kappa(one_value_per_unit) is None


def test_kappa_is_for_two_coders() -> None:
    with pytest.raises(ValueError, match="two coders"):
        cohen_kappa(table([[1, 1, 0]]))


def test_one_sided_disagreement_is_zero_not_undefined() -> None:
    # One coder never uses the value the other used once: chance explains everything; kappa and alpha are 0.
    # kappa: p_o = 0.9, p_e = 0.9·1 + 0.1·0 = 0.9. alpha: n₀ = 19, n₁ = 1, o₀₁ = 1: 1 − 19·1/(19·1) = 0.
    patterns = Counter({(0, 0): 9, (1, 0): 1})
    assert cohen_kappa(patterns) == 0.0
    assert krippendorff_alpha(patterns) == 0.0


# --- against the `krippendorff` package, and properties -----------------------------


def _oracle(coders: list[list[int | None]]) -> float:
    """The `krippendorff` package's nominal alpha of coders × units data (None: missing)."""
    data = np.array([[np.nan if v is None else v for v in coder] for coder in coders], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):  # it answers nan (0/0) where the figure is undefined
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


@st.composite
def codings(draw: st.DrawFn, missing: bool = True) -> list[list[int | None]]:
    """coders × units nominal data: 2–5 coders, 1–25 units, values 0–3, some missing."""
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(1, 25))
    values = st.integers(0, draw(st.integers(1, 3)))
    value = st.one_of(st.none(), values) if missing else values
    return [draw(st.lists(value, min_size=units, max_size=units)) for _ in range(coders)]


@settings(max_examples=200, deadline=None)
@given(codings())
def test_alpha_matches_the_krippendorff_package(coders: list[list[int | None]]) -> None:
    ours = krippendorff_alpha(table(list(zip(*coders, strict=True))))
    try:
        theirs = _oracle(coders)
    except ValueError:  # it refuses data with one value only, or no unit with two values
        theirs = math.nan
    if ours is None:
        assert math.isnan(theirs)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


def _kappa_by_definition(first: list[int], second: list[int]) -> float | None:
    """Cohen's kappa written out in floats, straight from the definition."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    chance = sum((first.count(v) / n) * (second.count(v) / n) for v in set(first) | set(second))
    return None if chance == 1 else (observed - chance) / (1 - chance)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=40))
def test_kappa_matches_its_definition_and_stays_in_range(pairs: list[tuple[int, int]]) -> None:
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    kappa = cohen_kappa(table(list(zip(first, second, strict=True))))
    expected = _kappa_by_definition(first, second)
    assert (kappa is None) == (expected is None)
    if kappa is not None:
        assert kappa == pytest.approx(expected)
        assert -1 <= kappa <= 1


@settings(max_examples=100, deadline=None)
@given(codings())
def test_alpha_and_agreement_stay_in_range(coders: list[list[int | None]]) -> None:
    patterns = table(list(zip(*coders, strict=True)))
    alpha, agreement = krippendorff_alpha(patterns), percent_agreement(patterns)
    assert alpha is None or -1 <= alpha <= 1
    assert agreement is None or 0 <= agreement <= 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=30), st.integers(2, 5))
def test_perfect_agreement_is_one(values: list[int], coders: int) -> None:
    patterns = table([[v] * coders for v in values])
    assert percent_agreement(patterns) == 1.0
    varied = len(set(values)) > 1
    assert krippendorff_alpha(patterns) == (1.0 if varied else None)
    if coders == 2:
        assert cohen_kappa(patterns) == (1.0 if varied else None)
