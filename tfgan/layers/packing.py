"""PacGAN packing (Lin et al. 2018)."""

import keras
from keras import ops
from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class Pack(keras.layers.Layer):
    """Concatenates `m` consecutive samples along the last axis (PacGAN; Lin et al. 2018).

    `(batch, ..., C) → (batch / m, ..., m·C)`: the packed sample `k` holds samples
    `k·m, ..., k·m + m - 1` side by side, so a discriminator whose first layer is `Pack(m)`
    judges `m` samples jointly and gets one logit per pack. Since every sample of a pack is
    real or every one fake, this penalizes mode collapse (the PacGAN argument). Put it
    first in the discriminator (`tfgan.architectures.mlp_discriminator(packing=m)`); the
    batch size must be divisible by `m`. The GAN losses average over the packs.

    Args:
        packing: m. PacGAN uses 2 to 4 (PacGAN4 in the paper's tables).
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, packing=2, **kwargs):
        super().__init__(**kwargs)
        self.packing = check_positive_int("packing", packing)

    def call(self, inputs):
        m = self.packing
        inner = tuple(inputs.shape[1:-1])
        channels = int(inputs.shape[-1])
        x = ops.reshape(inputs, (-1, m) + inner + (channels,))
        rank = len(inner)
        # Move the pack axis next to the channels: (batch/m, ..., m, C).
        x = ops.transpose(x, (0,) + tuple(range(2, 2 + rank)) + (1, 2 + rank))
        return ops.reshape(x, (-1,) + inner + (m * channels,))

    def compute_output_shape(self, input_shape):
        batch = None if input_shape[0] is None else input_shape[0] // self.packing
        return (batch,) + tuple(input_shape[1:-1]) + (input_shape[-1] * self.packing,)

    def get_config(self):
        config = super().get_config()
        config["packing"] = self.packing
        return config
