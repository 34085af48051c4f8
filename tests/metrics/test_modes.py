import numpy as np
import pytest

from tfgan.datasets import grid_of_gaussians
from tfgan.datasets import ring_of_gaussians
from tfgan.metrics import mode_coverage


def test_true_distribution_scores_all_modes_and_about_99_percent_high_quality():
    ring = ring_of_gaussians()
    samples, _ = ring.sample(2500, seed=0)
    score = mode_coverage(samples, ring.means, ring.std)
    assert score["modes"] == 8
    # Within 3σ in 2D: P(χ²₂ ≤ 9) = 1 - exp(-4.5) = 0.9889.
    np.testing.assert_allclose(score["high_quality"], 1 - np.exp(-4.5), atol=0.01)
    assert score["reverse_kl"] < 0.01


def test_collapsed_samples_capture_one_mode_with_kl_log_k():
    grid = grid_of_gaussians()
    samples = np.tile(grid.means[7], (100, 1))
    score = mode_coverage(samples, grid.means, grid.std)
    assert score["modes"] == 1 and score["high_quality"] == 1.0
    np.testing.assert_allclose(score["reverse_kl"], np.log(25))
    assert score["histogram"][7] == 100


def test_hand_checked_example():
    means = np.array([[0.0, 0.0], [1.0, 0.0]])
    samples = np.array([[0.02, 0.0], [0.99, 0.0], [0.5, 0.0], [0.0, 0.031], [1.0, 0.0]])
    score = mode_coverage(samples, means, std=0.01)
    # High quality: rows 0, 1, 4 (row 2 is 0.5 away, row 3 is 3.1σ away).
    np.testing.assert_allclose(score["high_quality"], 3 / 5)
    assert score["modes"] == 2 and list(score["histogram"]) == [1, 2]
    p = np.array([1 / 3, 2 / 3])
    np.testing.assert_allclose(score["reverse_kl"], np.sum(p * np.log(2 * p)))


def test_no_high_quality_sample_gives_infinite_kl_and_shape_errors():
    ring = ring_of_gaussians()
    score = mode_coverage(np.zeros((10, 2)), ring.means, ring.std)
    assert score["modes"] == 0 and score["high_quality"] == 0.0
    assert score["reverse_kl"] == float("inf")
    with pytest.raises(ValueError, match="Received: samples.shape=\\(10, 3\\)"):
        mode_coverage(np.zeros((10, 3)), ring.means, ring.std)
