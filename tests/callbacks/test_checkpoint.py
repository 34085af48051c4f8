import json
import re

import keras
import numpy as np
import pytest

from tfgan.callbacks import GANCheckpoint
from tfgan.callbacks import ResumeError
from tfgan.callbacks import resume


def state(model):
    variables = model.weights + model.g_optimizer.variables + model.d_optimizer.variables
    return [np.array(v) for v in variables]


def test_restore_continues_exactly(tiny_gan, tiny_images, tmp_path):
    keras.utils.set_random_seed(1)
    reference = tiny_gan()
    reference.compile(run_eagerly=True)
    reference.fit(tiny_images, batch_size=8, epochs=3, verbose=0, shuffle=False)

    keras.utils.set_random_seed(1)
    first = tiny_gan()
    first.compile(run_eagerly=True)
    first.fit(tiny_images, batch_size=8, epochs=2, verbose=0, shuffle=False,
              callbacks=[GANCheckpoint(tmp_path, keep=1)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt-00002.weights.h5",
                                                          "state.json"]
    resumed = tiny_gan()  # other initial weights: the checkpoint replaces them
    resumed.compile(run_eagerly=True)
    assert GANCheckpoint.restore(resumed, tmp_path) == 2
    assert int(resumed.step) == 4 and int(resumed.d_optimizer.iterations) == 4
    resumed.fit(tiny_images, batch_size=8, epochs=3, initial_epoch=2, verbose=0,
                shuffle=False)
    for a, b in zip(state(reference), state(resumed)):
        np.testing.assert_array_equal(a, b)


def test_no_checkpoint_means_epoch_zero(tiny_gan, tmp_path):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    assert GANCheckpoint.restore(gan, tmp_path) == 0


def test_non_finite_state_is_never_saved(tiny_gan, tmp_path):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    callback = GANCheckpoint(tmp_path)
    callback.set_model(gan)
    callback.on_epoch_end(0, {"d_loss": 1.0})
    callback.on_epoch_end(1, {"d_loss": float("nan")})
    assert json.loads((tmp_path / "state.json").read_text())["epoch"] == 1


def test_keep_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="keep=0"):
        GANCheckpoint(tmp_path, keep=0)


def test_resume_restores_a_run_directory_and_keeps_its_history(tiny_gan, tiny_images, tmp_path):
    run = tmp_path / "run"
    first = tiny_gan()
    first.compile(run_eagerly=True)
    initial_epoch, callbacks = resume(first, run)
    assert initial_epoch == 0 and run.is_dir()
    first.fit(tiny_images, batch_size=8, epochs=2, verbose=0, callbacks=callbacks)

    second = tiny_gan(seed=2)
    second.compile(run_eagerly=True)
    initial_epoch, callbacks = resume(second, run)
    assert initial_epoch == 2
    for a, b in zip(state(first), state(second)):
        np.testing.assert_array_equal(a, b)
    second.fit(tiny_images, batch_size=8, epochs=3, initial_epoch=initial_epoch, verbose=0,
               callbacks=callbacks)
    rows = (run / "history.csv").read_text().splitlines()
    assert rows[0].startswith("epoch,") and [r.split(",")[0] for r in rows[1:]] == ["0", "1", "2"]
    assert GANCheckpoint.latest(run / "checkpoints")[0] == 3


def train_run(tiny_gan, tiny_images, run, epochs=3):
    """A run directory after `epochs` epochs: checkpoints of the last two, history.csv."""
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    initial_epoch, callbacks = resume(gan, run)
    gan.fit(tiny_images, batch_size=8, epochs=epochs, initial_epoch=initial_epoch, verbose=0,
            callbacks=callbacks)
    return gan


def history_epochs(run):
    return [row.split(",")[0] for row in (run / "history.csv").read_text().splitlines()[1:]]


