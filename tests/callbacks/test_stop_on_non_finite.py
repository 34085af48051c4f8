import numpy as np
import pytest

from tfgan.callbacks import GANCheckpoint, NonFiniteLossError, StopOnNonFinite


def poisoned(images):
    images = images.copy()
    images[8:] = np.nan  # the second batch makes every loss NaN
    return images


def test_stops_and_names_the_loss_and_step(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    callback = StopOnNonFinite()
    history = gan.fit(poisoned(tiny_images), batch_size=8, epochs=3, verbose=0, shuffle=False,
                      callbacks=[callback])
    assert len(history.history["d_loss"]) == 1
    assert callback.message.startswith("Non-finite d_loss=nan at step 2 (epoch 1, batch 2)")


def test_rolls_back_to_the_last_good_checkpoint(tiny_gan, tiny_images, tmp_path):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    gan.fit(tiny_images, batch_size=8, epochs=1, verbose=0, shuffle=False,
            callbacks=[GANCheckpoint(tmp_path)])
    good = [np.array(v) for v in gan.weights]
    callback = StopOnNonFinite(checkpoint_dir=tmp_path, rollback=True)
    gan.fit(poisoned(tiny_images), batch_size=8, epochs=2, verbose=0, shuffle=False,
            callbacks=[callback, GANCheckpoint(tmp_path)])
    assert "Rolled back to the checkpoint of epoch 1" in callback.message
    for a, b in zip(good, gan.weights):
        np.testing.assert_array_equal(a, np.array(b))


def test_can_raise(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    with pytest.raises(NonFiniteLossError, match="Non-finite"):
        gan.fit(poisoned(tiny_images), batch_size=8, epochs=1, verbose=0, shuffle=False,
                callbacks=[StopOnNonFinite(raise_error=True)])


def test_rollback_needs_a_directory():
    with pytest.raises(ValueError, match="checkpoint_dir=None"):
        StopOnNonFinite(rollback=True)
