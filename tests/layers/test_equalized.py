import numpy as np
import pytest
import tensorflow as tf

from tfgan.layers import EqualizedConv2D
from tfgan.layers import EqualizedDense


def test_dense_scales_its_unit_normal_weights_at_run_time():
    layer = EqualizedDense(3, lr_multiplier=0.1, bias_init=0.5)
    x = np.random.default_rng(0).normal(size=(4, 16)).astype("float32")
    out = layer(x).numpy()
    kernel = layer.kernel.numpy()
    # Stored weights have std 1 / lr_multiplier; the effective ones He's 1/√fan_in.
    np.testing.assert_allclose(kernel.std(), 10.0, rtol=0.3)
    np.testing.assert_allclose(layer.bias.numpy(), 5.0)  # stored bias_init / lr_multiplier
    np.testing.assert_allclose(out, x @ kernel * (0.1 / 4.0) + 0.5, rtol=1e-5, atol=1e-6)


def test_dense_leaky_relu_has_gain_sqrt_two():
    layer = EqualizedDense(2, activation="leaky_relu", use_bias=False)
    x = np.random.default_rng(1).normal(size=(3, 4)).astype("float32")
    layer(x)
    linear = x @ (layer.kernel.numpy() / 2.0)
    expected = np.where(linear > 0, linear, 0.2 * linear) * np.sqrt(2.0)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_conv_equals_a_convolution_with_the_scaled_kernel():
    layer = EqualizedConv2D(2, kernel_size=3)
    x = np.random.default_rng(2).normal(size=(2, 5, 5, 3)).astype("float32")
    out = layer(x).numpy()
    layer_kernel = layer.kernel.numpy() / np.sqrt(27.0)
    np.testing.assert_allclose(out, tf.nn.conv2d(x, layer_kernel, 1, "SAME").numpy(),
                               rtol=1e-5, atol=1e-5)


def test_validation_and_round_trips(keras_round_trip):
    with pytest.raises(ValueError, match="Received: lr_multiplier=0"):
        EqualizedDense(2, lr_multiplier=0)
    with pytest.raises(ValueError, match="Received: activation='relu'"):
        EqualizedConv2D(2, activation="relu")
    rng = np.random.default_rng(3)
    keras_round_trip(EqualizedDense(3, 0.01, activation="leaky_relu",
                                                     name="dense"),
                            rng.normal(size=(2, 5)).astype("float32"))
    keras_round_trip(EqualizedConv2D(2, 1, name="conv"),
                            rng.normal(size=(2, 4, 4, 3)).astype("float32"))
