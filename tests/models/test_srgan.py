import keras
import numpy as np
import pytest

from tfgan.architectures import srgan_discriminator
from tfgan.architectures import srresnet_generator
from tfgan.models import SRGAN

HR = (8, 8, 3)


def _extractor():
    images = keras.Input((None, None, 3))
    features = keras.layers.Conv2D(4, 3, activation="relu", name="features")(images)
    return keras.Model(images, features, name="stand_in")


def _model(extractor=True, **kwargs):
    keras.utils.set_random_seed(0)
    generator = srresnet_generator(scale=2, num_blocks=1, filters=4, normalization="none")
    discriminator = srgan_discriminator(HR, base_filters=4, num_downsamplings=1, dense_units=8,
                                        normalization="none")
    return SRGAN(generator, discriminator, _extractor() if extractor else None, seed=1,
                 **kwargs)


def _pairs(n=4):
    # Flat colours at 4x4 and 8x8: a mapping a tiny SRResNet learns in a few steps.
    colours = np.random.RandomState(0).uniform(-0.8, 0.8, (n, 1, 1, 3)).astype("float32")
    return (np.broadcast_to(colours, (n, 4, 4, 3)).copy(),
            np.broadcast_to(colours, (n,) + HR).copy())


def test_losses_match_their_definition():
    model = _model(feature_scale=0.5)
    model.compile(pixel_weight=2.0, feature_weight=3.0, adversarial_weight=0.1,
                  run_eagerly=True)
    low, high = _pairs()
    logs = model.evaluate(low, high, batch_size=4, verbose=0, return_dict=True)
    fake = model.generator(low, training=False).numpy()
    pixel = np.mean((fake - high) ** 2)
    phi = model.feature_extractor
    feature = np.mean((0.5 * phi(high).numpy() - 0.5 * phi(fake).numpy()) ** 2)
    logits = model.discriminator(fake, training=False).numpy()
    g_gan = np.mean(np.log1p(np.exp(-logits)))
    assert logs["pixel_loss"] == pytest.approx(pixel, rel=1e-5)
    assert logs["feature_loss"] == pytest.approx(feature, rel=1e-4)
    assert logs["content_loss"] == pytest.approx(2 * pixel + 3 * feature, rel=1e-4)
    assert logs["g_loss"] == pytest.approx(2 * pixel + 3 * feature + 0.1 * g_gan, rel=1e-4)


def test_paper_defaults():
    model = _model()
    model.compile()
    assert (model.pixel_loss, model.adversarial_weight, model.pretrain) == ("mse", 1e-3, False)
    assert model.feature_scale == pytest.approx(1 / 12.75)
    for optimizer in (model.g_optimizer, model.d_optimizer):
        assert float(optimizer.learning_rate) == pytest.approx(1e-4)
        assert optimizer.beta_1 == pytest.approx(0.9)
    assert not model.feature_extractor.trainable_weights


