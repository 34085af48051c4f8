import keras
import numpy as np
import pytest

from tfgan.layers import MinibatchStdDev


def reference(x, group_size):
    """ProGAN's statistic in numpy: sample i is in group i mod (batch / group_size)."""
    n = len(x)
    m = n // group_size
    stats = np.empty(n)
    for i in range(n):
        members = x[np.arange(i % m, n, m)]
        stats[i] = np.mean(np.sqrt(members.var(axis=0) + 1e-8))
    return stats


def test_images_get_one_constant_channel_with_group_statistic():
    x = np.random.default_rng(0).normal(size=(8, 3, 3, 2)).astype("float32")
    out = MinibatchStdDev(group_size=4)(x).numpy()
    assert out.shape == (8, 3, 3, 3)
    np.testing.assert_array_equal(out[..., :2], x)
    np.testing.assert_allclose(out[:, 0, 0, 2], reference(x, 4), rtol=1e-5)
    np.testing.assert_allclose(out[..., 2], out[:, :1, :1, 2] * np.ones((1, 3, 3)), rtol=1e-6)


def test_features_and_identical_samples_give_zero_diversity():
    x = np.tile(np.arange(5, dtype="float32"), (4, 1))
    out = MinibatchStdDev(group_size=2)(x).numpy()
    assert out.shape == (4, 6)
    np.testing.assert_allclose(out[:, 5], 1e-4, rtol=1e-3)  # sqrt(0 + 1e-8)
    y = np.random.default_rng(1).normal(size=(4, 5)).astype("float32")
    np.testing.assert_allclose(MinibatchStdDev(group_size=2)(y).numpy()[:, 5],
                               reference(y, 2), rtol=1e-5)


def test_group_larger_than_batch_uses_whole_batch_and_config_round_trips():
    x = np.random.default_rng(2).normal(size=(2, 4)).astype("float32")
    layer = MinibatchStdDev(group_size=4, num_channels=2)
    out = layer(x).numpy()
    expected = np.sqrt(x.reshape(2, 2, 2).var(axis=0) + 1e-8).mean(axis=-1)
    np.testing.assert_allclose(out[:, 4:], np.tile(expected, (2, 1)), rtol=1e-5)
    restored = MinibatchStdDev.from_config(layer.get_config())
    assert (restored.group_size, restored.num_channels) == (4, 2)
    with pytest.raises(ValueError, match="Received: group_size=0"):
        MinibatchStdDev(group_size=0)
