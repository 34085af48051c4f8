"""The truncation trick in W (Karras et al. 2019, after Brock et al. 2019)."""

import keras
from keras import ops

from tfgan.utils.validation import check_positive_int


def truncate(ws, w_avg, truncation_psi, truncation_cutoff=None):
    """`w_avg + ψ·(w − w_avg)` for the styles of layers `< truncation_cutoff`.

    Args:
        ws: styles `(batch, num_ws, w_dim)`.
        w_avg: the average `w` `(w_dim,)`.
        truncation_psi: ψ, a number or `(batch,)` values: 1 leaves `ws` unchanged, 0
            gives `w_avg` (the "average image"); StyleGAN uses 0.7.
        truncation_cutoff: truncate only the first this many layers (the coarse styles;
            StyleGAN's Fig. 8 uses 8). `None` truncates all.

    Returns:
        The truncated styles, like `ws`.
    """
    ws = ops.convert_to_tensor(ws)
    psi = ops.cast(ops.convert_to_tensor(truncation_psi), ws.dtype)
    psi = ops.reshape(psi, (-1, 1, 1)) if len(psi.shape) else psi
    w_avg = ops.cast(w_avg, ws.dtype)
    truncated = w_avg + psi * (ws - w_avg)
    if truncation_cutoff is None:
        return truncated
    layer = ops.arange(ws.shape[1])[None, :, None]
    return ops.where(layer < truncation_cutoff, truncated, ws)


@keras.saving.register_keras_serializable(package="tfgan")
class Truncation(keras.layers.Layer):
    """The truncation trick as a layer: `layer([ws, psi])` = `truncate(ws, w_avg, psi)`.

    Holds its own non-trainable copy of `w_avg`, so a serving model (`z` and
    `truncation_psi` → images, `tfgan.models.StyleGAN.serving_generator`) is a
    self-contained functional model that exports to SavedModel and ONNX.

    Args:
        w_dim: size of `w`.
        truncation_cutoff: truncate only the first this many layers; `None` (default)
            all.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, w_dim, truncation_cutoff=None, **kwargs):
        super().__init__(**kwargs)
        self.w_dim = check_positive_int("w_dim", w_dim)
        self.truncation_cutoff = (None if truncation_cutoff is None else check_positive_int(
            "truncation_cutoff", truncation_cutoff))

    def build(self, input_shape):
        self.w_avg = self.add_weight(shape=(self.w_dim,), name="w_avg", initializer="zeros",
                                     trainable=False)

    def call(self, inputs):
        ws, psi = inputs
        return truncate(ws, self.w_avg, psi, self.truncation_cutoff)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])

    def get_config(self):
        config = super().get_config()
        config.update({"w_dim": self.w_dim, "truncation_cutoff": self.truncation_cutoff})
        return config
