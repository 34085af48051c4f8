import numpy as np

from tfgan.layers import ReflectionPadding2D


def test_mirrors_without_repeating_the_edge():
    x = np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    y = ReflectionPadding2D((1, 2))(x).numpy()[0, :, :, 0]
    assert y.shape == (5, 7)
    np.testing.assert_array_equal(y[1], [2, 1, 0, 1, 2, 1, 0])
    np.testing.assert_array_equal(y[:, 2], [3, 0, 3, 6, 3])
    assert ReflectionPadding2D.from_config(ReflectionPadding2D(3).get_config()).padding == (3, 3)
