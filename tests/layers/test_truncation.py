import numpy as np
import pytest

from tfgan.layers import Truncation
from tfgan.layers import truncate


def test_truncate_lerps_towards_the_average_in_the_first_layers():
    rng = np.random.default_rng(0)
    ws = rng.normal(size=(2, 4, 3)).astype("float32")
    w_avg = rng.normal(size=3).astype("float32")
    np.testing.assert_allclose(truncate(ws, w_avg, 1.0), ws, atol=1e-7)
    np.testing.assert_allclose(truncate(ws, w_avg, 0.0), np.broadcast_to(w_avg, ws.shape))
    half = truncate(ws, w_avg, 0.5, truncation_cutoff=2).numpy()
    np.testing.assert_allclose(half[:, :2], 0.5 * (ws[:, :2] + w_avg), rtol=1e-6)
    np.testing.assert_array_equal(half[:, 2:], ws[:, 2:])
    per_sample = truncate(ws, w_avg, np.array([0.0, 1.0], "float32")).numpy()
    np.testing.assert_allclose(per_sample[0], np.broadcast_to(w_avg, (4, 3)))
    np.testing.assert_allclose(per_sample[1], ws[1], atol=1e-7)


def test_layer_holds_its_w_avg_and_round_trips(keras_round_trip):
    with pytest.raises(ValueError, match="Received: truncation_cutoff=0"):
        Truncation(3, truncation_cutoff=0)
    rng = np.random.default_rng(1)
    ws = rng.normal(size=(2, 4, 3)).astype("float32")
    psi = np.array([0.3, 0.8], "float32")
    layer = Truncation(3, truncation_cutoff=3, name="truncation")
    layer([ws, psi])
    layer.w_avg.assign(rng.normal(size=3).astype("float32"))
    np.testing.assert_allclose(layer([ws, psi]).numpy(),
                               truncate(ws, layer.w_avg.numpy(), psi, 3).numpy(), rtol=1e-6)
    restored = keras_round_trip(layer, [ws, psi])
    np.testing.assert_array_equal(restored.w_avg.numpy(), layer.w_avg.numpy())
