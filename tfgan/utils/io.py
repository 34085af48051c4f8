"""Crash-safe file writes: temporary file (or folder) beside the target, fsync, rename.

A process killed at any moment while writing through these helpers leaves the target either
as it was or complete, never partial. What a kill can leave is a hidden temporary beside it
(`.NAME.tmp-*`), never a damaged `NAME`.
"""

import contextlib
import os
import pathlib
import shutil
import tempfile


def _fsync_directory(directory):
    """Makes a rename inside `directory` durable (a no-op where directories can't be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path):
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _new_file_mode():
    """The permissions `open(path, "w")` gives a new file: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path, write):
    """Writes a file through `write(temporary_path)`, then fsyncs and renames it to `path`.

    The temporary file lies beside `path` (same filesystem, so the rename is atomic) and ends
    with the same suffix (`.keras`, `.weights.h5`, ...), which Keras' writers require.

    Args:
        path: the file to write.
        write: a function that writes the whole file to the path it is given, e.g.
            `model.save` or `model.save_weights`.

    Returns:
        `path` as a `pathlib.Path`.
    """
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-",
                               suffix="".join(path.suffixes))
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, _new_file_mode())  # mkstemp's 0600 → what `open` would give
        _fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise
    _fsync_directory(path.parent)
    return path


def atomic_write_bytes(path, data):
    """Writes `data` to `path` atomically (see `atomic_write`).

    Returns:
        `path` as a `pathlib.Path`.
    """
    def write(tmp):
        with open(tmp, "wb") as f:
            f.write(data)

    return atomic_write(path, write)


def save_model(model, filepath):
    """`model.save(filepath)`, atomically: a killed save leaves the previous file intact.

    Args:
        model: a Keras model.
        filepath: the `.keras` file to write.

    Returns:
        `filepath` as a `pathlib.Path`.
    """
    if not str(filepath).endswith(".keras"):
        raise ValueError(f"`filepath` must end in `.keras`. Received: filepath={filepath}")
    return atomic_write(filepath, model.save)


def replace_directory(source, target):
    """Moves the folder `source` to `target`, swapping out the folder already there, if any.

    The files of `source` are fsynced, the old `target` is renamed aside, `source` renamed
    in, and only then the old one removed; if renaming in fails the old one is put back.
    `source` must lie beside `target` (same filesystem). The caller decides whether the old
    `target` may be replaced. Two renames are not one: a process killed between them leaves
    the old folder complete at `.TARGET.old-*` beside `target`, and the new one at `source`.

    Args:
        source: the new folder (e.g. built in a temporary folder beside `target`).
        target: where it goes.

    Returns:
        `target` as a `pathlib.Path`.
    """
    source, target = pathlib.Path(source), pathlib.Path(target)
    for root, _, files in os.walk(source):
        for name in files:
            _fsync_file(os.path.join(root, name))
    old = None
    if target.exists():
        old = pathlib.Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
        old.rmdir()  # a free, unique name beside `target`
        os.replace(target, old)
    try:
        os.replace(source, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    _fsync_directory(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def append_json_line(path, record):
    """Appends `record` as one JSON line to `path` (parents created), for dashboards.

    Appending is not atomic like the writes above: a kill mid-line can leave a last line
    cut short, which JSON-lines readers skip; earlier lines are never touched.
    """
    import json

    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        f.write(json.dumps(record) + "\n")
