"""InfoGAN: drawn codes, the code loss on fakes only, save/load, and the preset key."""

import keras
import numpy as np
import pytest

from tfgan.architectures import conditional_dcgan_discriminator
from tfgan.architectures import conditional_dcgan_generator
from tfgan.models import InfoGAN

SHAPE = (8, 8, 1)


def _networks(codes=3):
    generator = conditional_dcgan_generator(codes, SHAPE, latent_dim=4, base_filters=4,
                                            conditioning="one_hot")
    discriminator = conditional_dcgan_discriminator(codes, SHAPE, base_filters=4,
                                                    conditioning="none",
                                                    auxiliary_classifier=True,
                                                    normalization="none")
    return generator, discriminator


def _images(n=8):
    return np.random.RandomState(0).uniform(-1, 1, (n,) + SHAPE).astype("float32")


def test_trains_on_images_alone_and_logs_the_code_terms():
    model = InfoGAN(*_networks(), num_codes=3, seed=1)
    model.compile(run_eagerly=True)
    history = model.fit(_images(), batch_size=4, epochs=2, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "real_score", "fake_score", "d_aux_loss",
                            "g_aux_loss", "code_accuracy"}
    # ln(3) = 1.0986: D's fresh Q head reads codes as a uniform guess would (on fakes only:
    # an ACGAN's D loss would count real images too, 2 ln 3).
    assert history["d_aux_loss"][0] == pytest.approx(np.log(3), abs=0.1)
    assert history["g_aux_loss"][0] == pytest.approx(np.log(3), abs=0.1)
    assert 0.0 <= history["code_accuracy"][0] <= 1.0
    assert int(model.step.numpy()) == 4


def test_codes_are_uniform_seeded_and_change_with_the_step():
    model = InfoGAN(*_networks(codes=4), num_codes=4, seed=7)
    first = model.training_codes(4000).numpy()
    np.testing.assert_array_equal(first, model.training_codes(4000).numpy())
    shares = np.bincount(first, minlength=4) / len(first)
    assert shares.min() > 0.22 and shares.max() < 0.28 and first.max() == 3
    model.step.assign_add(1)
    assert np.mean(model.training_codes(4000).numpy() == first) < 0.4
    other = InfoGAN(*_networks(codes=4), num_codes=4, seed=8)
    assert np.mean(other.training_codes(4000).numpy() == first) < 0.4


def test_data_labels_are_replaced_by_drawn_codes():
    model = InfoGAN(*_networks(), num_codes=3, seed=1)
    real, codes = model._unpack((_images(), np.full((8,), 2)))
    np.testing.assert_array_equal(codes.numpy(), model.training_codes(8).numpy())
    assert real.shape == (8,) + SHAPE


def test_code_loss_counts_fakes_only_with_the_info_weight():
    model = InfoGAN(*_networks(), num_codes=3, info_weight=0.5, seed=1)
    model.compile()
    codes = np.array([0, 1, 2, 0], dtype="int32")
    real_logits = np.random.RandomState(1).normal(size=(4, 4)).astype("float32")
    fake_logits = np.random.RandomState(2).normal(size=(4, 4)).astype("float32")
    loss, logs = model.discriminator_loss(None, None, codes, real_logits, fake_logits)
    adversarial = (model.d_loss(1.0, real_logits[:, :1]) + model.d_loss(0.0, fake_logits[:, :1]))
    q = fake_logits[:, 1:]
    log_softmax = q - np.log(np.exp(q).sum(axis=1, keepdims=True))
    cross_entropy = -np.mean(log_softmax[np.arange(4), codes])
    np.testing.assert_allclose(float(loss), float(adversarial) + 0.5 * cross_entropy,
                               rtol=1e-5)
    np.testing.assert_allclose(float(logs["d_aux_loss"]), cross_entropy, rtol=1e-5)
    expected = np.mean(np.argmax(q, axis=1) == codes)
    assert float(logs["code_accuracy"]) == pytest.approx(expected)


def test_fit_save_and_reload_keeps_codes_and_weight(tmp_path):
    model = InfoGAN(*_networks(), num_codes=3, info_weight=0.25, seed=1)
    model.compile(run_eagerly=False)
    model.fit(_images(), batch_size=4, epochs=1, verbose=0)
    path = tmp_path / "infogan.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert isinstance(restored, InfoGAN)
    assert (restored.num_codes, restored.auxiliary_weight) == (3, 0.25)
    assert restored.get_config()["info_weight"] == 0.25
    np.testing.assert_allclose(restored.generate(labels=[2, 1, 0]),
                               model.generate(labels=[2, 1, 0]), atol=1e-6)
    restored.fit(_images(), batch_size=4, epochs=1, verbose=0)


def test_info_weight_must_be_positive():
    with pytest.raises(ValueError, match="info_weight=0"):
        InfoGAN(*_networks(), num_codes=3, info_weight=0)


def test_dcgan_preset_info_codes_builds_an_infogan():
    from tfgan import presets

    model = presets.get("dcgan-mnist").build({"info_codes": 5, "clusters": None, "base_filters": 4,
                                              "d_base_filters": 4}, seed=0)
    assert isinstance(model, InfoGAN) and model.num_codes == 5
    assert tuple(model.discriminator.output.shape) == (None, 6)
    assert model.generate(labels=[4, 0]).shape == (2, 28, 28, 1)
