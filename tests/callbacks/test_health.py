import importlib.util
import pathlib
import warnings

import keras
import numpy as np
import pytest

import tfgan
from tfgan.callbacks import DiscriminatorWinsWarning
from tfgan.callbacks import GANHealth
from tfgan.callbacks import GANHealthWarning
from tfgan.callbacks import LossDivergenceWarning
from tfgan.callbacks import ModeCollapseWarning
from tfgan.callbacks.health import mean_pairwise_distance

_SPEC = importlib.util.spec_from_file_location(
    "tiny_models", pathlib.Path(__file__).parents[1] / "models" / "tiny_models.py")
tiny_models = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(tiny_models)

SHAPE = (8, 8, 1)
PIXELS = 64
HEALTH_KEYS = {"d_real_accuracy", "d_fake_accuracy", "d_win_rate", "d_grad_norm",
               "g_grad_norm", "diversity", "warn_d_wins", "warn_collapse", "warn_divergence"}


def fit(gan, images, callbacks, epochs, batch_size=8, labels=None):
    """`(history, health warnings)` of a seeded, unshuffled fit."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = gan.fit(images, labels, batch_size=batch_size, epochs=epochs, verbose=0,
                          shuffle=False, callbacks=callbacks)
    return history.history, [w for w in caught if issubclass(w.category, GANHealthWarning)]


def frozen(gan, run_eagerly=True):
    """Compiles `gan` with learning rate 0 for both networks: nothing changes."""
    gan.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0),
                run_eagerly=run_eagerly)
    return gan


def judge():
    """A fixed D with logit `200·mean(x) - 100`: +100 on all-ones images, about -100 on
    images of mean 0 (the tiny generator's), -300 on all-minus-ones images."""
    images = keras.Input(SHAPE)
    dense = keras.layers.Dense(1)
    model = keras.Model(images, dense(keras.layers.Flatten()(images)))
    dense.set_weights([np.full((PIXELS, 1), 200.0 / PIXELS), np.array([-100.0])])
    return model


def constant_generator(latent_dim=4):
    """A generator that outputs one image whatever z is (zero kernel, random bias)."""
    z = keras.Input((latent_dim,))
    dense = keras.layers.Dense(PIXELS, kernel_initializer="zeros",
                               bias_initializer=keras.initializers.RandomUniform(-1, 1, seed=0))
    images = keras.layers.Activation("tanh")(keras.layers.Reshape(SHAPE)(dense(z)))
    return keras.Model(z, images)


# ---------------------------------------------------------------------- healthy


def test_healthy_run_is_quiet(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    health = GANHealth(tiny_images[:8], num_samples=16)
    history, caught = fit(gan, tiny_images, [health], epochs=4)
    assert caught == [] and health.events == []
    assert HEALTH_KEYS <= set(history)
    for key in ("warn_d_wins", "warn_collapse", "warn_divergence"):
        assert history[key] == [0.0] * 4
    # Far from every threshold: D wins no step (its scores are ~0.1, the win margin is
    # 3), the samples are about half as varied as the real images (collapse: < 0.2),
    # and the losses stay within 2x of the first epoch's (divergence: 10x).
    assert history["d_win_rate"] == [0.0] * 4
    assert max(abs(s) for s in history["real_score"] + history["fake_score"]) < 1.0
    assert min(history["diversity"]) > 0.4 and max(history["diversity"]) < 1.0
    for key in ("d_loss", "g_loss"):
        assert max(history[key]) < 2 * history[key][0]
    for key in ("d_real_accuracy", "d_fake_accuracy"):
        assert all(v * 8 == int(v * 8) for v in history[key])  # k of 8 probe images
    assert min(history["d_grad_norm"]) > 0.1 and min(history["g_grad_norm"]) > 0.1


# ---------------------------------------------------------------------- constructed failures


def test_a_discriminator_that_always_wins_warns(tiny_networks, tmp_path):
    generator, _ = tiny_networks
    gan = frozen(tfgan.GAN(generator(), judge(), seed=1))
    real = np.ones((16,) + SHAPE, "float32")
    health = GANHealth(real[:8], num_samples=8, win_epochs=3)
    csv = keras.callbacks.CSVLogger(tmp_path / "history.csv")  # after GANHealth: sees it
    history, caught = fit(gan, real, [health, csv], epochs=4)
    assert history["d_win_rate"] == [1.0] * 4
    assert history["d_real_accuracy"] == [1.0] * 4 and history["d_fake_accuracy"] == [1.0] * 4
    assert history["warn_d_wins"] == [0.0, 0.0, 1.0, 1.0]
    assert [w.category for w in caught] == [DiscriminatorWinsWarning]
    assert str(caught[0].message) == "GANHealth: D wins outright since epoch 1."
    assert health.events == [{"epoch": 3, "kind": "d_wins",
                              "message": "GANHealth: D wins outright since epoch 1."}]
    # A saturated D passes (almost) no gradient to itself; G still gets one.
    assert max(history["d_grad_norm"]) < 1e-6
    assert min(history["g_grad_norm"]) > 1.0
    # `tfgan report` reads the CSV and names the same finding.
    summary = tfgan.report.make_report(tmp_path)
    assert [f["message"] for f in summary["health"]["findings"]] == [
        "D wins outright since epoch 1"]


def test_a_generator_that_makes_one_image_warns():
    gan = frozen(tfgan.GAN(constant_generator(), judge(), seed=1))
    real = np.random.default_rng(0).uniform(-1, 1, (16,) + SHAPE).astype("float32")
    health = GANHealth(real[:8], num_samples=16)
    history, caught = fit(gan, real, [health], epochs=2)
    assert max(history["diversity"]) < 1e-3
    assert history["warn_collapse"] == [1.0, 1.0]
    assert [w.category for w in caught] == [ModeCollapseWarning]  # once: at the onset
    assert str(caught[0].message) == ("GANHealth: diversity at 0% of the real images' at "
                                      "epoch 1 (collapse?).")


def test_diversity_falling_sharply_warns(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)

    def collapse(epoch, logs):
        if epoch == 0:  # after GANHealth measured epoch 1: G now ignores z
            kernel, bias = gan.generator.get_layer("dense").get_weights()
            gan.generator.get_layer("dense").set_weights([np.zeros_like(kernel), bias])

    health = GANHealth(tiny_images[:8], num_samples=16)
    history, caught = fit(gan, tiny_images, [
        health, keras.callbacks.LambdaCallback(on_epoch_end=collapse)], epochs=3)
    assert history["diversity"][0] > 0.4 and history["diversity"][1] < 0.05
    assert history["warn_collapse"] == [0.0, 1.0, 1.0]
    assert [w.category for w in caught] == [ModeCollapseWarning]
    fell = 1 - history["diversity"][1] / history["diversity"][0]
    assert fell > 0.9
    assert str(caught[0].message) == f"GANHealth: diversity fell {fell:.0%} at epoch 2 (collapse?)."


def test_non_finite_losses_warn(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    images = tiny_images.copy()
    images[8:] = np.nan  # the second batch makes every loss NaN
    health = GANHealth(tiny_images[:8], num_samples=8)
    history, caught = fit(gan, images, [health], epochs=2)
    assert history["warn_divergence"] == [1.0, 1.0]
    assert [w.category for w in caught] == [LossDivergenceWarning]
    assert str(caught[0].message) == "GANHealth: d_loss is nan at epoch 1 (diverged)."


# ---------------------------------------------------------------------- the values


@pytest.mark.parametrize("run_eagerly", [True, False], ids=["eager", "graph"])
def test_win_rate_is_counted_per_step(tiny_networks, run_eagerly):
    generator, _ = tiny_networks
    gan = frozen(tfgan.GAN(generator(), judge(), seed=1), run_eagerly)
    ones = np.ones((8,) + SHAPE, "float32")
    # Real batches the judge scores +100, +100, -300, +100: D wins 3 steps of 4 (the
    # epoch's mean real score, 0, would say none).
    real = np.concatenate([ones, ones, -ones, ones])
    health = GANHealth(ones, num_samples=8)
    history, _ = fit(gan, real, [health], epochs=2)
    assert history["real_score"][0] == pytest.approx(0.0, abs=1e-3)
    assert history["d_win_rate"] == [0.75, 0.75]


def test_gradient_norms_and_accuracy_match_numpy(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    health = GANHealth(tiny_images[:8], num_samples=16, seed=3)
    health.set_model(gan)
    health.on_train_begin()
    values = health.measure()

    sigmoid = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    w, c = (v.astype("float64") for v in gan.discriminator.get_layer("logits").get_weights())
    kernel, bias = (v.astype("float64")
                    for v in gan.generator.get_layer("dense").get_weights())
    z = gan.sample_latents(8, 3).astype("float64")
    fake = np.tanh(z @ kernel + bias)  # (8, 64)
    real = tiny_images[:8].reshape(8, -1).astype("float64")
    real_logits, fake_logits = real @ w + c, fake @ w + c
    # D minimizes mean softplus(-l_real) + mean softplus(l_fake).
    d_real, d_fake = -sigmoid(-real_logits) / 8, sigmoid(fake_logits) / 8
    d_grad = np.concatenate([(real.T @ d_real + fake.T @ d_fake).ravel(),
                             [d_real.sum() + d_fake.sum()]])
    # G minimizes mean softplus(-l_fake), through tanh and the dense layer.
    d_pre = (-sigmoid(-fake_logits) / 8) * w.T * (1 - fake ** 2)
    g_grad = np.concatenate([(z.T @ d_pre).ravel(), d_pre.sum(axis=0)])
    assert values["d_grad_norm"] == pytest.approx(np.linalg.norm(d_grad), rel=1e-4)
    assert values["g_grad_norm"] == pytest.approx(np.linalg.norm(g_grad), rel=1e-4)
    assert values["d_real_accuracy"] == np.mean(real_logits > 0)
    assert values["d_fake_accuracy"] == np.mean(fake_logits < 0)
    samples = gan.sample(16, seed=3).reshape(16, -1)
    expected = (mean_pairwise_distance(samples) / mean_pairwise_distance(real))
    assert values["diversity"] == pytest.approx(expected, rel=1e-6)


def test_mean_pairwise_distance():
    points = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])
    assert mean_pairwise_distance(points) == pytest.approx((5 + 10 + 5) / 3)
    assert mean_pairwise_distance(np.ones((5, 3))) == 0.0


def test_extractor_and_class_entropy(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    # Features: the mean pixel only. Classes: two, by the sign of the mean pixel.
    mean_pixel = lambda x: keras.ops.mean(x, axis=(1, 2, 3))[:, None]  # noqa: E731
    two_classes = tfgan.metrics.FeatureExtractor(
        lambda x: keras.ops.concatenate([mean_pixel(x), -mean_pixel(x)], axis=1) * 1e4,
        name="sign", softmax=True)
    health = GANHealth(tiny_images[:8], num_samples=16, extractor=mean_pixel,
                       classifier=two_classes)
    health.set_model(gan)
    health.on_train_begin()
    values = health.measure()
    samples = gan.sample(16)
    means = samples.mean(axis=(1, 2, 3))[:, None]
    real_means = tiny_images[:8].mean(axis=(1, 2, 3))[:, None]
    assert values["diversity"] == pytest.approx(
        mean_pairwise_distance(means) / mean_pairwise_distance(real_means), rel=1e-5)
    p = np.mean(means > 0)
    assert 0 < p < 1
    assert values["class_entropy"] == pytest.approx(-p * np.log(p) - (1 - p) * np.log(1 - p),
                                                    rel=1e-4)


# ---------------------------------------------------------------------- models and losses


def test_conditional_gan_needs_and_uses_labels():
    gan, (images, labels) = tiny_models.conditional_gan()
    gan.compile(run_eagerly=True)
    with pytest.raises(ValueError, match="Received: real_labels=None"):
        gan.fit(images, labels, batch_size=16, epochs=1, verbose=0,
                callbacks=[GANHealth(images[:8])])
    health = GANHealth(images[:8], real_labels=labels[:8], num_samples=6)
    history, caught = fit(gan, images, [health], epochs=1, batch_size=16, labels=labels)
    assert HEALTH_KEYS <= set(history) and caught == []
    # The probe scores D on the real images with their own labels.
    logits = gan.discriminator([images[:8], labels[:8]]).numpy()
    assert history["d_real_accuracy"] == [np.mean(logits > 0)]


def test_image_to_image_models_are_refused():
    model, (a, b) = tiny_models.pix2pix()
    model.compile(run_eagerly=True)
    with pytest.raises(TypeError, match="Received: model=Pix2Pix"):
        model.fit(a, b, batch_size=8, epochs=1, verbose=0, callbacks=[GANHealth(a[:4])])


def test_wasserstein_critic_skips_accuracy_unless_given_a_threshold(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(loss="wasserstein", run_eagerly=True)
    health = GANHealth(tiny_images[:8], num_samples=8)
    history, _ = fit(gan, tiny_images, [health], epochs=1)
    skipped = {"d_real_accuracy", "d_fake_accuracy", "d_win_rate"}
    assert set(health.skipped) == skipped and not skipped & set(history)
    assert "d_loss=WassersteinLoss" in health.skipped["d_win_rate"]
    assert "diversity" in history and "d_grad_norm" in history
    health = GANHealth(tiny_images[:8], num_samples=8, threshold=0.0, margin=1.0)
    history, _ = fit(gan, tiny_images, [health], epochs=1)
    assert health.skipped == {} and skipped <= set(history)


def test_least_squares_threshold_is_one_half(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(loss="least_squares", run_eagerly=True)
    health = GANHealth(tiny_images[:8])
    health.set_model(gan)
    health.on_train_begin()
    logits = gan.discriminator(tiny_images[:8]).numpy()
    assert health.measure()["d_real_accuracy"] == np.mean(logits > 0.5)
    assert np.mean(logits > 0.5) != np.mean(logits > 0)  # the threshold matters here


def test_real_images_must_match_the_model(tiny_gan, tiny_images):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    with pytest.raises(ValueError, match=r"Received: real_images of shape \(4, 4, 4, 1\)"):
        gan.fit(tiny_images, batch_size=8, epochs=1, verbose=0,
                callbacks=[GANHealth(tiny_images[:4, :4, :4])])


# ---------------------------------------------------------------------- arguments and config


@pytest.mark.parametrize("kwargs, received", [
    ({"win_epochs": 0}, "win_epochs=0"),
    ({"num_samples": 1}, "num_samples=1"),
    ({"win_rate": 0.0}, "win_rate=0.0"),
    ({"collapse_fraction": 1.0}, "collapse_fraction=1.0"),
    ({"divergence_factor": 1.0}, "divergence_factor=1.0"),
    ({"margin": -1.0}, "margin=-1.0"),
])
def test_bad_arguments_are_named(tiny_images, kwargs, received):
    with pytest.raises(ValueError, match=f"Received: {received}"):
        GANHealth(tiny_images[:4], **kwargs)


def test_config_round_trip_from_npy_paths(tiny_images, tmp_path):
    np.save(tmp_path / "real.npy", tiny_images[:4])
    health = GANHealth(tmp_path / "real.npy", num_samples=8, seed=2, margin=2.0,
                       win_epochs=5, collapse_fraction=0.3)
    config = health.get_config()
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(health))
    assert isinstance(restored, GANHealth) and restored.get_config() == config
    assert config["real_images"] == str(tmp_path / "real.npy") and config["win_epochs"] == 5
    np.testing.assert_array_equal(restored.real_images, tiny_images[:4])
    with pytest.raises(TypeError, match="Received: real_images=<array>"):
        GANHealth(tiny_images[:4]).get_config()
