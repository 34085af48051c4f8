"""Kernel Inception Distance: unbiased MMD² with a cubic polynomial kernel."""

import numpy as np
from tfgan.utils.validation import check_positive_int


def polynomial_kernel(x, y, degree=3, gamma=None, coef0=1.0):
    """k(x, y) = (γ·xᵀy + c)^degree with γ = 1/d by default (Bińkowski et al. 2018)."""
    gamma = 1.0 / x.shape[1] if gamma is None else gamma
    return (gamma * (x @ y.T) + coef0) ** degree


def mmd2_unbiased(x, y, degree=3, gamma=None, coef0=1.0):
    """The unbiased estimate of MMD² between two samples of equal size m.

        MMD²ᵤ = Σ_{i≠j} k(xᵢ,xⱼ)/(m(m−1)) + Σ_{i≠j} k(yᵢ,yⱼ)/(m(m−1)) − 2·Σ_{i,j} k(xᵢ,yⱼ)/m²

    Its expectation is exactly MMD² (0 when both samples come from one distribution).
    """
    m = x.shape[0]
    kxx = polynomial_kernel(x, x, degree, gamma, coef0)
    kyy = polynomial_kernel(y, y, degree, gamma, coef0)
    kxy = polynomial_kernel(x, y, degree, gamma, coef0)
    within = (kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1))
    return float(within - 2.0 * kxy.sum() / (m * m))


def kernel_inception_distance(features1, features2, num_subsets=100, subset_size=1000,
                              seed=0):
    """KID (Bińkowski et al. 2018): the mean unbiased MMD² over random subsets.

    Each of `num_subsets` draws takes `m = min(subset_size, n₁, n₂)` rows of each feature
    set without replacement and evaluates `mmd2_unbiased` with k(x, y) = (xᵀy/d + 1)³.
    Defaults (100 subsets of 1000) follow StyleGAN2-ADA's `kid50k`. Unlike FID, KID is an
    unbiased estimator, so values from different sample counts are comparable.

    Args:
        features1, features2: arrays `(n, d)` (held in memory; float64 internally).
        num_subsets: number of subsets averaged.
        subset_size: rows per subset (capped by the smaller sample).
        seed: seed of the subset draws.

    Returns:
        `(mean, std)` of the subset estimates, as Python floats.
    """
    x = np.asarray(features1, dtype="float64")
    y = np.asarray(features2, dtype="float64")
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError("`features1` and `features2` must be 2-D with equal feature sizes. "
                         f"Received: shapes {x.shape} and {y.shape}")
    check_positive_int("num_subsets", num_subsets)
    m = min(int(subset_size), x.shape[0], y.shape[0])
    if m < 2:
        raise ValueError(f"KID needs at least 2 samples per set. Received: subset_size="
                         f"{subset_size}, sizes {x.shape[0]} and {y.shape[0]}")
    rng = np.random.default_rng(seed)
    values = np.array([
        mmd2_unbiased(x[rng.choice(x.shape[0], m, replace=False)],
                      y[rng.choice(y.shape[0], m, replace=False)])
        for _ in range(int(num_subsets))
    ])
    return float(values.mean()), float(values.std())