def test_pretraining_trains_only_the_generator_on_the_content_loss():
    model = _model(extractor=False)
    model.compile(pretrain=True, g_optimizer=keras.optimizers.Adam(5e-3), run_eagerly=True)
    low, high = _pairs(8)
    discriminator = [w.copy() for w in model.discriminator.get_weights()]
    before = model.evaluate(low, high, batch_size=8, verbose=0, return_dict=True)
    history = model.fit(low, high, batch_size=4, epochs=5, verbose=0).history
    after = model.evaluate(low, high, batch_size=8, verbose=0, return_dict=True)
    assert set(history) == {"g_loss", "content_loss", "pixel_loss"}
    # Falls from 0.223 to 0.101 (seed 0); not at all with a learning rate of 0.
    assert after["pixel_loss"] < 0.5 * before["pixel_loss"]
    assert model.d_optimizer.iterations.numpy() == 0
    for old, new in zip(discriminator, model.discriminator.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_adversarial_step_updates_both_networks():
    model = _model()
    model.compile(run_eagerly=True)
    low, high = _pairs()
    discriminator = [w.copy() for w in model.discriminator.get_weights()]
    history = model.fit(low, high, batch_size=2, epochs=1, verbose=0).history
    assert set(history) == {"g_loss", "content_loss", "pixel_loss", "feature_loss",
                            "g_gan_loss", "d_loss", "real_score", "fake_score"}
    assert model.g_optimizer.iterations.numpy() == model.d_optimizer.iterations.numpy() == 2
    assert any(not np.array_equal(a, b)
               for a, b in zip(discriminator, model.discriminator.get_weights()))


def test_graph_mode_fit_save_and_reload(tmp_path):
    model = _model()
    model.compile(pixel_loss="mae", adversarial_weight=0.01)
    low, high = _pairs()
    model.fit(low, high, batch_size=2, epochs=1, verbose=0)
    path = tmp_path / "srgan.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert (restored.pixel_loss, restored.adversarial_weight) == ("mae", 0.01)
    assert restored.feature_scale == pytest.approx(1 / 12.75)
    np.testing.assert_allclose(restored.upscale(low), model.upscale(low), atol=1e-6)
    np.testing.assert_allclose(restored.feature_extractor(high), model.feature_extractor(high),
                               atol=1e-6)
    assert restored.compiled and restored.g_optimizer.iterations.numpy() == 2
    assert model.sample(3, inputs=low).shape == (3,) + HR


def test_rejects_bad_arguments_and_data():
    model = _model(extractor=False)
    with pytest.raises(ValueError, match="content loss is empty"):
        model.compile(pixel_weight=0.0)
    with pytest.raises(ValueError, match="pixel_loss='l2'"):
        model.compile(pixel_loss="l2")
    with pytest.raises(ValueError, match="adversarial_weight"):
        model.compile(adversarial_weight=-1)
    with pytest.raises(TypeError, match="feature_extractor"):
        SRGAN(model.generator, model.discriminator, feature_extractor="vgg")
    model.compile(run_eagerly=True)
    with pytest.raises(ValueError, match="high_resolution=None"):
        model.fit(_pairs()[0], batch_size=2, verbose=0)
    with pytest.raises(ValueError, match="inputs=None"):
        model.sample(2)


def test_export_takes_any_image_size_in_savedmodel_and_onnx(tmp_path):
    import onnxruntime

    from tfgan import export

    model = _model()
    metadata = export.export_generator(model, tmp_path / "sr", monitor_samples=None)
    assert metadata["kind"] == "image" and metadata["image_shape"] == [None, None, 3]
    assert metadata["inputs"] == {"image": {"shape": [None, None, None, 3], "dtype": "float32"}}
    # Parity was checked at two sizes (16x32 and 32x48) when exporting; here a third.
    session = onnxruntime.InferenceSession(str(tmp_path / "sr" / "generator.onnx"),
                                           providers=["CPUExecutionProvider"])
    assert not any(isinstance(d, int) for d in session.get_inputs()[0].shape[:3])
    low = np.random.default_rng(0).uniform(-1, 1, (2, 5, 7, 3)).astype("float32")
    expected = model.upscale(low)
    for backend in ("savedmodel", "onnx"):
        upscaled = export.load_generator(tmp_path / "sr", backend=backend)(image=low)
        assert upscaled.shape == (2, 10, 14, 3)
        np.testing.assert_allclose(upscaled, expected, atol=1e-5)


def test_sample_grid_shows_inputs_by_pixel_repetition_above_their_upscalings():
    from tfgan.callbacks.sample_grid import sample_images

    model = _model(extractor=False)
    low = np.random.default_rng(0).uniform(-1, 1, (3, 4, 4, 3)).astype("float32")
    images, rows = sample_images(model, 2, seed=0, inputs=low)
    assert rows == 2 and images.shape == (4,) + HR
    np.testing.assert_array_equal(images[0, ::2, ::2], low[0])
    np.testing.assert_array_equal(images[0, 1::2, 1::2], low[0])
    np.testing.assert_allclose(images[2:], model.upscale(low[:2]), atol=1e-6)
