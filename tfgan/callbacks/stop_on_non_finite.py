"""Stops training on the first NaN or Inf loss, naming the step and the value."""

import logging

import keras

from tfgan.callbacks.checkpoint import GANCheckpoint
from tfgan.callbacks.checkpoint import non_finite

_log = logging.getLogger(__name__)


class NonFiniteLossError(RuntimeError):
    """Training produced a NaN or Inf loss."""


@keras.saving.register_keras_serializable(package="tfgan")
class StopOnNonFinite(keras.callbacks.Callback):
    """Stops training when a logged loss becomes NaN or Inf.

    Checked after every batch. The message names the loss, its value, the step, the epoch
    and the batch. With `checkpoint_dir` and `rollback=True`, the model is put back to the
    last good checkpoint written by `GANCheckpoint` (which never saves a non-finite state).

    Args:
        checkpoint_dir: the `GANCheckpoint` directory, for `rollback`.
        rollback: restore the last good checkpoint after stopping. Default False.
        raise_error: raise `NonFiniteLossError` instead of stopping quietly. Default False.
    """

    def __init__(self, checkpoint_dir=None, rollback=False, raise_error=False):
        super().__init__()
        if rollback and checkpoint_dir is None:
            raise ValueError("`rollback=True` needs `checkpoint_dir`. Received: "
                             "checkpoint_dir=None")
        self.checkpoint_dir = None if checkpoint_dir is None else str(checkpoint_dir)
        self.rollback = rollback
        self.raise_error = raise_error
        self.message = None
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        bad = non_finite(logs)
        if bad:
            name, value = bad[0]
            step = int(self.model.step) if hasattr(self.model, "step") else None
            self.message = (f"Non-finite {name}={value} at step {step} (epoch "
                            f"{self._epoch + 1}, batch {batch + 1}); training stopped.")
            self.model.stop_training = True
            if self.rollback:
                epoch = GANCheckpoint.restore(self.model, self.checkpoint_dir)
                self.message += (f" Rolled back to the checkpoint of epoch {epoch}."
                                 if epoch else " No checkpoint to roll back to.")
            _log.error(self.message)
            print(f"tfgan: {self.message}")
            if self.raise_error:
                raise NonFiniteLossError(self.message)

    def get_config(self):
        return {"checkpoint_dir": self.checkpoint_dir, "rollback": self.rollback,
                "raise_error": self.raise_error}
