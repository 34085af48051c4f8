import numpy as np
import pytest

from tfgan.metrics import FeatureStatistics


def _features(n=500, d=16, seed=0):
    rng = np.random.default_rng(seed)
    # A large common offset makes a naive sum-of-squares covariance lose digits.
    return rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + 1e4


def test_streaming_equals_one_shot():
    x = _features()
    stats = FeatureStatistics()
    for start, stop in ((0, 1), (1, 97), (97, 300), (300, 500)):
        stats.update(x[start:stop])
    np.testing.assert_allclose(stats.mean, x.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(stats.covariance, np.cov(x, rowvar=False), rtol=1e-9,
                               atol=1e-9)
    assert stats.count == 500


def test_merge_equals_one_shot():
    x = _features()
    merged = FeatureStatistics.from_features(x[:123]).merge(
        FeatureStatistics.from_features(x[123:]))
    np.testing.assert_allclose(merged.covariance, np.cov(x, rowvar=False), rtol=1e-9,
                               atol=1e-9)


def test_float32_batches_accumulate_in_float64():
    x = _features().astype("float32")
    stats = FeatureStatistics.from_features(x)
    assert stats.covariance.dtype == np.float64
    np.testing.assert_allclose(stats.covariance, np.cov(x.astype("float64"), rowvar=False),
                               rtol=1e-9, atol=1e-9)


def test_save_load_round_trip(tmp_path):
    x = _features(n=50, d=4)
    stats = FeatureStatistics.from_features(x, metadata={"dataset": "toy", "split": "train"})
    loaded = FeatureStatistics.load(stats.save(tmp_path / "stats.npz"))
    np.testing.assert_array_equal(loaded.covariance, stats.covariance)
    np.testing.assert_array_equal(loaded.mean, stats.mean)
    assert loaded.count == 50 and loaded.metadata == {"dataset": "toy", "split": "train"}


def test_errors():
    stats = FeatureStatistics(feature_dim=3)
    with pytest.raises(ValueError, match="3 columns"):
        stats.update(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="2-D"):
        stats.update(np.zeros(3))
    stats.update(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="Received: count=1"):
        stats.covariance  # noqa: B018
