"""TextEncoder, ConditioningAugmentation (closed-form KL), WordAttention, the vectorizer."""

import keras
import numpy as np
import pytest

from tfgan.layers import ConditioningAugmentation
from tfgan.layers import TextEncoder
from tfgan.layers import WordAttention
from tfgan.layers import kl_to_standard_normal
from tfgan.layers import text_vectorizer
from tfgan.layers import tokenize

CAPTIONS = ["a thick seven", "a thin one leaning right", "the number 3, bold"]


def test_vectorizer_maps_unseen_words_to_oov_and_pads_with_zero():
    vectorizer = text_vectorizer(CAPTIONS, max_length=5)
    tokens = tokenize(vectorizer, ["A THICK zebra!", "seven"])
    vocabulary = vectorizer.get_vocabulary()
    assert tokens.shape == (2, 5) and tokens.dtype == np.int32
    assert [vocabulary[i] for i in tokens[0, :3]] == ["a", "thick", "[UNK]"]
    assert tokens[0, 2] == 1 and list(tokens[0, 3:]) == [0, 0]
    assert list(tokens[1, 1:]) == [0, 0, 0, 0]


@pytest.mark.parametrize("texts, position", [(["a seven", ""], 1), (["   "], 0),
                                             (["a seven", "?!"], 1)])
def test_blank_captions_raise_naming_the_caption(texts, position):
    vectorizer = text_vectorizer(CAPTIONS, max_length=5)
    with pytest.raises(ValueError, match=rf"texts\[{position}\]"):
        tokenize(vectorizer, texts)


def test_empty_caption_list_raises():
    with pytest.raises(ValueError, match="at least one caption"):
        text_vectorizer([], max_length=4)


def test_text_encoder_ignores_padding_and_zeroes_padded_words():
    encoder = TextEncoder(10, embedding_dim=4, units=3)
    short = np.array([[3, 4]], "int32")
    padded = np.array([[3, 4, 0, 0, 0]], "int32")
    words_short, sentence_short, _ = encoder(short)
    words, sentence, mask = encoder(padded)
    assert words.shape == (1, 5, 6) and sentence.shape == (1, 6)
    np.testing.assert_allclose(sentence, sentence_short, atol=1e-6)
    np.testing.assert_allclose(words[:, :2], words_short, atol=1e-6)
    assert np.all(np.asarray(words)[:, 2:] == 0)
    np.testing.assert_array_equal(mask, [[1, 1, 0, 0, 0]])


def test_text_encoder_round_trip(keras_round_trip):
    encoder = TextEncoder(10, embedding_dim=4, units=3, name="encoder")
    tokens = np.array([[3, 4, 0], [5, 0, 0]], "int32")
    inputs = keras.Input((3,), dtype="int32")
    model = keras.Model(inputs, encoder(inputs)[1])
    restored = keras_round_trip(encoder, tokens.astype("float32"),
                                call=lambda layer, x: layer(x)[1])
    np.testing.assert_allclose(restored(tokens)[1], model(tokens), atol=1e-6)


def test_kl_matches_the_closed_form_by_hand_and_by_monte_carlo():
    mean = np.array([[1.0, 0.0]], "float32")
    log_variance = np.array([[0.0, 1.0]], "float32")
    # ½[(1 + 1 − 1 − 0) + (0 + e − 1 − 1)] = ½(e − 1)
    np.testing.assert_allclose(kl_to_standard_normal(mean, log_variance), [0.5 * (np.e - 1)],
                               rtol=1e-6)
    rng = np.random.default_rng(0)
    mu, log_var = np.array([0.7, -1.2, 0.1]), np.array([-0.5, 0.8, 0.0])
    sigma = np.exp(0.5 * log_var)
    x = mu + sigma * rng.standard_normal((400_000, 3))
    log_q = -0.5 * ((x - mu) / sigma) ** 2 - np.log(sigma)
    log_p = -0.5 * x ** 2
    monte_carlo = np.mean(np.sum(log_q - log_p, axis=1))
    closed = float(kl_to_standard_normal(mu[None].astype("float32"),
                                         log_var[None].astype("float32"))[0])
    assert abs(monte_carlo - closed) < 0.01 * closed


def test_conditioning_augmentation_samples_in_training_and_adds_its_kl():
    layer = ConditioningAugmentation(units=4, seed=0)
    embedding = np.random.default_rng(0).normal(size=(512, 6)).astype("float32")
    mean, log_variance = (np.asarray(t) for t in layer.mean_and_log_variance(embedding))
    np.testing.assert_allclose(layer(embedding, training=False), mean, atol=1e-6)
    assert len(layer.losses) == 1
    # StackGAN's normalization: the mean over the batch and the 4 condition dimensions.
    np.testing.assert_allclose(layer.losses[0],
                               np.mean(kl_to_standard_normal(mean, log_variance)) / 4,
                               rtol=1e-5)
    assert np.asarray(mean).min() < 0 and np.asarray(log_variance).min() < 0  # unbounded
    sampled = np.asarray(layer(embedding, training=True))
    standardized = (sampled - mean) / np.exp(0.5 * log_variance)
    assert abs(standardized.mean()) < 0.05 and abs(standardized.std() - 1.0) < 0.05


def test_conditioning_augmentation_round_trip(keras_round_trip):
    keras_round_trip(ConditioningAugmentation(units=3, seed=2, name="ca"),
                     np.ones((2, 5), "float32"))


def test_word_attention_weights_skip_padding_and_give_the_context():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(2, 3, 3, 4)).astype("float32")
    words = rng.normal(size=(2, 5, 6)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], "float32")
    layer = WordAttention()
    context = np.asarray(layer([features, words, mask]))
    weights = np.asarray(layer.attention_weights([features, words, mask]))
    np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-5)
    assert np.all(weights[0, ..., 3:] < 1e-6) and np.allclose(weights[1, ..., 0], 1.0)
    projected = words @ np.asarray(layer.projection.kernel)
    np.testing.assert_allclose(context, np.einsum("bhwl,blc->bhwc", weights, projected),
                               rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(context[1], np.broadcast_to(projected[1, 0], (3, 3, 4)),
                               rtol=1e-4, atol=1e-5)
