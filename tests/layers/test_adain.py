import numpy as np
import pytest

from tfgan.layers import AdaIN


def test_adain_equals_the_formula_on_fixed_tensors():
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(2, 3, 4, 2)).astype("float32")
    y = np.array([[2.0, -1.0, 0.5, 3.0], [0.0, 4.0, -2.0, 1.0]], "float32")  # scales | biases
    out = AdaIN(epsilon=0.0)([x, y]).numpy()
    mu = x.mean(axis=(1, 2), keepdims=True)
    sigma = x.std(axis=(1, 2), keepdims=True)
    expected = y[:, None, None, :2] * (x - mu) / sigma + y[:, None, None, 2:]
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    # Sample 1, channel 0 has scale 0: only its bias (-2) remains.
    np.testing.assert_allclose(out[1, ..., 0], -2.0, atol=1e-6)
    # The output statistics are the style's.
    np.testing.assert_allclose(out[0].mean(axis=(0, 1)), [0.5, 3.0], atol=1e-5)
    np.testing.assert_allclose(out[0].std(axis=(0, 1)), [2.0, 1.0], rtol=1e-5)


def test_adain_refuses_styles_of_the_wrong_size_and_round_trips(keras_round_trip):
    with pytest.raises(ValueError, match="scale and a bias per channel"):
        AdaIN()([np.zeros((1, 2, 2, 3), "float32"), np.zeros((1, 3), "float32")])
    rng = np.random.default_rng(1)
    inputs = [rng.normal(size=(2, 4, 4, 3)).astype("float32"),
              rng.normal(size=(2, 6)).astype("float32")]
    keras_round_trip(AdaIN(epsilon=1e-5, name="adain"), inputs)
