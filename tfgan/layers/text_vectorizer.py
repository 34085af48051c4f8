"""Captions → token ids: an adapted `keras.layers.TextVectorization` and caption checks."""

import keras
import numpy as np
import tensorflow as tf

from tfgan.utils.validation import check_positive_int

PADDING, OOV = 0, 1


def text_vectorizer(captions, max_length=16, max_tokens=None):
    """A `keras.layers.TextVectorization` adapted on training captions.

    Captions are lower-cased, stripped of punctuation and split on whitespace; each
    becomes `max_length` int token ids, 0-padded (or truncated). Id 0 is padding and
    id 1 the out-of-vocabulary token `[UNK]`, which every word unseen in `captions`
    maps to. The vocabulary is part of the layer's config, so it is saved with a
    `.keras` model and exported inside a SavedModel.

    Args:
        captions: the training captions (a list or array of strings).
        max_length: tokens per caption. Default 16.
        max_tokens: largest vocabulary (padding and OOV included); `None` keeps every
            word.

    Returns:
        An adapted `keras.layers.TextVectorization` with int32-compatible output
        `(batch, max_length)`.
    """
    captions = check_texts(captions, "captions")
    max_length = check_positive_int("max_length", max_length)
    if max_tokens is not None:
        check_positive_int("max_tokens", max_tokens, 3)
    vectorizer = keras.layers.TextVectorization(max_tokens=max_tokens,
                                                output_sequence_length=max_length,
                                                name="text_vectorizer")
    vectorizer.adapt(tf.constant(captions))
    return vectorizer


def check_texts(texts, arg="texts"):
    """`texts` as a list of `str`, refusing an empty list and blank strings.

    Raises:
        ValueError: naming the first blank text and its position.
    """
    if isinstance(texts, (str, bytes)):
        texts = [texts]
    texts = [t.decode() if isinstance(t, bytes) else t for t in np.asarray(texts).ravel()]
    if not texts:
        raise ValueError(f"`{arg}` must hold at least one caption. Received: {arg}=[]")
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"Every caption must be a non-empty string: a blank caption "
                             f"has no words to condition on. Received: {arg}[{i}]={text!r}")
    return texts


def tokenize(vectorizer, texts, arg="texts"):
    """Token ids `(n, max_length)` int32 of `texts`, refusing captions with no token.

    A caption with no word left after standardization (e.g. only punctuation) would
    condition on nothing but padding; it is refused with its position. Unseen words are
    fine: they become the OOV id 1.

    Raises:
        ValueError: for blank captions or captions without any token.
    """
    texts = check_texts(texts, arg)
    tokens = np.asarray(vectorizer(tf.constant(texts)), dtype="int32")
    empty = np.flatnonzero(~np.any(tokens != PADDING, axis=1))
    if empty.size:
        raise ValueError(f"Every caption needs at least one word after lower-casing and "
                         f"stripping punctuation. Received: {arg}[{empty[0]}]="
                         f"{texts[empty[0]]!r}")
    return tokens


def token_ids(vectorizer, captions):
    """Token ids int32 of a batch of captions inside a train step: strings `(batch,)` go
    through `vectorizer`, token ids pass as they are (no checks: see `tokenize` for
    arrays of texts)."""
    captions = tf.convert_to_tensor(captions)
    if captions.dtype == tf.string:
        captions = vectorizer(tf.reshape(captions, [-1]))
    return tf.cast(captions, "int32")
