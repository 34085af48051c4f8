import keras
import numpy as np
import pytest

from tfgan import metrics
from tfgan.architectures import dcgan
from tfgan.models import GAN
from tfgan.utils.seeds import stateless_latents


def _generator(latent_dim=4):
    inputs = keras.Input((latent_dim,))
    x = keras.layers.Dense(16, activation="tanh")(inputs)
    return keras.Model(inputs, keras.layers.Reshape((4, 4, 1))(x), name="g")


def _flat():
    return metrics.FeatureExtractor(keras.layers.Flatten(), name="flatten")


def test_fid_kid_pr_is_match_direct_computation():
    generator = _generator()
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (64, 16)).astype("float32")
    ref_stats = metrics.FeatureStatistics.from_features(real, metadata={"dataset": "toy"})
    classifier = metrics.FeatureExtractor(keras.layers.Flatten(), name="softmax16",
                                          softmax=True)
    results = metrics.evaluate_generator(
        generator, ref_stats, real, metrics=("fid", "kid", "is", "pr"), num_samples=50,
        extractor=_flat(), classifier=classifier, seed=5, batch_size=16, kid_subsets=3,
        kid_subset_size=20, is_splits=2)
    fake = np.asarray(generator(stateless_latents(50, 4, 5))).reshape(50, -1)
    assert results["fid"]["value"] == pytest.approx(
        metrics.fid_from_features(fake, real), rel=1e-6)
    assert results["kid"]["value"] == pytest.approx(
        metrics.kernel_inception_distance(fake, real, 3, 20, seed=5)[0], rel=1e-5)
    assert (results["pr"]["precision"], results["pr"]["recall"]) == metrics.precision_recall(
        real, fake)
    probabilities = np.exp(fake) / np.exp(fake).sum(1, keepdims=True)
    assert results["is"]["value"] == pytest.approx(
        metrics.inception_score(probabilities, 2)[0], rel=1e-5)
    protocol = results["fid"]["protocol"]
    assert protocol == {"num_samples": 50, "seed": 5, "extractor": "flatten",
                        "reference": {"dataset": "toy", "count": 64}}
    assert results["fid"]["name"] == "fid50" and results["is"]["protocol"]["classifier"] == \
        "softmax16"


def test_uses_the_gan_sampling_generator():
    generator = dcgan.dcgan_generator((8, 8, 1), latent_dim=4, base_filters=4)
    discriminator = dcgan.dcgan_discriminator((8, 8, 1), base_filters=4)
    gan = GAN(generator, discriminator, seed=1)

    class EMAGAN(GAN):
        @property
        def sampling_generator(self):
            return self.other

    ema = EMAGAN(generator, discriminator, seed=1)
    ema.other = dcgan.dcgan_generator((8, 8, 1), latent_dim=4, base_filters=4)
    real = np.random.default_rng(0).uniform(-1, 1, (40, 64))
    ref = metrics.FeatureStatistics.from_features(real)
    plain = metrics.evaluate_generator(gan, ref, num_samples=20, extractor=_flat())
    other = metrics.evaluate_generator(ema, ref, num_samples=20, extractor=_flat())
    fake = ema.other(gan.sample_latents(20, 0), training=False).numpy().reshape(20, -1)
    assert other["fid"]["value"] == pytest.approx(metrics.fid_from_features(fake, real),
                                                  rel=1e-6)
    plain_fake = generator(gan.sample_latents(20, 0), training=False).numpy().reshape(20, -1)
    assert plain["fid"]["value"] == pytest.approx(metrics.fid_from_features(plain_fake, real),
                                                  rel=1e-6)
    assert np.abs(plain_fake - fake).max() > 1e-3


def test_argument_errors():
    with pytest.raises(ValueError, match="metrics"):
        metrics.evaluate_generator(_generator(), metrics=("fid", "bogus"))
    with pytest.raises(ValueError, match="reference_stats=None"):
        metrics.evaluate_generator(_generator(), metrics=("fid",))
    with pytest.raises(ValueError, match="classifier=None"):
        metrics.evaluate_generator(_generator(), metrics=("is",))


def test_a_bare_conditional_generator_is_refused_with_the_way_out():
    from tfgan.architectures import conditional_dcgan_generator

    generator = conditional_dcgan_generator(3, (8, 8, 1), latent_dim=4, base_filters=4)
    with pytest.raises(ValueError, match=r"takes 2 inputs.*gan\.keras"):
        next(metrics.generated_batches(generator, 4))


def test_metric_names_carry_the_count():
    assert metrics.metric_name("fid", 50000) == "fid50k"
    assert metrics.metric_name("kid", 1234) == "kid1234"
