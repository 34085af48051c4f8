"""Stops `fit` once a wall-clock budget is spent, counting the train steps it ran."""

import time

import keras

from tfgan.utils.validation import check_non_negative


@keras.saving.register_keras_serializable(package="tfgan")
class TimeBudget(keras.callbacks.Callback):
    """Stops training after the first train batch that ends `seconds` after `fit` began.

    For runs compared at an equal time budget (examples, benchmarks): pass a generous
    `steps_per_epoch` and let the budget end the run. `steps` counts the batches run.

    Args:
        seconds: the wall-clock budget in seconds; `None` never stops.
    """

    def __init__(self, seconds=None):
        super().__init__()
        self.seconds = None if seconds is None else check_non_negative("seconds", seconds)
        self.start, self.steps = None, 0

    def on_train_begin(self, logs=None):
        self.start = time.time()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if self.seconds is not None and time.time() - self.start >= self.seconds:
            self.model.stop_training = True

    def get_config(self):
        return {"seconds": self.seconds}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
