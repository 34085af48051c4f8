import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan.layers import InstanceNormalization


def test_normalizes_each_image_and_channel_independently():
    x = np.random.RandomState(0).normal(3.0, 2.0, (2, 5, 4, 3)).astype("float32")
    x[1] *= 10.0  # a different image scale must not leak into image 0
    y = InstanceNormalization()(x).numpy()
    np.testing.assert_allclose(y.mean(axis=(1, 2)), 0.0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=(1, 2)), 1.0, atol=1e-3)
    y0 = InstanceNormalization()(x[:1]).numpy()
    np.testing.assert_allclose(y[:1], y0, atol=1e-5)


def test_matches_group_normalization_with_one_group_per_channel():
    x = np.random.RandomState(1).normal(size=(2, 4, 4, 3)).astype("float32")
    ours = InstanceNormalization(epsilon=1e-3)(x).numpy()
    keras_gn = keras.layers.GroupNormalization(groups=3, epsilon=1e-3)(x).numpy()
    np.testing.assert_allclose(ours, keras_gn, atol=1e-5)


def test_scale_and_offset_apply_per_channel():
    layer = InstanceNormalization()
    x = np.random.RandomState(2).normal(size=(1, 3, 3, 2)).astype("float32")
    layer.build(x.shape)
    layer.gamma.assign([2.0, 3.0])
    layer.beta.assign([1.0, -1.0])
    y = layer(x).numpy()
    np.testing.assert_allclose(y.mean(axis=(1, 2))[0], [1.0, -1.0], atol=1e-5)
    np.testing.assert_allclose(y.std(axis=(1, 2))[0], [2.0, 3.0], atol=1e-2)


def test_config_round_trip_and_validation():
    layer = InstanceNormalization(epsilon=1e-4, center=False)
    clone = InstanceNormalization.from_config(layer.get_config())
    assert (clone.epsilon, clone.center, clone.scale) == (1e-4, False, True)
    with pytest.raises(ValueError, match="epsilon"):
        InstanceNormalization(epsilon=0)


def test_float16_gradient_of_a_small_variance_input_matches_float32():
    # σ² ≈ 1e-5: in float16 the rsqrt's gradient (σ² + ε)^-1.5 ≈ 1e7 overflows (it did
    # before the layer normalized in float32: inf gradients).
    x = np.random.RandomState(2).normal(0.0, 3e-3, (2, 4, 4, 3)).astype("float32")
    weights = np.random.RandomState(3).normal(size=x.shape).astype("float32")

    def gradient(dtype):
        layer = InstanceNormalization(dtype=dtype)
        inputs = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            y = layer(inputs)
            loss = tf.reduce_sum(tf.cast(y, "float32") * weights)
        return y.dtype, tape.gradient(loss, inputs).numpy()

    dtype16, grad16 = gradient("mixed_float16")
    dtype32, grad32 = gradient("float32")
    assert (dtype16, dtype32) == ("float16", "float32")
    assert np.isfinite(grad16).all()
    np.testing.assert_allclose(grad16, grad32, rtol=0.05, atol=0.05 * np.abs(grad32).max())
