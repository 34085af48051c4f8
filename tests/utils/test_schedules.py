import keras
import numpy as np

from tfgan.utils import LinearDecay


def test_constant_then_linear_decay_to_zero():
    schedule = LinearDecay(2e-4, constant_steps=100, decay_steps=100)
    values = [float(schedule(s)) for s in (0, 99, 100, 150, 199, 200, 300)]
    np.testing.assert_allclose(values, [2e-4, 2e-4, 2e-4, 1e-4, 2e-6, 0.0, 0.0], atol=1e-9)
    clone = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(schedule))
    assert clone.get_config() == schedule.get_config()
