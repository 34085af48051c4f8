"""Per-epoch checkpoints of the whole training state, for exact resumption."""

import csv
import json
import math
import pathlib
import re
import warnings

import keras

from tfgan.utils.io import atomic_write
from tfgan.utils.io import atomic_write_bytes
from tfgan.utils.validation import check_positive_int

STATE_FILE = "state.json"
CHECKPOINTS_DIR = "checkpoints"
HISTORY_FILE = "history.csv"
_CHECKPOINT_NAME = re.compile(r"ckpt-(\d+)\.weights\.h5")
# What GANCheckpoint writes: checkpoints, state.json, and the hidden temporaries of both.
_OWN_FILE = re.compile(r"ckpt-\d+\.weights\.h5|state\.json|\.(ckpt-\d+\.weights\.h5|state\.json)"
                       r"\.tmp-.*")


class ResumeError(RuntimeError):
    """A run cannot be resumed, and starting over would discard its history."""


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
    `fit(initial_epoch=...)`. It loads the newest checkpoint that can be read: a damaged one
    (truncated, corrupt) is skipped with a warning naming it, and `state.json` is only a
    hint. For bit-identical resumption the data order must also be a
    function of the epoch (e.g. a seeded, repeated `tf.data` pipeline skipped by
    `epoch * steps_per_epoch` batches, as `tfgan train` does).

    Args:
        directory: folder for the checkpoints (created if missing).
        keep: how many recent checkpoints to keep. Default 2.
    """

    def __init__(self, directory, keep=2):
        super().__init__()
        check_positive_int("keep", keep)
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
        atomic_write(directory / name, self.model.save_weights)
        state = {"epoch": epoch, "file": name}
        atomic_write_bytes(directory / STATE_FILE, json.dumps(state).encode())
        for _, old in self.checkpoints(directory)[self.keep:]:
            old.unlink()

    @staticmethod
    def checkpoints(directory):
        """Returns `[(epoch, path), ...]` of the checkpoint files in `directory`, newest first."""
        directory = pathlib.Path(directory)
        found = [(int(match.group(1)), directory / match.group(0))
                 for match in map(_CHECKPOINT_NAME.fullmatch, _names(directory)) if match]
        return sorted(found, reverse=True)

    @classmethod
    def latest(cls, directory):
        """Returns `(epoch, path)` of the newest checkpoint file in `directory`, or `None`.

        The file is not opened: `restore` is what skips an unreadable one.
        """
        found = cls.checkpoints(directory)
        return found[0] if found else None

    @classmethod
    def restore(cls, model, directory):
        """Loads the newest readable checkpoint into a compiled `model`.

        Checkpoint files are tried newest first; one that cannot be read (truncated,
        corrupt, from another model) is skipped with a warning naming it and why.
        `state.json` is a hint only: when it cannot be read, or names a missing file, a
        warning says so and the checkpoint files decide.

        Args:
            model: the compiled model the checkpoints were saved from.
            directory: the checkpoint folder.

        Returns:
            The epoch the loaded checkpoint was saved after (0 when there is none and
            `directory` holds no `state.json`), for `fit(initial_epoch=...)`.

        Raises:
            ResumeError: if checkpoints were written to `directory` but none can be read.
        """
        directory = pathlib.Path(directory)
        found = cls.checkpoints(directory)
        _check_state(directory, found)
        for i, (epoch, path) in enumerate(found):
            try:
                model.load_weights(path)
            except Exception as error:  # h5py raises OSError, KeyError, ValueError, ...
                older = (f"Falling back to {found[i + 1][1].name}." if i + 1 < len(found)
                         else "No older checkpoint is left.")
                warnings.warn(f"Skipping checkpoint {path}: it cannot be read "
                              f"({type(error).__name__}: {error}). {older}", stacklevel=2)
                continue
            return epoch
        if found or (directory / STATE_FILE).exists():
            tried = ", ".join(path.name for _, path in found) or "none left"
            raise ResumeError(f"No checkpoint in {directory} can be read (checkpoints: "
                              f"{tried}; see the warnings above). Remove the folder to start "
                              f"over. Received: directory={str(directory)!r}")
        return 0

    def get_config(self):
        return {"directory": self.directory, "keep": self.keep}


def _names(directory):
    return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []


def _check_state(directory, found):
    """Warns when `state.json` is unreadable or names a checkpoint that is not there."""
    state_file = directory / STATE_FILE
    if not state_file.exists():
        return
    try:
        state = json.loads(state_file.read_text())
        name = state["file"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        warnings.warn(f"Ignoring {state_file}: it cannot be read ({type(error).__name__}: "
                      f"{error}). Using the newest readable checkpoint file instead.",
                      stacklevel=3)
        return
    if name not in {path.name for _, path in found}:
        warnings.warn(f"{state_file} names {name}, which is missing. Using the newest "
                      f"readable checkpoint file instead.", stacklevel=3)


def _history_rows(history_file):
    """`(header, [(epoch or None, line), ...])` of a `CSVLogger` file, lines kept verbatim.

    A row whose epoch can't be read, with a wrong number of fields, or cut short (no line
    end: the process died while writing it) gets epoch `None`.
    """
    if not history_file.is_file():
        return None, []
    lines = history_file.read_text().splitlines(keepends=True)
    if not lines:
        return None, []
    header, rows = lines[0], []
    columns = next(csv.reader([header]))
    if "epoch" not in columns:
        raise ResumeError(f"{history_file} is not a training history: it has no `epoch` "
                          f"column. Received: columns={columns}")
    for line in lines[1:]:
        fields = next(csv.reader([line]), [])
        epoch = fields[columns.index("epoch")] if len(fields) == len(columns) else ""
        complete = line.endswith("\n") and epoch.isdigit()
        rows.append((int(epoch) if complete else None, line))
    return header, rows


def history_row(run_directory, epoch):
    """The logs `history.csv` of a run directory holds for `epoch` (counted from 1, as
    checkpoints are), as `{column: text}`, or `None` when it has no complete row for it."""
    history_file = pathlib.Path(run_directory) / HISTORY_FILE
    header, rows = _history_rows(history_file)
    columns = next(csv.reader([header])) if header else []
    for row_epoch, line in rows:
        if row_epoch == epoch - 1:  # CSVLogger counts epochs from 0
            return dict(zip(columns, next(csv.reader([line]))))
    return None


def _start_over(run_directory):
    """Removes what `resume` wrote: `checkpoints/` (only tfgan's files) and `history.csv`."""
    checkpoints = run_directory / CHECKPOINTS_DIR
    foreign = [name for name in _names(checkpoints) if not _OWN_FILE.fullmatch(name)]
    if foreign or (checkpoints.exists() and not checkpoints.is_dir()):
        raise ResumeError(
            f"restart=True removes only the files tfgan wrote, but {checkpoints} holds others: "
            f"{', '.join(foreign) or checkpoints.name}. Move them away first. "
            f"Received: run_directory={str(run_directory)!r}")
    for name in _names(checkpoints):
        (checkpoints / name).unlink()
    if checkpoints.is_dir():
        checkpoints.rmdir()
    (run_directory / HISTORY_FILE).unlink(missing_ok=True)


def resume(model, run_directory, restart=False):
    """Restores a run directory's newest checkpoint and returns what `fit` needs to go on.

    The directory layout is the one `tfgan train` writes: `checkpoints/` (`GANCheckpoint`)
    and `history.csv` (every epoch's logs, appended across resumptions).

    A damaged newest checkpoint is skipped (see `GANCheckpoint.restore`) and the run goes on
    from the newest readable one; rows of `history.csv` for the epochs after it (and any row
    cut short by a crash) are dropped, so the history never holds an epoch twice. A run
    whose history cannot be continued is refused rather than silently started over.

    Args:
        model: a compiled tfgan model (any of them: the checkpoint is its `save_weights`).
        run_directory: the run's folder (created if missing).
        restart: start over: first remove the run's `checkpoints/` and `history.csv`. Only
            files tfgan wrote are removed: if `checkpoints/` holds anything else, this
            raises instead. Other files (samples, `gan.keras`, ...) are left to be
            overwritten by the new run.

    Returns:
        `(initial_epoch, callbacks)`: the epoch to pass to `fit(initial_epoch=...)` (0 for
        a new run) and the `keras.callbacks.CSVLogger` and `GANCheckpoint` to add to
        `fit`, after any callback whose logs the history should hold.

    Raises:
        ResumeError: if the run has checkpoints or history but no readable checkpoint.
    """
    run_directory = pathlib.Path(run_directory)
    run_directory.mkdir(parents=True, exist_ok=True)
    if restart:
        _start_over(run_directory)
    checkpoints = run_directory / CHECKPOINTS_DIR
    history_file = run_directory / HISTORY_FILE
    start_over = ("To start over, discarding its checkpoints and history, pass restart=True "
                  "(`tfgan train --restart`).")
    try:
        initial_epoch = GANCheckpoint.restore(model, checkpoints)
    except ResumeError as error:
        raise ResumeError(
            f"Cannot resume {run_directory}: no checkpoint in {checkpoints} can be read (see "
            f"the warnings above). {start_over} "
            f"Received: run_directory={str(run_directory)!r}") from error
    header, rows = _history_rows(history_file)
    if initial_epoch == 0 and any(epoch is not None for epoch, _ in rows):
        raise ResumeError(
            f"Cannot resume {run_directory}: {history_file.name} records "
            f"{sum(epoch is not None for epoch, _ in rows)} epochs but {checkpoints} holds no "
            f"checkpoint. {start_over} Received: run_directory={str(run_directory)!r}")
    kept = [line for epoch, line in rows if epoch is not None and epoch < initial_epoch]
    if len(kept) < len(rows):
        atomic_write_bytes(history_file, "".join([header, *kept]).encode())
        warnings.warn(f"Dropped {len(rows) - len(kept)} rows of {history_file} that do not "
                      f"belong to the epochs before the resumed epoch {initial_epoch}.",
                      stacklevel=2)
    # The history row first: a process killed between the two leaves a row without its
    # checkpoint, which the next resumption drops, never a checkpoint without its row.
    return initial_epoch, [keras.callbacks.CSVLogger(str(history_file), append=True),
                           GANCheckpoint(checkpoints)]
