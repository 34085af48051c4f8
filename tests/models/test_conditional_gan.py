import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan import penalties
from tfgan.architectures import conditional_dcgan_discriminator
from tfgan.architectures import conditional_dcgan_generator
from tfgan.models import ConditionalGAN
from tfgan.models.conditional_gan import check_labels

SHAPE = (8, 8, 1)


def _model(aux=None, g_cond="embedding", d_cond="projection", seed=1):
    generator = conditional_dcgan_generator(3, SHAPE, latent_dim=4, base_filters=4,
                                            conditioning=g_cond)
    discriminator = conditional_dcgan_discriminator(3, SHAPE, base_filters=4,
                                                    conditioning=d_cond,
                                                    auxiliary_classifier=aux is not None)
    return ConditionalGAN(generator, discriminator, 3, seed=seed, auxiliary_weight=aux)


def _data(n=8):
    rng = np.random.RandomState(0)
    return rng.uniform(-1, 1, (n,) + SHAPE).astype("float32"), np.arange(n) % 3


@pytest.mark.parametrize("g_cond", ["embedding", "one_hot", "batchnorm"])
def test_generator_output_changes_with_the_label_only(g_cond):
    model = _model(g_cond=g_cond)
    if g_cond == "batchnorm":  # CBN starts as plain BN: give the classes distinct affines
        for layer in model.generator.layers:
            if hasattr(layer, "gamma") and hasattr(layer, "num_classes"):
                layer.beta.assign(np.random.RandomState(0).normal(
                    size=layer.beta.shape).astype("float32"))
    latents = np.repeat(model.sample_latents(1, seed=0), 3, axis=0)
    images = model.generate(latents=latents, labels=[0, 1, 2])
    assert images.shape == (3,) + SHAPE and np.abs(images).max() <= 1.0
    assert np.abs(images[0] - images[1]).max() > 1e-4
    assert np.abs(images[1] - images[2]).max() > 1e-4
    again = model.generate(latents=latents, labels=[0, 1, 2])
    np.testing.assert_array_equal(images, again)


def test_projection_adds_the_label_embedding_inner_product():
    model = _model(d_cond="projection")
    d = model.discriminator
    images = np.random.RandomState(3).uniform(-1, 1, (2,) + SHAPE).astype("float32")
    base = d([images, np.array([0, 0])]).numpy()
    embedding = d.get_layer("projection")
    weights = embedding.embeddings.numpy()
    embedding.embeddings.assign(np.zeros_like(weights))
    unconditional = d([images, np.array([0, 0])]).numpy()
    features = keras.Model(d.inputs, d.get_layer("adversarial").input)([images, np.array([0, 0])])
    expected = unconditional[:, 0] + features.numpy() @ weights[0]
    np.testing.assert_allclose(base[:, 0], expected, rtol=1e-4, atol=1e-5)


def test_trains_eagerly_with_acgan_and_logs_auxiliary_terms():
    model = _model(aux=1.0, d_cond="concat")
    model.compile(run_eagerly=True)
    x, y = _data()
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "real_score", "fake_score", "d_aux_loss",
                            "g_aux_loss", "real_accuracy"}
    # ln(3) = 1.0986 is the class loss of a uniform classifier: D's fresh head is near it.
    assert abs(history["g_aux_loss"][0] - np.log(3)) < 0.1
    assert history["d_aux_loss"][0] == pytest.approx(2 * np.log(3), abs=0.2)
    assert int(model.step.numpy()) == 4


def test_graph_mode_fit_save_and_reload(tmp_path):
    model = _model(aux=0.5)
    model.compile(run_eagerly=False)
    x, y = _data()
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    path = tmp_path / "cgan.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert isinstance(restored, ConditionalGAN)
    assert (restored.num_classes, restored.auxiliary_weight) == (3, 0.5)
    np.testing.assert_allclose(restored.generate(labels=[2, 1, 0]),
                               model.generate(labels=[2, 1, 0]), atol=1e-6)
    assert restored.g_optimizer.iterations.numpy() == model.g_optimizer.iterations.numpy() == 2
    restored.fit(x, y, batch_size=4, epochs=1, verbose=0)  # compiled from its config


def test_invalid_labels_raise_before_use():
    model = _model()
    model.compile(run_eagerly=True)
    x, y = _data()
    with pytest.raises(ValueError, match=r"must be in \[0, 3\)"):
        model.fit(x, y - 1, batch_size=4, verbose=0)  # contains -1
    with pytest.raises(ValueError, match="labels=None"):
        model.fit(x, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"\[3\]"):
        model.generate(labels=[3])
    with pytest.raises(TypeError, match="integer"):
        check_labels(np.array([0.5]), 3)
    graph = tf.function(lambda labels: check_labels(labels, 3))
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_classes=3"):
        graph(tf.constant([0, 3]))


def test_sample_grid_has_one_row_per_class_with_shared_latents():
    model = _model()
    grid = model.sample_grid(per_class=4, seed=0, padding=0)
    assert grid.shape == (3 * 8, 4 * 8, 1) and grid.dtype == np.uint8
    rows = model.generate(labels=[1] * 4, latents=model.sample_latents(4, 0))
    np.testing.assert_array_equal(grid[8:16], np.concatenate(list(
        np.clip(np.round((rows + 1) * 127.5), 0, 255).astype("uint8")), axis=1))


def test_discriminator_output_width_is_checked():
    generator = conditional_dcgan_generator(3, SHAPE, latent_dim=4, base_filters=4)
    plain = conditional_dcgan_discriminator(3, SHAPE, base_filters=4)
    with pytest.raises(ValueError, match=r"\(batch, 4\)"):
        ConditionalGAN(generator, plain, 3, auxiliary_weight=1.0)
    with pytest.raises(ValueError, match="num_classes"):
        ConditionalGAN(generator, plain, 1)


def test_penalties_see_only_the_adversarial_logit():
    # A zero adversarial kernel makes D's adversarial logit constant in x: its R1 penalty is
    # 0, whatever the class head (whose logits do depend on x) does.
    generator = conditional_dcgan_generator(3, SHAPE, latent_dim=4, base_filters=4)
    discriminator = conditional_dcgan_discriminator(3, SHAPE, base_filters=4,
                                                    conditioning="none",
                                                    auxiliary_classifier=True,
                                                    normalization="none")
    adversarial = discriminator.get_layer("adversarial")
    adversarial.kernel.assign(np.zeros(adversarial.kernel.shape, "float32"))
    model = ConditionalGAN(generator, discriminator, 3, seed=1, auxiliary_weight=1.0)
    model.compile(stabilizers=[penalties.R1Penalty(gamma=1.0)], run_eagerly=True)
    history = model.fit(_data(4)[0], np.array([0, 1, 2, 0]), batch_size=4, verbose=0).history
    assert history["r1_penalty"] == [0.0]
