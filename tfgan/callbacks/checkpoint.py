"""Per-epoch checkpoints of the whole training state, for exact resumption."""

import json
import math
import os
import pathlib

import keras

from tfgan.utils.images import atomic_write_bytes

STATE_FILE = "state.json"


def non_finite(logs):
    """The `(name, value)` pairs of `logs` that are NaN or Inf."""
    return [(name, float(value)) for name, value in (logs or {}).items()
            if not math.isfinite(float(value))]


@keras.saving.register_keras_serializable(package="tfgan")
class GANCheckpoint(keras.callbacks.Callback):
    """Saves everything training needs to resume exactly, at the end of every epoch.

    A checkpoint is `model.save_weights` of the GAN: both networks, both optimizers (their
    iterations and moments), EMA weights when present, and the `step` variable from which
    the latent noise derives. It is written to a temporary file and renamed, then
    `state.json` (the epoch and the file) is replaced atomically, so a process killed at any
    moment leaves the previous checkpoint intact. A state whose logs hold NaN or Inf is
    never saved.

    Resume with `GANCheckpoint.restore(model, directory)`, which returns the epoch to pass to
    `fit(initial_epoch=...)`. For bit-identical resumption the data order must also be a
    function of the epoch (e.g. a seeded, repeated `tf.data` pipeline skipped by
    `epoch * steps_per_epoch` batches, as `tfgan train` does).

    Args:
        directory: folder for the checkpoints (created if missing).
        keep: how many recent checkpoints to keep. Default 2.
    """

    def __init__(self, directory, keep=2):
        super().__init__()
        if int(keep) < 1:
            raise ValueError(f"`keep` must be a positive integer. Received: keep={keep}")
        self.directory = str(directory)
        self.keep = int(keep)

    def on_epoch_end(self, epoch, logs=None):
        if non_finite(logs):
            return
        self.save(epoch + 1)

    def save(self, epoch):
        """Saves the model's state as the checkpoint of `epoch` (1-based)."""
        directory = pathlib.Path(self.directory)
        directory.mkdir(parents=True, exist_ok=True)
        name = f"ckpt-{epoch:05d}.weights.h5"
        tmp = directory / f".{name}.tmp.weights.h5"
        self.model.save_weights(tmp)
        os.replace(tmp, directory / name)
        state = {"epoch": epoch, "file": name}
        atomic_write_bytes(directory / STATE_FILE, json.dumps(state).encode())
        for old in sorted(directory.glob("ckpt-*.weights.h5"))[:-self.keep]:
            old.unlink()

    @staticmethod
    def latest(directory):
        """Returns `(epoch, path)` of the newest checkpoint in `directory`, or `None`."""
        state_file = pathlib.Path(directory) / STATE_FILE
        if not state_file.is_file():
            return None
        state = json.loads(state_file.read_text())
        return state["epoch"], pathlib.Path(directory) / state["file"]

    @classmethod
    def restore(cls, model, directory):
        """Loads the newest checkpoint into a compiled `model`.

        Returns:
            The epoch it was saved after (0 when there is none), for `fit(initial_epoch=)`.
        """
        latest = cls.latest(directory)
        if latest is None:
            return 0
        epoch, path = latest
        model.load_weights(path)
        return epoch

    def get_config(self):
        return {"directory": self.directory, "keep": self.keep}


def resume(model, run_directory, restart=False):
    """Restores a run directory's newest checkpoint and returns what `fit` needs to go on.

    The directory layout is the one `tfgan train` writes: `checkpoints/` (`GANCheckpoint`)
    and `history.csv` (every epoch's logs, appended across resumptions).

    Args:
        model: a compiled tfgan model (any of them: the checkpoint is its `save_weights`).
        run_directory: the run's folder (created if missing).
        restart: start afresh: delete the checkpoints and history this function's callbacks
            wrote (`checkpoints/ckpt-*.weights.h5`, `checkpoints/state.json`,
            `history.csv`) instead of restoring them.

    Returns:
        `(initial_epoch, callbacks)`: the epoch to pass to `fit(initial_epoch=...)` (0 for
        a new run) and the `GANCheckpoint` and `keras.callbacks.CSVLogger` to add to `fit`.
    """
    run_directory = pathlib.Path(run_directory)
    run_directory.mkdir(parents=True, exist_ok=True)
    checkpoints = run_directory / "checkpoints"
    if restart:
        for path in [*checkpoints.glob("ckpt-*.weights.h5"), checkpoints / STATE_FILE,
                     run_directory / "history.csv"]:
            path.unlink(missing_ok=True)
    initial_epoch = GANCheckpoint.restore(model, checkpoints)
    return initial_epoch, [GANCheckpoint(checkpoints),
                           keras.callbacks.CSVLogger(str(run_directory / "history.csv"),
                                                     append=True)]
