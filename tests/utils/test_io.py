import os
import pathlib
import signal
import stat
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from tfgan.utils import io

IO_SOURCE = pathlib.Path(io.__file__)


def test_save_model_round_trip_leaves_only_the_file(tiny_networks, tmp_path):
    generator = tiny_networks[0]()
    io.save_model(generator, tmp_path / "generator.keras")
    assert [p.name for p in tmp_path.iterdir()] == ["generator.keras"]
    loaded = keras.saving.load_model(tmp_path / "generator.keras")
    for a, b in zip(generator.weights, loaded.weights):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_a_save_that_dies_midway_leaves_the_previous_file(tiny_networks, tmp_path,
                                                          monkeypatch):
    path = tmp_path / "gan.keras"
    old = tiny_networks[0]()
    io.save_model(old, path)
    before = path.read_bytes()

    new = tiny_networks[0]()
    real_save = new.save

    def dies_midway(filepath, *args, **kwargs):
        real_save(filepath, *args, **kwargs)
        with open(filepath, "r+b") as f:  # a partial file, as a kill during the write leaves
            f.truncate(1000)
        raise KeyboardInterrupt

    monkeypatch.setattr(new, "save", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        io.save_model(new, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["gan.keras"]
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(np.asarray(loaded.weights[0]), np.asarray(old.weights[0]))


def test_a_killed_writer_leaves_the_previous_file(tmp_path):
    # A real SIGKILL halfway through the write, in a process that loads only io.py.
    path = tmp_path / "gan.keras"
    path.write_bytes(b"old complete file")
    script = textwrap.dedent(f"""
        import importlib.util, os, signal
        spec = importlib.util.spec_from_file_location("io_under_test", {str(IO_SOURCE)!r})
        io = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(io)

        def write(tmp):
            with open(tmp, "wb") as f:
                f.write(b"half of the new")
                f.flush()
                os.kill(os.getpid(), signal.SIGKILL)

        io.atomic_write({str(path)!r}, write)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert path.read_bytes() == b"old complete file"
    leftovers = [p.name for p in tmp_path.iterdir() if p != path]
    assert len(leftovers) == 1 and leftovers[0].startswith(".gan.keras.tmp-")
    assert leftovers[0].endswith(".keras")


def test_save_model_needs_a_keras_filename(tiny_networks, tmp_path):
    with pytest.raises(ValueError, match="Received: filepath=.*model.h5"):
        io.save_model(tiny_networks[0](), tmp_path / "model.h5")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_bytes_replaces_the_content(tmp_path):
    path = tmp_path / "sub" / "state.json"
    io.atomic_write_bytes(path, b"one")
    io.atomic_write_bytes(path, b"two")
    assert path.read_bytes() == b"two"
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]


def test_replace_directory_swaps_and_removes_the_old(tmp_path):
    target, new = tmp_path / "export", tmp_path / ".export.tmp"
    target.mkdir()
    (target / "metadata.json").write_text("old")
    (target / "stale.onnx").write_text("old")
    new.mkdir()
    (new / "metadata.json").write_text("new")
    io.replace_directory(new, target)
    assert [p.name for p in tmp_path.iterdir()] == ["export"]
    assert sorted(p.name for p in target.iterdir()) == ["metadata.json"]
    assert (target / "metadata.json").read_text() == "new"


def test_replace_directory_puts_the_old_back_when_the_swap_fails(tmp_path, monkeypatch):
    target, new = tmp_path / "export", tmp_path / ".export.tmp"
    target.mkdir()
    (target / "metadata.json").write_text("old")
    new.mkdir()
    real_replace = os.replace

    def fails_on_the_new(source, destination):
        if pathlib.Path(source) == new:
            raise OSError("disk gone")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", fails_on_the_new)
    with pytest.raises(OSError, match="disk gone"):
        io.replace_directory(new, target)
    assert (target / "metadata.json").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".export.tmp", "export"]


def test_atomic_files_get_the_permissions_of_an_ordinary_new_file(tmp_path):
    previous = os.umask(0o022)
    try:
        path = io.atomic_write_bytes(tmp_path / "grid.png", b"x")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        os.umask(0o077)
        assert stat.S_IMODE(io.atomic_write_bytes(tmp_path / "b", b"y").stat().st_mode) == 0o600
    finally:
        os.umask(previous)