def weights_of_checkpoint(tiny_gan, path):
    gan = tiny_gan(seed=3)
    gan.compile(run_eagerly=True)
    gan.load_weights(path)
    return state(gan)


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_a_damaged_newest_checkpoint_resumes_from_the_previous_one(tiny_gan, tiny_images,
                                                                   tmp_path, damage):
    run = tmp_path / "run"
    train_run(tiny_gan, tiny_images, run)
    newest = run / "checkpoints" / "ckpt-00003.weights.h5"
    expected = weights_of_checkpoint(tiny_gan, run / "checkpoints" / "ckpt-00002.weights.h5")
    data = newest.read_bytes()
    newest.write_bytes(data[:len(data) // 2] if damage == "truncated" else b"\0" * len(data))

    resumed = tiny_gan(seed=2)
    resumed.compile(run_eagerly=True)
    with pytest.warns(UserWarning) as caught:
        initial_epoch, callbacks = resume(resumed, run)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2, messages
    assert re.match(r"Skipping checkpoint .*ckpt-00003.weights.h5: it cannot be read \(.+\). "
                    r"Falling back to ckpt-00002.weights.h5.", messages[0])
    assert messages[1].startswith(f"Dropped 1 rows of {run / 'history.csv'}")
    assert initial_epoch == 2
    for a, b in zip(expected, state(resumed)):
        np.testing.assert_array_equal(a, b)
    assert history_epochs(run) == ["0", "1"]  # epoch 2's row went with its checkpoint
    resumed.fit(tiny_images, batch_size=8, epochs=3, initial_epoch=initial_epoch, verbose=0,
                callbacks=callbacks)
    assert history_epochs(run) == ["0", "1", "2"]
    assert GANCheckpoint.restore(resumed, run / "checkpoints") == 3  # rewritten, readable


def test_a_cut_state_file_falls_back_to_the_checkpoint_files(tiny_gan, tiny_images, tmp_path):
    run = tmp_path / "run"
    trained = train_run(tiny_gan, tiny_images, run)
    state_file = run / "checkpoints" / "state.json"
    state_file.write_text(state_file.read_text()[:10])
    resumed = tiny_gan(seed=2)
    resumed.compile(run_eagerly=True)
    with pytest.warns(UserWarning, match="Ignoring .*state.json: it cannot be read"):
        initial_epoch, _ = resume(resumed, run)
    assert initial_epoch == 3
    for a, b in zip(state(trained), state(resumed)):
        np.testing.assert_array_equal(a, b)
    assert history_epochs(run) == ["0", "1", "2"]


def test_deleted_checkpoints_with_a_history_are_refused(tiny_gan, tiny_images, tmp_path):
    run = tmp_path / "run"
    train_run(tiny_gan, tiny_images, run)
    for file in (run / "checkpoints").iterdir():
        file.unlink()
    (run / "checkpoints").rmdir()
    history = (run / "history.csv").read_bytes()
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    with pytest.raises(ResumeError, match=f"Cannot resume {run}: history.csv records 3 epochs "
                                          f".*restart=True"):
        resume(gan, run)
    assert (run / "history.csv").read_bytes() == history
    assert not (run / "checkpoints").exists()


def test_no_readable_checkpoint_is_refused(tiny_gan, tiny_images, tmp_path):
    run = tmp_path / "run"
    train_run(tiny_gan, tiny_images, run)
    for file in (run / "checkpoints").glob("ckpt-*"):
        file.write_bytes(b"garbage")
    history = (run / "history.csv").read_bytes()
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    with pytest.warns(UserWarning) as caught, pytest.raises(
            ResumeError, match=f"Cannot resume {run}: no checkpoint .*restart=True"):
        resume(gan, run)
    messages = [str(w.message) for w in caught]
    assert [m.split(": it")[0].rsplit("/", 1)[-1] for m in messages] == [
        "ckpt-00003.weights.h5", "ckpt-00002.weights.h5"]
    assert messages[-1].endswith("No older checkpoint is left.")
    assert (run / "history.csv").read_bytes() == history


def test_restart_removes_only_what_training_wrote(tiny_gan, tiny_images, tmp_path):
    run = tmp_path / "run"
    train_run(tiny_gan, tiny_images, run)
    (run / "notes.txt").write_text("mine")
    (run / "checkpoints" / "mine.txt").write_text("mine")
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    with pytest.raises(ResumeError, match="holds others: mine.txt"):
        resume(gan, run, restart=True)
    assert history_epochs(run) == ["0", "1", "2"]
    assert len(GANCheckpoint.checkpoints(run / "checkpoints")) == 2

    (run / "checkpoints" / "mine.txt").unlink()
    initial_epoch, _ = resume(gan, run, restart=True)
    assert initial_epoch == 0
    assert sorted(p.name for p in run.iterdir()) == ["notes.txt"]


def test_a_history_row_cut_short_is_dropped(tiny_gan, tiny_images, tmp_path):
    run = tmp_path / "run"
    train_run(tiny_gan, tiny_images, run, epochs=2)
    with open(run / "history.csv", "a") as f:
        f.write("2,0.69")  # the process died writing epoch 2's row
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    with pytest.warns(UserWarning, match="Dropped 1 rows"):
        initial_epoch, callbacks = resume(gan, run)
    assert initial_epoch == 2 and history_epochs(run) == ["0", "1"]
    gan.fit(tiny_images, batch_size=8, epochs=3, initial_epoch=2, verbose=0,
            callbacks=callbacks)
    rows = (run / "history.csv").read_text().splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["0", "1", "2"]
    assert len({len(r.split(",")) for r in rows}) == 1


def test_a_failed_checkpoint_write_keeps_the_previous_one(tiny_gan, tmp_path, monkeypatch):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    callback = GANCheckpoint(tmp_path)
    callback.set_model(gan)
    callback.save(1)
    before = (tmp_path / "ckpt-00001.weights.h5").read_bytes()
    real = gan.save_weights

    def dies_midway(filepath, *args, **kwargs):
        real(filepath, *args, **kwargs)
        with open(filepath, "r+b") as f:
            f.truncate(100)
        raise KeyboardInterrupt

    monkeypatch.setattr(gan, "save_weights", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        callback.save(2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt-00001.weights.h5", "state.json"]
    assert (tmp_path / "ckpt-00001.weights.h5").read_bytes() == before
    assert GANCheckpoint.latest(tmp_path)[0] == 1
