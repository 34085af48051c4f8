"""Fixtures of the layer tests."""

import keras
import numpy as np
import pytest


def assert_keras_round_trip(tmp_path, layer, inputs, call=None):
    """Saves a model around `layer` (`inputs`: one array or a list), loads it and checks
    that the loaded model gives the same outputs; returns the loaded layer."""
    arrays = inputs if isinstance(inputs, list) else [inputs]
    symbolic = [keras.Input(a.shape[1:], name=f"in_{i}") for i, a in enumerate(arrays)]
    outputs = (call or (lambda l, x: l(x)))(layer, symbolic if len(symbolic) > 1 else symbolic[0])
    model = keras.Model(symbolic, outputs)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    feed = arrays if len(arrays) > 1 else arrays[0]
    np.testing.assert_allclose(loaded.predict(feed, verbose=0), model.predict(feed, verbose=0),
                               atol=1e-6)
    restored = loaded.get_layer(layer.name)
    assert type(restored) is type(layer) and restored.get_config() == layer.get_config()
    return restored


@pytest.fixture
def keras_round_trip(tmp_path):
    """`keras_round_trip(layer, inputs)`: see `assert_keras_round_trip`."""
    return lambda layer, inputs, call=None: assert_keras_round_trip(tmp_path, layer, inputs,
                                                                     call)
