import numpy as np
import pytest
import scipy.linalg

from tfgan.metrics import fid_from_features
from tfgan.metrics import frechet_distance
from tfgan.metrics import trace_sqrt_product


def _sqrtm_frechet(mu1, cov1, mu2, cov2):
    """The classic route (pytorch-fid / TF-GAN): scipy sqrtm of the product."""
    covmean = scipy.linalg.sqrtm(cov1 @ cov2).real
    diff = mu1 - mu2
    return diff @ diff + np.trace(cov1) + np.trace(cov2) - 2 * np.trace(covmean)


def test_identical_features_give_zero():
    x = np.random.default_rng(0).normal(size=(200, 8))
    assert abs(fid_from_features(x, x)) < 1e-9


def test_closed_form_for_commuting_gaussians():
    # Σ₁ = Q diag(a) Qᵀ, Σ₂ = Q diag(b) Qᵀ commute: d² = ‖μ₁−μ₂‖² + Σ(√aᵢ − √bᵢ)².
    rng = np.random.default_rng(1)
    q, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    a, b = rng.uniform(0.1, 4, 6), rng.uniform(0.1, 4, 6)
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    got = frechet_distance(mu1, q @ np.diag(a) @ q.T, mu2, q @ np.diag(b) @ q.T)
    assert got == pytest.approx(expected, rel=1e-10)


def test_closed_form_for_one_dimensional_gaussians():
    # N(1, 4) vs N(-2, 9): (1 + 2)² + (2 − 3)² = 10.
    assert frechet_distance([1.0], [[4.0]], [-2.0], [[9.0]]) == pytest.approx(10.0, rel=1e-12)


@pytest.mark.parametrize("n, d", [(500, 64), (100, 32)])
def test_agrees_with_scipy_sqrtm_oracle(n, d):
    rng = np.random.default_rng(d)
    x = rng.normal(size=(n, d))
    y = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) * 0.5 + 0.3
    mu1, cov1 = x.mean(0), np.cov(x, rowvar=False)
    mu2, cov2 = y.mean(0), np.cov(y, rowvar=False)
    expected = _sqrtm_frechet(mu1, cov1, mu2, cov2)
    got = frechet_distance(mu1, cov1, mu2, cov2)
    assert abs(got - expected) / expected <= 1e-6
    expected_trace = np.trace(scipy.linalg.sqrtm(cov1 @ cov2).real)
    assert trace_sqrt_product(cov1, cov2) == pytest.approx(expected_trace, rel=1e-9)


def test_is_symmetric():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(80, 5)), rng.normal(size=(80, 5)) * 2
    assert fid_from_features(x, y) == pytest.approx(fid_from_features(y, x), rel=1e-10)


def test_shape_errors():
    with pytest.raises(ValueError, match="mean1/cov1"):
        frechet_distance(np.zeros(3), np.eye(2), np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="same dimension"):
        frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))
