import numpy as np
import pytest

from tfgan.layers import ConditionedBatchNormalization


def test_gain_and_bias_are_linear_in_the_condition(keras_round_trip):
    rng = np.random.RandomState(0)
    x = rng.normal(2.0, 3.0, (4, 3, 3, 2)).astype("float32")
    condition = rng.normal(size=(4, 5)).astype("float32")
    layer = ConditionedBatchNormalization(epsilon=1e-5, kernel_initializer="zeros")
    plain = layer([x, condition], training=True).numpy()  # zero kernels: plain BN
    np.testing.assert_allclose(plain.mean(axis=(0, 1, 2)), 0.0, atol=1e-5)
    np.testing.assert_allclose(plain.std(axis=(0, 1, 2)), 1.0, atol=1e-3)
    w_gain = rng.normal(size=(5, 2)).astype("float32")
    w_bias = rng.normal(size=(5, 2)).astype("float32")
    layer.gain.kernel.assign(w_gain)
    layer.bias.kernel.assign(w_bias)
    y = layer([x, condition], training=True).numpy()
    gain = 1.0 + condition @ w_gain
    bias = condition @ w_bias
    np.testing.assert_allclose(y, plain * gain[:, None, None] + bias[:, None, None],
                               rtol=1e-4, atol=1e-4)
    keras_round_trip(layer, [x, condition])


def test_config_and_validation():
    layer = ConditionedBatchNormalization(momentum=0.9, kernel_initializer="zeros")
    clone = ConditionedBatchNormalization.from_config(layer.get_config())
    assert clone.momentum == 0.9 and clone.get_config() == layer.get_config()
    with pytest.raises(ValueError, match="Received: input_shape"):
        ConditionedBatchNormalization()([np.zeros((2, 4, 4, 3)), np.zeros((2, 1, 5))])
