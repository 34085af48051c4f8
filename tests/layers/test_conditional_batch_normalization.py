import numpy as np
import pytest

from tfgan.layers import ConditionalBatchNormalization


def test_starts_as_plain_batch_norm_then_uses_per_class_affine():
    x = np.random.RandomState(0).normal(2.0, 3.0, (4, 3, 3, 2)).astype("float32")
    labels = np.array([0, 1, 2, 1])
    layer = ConditionalBatchNormalization(3, epsilon=1e-5)
    y = layer([x, labels], training=True).numpy()
    np.testing.assert_allclose(y.mean(axis=(0, 1, 2)), 0.0, atol=1e-5)
    layer.gamma.assign(np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]], "float32"))
    layer.beta.assign(np.array([[0.0, 0.0], [0.0, 0.0], [5.0, -5.0]], "float32"))
    z = layer([x, labels], training=True).numpy()
    np.testing.assert_allclose(z[0], y[0], atol=1e-5)          # class 0: unchanged
    np.testing.assert_allclose(z[1], 2.0 * y[1], atol=1e-5)    # class 1: scale 1 + 1
    np.testing.assert_allclose(z[2], y[2] + np.array([5.0, -5.0]), atol=1e-5)  # class 2


def test_config_and_validation():
    layer = ConditionalBatchNormalization(4, momentum=0.9)
    clone = ConditionalBatchNormalization.from_config(layer.get_config())
    assert (clone.num_classes, clone.momentum) == (4, 0.9)
    with pytest.raises(ValueError, match="num_classes"):
        ConditionalBatchNormalization(0)
