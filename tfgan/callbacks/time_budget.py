"""Stops `fit` once a wall-clock budget is spent, and logs the training time per epoch."""

import time

import keras

from tfgan.utils.validation import check_non_negative

TRAIN_SECONDS = "train_seconds"
EPOCH_SECONDS = "epoch_seconds"


@keras.saving.register_keras_serializable(package="tfgan")
class TimeBudget(keras.callbacks.Callback):
    """Stops training once `seconds` of wall-clock time are spent.

    For runs compared at an equal time budget (examples, benchmarks), pass a generous
    `steps_per_epoch` and let the budget end the run after the first batch that ends past
    it (`whole_epochs=False`). For runs that checkpoint every epoch (`tfgan train
    --time-budget`), `whole_epochs=True` stops only between epochs: after an epoch when
    one more epoch as long as the last would end past the budget, so training ends inside
    the budget on a whole epoch (at least one epoch always runs).

    Every epoch's logs get `train_seconds` (the training time so far, `elapsed`
    included) and `epoch_seconds` (the time since the previous epoch's logs, so the
    callbacks that ran between two epochs, e.g. checkpoints and sample grids, count), so a
    history file records the time a resumed run has already spent. `steps` and `epochs`
    count the batches and epochs run by this `fit`.

    Args:
        seconds: the wall-clock budget in seconds; `None` never stops.
        whole_epochs: stop only between epochs (see above). Default `False`.
        elapsed: seconds an earlier, interrupted part of the same run already spent
            (read from its history on resumption); they count against the budget.
    """

    def __init__(self, seconds=None, whole_epochs=False, elapsed=0.0):
        super().__init__()
        self.seconds = None if seconds is None else check_non_negative("seconds", seconds)
        self.whole_epochs = bool(whole_epochs)
        self.elapsed = check_non_negative("elapsed", elapsed)
        self.start = self.last_end = None
        self.steps = self.epochs = 0

    def spent(self):
        """Training seconds so far, `elapsed` included."""
        return self.elapsed + time.time() - self.start

    def on_train_begin(self, logs=None):
        self.start = self.last_end = time.time()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if (not self.whole_epochs and self.seconds is not None
                and self.spent() >= self.seconds):
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        self.epochs += 1
        now = time.time()
        epoch_seconds, self.last_end = now - self.last_end, now
        spent = self.elapsed + now - self.start
        if logs is not None:
            logs.update({TRAIN_SECONDS: spent, EPOCH_SECONDS: epoch_seconds})
        if self.whole_epochs and self.seconds is not None and spent + epoch_seconds > self.seconds:
            self.model.stop_training = True

    def get_config(self):
        return {"seconds": self.seconds, "whole_epochs": self.whole_epochs,
                "elapsed": self.elapsed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
