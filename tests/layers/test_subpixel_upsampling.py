import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan.layers import SubPixelUpsampling


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_matches_depth_to_space(scale):
    x = np.random.default_rng(scale).normal(size=(2, 3, 5, 2 * scale * scale)).astype("float32")
    out = SubPixelUpsampling(scale)(x).numpy()
    assert out.shape == (2, 3 * scale, 5 * scale, 2)
    np.testing.assert_array_equal(out, tf.nn.depth_to_space(x, scale).numpy())


def test_layout_puts_channel_blocks_on_the_pixel_grid():
    # Channel k of a 1x1 input lands at (k // 2, k % 2) of the 2x2 output (C = 1).
    x = np.arange(4, dtype="float32").reshape(1, 1, 1, 4)
    np.testing.assert_array_equal(SubPixelUpsampling(2)(x).numpy()[0, :, :, 0], [[0, 1], [2, 3]])


def test_any_input_size_in_one_model_and_keras_round_trip(keras_round_trip):
    inputs = keras.Input((None, None, 8))
    model = keras.Model(inputs, SubPixelUpsampling(2)(inputs))
    assert model.output.shape == (None, None, None, 2)
    for size in ((3, 4), (5, 2)):
        assert model(np.zeros((1, *size, 8), "float32")).shape == (1, 2 * size[0], 2 * size[1], 2)
    x = np.random.default_rng(0).normal(size=(2, 3, 3, 8)).astype("float32")
    restored = keras_round_trip(SubPixelUpsampling(2, name="shuffle"), x)
    assert restored.scale == 2


def test_refuses_bad_scale_and_indivisible_channels():
    with pytest.raises(ValueError, match="scale=1"):
        SubPixelUpsampling(1)
    with pytest.raises(ValueError, match="divisible by scale² = 4"):
        SubPixelUpsampling(2)(np.zeros((1, 2, 2, 6), "float32"))
