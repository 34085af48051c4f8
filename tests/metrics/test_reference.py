import json

import keras
import numpy as np

from tfgan import metrics


class _Counting:
    """A flatten extractor that counts the images it sees."""

    def __init__(self):
        self.seen = 0

    def __call__(self, images):
        self.seen += int(images.shape[0])
        return keras.ops.reshape(images, (images.shape[0], -1))


def test_computed_once_then_read_from_cache(tmp_path):
    images = np.random.default_rng(0).uniform(-1, 1, (30, 4, 4, 1)).astype("float32")
    counter = _Counting()
    extractor = metrics.FeatureExtractor(counter, name="count")
    kwargs = dict(dataset="toy", split="test", extractor=extractor, cache_dir=tmp_path,
                  images=images, keep_features=10, batch_size=8, image_size=4)
    stats, features = metrics.reference_statistics(**kwargs)
    assert counter.seen == 30 and stats.count == 30 and features.shape == (10, 16)
    np.testing.assert_allclose(stats.covariance, np.cov(images.reshape(30, -1), rowvar=False),
                               rtol=1e-6, atol=1e-7)
    again, features_again = metrics.reference_statistics(**kwargs)
    assert counter.seen == 30  # read from the cache
    np.testing.assert_array_equal(again.covariance, stats.covariance)
    np.testing.assert_array_equal(features_again, features)
    key = metrics.cache_key("toy", "test", "count", (4, 4), None)
    assert key == "toy-test-count-4x4-all"
    # More rows than the set has are served from the cache too; fewer are a prefix.
    _, all_rows = metrics.reference_statistics(**dict(kwargs, keep_features=1000))
    assert counter.seen == 60 and all_rows.shape == (30, 16)
    _, rows = metrics.reference_statistics(**dict(kwargs, keep_features=1000))
    _, prefix = metrics.reference_statistics(**dict(kwargs, keep_features=5))
    assert counter.seen == 60 and rows.shape == (30, 16)
    np.testing.assert_array_equal(prefix, all_rows[:5])
    meta = json.loads((tmp_path / f"{key}.json").read_text())
    assert meta == {"dataset": "toy", "split": "test", "extractor": "count",
                    "resolution": [4, 4], "num_samples": None, "count": 30}
    assert again.metadata["dataset"] == "toy"


def test_num_samples_limits_and_keys_the_cache(tmp_path):
    images = np.random.default_rng(0).uniform(-1, 1, (30, 4, 4, 1)).astype("float32")
    extractor = metrics.FeatureExtractor(keras.layers.Flatten(), name="flat")
    stats, _ = metrics.reference_statistics("toy", "train", extractor, num_samples=20,
                                            cache_dir=tmp_path, images=images, batch_size=8)
    assert stats.count == 20
    np.testing.assert_allclose(stats.mean, images[:20].reshape(20, -1).mean(0), rtol=1e-6)
    assert (tmp_path / "toy-train-flat-native-20.npz").exists()


def test_embedded_mnist_reference_without_cache():
    stats, features = metrics.reference_statistics(
        "embedded-mnist", extractor=metrics.FeatureExtractor(
            keras.layers.AveragePooling2D(7), name="pool7"),
        num_samples=100, cache_dir=False, keep_features=0)
    assert stats.count == 100 and features is None and stats.feature_dim == 16
