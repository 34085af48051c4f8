"""The shared adversarial core: stabilizers on every model, fit's refusals, sampling."""

import importlib.util
import pathlib

import keras
import numpy as np
import pytest

import tfgan
from tfgan.augment import DiffAugment
from tfgan.stabilizers import InstanceNoise

_SPEC = importlib.util.spec_from_file_location(
    "tiny_models", pathlib.Path(__file__).with_name("tiny_models.py"))
tiny_models = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(tiny_models)


@pytest.mark.parametrize("run_eagerly", [True, False], ids=["eager", "graph"])
def test_pix2pix_trains_with_r1_and_diffaugment(run_eagerly):
    model, (inputs, targets) = tiny_models.pix2pix()
    model.compile(stabilizers=[tfgan.R1Penalty(1.0), DiffAugment("translation,cutout")],
                  run_eagerly=run_eagerly)
    history = model.fit(inputs, targets, batch_size=8, epochs=1, verbose=0).history
    assert history["r1_penalty"][0] > 0  # D's input gradient is not zero
    assert all(np.isfinite(v[0]) for v in history.values())
    assert int(model.step) == 2


def test_adaptive_augment_needs_a_model_that_reports_real_logits():
    model, _ = tiny_models.pix2pix()
    with pytest.raises(ValueError, match="Pix2Pix does not report"):
        model.compile(stabilizers=[DiffAugment(target=0.6)])


def test_pix2pix_transforms_input_and_image_together():
    model, (inputs, targets) = tiny_models.pix2pix()
    model.compile(stabilizers=[DiffAugment("translation")], run_eagerly=True)
    x = keras.ops.convert_to_tensor(inputs[:4])
    view_inputs, view_images = model._discriminator_view(x, x, tfgan.models.base.REAL)
    # The same shift moved both halves: they are still equal, and moved.
    np.testing.assert_array_equal(view_inputs, view_images)
    assert not np.allclose(view_inputs, x)


def test_cyclegan_with_ema_generators_and_stabilizers():
    model, (a, b) = tiny_models.cyclegan()
    model = tfgan.CycleGAN(model.generator_ab, model.generator_ba, model.discriminator_a,
                           model.discriminator_b, pool_size=4, seed=0, ema_decay=0.5)
    model.compile(stabilizers=[tfgan.R1Penalty(1.0), InstanceNoise(0.05)], run_eagerly=True)
    history = model.fit(a, b, batch_size=8, epochs=1, verbose=0).history
    assert history["r1_penalty"][0] > 0
    for name in ("generator_ab", "generator_ba"):
        live, average = getattr(model, name), getattr(model, f"ema_{name}")
        # After two updates with β = 0.5, the average lags the live weights.
        assert not np.allclose(live.get_weights()[0], average.get_weights()[0])
    assert model.sampling_generator is model.ema_generator_ab
    np.testing.assert_allclose(model.translate(a[:2]), model.ema_generator_ab(a[:2]),
                               rtol=1e-6)


def test_cyclegan_round_trips_with_ema_and_stabilizers(tmp_path):
    model, (a, b) = tiny_models.cyclegan()
    model = tfgan.CycleGAN(model.generator_ab, model.generator_ba, model.discriminator_a,
                           model.discriminator_b, pool_size=4, seed=0, ema_decay=0.5)
    model.compile(stabilizers=[DiffAugment("color")], cycle_weight=5.0, run_eagerly=True)
    model.fit(a, b, batch_size=8, epochs=1, verbose=0)
    model.save(tmp_path / "cyclegan.keras")
    loaded = keras.saving.load_model(tmp_path / "cyclegan.keras")
    assert loaded.cycle_weight == 5.0 and loaded.ema_decay == 0.5
    assert isinstance(loaded.stabilizers[0], DiffAugment)
    np.testing.assert_allclose(loaded.translate(a[:2]), model.translate(a[:2]), rtol=1e-6)


@pytest.mark.parametrize("name", ["gan", "conditional_gan", "pix2pix", "cyclegan"])
def test_every_model_samples_for_grids(name):
    model, data = tiny_models.build(name)
    inputs = data[0][:3] if name in ("pix2pix", "cyclegan") else None
    images = model.sample(3, seed=1, inputs=inputs)
    assert images.shape[0] == 3 and images.dtype == np.float32
    assert np.all(np.abs(images) <= 1.0)
    np.testing.assert_array_equal(images, model.sample(3, seed=1, inputs=inputs))


def test_image_to_image_sample_needs_inputs():
    model, _ = tiny_models.pix2pix()
    with pytest.raises(ValueError, match="pass `inputs`"):
        model.sample(2)


def test_fit_refuses_runs_that_would_do_nothing():
    model, images = tiny_models.gan()
    model.compile(run_eagerly=True)
    with pytest.raises(ValueError, match="Received: epochs=0"):
        model.fit(images, epochs=0, verbose=0)
    with pytest.raises(ValueError, match="initial_epoch=3"):
        model.fit(images, epochs=3, initial_epoch=3, verbose=0)
    with pytest.raises(ValueError, match="Received: steps_per_epoch=0"):
        model.fit(images, steps_per_epoch=0, verbose=0)
    with pytest.raises(ValueError, match="empty"):
        model.fit(images[:0], verbose=0)
    import tensorflow as tf
    with pytest.raises(ValueError, match="empty"):
        model.fit(tf.data.Dataset.from_tensor_slices(images).batch(8).take(0), verbose=0)
    # Fewer images than one batch with drop_remainder: no step ran.
    small = tf.data.Dataset.from_tensor_slices(images[:3]).batch(8, drop_remainder=True)
    with pytest.raises(ValueError, match="empty|no training step"):
        model.fit(small, verbose=0)
    assert int(model.step) == 0


def test_fit_refuses_nan_and_unscaled_pixels():
    model, images = tiny_models.gan()
    model.compile(run_eagerly=True)
    with pytest.raises(ValueError, match="looks like raw \\[0, 255\\]"):
        model.fit((images + 1) * 127.5, batch_size=8, verbose=0)
    bad = images.copy()
    bad[2, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="1 NaN or Inf"):
        model.fit(bad, batch_size=8, verbose=0)
    import tensorflow as tf
    with pytest.raises(ValueError, match="\\[0, 255\\]"):
        model.fit(tf.data.Dataset.from_tensor_slices(images * 100).batch(8), verbose=0)
    assert int(model.step) == 0


def test_sample_grid_callback_shows_inputs_and_translations(tmp_path):
    model, (inputs, targets) = tiny_models.pix2pix()
    model.compile(run_eagerly=True)
    callback = tfgan.callbacks.SaveSampleGrid(tmp_path, num_samples=4, inputs=inputs[:4])
    model.fit(inputs, targets, batch_size=8, epochs=1, verbose=0, callbacks=[callback])
    from PIL import Image
    grid = np.asarray(Image.open(tmp_path / "epoch_0001.png"))
    # Two rows (inputs, translations) of four 8x8 images with 2-pixel padding.
    assert grid.shape[:2] == (2 * 8 + 3 * 2, 4 * 8 + 5 * 2)
