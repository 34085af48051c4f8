import numpy as np

from tfgan.layers import StyleMixing
from tfgan.layers import mix_styles


def test_layers_before_the_crossover_come_from_the_first_styles(keras_round_trip):
    ws = np.zeros((3, 5, 2), "float32")
    ws_mix = np.ones((3, 5, 2), "float32")
    crossover = np.array([0, 2, 7], "int32")
    mixed = mix_styles(ws, ws_mix, crossover).numpy()
    np.testing.assert_array_equal(mixed[:, :, 0], [[1, 1, 1, 1, 1], [0, 0, 1, 1, 1],
                                                   [0, 0, 0, 0, 0]])
    np.testing.assert_array_equal(mix_styles(ws, ws_mix, 3).numpy()[:, :, 1],
                                  [[0, 0, 0, 1, 1]] * 3)
    keras_round_trip(StyleMixing(name="mixing"), [ws, ws_mix, crossover])
