import numpy as np
import pytest

from tfgan.layers import NoiseInjection


def test_strength_starts_at_zero_and_scales_given_noise_per_channel():
    x = np.random.default_rng(0).normal(size=(2, 3, 3, 2)).astype("float32")
    layer = NoiseInjection()
    np.testing.assert_array_equal(layer(x, training=True).numpy(), x)  # strength 0
    layer.strength.assign([2.0, -1.0])
    noise = np.random.default_rng(1).normal(size=(2, 3, 3, 1)).astype("float32")
    out = layer(x, noise=noise).numpy()
    np.testing.assert_allclose(out, x + noise * np.array([2.0, -1.0]), rtol=1e-6)


def test_inference_noise_is_fixed_by_the_seed_and_training_noise_is_fresh():
    x = np.zeros((3, 4, 4, 1), "float32")
    a, b, c = NoiseInjection(seed=3), NoiseInjection(seed=3), NoiseInjection(seed=4)
    for layer in (a, b, c):
        layer.build(x.shape)
        layer.strength.assign([1.0])
    const = a(x, training=False).numpy()
    np.testing.assert_array_equal(const, b(x, training=False).numpy())
    np.testing.assert_array_equal(const[0], const[2])  # the same map for every sample
    assert not np.allclose(const, c(x, training=False).numpy())
    np.testing.assert_allclose(const[0, ..., 0].std(), 1.0, atol=0.5)
    first, second = a(x, training=True).numpy(), a(x, training=True).numpy()
    assert not np.allclose(first, second) and not np.allclose(first[0], first[1])
    off = NoiseInjection(noise_mode="none")
    off.build(x.shape)
    off.strength.assign([1.0])
    np.testing.assert_array_equal(off(x, training=False).numpy(), x)


def test_validation_and_round_trip(keras_round_trip):
    with pytest.raises(ValueError, match="Received: noise_mode='fixed'"):
        NoiseInjection(noise_mode="fixed")
    layer = NoiseInjection(seed=5, name="noise")
    layer.build((None, 4, 4, 2))
    layer.strength.assign([0.5, 1.5])
    x = np.random.default_rng(2).normal(size=(2, 4, 4, 2)).astype("float32")
    restored = keras_round_trip(layer, x)  # const noise saved with it
    np.testing.assert_array_equal(restored.noise_const.numpy(), layer.noise_const.numpy())
