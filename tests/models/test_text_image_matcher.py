"""TextImageMatcher: DAMSM's sentence loss, training, scoring, round trip, the GAN's term."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan
from tfgan.architectures import text_image_matcher_encoders
from tfgan.architectures import text_to_image_discriminator
from tfgan.architectures import text_to_image_generator
from tfgan.layers import text_vectorizer
from tfgan.models import TextImageMatcher
from tfgan.models import TextToImageGAN
from tfgan.models import matching_loss

CAPTIONS = ["a bright square", "a dark square"]
LENGTH = 4
TINY = {"embedding_dim": 4, "text_units": 4, "base_filters": 4}


def _matcher(vectorizer=None, gamma=10.0):
    vectorizer = vectorizer or text_vectorizer(CAPTIONS, max_length=LENGTH)
    encoders = text_image_matcher_encoders(vectorizer.vocabulary_size(), (8, 8, 1), LENGTH,
                                           embedding_size=8, **TINY)
    return TextImageMatcher(*encoders, vectorizer, gamma=gamma)


def _data(n=32):
    """Bright images are "a bright square", dark ones "a dark square"."""
    rng = np.random.default_rng(0)
    bright = np.arange(n) % 2 == 0
    images = np.clip(np.where(bright, 0.8, -0.8)[:, None, None, None]
                     + rng.normal(0, 0.1, (n, 8, 8, 1)), -1, 1).astype("float32")
    texts = np.array([CAPTIONS[0] if b else CAPTIONS[1] for b in bright])
    return images, texts


def test_matching_loss_is_the_two_way_cross_entropy_of_cosine_scores():
    images = np.array([[2.0, 0.0], [0.0, 3.0]], "float32")  # normalized to e1, e2
    texts = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    tokens = np.array([[2, 3], [4, 5]], "int32")
    # logits γ·I: each side's cross-entropy is log(1 + e^-γ).
    np.testing.assert_allclose(float(matching_loss(images, texts, tokens, gamma=2.0)),
                               np.log1p(np.exp(-2.0)), rtol=1e-5)
    swapped = float(matching_loss(images, texts[::-1], tokens, gamma=2.0))
    np.testing.assert_allclose(swapped, np.log1p(np.exp(2.0)), rtol=1e-5)
    # Identical captions are both correct: targets ½, ½ on both rows.
    same = np.array([[2, 3], [2, 3]], "int32")
    logits = 2.0 * np.eye(2)
    log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(float(matching_loss(images, texts, same, gamma=2.0)),
                               -0.5 * log_softmax.sum(axis=1).mean(), rtol=1e-5)


def test_fit_learns_to_match_and_score_ranks_the_true_caption():
    matcher = _matcher()
    matcher.compile(optimizer=keras.optimizers.Adam(1e-2), run_eagerly=True)
    images, texts = _data()
    dataset = tf.data.Dataset.from_tensor_slices((images, texts)).batch(8)
    history = matcher.fit(dataset, epochs=6, verbose=0).history["loss"]
    # Each batch of 8 holds every caption 4 times: the best loss is log 4, not 0.
    floor = np.log(4.0)
    assert history[-1] - floor < 0.5 * (history[0] - floor), history
    own = matcher.score(images, texts.tolist())
    other = matcher.score(images, texts[::-1].tolist())  # n even: every caption swapped
    assert np.all(own > other)
    ranking = tfgan.metrics.text_image_r_precision(
        matcher.score, images, np.stack([texts, texts[::-1]], axis=1))
    assert ranking["r_precision"] == 1.0


def test_keras_round_trip_and_argument_checks(tmp_path):
    matcher = _matcher(gamma=5.0)
    images, texts = _data(4)
    matcher.save(tmp_path / "matcher.keras")
    loaded = keras.saving.load_model(tmp_path / "matcher.keras")
    assert isinstance(loaded, TextImageMatcher) and loaded.gamma == 5.0
    np.testing.assert_allclose(loaded.score(images, texts.tolist()),
                               matcher.score(images, texts.tolist()), atol=1e-6)
    with pytest.raises(ValueError, match="one caption per image"):
        matcher.score(images, texts[:3].tolist())
    with pytest.raises(ValueError, match="gamma"):
        _matcher(gamma=0.0)
    with pytest.raises(TypeError, match="TextVectorization"):
        TextImageMatcher(matcher.image_encoder, matcher.text_encoder, None)
    small = keras.Model(matcher.text_encoder.inputs,
                        keras.layers.Dense(3)(matcher.text_encoder.outputs[0]))
    with pytest.raises(ValueError, match="same size"):
        TextImageMatcher(matcher.image_encoder, small, matcher.vectorizer)


def _gan(matcher=None, vectorizer=None):
    vectorizer = vectorizer or (matcher.vectorizer if matcher else
                                text_vectorizer(CAPTIONS, max_length=LENGTH))
    vocabulary = vectorizer.vocabulary_size()
    generator = text_to_image_generator(vocabulary, (8, 8, 1), LENGTH, latent_dim=4,
                                        condition_dim=4, **TINY)
    discriminator = text_to_image_discriminator(vocabulary, (8, 8, 1), LENGTH, **TINY)
    return TextToImageGAN(generator, discriminator, vectorizer, matcher=matcher, seed=1)


def test_gan_adds_the_frozen_matchers_weighted_term_and_saves_it(tmp_path):
    matcher = _matcher()
    model = _gan(matcher)
    model.compile(run_eagerly=True, kl_weight=0.0, matching_weight=3.0)
    assert not matcher.trainable
    tokens = model.tokens(tf.constant(CAPTIONS))
    fake = model.generator_call(tf.constant(model.sample_latents(2)), tokens)
    fake_logits = model.discriminate(fake, tokens)
    loss, logs = model.generator_loss(None, fake, tokens, fake_logits)
    term = float(matcher.loss_of(fake, tokens))
    np.testing.assert_allclose(float(logs["matching_loss"]), term, rtol=1e-5)
    np.testing.assert_allclose(float(loss), float(model.g_loss(1.0, fake_logits)) + 3.0 * term,
                               rtol=1e-5)
    images, texts = _data(8)
    before = [w.numpy().copy() for w in matcher.weights]
    model.fit(tf.data.Dataset.from_tensor_slices((images, texts)).batch(4), epochs=1,
              verbose=0)
    assert all(np.array_equal(a, w.numpy()) for a, w in zip(before, matcher.weights))
    model.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    assert loaded.matching_weight == 3.0 and isinstance(loaded.matcher, TextImageMatcher)
    np.testing.assert_allclose(loaded.matcher.score(images, texts.tolist()),
                               matcher.score(images, texts.tolist()), atol=1e-6)


def test_generator_reads_captions_with_a_frozen_copy_of_the_matchers_text_encoder(tmp_path):
    matcher = _matcher()
    images, texts = _data(16)
    dataset = tf.data.Dataset.from_tensor_slices((images, texts)).batch(8)
    matcher.compile(optimizer="adam")
    matcher.fit(dataset, epochs=1, verbose=0)
    trained = matcher.text_encoder.get_layer("text_encoder")
    generator = text_to_image_generator(matcher.vectorizer.vocabulary_size(), (8, 8, 1), LENGTH,
                                        latent_dim=4, condition_dim=4, base_filters=4,
                                        text_encoder=trained)
    copy = generator.get_layer("text_encoder")
    assert copy is not trained and not copy.trainable and copy.units == trained.units
    for a, b in zip(copy.get_weights(), trained.get_weights()):
        np.testing.assert_array_equal(a, b)
    discriminator = text_to_image_discriminator(matcher.vectorizer.vocabulary_size(), (8, 8, 1),
                                                LENGTH, **TINY)
    model = TextToImageGAN(generator, discriminator, matcher.vectorizer, seed=1)
    model.compile(kl_weight=0.0)
    before = [w.numpy().copy() for w in generator.weights]
    model.fit(dataset, epochs=1, verbose=0)
    changed = {w.path for a, w in zip(before, generator.weights) if not np.array_equal(a, w)}
    assert changed and not any("text_encoder" in path for path in changed)
    for a, b in zip(copy.get_weights(), trained.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras").generator
    assert not any("text_encoder" in v.path for v in loaded.trainable_variables)
    tokens = matcher.tokens(tf.constant(CAPTIONS))
    np.testing.assert_allclose(loaded.get_layer("text_encoder")(tokens)[1], copy(tokens)[1],
                               atol=1e-6)


def test_generator_refuses_a_text_encoder_it_cannot_use():
    matcher = _matcher()
    with pytest.raises(ValueError, match="must be a built tfgan.layers.TextEncoder"):
        text_to_image_generator(6, (8, 8, 1), LENGTH, text_encoder=matcher.text_encoder)
    trained = matcher.text_encoder.get_layer("text_encoder")
    with pytest.raises(ValueError, match="reads 6 token ids but the generator 9"):
        text_to_image_generator(9, (8, 8, 1), LENGTH, text_encoder=trained)


def test_gan_checks_the_matcher():
    with pytest.raises(ValueError, match="needs a `matcher`"):
        _gan().compile(matching_weight=1.0)
    model = _gan()
    model.compile()
    assert model.matching_weight == 0.0
    with_matcher = _gan(_matcher())
    with_matcher.compile()
    assert with_matcher.matching_weight == 5.0
    other = text_vectorizer(CAPTIONS + ["a red circle"], max_length=LENGTH)
    with pytest.raises(ValueError, match="different vocabulary"):
        _gan(_matcher(), vectorizer=other)
    with pytest.raises(TypeError, match="TextImageMatcher"):
        _gan(matcher="damsm", vectorizer=other)
