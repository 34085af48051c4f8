import keras
import numpy as np
import pytest

from tfgan.layers import MinibatchDiscrimination


def test_matches_salimans_formula_in_numpy():
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    layer = MinibatchDiscrimination(num_kernels=4, kernel_dim=2,
                                    kernel_initializer=keras.initializers.RandomNormal(1.0))
    out = layer(x).numpy()
    m = (x @ layer.kernel.numpy()).reshape(5, 4, 2)
    c = np.exp(-np.abs(m[:, None] - m[None]).sum(-1))  # (5, 5, 4)
    np.testing.assert_allclose(out, np.concatenate([x, c.sum(axis=1)], axis=1), rtol=1e-5)
    assert out.shape == (5, 7)


def test_collapsed_batch_gives_batch_size_per_kernel():
    x = np.ones((6, 3), "float32")
    out = MinibatchDiscrimination(num_kernels=2, kernel_dim=3)(x).numpy()
    np.testing.assert_allclose(out[:, 3:], 6.0)  # every c_b = exp(0) = 1


def test_config_round_trip_and_validation():
    layer = MinibatchDiscrimination(num_kernels=7, kernel_dim=3)
    restored = MinibatchDiscrimination.from_config(layer.get_config())
    assert (restored.num_kernels, restored.kernel_dim) == (7, 3)
    with pytest.raises(ValueError, match=r"Received: input_shape=\(None, 2, 2\)"):
        layer.build((None, 2, 2))
