import json

import keras
import numpy as np
import pytest

from tfgan.callbacks import GANCheckpoint
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
