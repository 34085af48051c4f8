"""TextToImageGAN: GAN-CLS loss on in-batch mismatches, KL, fit, generation, round trip."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan
from tfgan.architectures import text_to_image_discriminator
from tfgan.architectures import text_to_image_generator
from tfgan.layers import text_vectorizer
from tfgan.models import TextToImageGAN
from tfgan.models.text_to_image import mismatched_captions

CAPTIONS = ["a thick seven", "a thin one leaning right", "the number 3, bold", "small two"]
LENGTH = 6


def _model(size=8, stages=1, word_attention=False, seed=1, **kwargs):
    vectorizer = text_vectorizer(CAPTIONS, max_length=LENGTH)
    vocabulary = vectorizer.vocabulary_size()
    tiny = {"embedding_dim": 4, "text_units": 4, "base_filters": 4}
    generator = text_to_image_generator(vocabulary, (size, size, 1), LENGTH, latent_dim=4,
                                        condition_dim=4, stages=stages,
                                        word_attention=word_attention, **tiny)
    discriminator = text_to_image_discriminator(vocabulary, (size, size, 1), LENGTH, **tiny)
    return TextToImageGAN(generator, discriminator, vectorizer, seed=seed,
                          sample_captions=CAPTIONS, **kwargs)


def _data(size=8, n=8):
    images = np.random.default_rng(0).uniform(-1, 1, (n, size, size, 1)).astype("float32")
    texts = np.array([CAPTIONS[i % len(CAPTIONS)] for i in range(n)])
    return tf.data.Dataset.from_tensor_slices((images, texts)).batch(4)


def test_mismatched_captions_come_from_the_same_batch_and_never_match():
    tokens = np.array([[1, 2], [3, 4], [3, 4], [5, 6]], "int32")
    mismatched, weights = mismatched_captions(tokens)
    np.testing.assert_array_equal(mismatched, tokens[[3, 0, 1, 2]])
    # Row 2 would get row 1's caption, identical to its own: weight 0.
    np.testing.assert_array_equal(weights, [1, 1, 0, 1])
    _, weights = mismatched_captions(np.array([[7, 0], [7, 0]], "int32"))
    np.testing.assert_array_equal(weights, [0, 0])


def test_discriminator_loss_is_gan_cls_on_rolled_captions():
    model = _model()
    model.compile(run_eagerly=True)
    rng = np.random.default_rng(0)
    real = tf.constant(rng.uniform(-1, 1, (4, 8, 8, 1)), "float32")
    fake = tf.constant(rng.uniform(-1, 1, (4, 8, 8, 1)), "float32")
    tokens = model.tokens(tf.constant(["a thick seven", "small two", "small two", "bold"]))
    real_logits = model.discriminate(real, tokens, training=False)
    fake_logits = model.discriminate(fake, tokens, training=False)
    seen = []
    original = model.discriminate

    def spy(images, captions, training=True):
        seen.append(np.asarray(captions))
        return original(images, captions, training=False)

    model.discriminate = spy
    loss, logs = model.discriminator_loss(real, fake, tokens, real_logits, fake_logits)
    wrong_logits = np.asarray(original(real, tf.roll(tokens, 1, axis=0), training=False))[:, 0]
    np.testing.assert_array_equal(seen[0], np.roll(tokens, 1, axis=0))

    def bce(target, logits):
        logits = np.asarray(logits, "float64").ravel()
        return np.maximum(logits, 0) - logits * target + np.log1p(np.exp(-np.abs(logits)))

    mask = np.array([1, 1, 0, 1])  # row 2's rolled caption ("small two") is its own
    expected = (bce(1, real_logits).mean()
                + 0.5 * (bce(0, fake_logits).mean() + (bce(0, wrong_logits) * mask).mean()))
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)
    np.testing.assert_allclose(float(logs["mismatch_score"]), wrong_logits[mask == 1].mean(),
                               rtol=1e-5)


def test_generator_loss_adds_the_weighted_kl():
    model = _model()
    model.compile(run_eagerly=True, kl_weight=2.5)
    tokens = model.tokens(tf.constant(CAPTIONS))
    latents = tf.constant(model.sample_latents(4))
    fake = model.generator_call(latents, tokens)
    fake_logits = model.discriminate(fake, tokens)
    generator = model.generator
    words, sentence, _ = generator.get_layer("text_encoder")(tokens)
    mean, log_variance = generator.get_layer("conditioning_augmentation").mean_and_log_variance(
        sentence)
    kl = np.mean(tfgan.layers.kl_to_standard_normal(mean, log_variance)) / 4  # per dim
    loss, logs = model.generator_loss(None, fake, tokens, fake_logits)
    np.testing.assert_allclose(float(logs["kl_loss"]), kl, rtol=1e-5)
    np.testing.assert_allclose(float(loss), float(model.g_loss(1.0, fake_logits)) + 2.5 * kl,
                               rtol=1e-5)


def test_fit_trains_every_network():
    # Eager: tracing the unrolled GRUs of three text encoders costs ~40 s on a loaded
    # 2-core machine; the preset's CLI test covers graph mode.
    model = _model()
    model.compile(run_eagerly=True)
    before = [w.copy() for w in model.generator.get_weights()]
    d_before = [w.copy() for w in model.discriminator.get_weights()]
    history = model.fit(_data(), epochs=1, verbose=0)
    for name in ("d_loss", "g_loss", "kl_loss", "mismatch_score", "real_score"):
        assert np.isfinite(history.history[name][-1]), name
    assert history.history["kl_loss"][-1] > 0
    encoder = model.generator.get_layer("text_encoder").get_weights()
    assert any(not np.allclose(a, b) for a, b in zip(model.generator.get_weights(), before))
    assert any(not np.allclose(a, b)
               for a, b in zip(model.discriminator.get_weights(), d_before))
    assert encoder and int(model.step) == 2


def test_two_stage_word_attention_model_fits_with_stabilizers():
    model = _model(size=16, stages=2, word_attention=True)
    model.compile(run_eagerly=True, stabilizers=[tfgan.penalties.R1Penalty(1.0),
                                                 tfgan.augment.DiffAugment("translation")])
    history = model.fit(_data(size=16), epochs=1, verbose=0)
    assert np.isfinite(history.history["r1_penalty"][-1])
    assert model.generator.get_layer("decoder").get_layer("word_attention") is not None


def test_fit_refuses_batches_without_captions_and_blank_captions():
    model = _model()
    model.compile(run_eagerly=True)
    images = np.zeros((4, 8, 8, 1), "float32")
    with pytest.raises(ValueError, match="captions=None"):
        model.fit(images, batch_size=4, verbose=0)
    blank = tf.data.Dataset.from_tensor_slices((images, ["a seven", "", "two", "one"]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="at least one word"):
        model.fit(blank.batch(4), verbose=0)


def test_generate_is_seeded_conditioned_and_takes_unseen_words():
    model = _model()
    images = model.generate(["a thick seven", "a thin one leaning right"], seed=3)
    assert images.shape == (2, 8, 8, 1) and np.abs(images).max() <= 1.0
    np.testing.assert_array_equal(images, model.generate(
        ["a thick seven", "a thin one leaning right"], seed=3))
    latents = np.repeat(model.sample_latents(1), 2, axis=0)
    pair = model.generate(["a thick seven", "small two"], latents=latents)
    assert np.abs(pair[0] - pair[1]).max() > 0  # same z: only the caption differs
    assert model.generate("a purple zebra").shape == (1, 8, 8, 1)  # OOV words
    with pytest.raises(ValueError, match=r"texts\[1\]"):
        model.generate(["a seven", " "])
    with pytest.raises(ValueError, match="one row per caption"):
        model.generate(["a seven"], latents=np.zeros((2, 4), "float32"))


def test_interpolation_ends_at_each_caption_with_a_fixed_latent():
    model = _model(size=16, stages=2, word_attention=True)
    path = model.interpolate("a thick seven", "small two", steps=4, seed=5)
    ends = model.generate(["a thick seven", "small two"],
                          latents=np.repeat(model.sample_latents(1, seed=5), 2, axis=0))
    assert path.shape == (4, 16, 16, 1)
    np.testing.assert_allclose(path[0], ends[0], atol=1e-5)
    np.testing.assert_allclose(path[-1], ends[1], atol=1e-5)


def test_sample_grid_has_one_row_per_caption():
    model = _model()
    grid = model.sample_grid(["a thick seven", "small two"], per_caption=3, padding=1)
    assert grid.dtype == np.uint8 and grid.shape[0] == 2 * 8 + 3
    assert model.sample(5).shape == (5, 8, 8, 1)


def test_keras_round_trip(tmp_path):
    model = _model(ema_decay=0.9)
    model.compile(kl_weight=0.5, run_eagerly=True)
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras")
    assert isinstance(loaded, TextToImageGAN) and loaded.kl_weight == 0.5
    assert loaded.sample_captions == CAPTIONS
    assert loaded.vectorizer.get_vocabulary() == model.vectorizer.get_vocabulary()
    np.testing.assert_allclose(loaded.generate(CAPTIONS + ["a zebra"], seed=2),
                               model.generate(CAPTIONS + ["a zebra"], seed=2), atol=1e-6)
    loaded.fit(_data(), epochs=1, verbose=0)


def test_constructor_checks_the_vectorizer():
    model = _model()
    with pytest.raises(TypeError, match="TextVectorization"):
        TextToImageGAN(model.generator, model.discriminator, vectorizer=None)
    other = text_vectorizer(CAPTIONS, max_length=LENGTH + 1)
    with pytest.raises(ValueError, match="output_sequence_length"):
        TextToImageGAN(model.generator, model.discriminator, other)


def test_builders_check_their_stage_options():
    with pytest.raises(ValueError, match="stages=2"):
        text_to_image_generator(10, (16, 16, 1), word_attention=True)
    with pytest.raises(ValueError, match="two upsamplings"):
        text_to_image_generator(10, (8, 8, 1), stages=2)
