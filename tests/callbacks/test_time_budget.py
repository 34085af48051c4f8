import keras
import numpy as np
import pytest

from tfgan.callbacks import TimeBudget


def _fit(budget, steps=5, epochs=1):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((max(4, steps * epochs), 2), "float32")
    history = model.fit(x, x[:, :1], batch_size=1, epochs=epochs, steps_per_epoch=steps,
                        verbose=0, callbacks=[budget])
    budget.history = history.history
    return budget


def test_a_spent_budget_stops_after_the_first_batch_and_counts_it():
    assert _fit(TimeBudget(0)).steps == 1


def test_no_budget_runs_every_step():
    assert _fit(TimeBudget(None), steps=4).steps == 4


def test_whole_epochs_stops_only_between_epochs():
    budget = _fit(TimeBudget(0, whole_epochs=True), steps=3, epochs=4)
    assert (budget.epochs, budget.steps) == (1, 3)
    budget = _fit(TimeBudget(3600, whole_epochs=True), steps=3, epochs=4)
    assert (budget.epochs, budget.steps) == (4, 12)


def test_each_epoch_logs_the_training_time_counting_earlier_parts():
    history = _fit(TimeBudget(None, elapsed=100.0), steps=2, epochs=3).history
    seconds, per_epoch = history["train_seconds"], history["epoch_seconds"]
    assert 100.0 < seconds[0] < seconds[1] < seconds[2]
    assert all(t > 0 for t in per_epoch)
    # Each epoch counts from the previous one's logs: the times add up with nothing lost.
    assert seconds[2] == pytest.approx(100.0 + sum(per_epoch), abs=1e-6)


def test_config_round_trip_and_bad_arguments():
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(TimeBudget(12.5, whole_epochs=True, elapsed=3)))
    assert isinstance(restored, TimeBudget)
    assert (restored.seconds, restored.whole_epochs, restored.elapsed) == (12.5, True, 3.0)
    with pytest.raises(ValueError, match="seconds=-1"):
        TimeBudget(-1)
    with pytest.raises(ValueError, match="elapsed=-2"):
        TimeBudget(elapsed=-2)
