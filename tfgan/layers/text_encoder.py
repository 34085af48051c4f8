"""A recurrent text encoder: token ids → word features and a sentence vector (AttnGAN)."""

import keras
from keras import layers
from keras import ops

from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class TextEncoder(keras.layers.Layer):
    """Encodes token ids with an embedding and a bidirectional GRU (Xu et al. 2018).

    Called on int token ids `(batch, length)` with 0 as padding (the layout of
    `keras.layers.TextVectorization`, see `tfgan.text.text_vectorizer`), it returns
    `[words, sentence, mask]`: the GRU's outputs at every position
    `(batch, length, 2·units)` (AttnGAN's word features `e`, zero at padding), the
    concatenated last forward and backward states `(batch, 2·units)` (the sentence vector
    `ē`) and the word mask `(batch, length)`, float 1 for a word and 0 for padding. Padding is masked, so
    a caption's vectors do not depend on how much padding follows it.

    The GRUs are unrolled over the fixed `length` of the vectorizer: no while loop, so the
    encoder converts to ONNX (tf2onnx) and runs fast on short captions. The backward GRU
    reads the flipped sequence (`keras.layers.Bidirectional` is not used: in Keras 3.15 its
    unrolled, masked backward layer returns zeros for every word feature).

    Args:
        vocabulary_size: number of token ids (the vectorizer's vocabulary size, padding
            and OOV included).
        embedding_dim: size of the word embeddings. Default 32.
        units: GRU units per direction. Default 64.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, vocabulary_size, embedding_dim=32, units=64, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size = check_positive_int("vocabulary_size", vocabulary_size, 3)
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        self.units = check_positive_int("units", units)
        self.embedding = layers.Embedding(self.vocabulary_size, self.embedding_dim,
                                          mask_zero=True, name="embedding")
        self.forward_rnn, self.backward_rnn = (
            layers.GRU(self.units, return_sequences=True, return_state=True, unroll=True,
                       name=f"{direction}_gru") for direction in ("forward", "backward"))

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[1] is None:
            raise ValueError("TextEncoder takes token ids of static shape (batch, length). "
                             f"Received: input_shape={tuple(input_shape)}")
        self.embedding.build(input_shape)
        for rnn in (self.forward_rnn, self.backward_rnn):
            rnn.build(tuple(input_shape) + (self.embedding_dim,))
        if not self.trainable:
            # `trainable=False` given to the constructor (a frozen encoder's config) does
            # not reach the sublayers' variables, which a model collects by their own flag
            # (Keras 3.15; setting `self.trainable` again does not reach them either).
            for layer in (self.embedding, self.forward_rnn, self.backward_rnn):
                layer.trainable = False

    def call(self, tokens, training=False):
        tokens = ops.cast(tokens, "int32")
        mask = ops.not_equal(tokens, 0)
        embedded = self.embedding(tokens)
        forward_words, forward = self.forward_rnn(embedded, mask=mask, training=training)
        backward_words, backward = self.backward_rnn(
            ops.flip(embedded, axis=1), mask=ops.flip(mask, axis=1), training=training)
        words = ops.concatenate([forward_words, ops.flip(backward_words, axis=1)], axis=-1)
        mask = ops.cast(mask, words.dtype)
        return [words * mask[..., None], ops.concatenate([forward, backward], axis=-1), mask]

    def compute_mask(self, tokens, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return [(input_shape[0], input_shape[1], 2 * self.units),
                (input_shape[0], 2 * self.units), tuple(input_shape)]

    def get_config(self):
        config = super().get_config()
        config.update({"vocabulary_size": self.vocabulary_size,
                       "embedding_dim": self.embedding_dim, "units": self.units})
        return config
