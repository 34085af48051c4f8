import numpy as np
import pytest

from tfgan.layers import MappingNetwork


def numpy_mapping(layer, z):
    x = z / np.sqrt(np.mean(z ** 2, axis=-1, keepdims=True) + 1e-8)
    for dense in layer.dense_layers:
        x = x @ dense.kernel.numpy() * dense.scale + dense.bias.numpy() * 0.01
        x = np.where(x > 0, x, 0.2 * x) * np.sqrt(2.0)
    return x


def test_mapping_is_pixel_norm_then_slow_leaky_mlp():
    layer = MappingNetwork(6, num_layers=3)
    z = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    w = layer(z).numpy()
    assert w.shape == (4, 6) and len(layer.trainable_weights) == 6
    np.testing.assert_allclose(w, numpy_mapping(layer, z), rtol=1e-4, atol=1e-5)
    # Pixel norm: the scale of z does not matter.
    np.testing.assert_allclose(layer(3.0 * z).numpy(), w, rtol=1e-4, atol=1e-5)
    assert layer.dense_layers[0].lr_multiplier == 0.01


def test_validation_and_round_trip(keras_round_trip):
    with pytest.raises(ValueError, match="Received: num_layers=0"):
        MappingNetwork(4, num_layers=0)
    z = np.random.default_rng(1).normal(size=(2, 3)).astype("float32")
    keras_round_trip(MappingNetwork(4, num_layers=2, name="mapping"), z)
