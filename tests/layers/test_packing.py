import keras
import numpy as np
import pytest

from tfgan.architectures import mlp_discriminator
from tfgan.layers import Pack


def test_vectors_pack_consecutive_samples():
    x = np.arange(12, dtype="float32").reshape(6, 2)
    out = Pack(3)(x).numpy()
    np.testing.assert_array_equal(out, [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])


def test_images_concatenate_along_channels():
    x = np.random.default_rng(0).normal(size=(8, 4, 4, 3)).astype("float32")
    out = Pack(4)(x).numpy()
    assert out.shape == (2, 4, 4, 12)
    np.testing.assert_array_equal(out[1, :, :, 3:6], x[5])
    np.testing.assert_array_equal(out[0], np.concatenate(list(x[:4]), axis=-1))
    assert Pack(4).compute_output_shape((8, 4, 4, 3)) == (2, 4, 4, 12)


def test_packed_discriminator_gives_one_logit_per_pack():
    disc = mlp_discriminator(units=4, num_layers=1, packing=4)
    assert disc(np.zeros((16, 2), "float32")).shape == (4, 1)
    restored = keras.Model.from_config(disc.get_config())
    assert restored.layers[1].packing == 4
    with pytest.raises(ValueError, match="Received: packing=0"):
        Pack(0)
