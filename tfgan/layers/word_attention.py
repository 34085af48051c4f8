"""AttnGAN's word attention: each image position attends over the caption's words."""

import keras
from keras import layers
from keras import ops

_TINY = 1e-9  # the weight odds of a masked word


@keras.saving.register_keras_serializable(package="tfgan")
class WordAttention(keras.layers.Layer):
    """Word-context vectors for image features (Xu et al. 2018, AttnGAN, eq. 2).

    Called on `[h, words, mask]`: image features `h` `(batch, height, width, C)`, word
    features `e` `(batch, length, D)` and a word mask `(batch, length)` (1 for a word, 0
    for padding). The words are projected to the image features' space, `e' = U e`
    (`U`: D → C, no bias); each position `j` weighs the words by
    `β_j,i = softmax_i(h_jᵀ e'_i + log m_i)` and returns the word context
    `c_j = Σ_i β_j,i e'_i` `(batch, height, width, C)`. A masked word (`m_i = 0`) gets a
    weight below 1e-9 of the others; a soft mask in (0, 1) scales a word's odds, which
    `TextToImageGAN.interpolate` uses to blend two captions' words. AttnGAN concatenates it to `h`
    before the next stage; `attention_weights` returns β for inspection.

    Args:
        **kwargs: passed to `keras.layers.Layer`.
    """

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 3:
            raise ValueError("WordAttention is called on `[features, words, mask]`. "
                             f"Received: input_shape={input_shape}")
        features, words, _ = input_shape
        self.projection = layers.Dense(int(features[-1]), use_bias=False, name="projection")
        self.projection.build(tuple(words))

    def _weights(self, features, words, mask):
        projected = self.projection(words)
        scores = ops.einsum("bhwc,blc->bhwl", features, ops.cast(projected, features.dtype))
        log_mask = ops.log(ops.maximum(ops.cast(mask, scores.dtype), _TINY))
        return ops.softmax(scores + log_mask[:, None, None, :], axis=-1), projected

    def attention_weights(self, inputs):
        """β `(batch, height, width, length)`: each position's weights over the words."""
        return self._weights(*inputs)[0]

    def call(self, inputs):
        weights, projected = self._weights(*inputs)
        return ops.einsum("bhwl,blc->bhwc", weights, ops.cast(projected, weights.dtype))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])
