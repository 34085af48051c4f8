import numpy as np
import pytest

from tfgan.layers import ConstantInput


def test_the_same_learned_constant_for_every_sample(keras_round_trip):
    layer = ConstantInput(3, name="const")
    w = np.random.default_rng(0).normal(size=(5, 7)).astype("float32")
    out = layer(w).numpy()
    assert out.shape == (5, 4, 4, 3) and len(layer.trainable_weights) == 1
    np.testing.assert_array_equal(out, np.broadcast_to(layer.constant.numpy(), out.shape))
    assert out.std() > 0.1
    with pytest.raises(ValueError, match="Received: channels=0"):
        ConstantInput(0)
    keras_round_trip(layer, w)
