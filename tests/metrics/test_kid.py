import itertools

import numpy as np
import pytest

from tfgan.metrics import kernel_inception_distance
from tfgan.metrics import mmd2_unbiased


def _loop_mmd2(x, y):
    k = lambda a, b: (a @ b / x.shape[1] + 1.0) ** 3  # noqa: E731
    m = len(x)
    pairs = list(itertools.permutations(range(m), 2))
    kxx = sum(k(x[i], x[j]) for i, j in pairs) / (m * (m - 1))
    kyy = sum(k(y[i], y[j]) for i, j in pairs) / (m * (m - 1))
    kxy = sum(k(x[i], y[j]) for i in range(m) for j in range(m)) / m**2
    return kxx + kyy - 2 * kxy


def test_matches_the_definition():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 3)) + 0.5
    assert mmd2_unbiased(x, y) == pytest.approx(_loop_mmd2(x, y), rel=1e-12)


def test_unbiased_expected_value_zero_for_one_distribution():
    # Over many independent pairs of small samples from one distribution, the unbiased
    # estimates average to 0 (within 3 standard errors), while the biased V-statistic
    # (which keeps the diagonal terms) is clearly positive on the same draws.
    rng = np.random.default_rng(0)
    m, d, draws = 10, 4, 400
    unbiased, biased = [], []
    for _ in range(draws):
        x, y = rng.normal(size=(m, d)), rng.normal(size=(m, d))
        unbiased.append(mmd2_unbiased(x, y))
        kxx, kyy, kxy = ((a @ b.T / d + 1) ** 3 for a, b in ((x, x), (y, y), (x, y)))
        biased.append(kxx.mean() + kyy.mean() - 2 * kxy.mean())
    stderr = np.std(unbiased) / np.sqrt(draws)
    assert abs(np.mean(unbiased)) < 3 * stderr
    assert np.mean(biased) > 10 * np.std(biased) / np.sqrt(draws)


def test_detects_a_shift_and_averages_subsets():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(300, 8)), rng.normal(size=(300, 8)) + 1.0
    mean, std = kernel_inception_distance(x, y, num_subsets=5, subset_size=100, seed=3)
    rng = np.random.default_rng(3)
    expected = [mmd2_unbiased(x[rng.choice(300, 100, replace=False)],
                              y[rng.choice(300, 100, replace=False)]) for _ in range(5)]
    assert mean == pytest.approx(np.mean(expected), rel=1e-12)
    assert std == pytest.approx(np.std(expected), rel=1e-12)
    assert mean > 0.5


def test_errors():
    with pytest.raises(ValueError, match="equal feature sizes"):
        kernel_inception_distance(np.zeros((5, 2)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="num_subsets=0"):
        kernel_inception_distance(np.zeros((5, 2)), np.zeros((5, 2)), num_subsets=0)
