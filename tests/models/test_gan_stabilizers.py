"""GAN stabilizer options: penalties, clipping, EMA, noise, augmentation, presets."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan
from tfgan import penalties
from tfgan.architectures import mlp_discriminator
from tfgan.architectures import mlp_generator
from tfgan.augment import DiffAugment
from tfgan.stabilizers import FeatureMatching
from tfgan.stabilizers import InstanceNoise
from tfgan.stabilizers import WeightClipping


def tiny_generator(latent_dim=3, kernel_initializer="glorot_uniform"):
    z = keras.Input((latent_dim,))
    x = keras.layers.Dense(4, kernel_initializer=kernel_initializer)(z)
    return keras.Model(z, keras.layers.Reshape((2, 2, 1))(x), name="generator")


def linear_discriminator():
    """D(x) = 2·Σx on 2x2x1 images: ‖∇D‖ = 4 everywhere."""
    images = keras.Input((2, 2, 1))
    x = keras.layers.Flatten()(images)
    logits = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones",
                                name="logits")(x)
    model = keras.Model(images, logits, name="discriminator")
    model.get_layer("logits").kernel.assign(2.0 * np.ones((4, 1), "float32"))
    return model


def frozen_sgd():
    return keras.optimizers.SGD(learning_rate=0.0)


def images(n=8, seed=0):
    return tf.constant(np.random.default_rng(seed).uniform(-1, 1, size=(n, 2, 2, 1)), "float32")


def test_gradient_penalty_of_linear_discriminator_is_nine_inside_fit():
    gan = tfgan.GAN(tiny_generator(), linear_discriminator(), seed=1)
    gan.compile(loss="wasserstein", g_optimizer=frozen_sgd(), d_optimizer=frozen_sgd(),
                stabilizers=[penalties.GradientPenalty()], run_eagerly=True)
    real = images()
    fake = gan.generator(gan.training_latents(8, 0))  # the D update's fakes at step 0
    logs = gan.train_on_batch(real, return_dict=True)
    np.testing.assert_allclose(logs["gradient_penalty"], 9.0, rtol=1e-5)
    wasserstein = -np.mean(2 * real.numpy().sum(axis=(1, 2, 3))) + np.mean(
        2 * fake.numpy().sum(axis=(1, 2, 3)))
    np.testing.assert_allclose(logs["d_loss"], wasserstein + 90.0, rtol=1e-4)


def test_lazy_r1_runs_every_n_discriminator_updates_with_weight_times_n():
    # A zero-kernel generator makes the fakes (and the adversarial loss) step-independent.
    gan = tfgan.GAN(tiny_generator(kernel_initializer="zeros"), linear_discriminator(), seed=1)
    gan.compile(loss="wasserstein", g_optimizer=frozen_sgd(), d_optimizer=frozen_sgd(),
                stabilizers=[penalties.R1Penalty(gamma=2.0, every=3)], run_eagerly=True)
    real = images()
    d_losses, r1 = [], []
    for _ in range(6):
        gan.reset_metrics()
        logs = gan.train_on_batch(real, return_dict=True)
        d_losses.append(logs["d_loss"])
        r1.append(logs["r1_penalty"])
    adversarial = np.array(d_losses) - d_losses[1]
    # Updates 0 and 3 add (γ/2)·every·16 = 48; the others add nothing.
    np.testing.assert_allclose(adversarial, [48, 0, 0, 48, 0, 0], atol=1e-3)
    np.testing.assert_allclose([r1[0], r1[3]], [16.0, 16.0], rtol=1e-5)


def test_lazy_penalty_tracker_averages_only_active_updates():
    gan = tfgan.GAN(tiny_generator(), linear_discriminator(), seed=1)
    gan.compile(loss="wasserstein", g_optimizer=frozen_sgd(), d_optimizer=frozen_sgd(),
                stabilizers=[penalties.R1Penalty(every=2)], run_eagerly=True)
    history = gan.fit(images(16), batch_size=4, epochs=1, verbose=0).history
    np.testing.assert_allclose(history["r1_penalty"][0], 16.0, rtol=1e-5)


def test_weight_clipping_bounds_every_discriminator_weight():
    gan = tfgan.GAN(tiny_generator(), linear_discriminator(), seed=1)
    config = tfgan.presets.recipe("wgan", run_eagerly=True)
    assert config["d_steps"] == 5 and config["stabilizers"][0].clip == 0.01
    config["d_steps"] = 1
    gan.compile(**config)
    gan.train_on_batch(images())
    kernel = gan.discriminator.get_layer("logits").kernel.numpy()
    # 2 minus one RMSprop step (≈ 1.6e-4) is far above 0.01: every entry sits on the bound.
    np.testing.assert_allclose(kernel, 0.01 * np.ones_like(kernel))


def test_ema_arithmetic_and_sampling_generator():
    generator = tiny_generator()
    gan = tfgan.GAN(generator, linear_discriminator(), seed=1, ema_decay=0.75)
    assert gan.sampling_generator is gan.ema_generator
    gan.compile(loss="wasserstein", g_optimizer=keras.optimizers.SGD(0.1),
                d_optimizer=frozen_sgd(), run_eagerly=True)
    history = [[w.numpy() for w in generator.weights]]
    for _ in range(2):
        gan.train_on_batch(images())
        history.append([w.numpy() for w in generator.weights])
    for i, average in enumerate(gan.ema_generator.weights):
        w0, w1, w2 = (h[i] for h in history)
        expected = 0.75 * (0.75 * w0 + 0.25 * w1) + 0.25 * w2
        np.testing.assert_allclose(average.numpy(), expected, rtol=1e-5, atol=1e-7)
        assert not np.allclose(w2, expected)  # the average differs from the live weights
    z = gan.sample_latents(3, seed=5)
    np.testing.assert_allclose(gan.generate(latents=z), gan.ema_generator(z), rtol=1e-6)


def test_ema_half_life_conversions():
    decay = tfgan.models.ema_decay_for_half_life(10_000, 32)
    np.testing.assert_allclose(decay, 0.5 ** (32 / 10_000))
    np.testing.assert_allclose(tfgan.models.ema_half_life(decay, 32), 10_000, rtol=1e-9)


def test_feature_matching_value_matches_manual_features():
    gan = tfgan.GAN(mlp_generator(units=8, num_layers=1), mlp_discriminator(units=8, num_layers=1),
                    seed=3)
    gan.compile(g_optimizer=frozen_sgd(), d_optimizer=frozen_sgd(),
                stabilizers=[FeatureMatching("features", weight=2.0)], run_eagerly=True)
    real = tf.constant(np.random.default_rng(0).normal(size=(8, 2)), "float32")
    fake = gan.generator(gan.training_latents(8, 1))  # the G update's fakes (index d_steps = 1)
    logs = gan.train_on_batch(real, return_dict=True)
    features = keras.Model(gan.discriminator.inputs,
                           gan.discriminator.get_layer("features").output)
    expected = np.sum((features(real).numpy().mean(0) - features(fake).numpy().mean(0)) ** 2)
    np.testing.assert_allclose(logs["feature_matching"], expected, rtol=1e-5)
    g_adv = np.mean(np.logaddexp(0, -gan.discriminator(fake).numpy()))
    np.testing.assert_allclose(logs["g_loss"], g_adv + 2.0 * expected, rtol=1e-5)


def test_instance_noise_changes_what_discriminator_sees_and_anneals():
    gan = tfgan.GAN(tiny_generator(), linear_discriminator(), seed=1)
    gan.compile(loss="wasserstein", g_optimizer=frozen_sgd(), d_optimizer=frozen_sgd(),
                stabilizers=[InstanceNoise(0.5, decay_steps=2)], run_eagerly=True)
    real = images()
    clean = 2 * real.numpy().sum(axis=(1, 2, 3)).mean()
    scores = [gan.train_on_batch(real, return_dict=True)["real_score"] for _ in range(3)]
    gan.reset_metrics()
    assert abs(scores[0] - clean) > 1e-3  # std 0.5 at step 0
    np.testing.assert_allclose(scores[2], clean, rtol=1e-5)  # annealed to 0 at step 2


def test_augment_is_applied_before_the_discriminator():
    gen = keras.Sequential([keras.Input((3,)), keras.layers.Dense(64),
                            keras.layers.Reshape((8, 8, 1))])
    # D counts pixel values: on an image of ones it returns the number of unmasked pixels.
    disc = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(1, kernel_initializer="ones")])
    gan = tfgan.GAN(gen, disc, seed=1)
    gan.compile(g_optimizer=frozen_sgd(), d_optimizer=frozen_sgd(),
                stabilizers=[DiffAugment("cutout")], run_eagerly=True)
    real = tf.ones((4, 8, 8, 1))
    np.testing.assert_allclose(disc(real), 64.0)
    score = gan.train_on_batch(real, return_dict=True)["real_score"]
    # Cutout zeroes a 4x4 square cropped by the border: 4 to 16 pixels of each image.
    assert 48.0 <= score <= 60.0
    assert float(score * 4).is_integer()


def _variant(name):
    gen = mlp_generator(units=8, num_layers=1)
    disc_kwargs = {"units": 8, "num_layers": 2}
    compile_kwargs, gan_kwargs = {}, {}
    if name in ("wgan", "wgan_gp", "wgan_gp_one_sided", "sngan", "r1"):
        compile_kwargs = tfgan.presets.recipe(name, d_steps=2)  # 5 in the presets; 2 is faster
        disc_kwargs["spectral_norm"] = name == "sngan"
    elif name == "mixture_2d":
        compile_kwargs = tfgan.presets.recipe(name, steps=4)
        gan_kwargs["ema_decay"] = 0.999
    elif name == "lazy_r2":
        compile_kwargs = {"stabilizers": [penalties.R2Penalty(1.0, every=2)]}
    elif name == "pacgan":
        disc_kwargs["packing"] = 4
    elif name == "stddev_ema":
        disc_kwargs["minibatch_stddev"] = True
        gan_kwargs["ema_decay"] = 0.9
    elif name == "noise_fm":
        compile_kwargs = {"stabilizers": [InstanceNoise(0.1), FeatureMatching("features")]}
    elif name == "ttur_smoothing":
        compile_kwargs = {"g_optimizer": keras.optimizers.Adam(1e-4),
                          "d_optimizer": keras.optimizers.Adam(4e-4), "d_steps": 2,
                          "d_loss": tfgan.losses.NonSaturatingLoss(label_smoothing=0.1)}
    gan = tfgan.GAN(gen, mlp_discriminator(**disc_kwargs), seed=0, **gan_kwargs)
    return gan, compile_kwargs


VARIANTS = ["wgan", "wgan_gp", "wgan_gp_one_sided", "sngan", "r1", "mixture_2d", "lazy_r2",
            "pacgan",
            "stddev_ema", "noise_fm", "ttur_smoothing"]


@pytest.mark.parametrize("run_eagerly", [True, False], ids=["eager", "graph"])
@pytest.mark.parametrize("name", VARIANTS)
def test_each_variant_trains_a_few_steps(name, run_eagerly):
    gan, compile_kwargs = _variant(name)
    gan.compile(run_eagerly=run_eagerly, **compile_kwargs)
    before = [w.numpy().copy() for w in gan.generator.trainable_weights]
    data = np.random.default_rng(0).normal(size=(16, 2)).astype("float32")
    history = gan.fit(data, batch_size=8, epochs=1, verbose=0).history
    assert all(np.isfinite(v[0]) for v in history.values())
    for penalty in gan.stabilizers:
        if not isinstance(penalty, penalties.Penalty):
            continue
        # A one-sided penalty is 0 while D's gradients stay below norm 1.
        value = history[penalty.name][0]
        assert value >= 0 if getattr(penalty, "one_sided", False) else value > 0
    after = gan.generator.trainable_weights
    assert any(not np.allclose(b, a.numpy()) for b, a in zip(before, after))


def test_mixture_2d_preset_decays_over_the_second_half_of_its_steps():
    config = tfgan.presets.recipe("mixture_2d", steps=100)
    (penalty,) = config["stabilizers"]
    assert isinstance(penalty, penalties.R1Penalty)
    assert (penalty.gamma, penalty.every) == (0.1, 4)
    assert config["g_optimizer"] is not config["d_optimizer"]
    optimizer = config["g_optimizer"]
    rates = []
    for step in (0, 50, 75, 100, 120):
        optimizer.iterations.assign(step)
        rates.append(float(optimizer.learning_rate))
    np.testing.assert_allclose(rates, [1e-3, 1e-3, 5e-4, 0.0, 0.0], atol=1e-9)


def test_preset_steps_are_required_by_schedules_and_refused_otherwise():
    with pytest.raises(ValueError, match="pass `steps`.*Received: steps=None"):
        tfgan.presets.recipe("mixture_2d")
    with pytest.raises(ValueError, match="Received: steps=0.5"):
        tfgan.presets.recipe("mixture_2d", steps=0.5)
    with pytest.raises(ValueError, match="'wgan' has no schedule.*Received: steps=10"):
        tfgan.presets.recipe("wgan", steps=10)


def test_graph_mode_matches_eager_with_penalty_and_augment():
    def run(run_eagerly):
        keras.utils.set_random_seed(0)
        gen = keras.Sequential([keras.Input((3,)), keras.layers.Dense(64),
                                keras.layers.Reshape((8, 8, 1))])
        disc = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                                 keras.layers.Dense(4, activation="tanh"),
                                 keras.layers.Dense(1)])
        gan = tfgan.GAN(gen, disc, seed=2, ema_decay=0.5)
        gan.compile(stabilizers=[penalties.GradientPenalty(), DiffAugment(), InstanceNoise(0.05)],
                    run_eagerly=run_eagerly, jit_compile=False)
        data = np.random.default_rng(1).uniform(-1, 1, size=(16, 8, 8, 1)).astype("float32")
        gan.fit(data, batch_size=8, epochs=1, verbose=0, shuffle=False)
        return gan.generate(4, seed=1)
    np.testing.assert_allclose(run(True), run(False), rtol=1e-4, atol=1e-5)


def test_stabilizers_survive_keras_save_and_load(tmp_path):
    gan = tfgan.GAN(mlp_generator(units=8, num_layers=1), mlp_discriminator(units=8, num_layers=1),
                    seed=4, ema_decay=0.9)
    gan.compile(stabilizers=[penalties.R1Penalty(0.5, every=4),
                             penalties.GradientPenalty(one_sided=True),
                             WeightClipping(0.5), InstanceNoise(0.1, decay_steps=100),
                             FeatureMatching("features", weight=0.5)], run_eagerly=True)
    gan.fit(np.random.default_rng(0).normal(size=(16, 2)).astype("float32"), batch_size=8,
            verbose=0)
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.ema_decay == 0.9
    assert [(type(s), s.get_config()) for s in loaded.stabilizers] == [
        (type(s), s.get_config()) for s in gan.stabilizers]
    assert loaded.stabilizers[2].clip == 0.5 and loaded.stabilizers[3].decay_steps == 100
    assert loaded.stabilizers[4].get_config() == {"layer": "features", "weight": 0.5}
    z = gan.sample_latents(5, seed=3)
    np.testing.assert_allclose(loaded.generate(latents=z), gan.generate(latents=z), rtol=1e-6)
    assert not np.allclose(loaded.generator(z), loaded.generate(latents=z))  # EMA ≠ live
    assert "r1_penalty" in [m.name for m in loaded.metrics]


def test_adaptive_augment_raises_p_while_d_is_sure_of_real_images(tmp_path):
    # D = 2·Σx is positive on every real batch of ones: r_t = 1 > 0.6 at every update.
    gan = tfgan.GAN(tiny_generator(), linear_discriminator(), seed=1)
    augment = DiffAugment("translation", target=0.6, adjust_images=32, interval=2)
    gan.compile(g_optimizer=frozen_sgd(), d_optimizer=frozen_sgd(), stabilizers=[augment])
    history = gan.fit(tf.ones((24, 2, 2, 1)), batch_size=4, epochs=1, verbose=0).history
    # 6 D updates, a move of 8/32 every 2: p = 0.25, 0.5, 0.75 (epoch mean of the logs
    # over the 6 steps: (0 + 0.25 + 0.25 + 0.5 + 0.5 + 0.75) / 6).
    assert float(augment.p) == pytest.approx(0.75)
    assert history["augment_p"][0] == pytest.approx(2.25 / 6)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.models.load_model(tmp_path / "gan.keras")
    assert float(loaded.stabilizers[0].p) == pytest.approx(0.75)
    # A checkpoint (save_weights) carries p too, so a resumed run goes on from it.
    gan.save_weights(tmp_path / "ckpt.weights.h5")
    fresh = tfgan.GAN(tiny_generator(), linear_discriminator(), seed=1)
    fresh.compile(g_optimizer=frozen_sgd(), d_optimizer=frozen_sgd(),
                  stabilizers=[DiffAugment("translation", target=0.6, adjust_images=32,
                                           interval=2)])
    fresh.load_weights(tmp_path / "ckpt.weights.h5")
    assert float(fresh.stabilizers[0].p) == pytest.approx(0.75)


def test_augment_round_trips_in_compile_config():
    gan = tfgan.GAN(tiny_generator(), linear_discriminator(), seed=1)
    gan.compile(stabilizers=[DiffAugment("color,cutout", cutout_ratio=0.25)])
    restored = tfgan.GAN(tiny_generator(), linear_discriminator(), seed=1)
    restored.compile_from_config(gan.get_compile_config())
    (augment,) = restored.stabilizers
    assert isinstance(augment, DiffAugment)
    assert augment.policy == "color,cutout" and augment.cutout_ratio == 0.25


def test_stabilizer_validation_errors():
    gan = tfgan.GAN(tiny_generator(), linear_discriminator(), seed=1)
    with pytest.raises(ValueError, match="Received: clip=-1"):
        WeightClipping(-1)
    with pytest.raises(ValueError, match="Received: layer='nope'"):
        gan.compile(stabilizers=[FeatureMatching("nope")])
    with pytest.raises(ValueError, match="own metric name"):
        gan.compile(stabilizers=[penalties.R1Penalty(), penalties.R1Penalty()])
    with pytest.raises(TypeError, match="A stabilizer must be"):
        gan.compile(stabilizers=[lambda images, seed: images])
    with pytest.raises(ValueError, match="Received: ema_decay=1.0"):
        tfgan.GAN(tiny_generator(), linear_discriminator(), ema_decay=1.0)
    with pytest.raises(ValueError, match="Received: name='nope'"):
        tfgan.presets.recipe("nope")


def test_new_public_classes_are_registered_and_exported():
    import tfgan.augment
    import tfgan.layers
    classes = [tfgan.penalties.GradientPenalty, tfgan.penalties.R1Penalty,
               tfgan.penalties.R2Penalty, tfgan.layers.SpectralNorm,
               tfgan.layers.MinibatchStdDev, tfgan.layers.MinibatchDiscrimination,
               tfgan.layers.Pack, tfgan.augment.DiffAugment]
    for cls in classes:
        assert keras.saving.get_registered_name(cls) == f"tfgan>{cls.__name__}"
    assert tfgan.SpectralNorm is tfgan.layers.SpectralNorm
    assert tfgan.GradientPenalty is tfgan.penalties.GradientPenalty
