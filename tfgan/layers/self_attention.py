"""Self-attention over the positions of a feature map (SAGAN, Zhang et al. 2019)."""

import keras
from keras import layers
from keras import ops

from tfgan.layers.spectral_normalization import SpectralNorm
from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class SelfAttention(keras.layers.Layer):
    """SAGAN's self-attention block (Zhang et al. 2019): `y = x + γ·o`.

    With `N = h·w` positions, 1x1 convolutions give queries `f(x)` and keys `g(x)`
    (`C / reduction` channels) and values `h(x)` (`C` channels);
    `β_ji = softmax_i(f(x_j)ᵀ g(x_i))` is how much position `j` attends to position `i`,
    and `o_j = Σ_i β_ji h(x_i)`. `γ` is learned and starts at 0, so the block starts as the
    identity and the network first relies on local convolutions, then learns to use
    long-range dependencies.

    `layer(x, return_attention_scores=True)` also returns `β` `(batch, N, N)`; each row
    sums to 1.

    Args:
        reduction: channel reduction of queries and keys. Default 8 (Zhang et al. 2019).
        spectral_norm: wrap the 1x1 convolutions in `tfgan.layers.SpectralNorm`, as SAGAN
            does in both networks. Default False.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, reduction=8, spectral_norm=False, **kwargs):
        super().__init__(**kwargs)
        self.reduction = check_positive_int("reduction", reduction)
        self.spectral_norm = bool(spectral_norm)

    def _projection(self, units, name):
        layer = layers.Dense(units, use_bias=False, name=name)
        return SpectralNorm(layer, name=f"sn_{name}") if self.spectral_norm else layer

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError("SelfAttention takes feature maps (batch, h, w, channels). "
                             f"Received: input_shape={tuple(input_shape)}")
        channels = int(input_shape[-1])
        inner = max(1, channels // self.reduction)
        self.query = self._projection(inner, "query")
        self.key = self._projection(inner, "key")
        self.value = self._projection(channels, "value")
        for projection in (self.query, self.key, self.value):
            projection.build(input_shape)
        self.gamma = self.add_weight(shape=(), name="gamma", initializer="zeros")

    def call(self, inputs, training=None, return_attention_scores=False):
        height, width, channels = inputs.shape[1:]

        def flat(projection):
            y = projection(inputs, training=training)
            return ops.reshape(y, (-1, height * width, y.shape[-1]))

        query, key, value = flat(self.query), flat(self.key), flat(self.value)
        scores = ops.softmax(ops.matmul(query, ops.transpose(key, (0, 2, 1))), axis=-1)
        attended = ops.reshape(ops.matmul(scores, value), (-1, height, width, channels))
        outputs = inputs + ops.cast(self.gamma, inputs.dtype) * attended
        return (outputs, scores) if return_attention_scores else outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"reduction": self.reduction, "spectral_norm": self.spectral_norm})
        return config
