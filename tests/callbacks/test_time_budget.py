import keras
import numpy as np
import pytest

from tfgan.callbacks import TimeBudget


def _fit(budget, steps=5):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((4, 2), "float32")
    model.fit(x, x[:, :1], batch_size=1, epochs=1, steps_per_epoch=steps, verbose=0,
              callbacks=[budget])
    return budget


def test_a_spent_budget_stops_after_the_first_batch_and_counts_it():
    assert _fit(TimeBudget(0)).steps == 1


def test_no_budget_runs_every_step():
    assert _fit(TimeBudget(None), steps=4).steps == 4


def test_config_round_trip_and_bad_seconds():
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(TimeBudget(12.5)))
    assert isinstance(restored, TimeBudget) and restored.seconds == 12.5
    with pytest.raises(ValueError, match="seconds=-1"):
        TimeBudget(-1)
