import numpy as np
import pytest

from tfgan.datasets import GaussianMixture
from tfgan.datasets import grid_of_gaussians
from tfgan.datasets import mixture_dataset
from tfgan.datasets import ring_of_gaussians


def test_ring_has_eight_distinct_modes_on_unit_circle():
    ring = ring_of_gaussians()
    assert ring.num_modes == 8 and ring.std == 0.01
    np.testing.assert_allclose(np.linalg.norm(ring.means, axis=1), 1.0)
    angles = np.sort(np.mod(np.arctan2(ring.means[:, 1], ring.means[:, 0]), 2 * np.pi))
    np.testing.assert_allclose(angles, 2 * np.pi * np.arange(8) / 8, atol=1e-12)
    # No duplicate mode (the linspace(0, 2π, 8) bug makes the first and last coincide).
    gaps = np.linalg.norm(ring.means[:, None] - ring.means[None], axis=-1)
    assert gaps[~np.eye(8, dtype=bool)].min() > 0.76  # 2·sin(π/8) ≈ 0.765


def test_grid_has_twenty_five_modes():
    grid = grid_of_gaussians()
    assert grid.num_modes == 25 and grid.std == 0.05
    assert sorted(set(grid.means[:, 0])) == [-4, -2, 0, 2, 4]
    assert len({tuple(m) for m in grid.means}) == 25


def test_samples_are_seeded_and_have_the_right_spread():
    ring = ring_of_gaussians()
    x, k = ring.sample(20_000, seed=1)
    y, _ = ring.sample(20_000, seed=1)
    np.testing.assert_array_equal(x, y)
    assert x.dtype == np.float32 and x.shape == (20_000, 2)
    np.testing.assert_allclose(np.std(x - ring.means[k]), 0.01, rtol=0.02)
    np.testing.assert_allclose(np.bincount(k) / 20_000, 1 / 8, atol=0.01)


def test_dataset_streams_fresh_batches_from_the_mixture():
    grid = grid_of_gaussians()
    batches = [b.numpy() for b in mixture_dataset(grid, 512, seed=3).take(3)]
    assert batches[0].shape == (512, 2)
    assert not np.array_equal(batches[0], batches[1])
    again = next(iter(mixture_dataset("grid25", 512, seed=3))).numpy()
    np.testing.assert_array_equal(again, batches[0])
    points = np.concatenate(batches)
    distances = np.linalg.norm(points[:, None] - grid.means[None], axis=-1)
    assert distances.min(axis=1).max() < 6 * 0.05  # every point sits on a mode
    assert len(np.unique(distances.argmin(axis=1))) == 25  # and all modes are drawn
    with pytest.raises(ValueError, match="Received: mixture='moons'"):
        mixture_dataset("moons", 4)


def test_validation():
    with pytest.raises(ValueError, match="Received: std=0"):
        GaussianMixture([[0.0, 0.0]], 0)
