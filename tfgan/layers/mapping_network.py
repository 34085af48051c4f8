"""StyleGAN's mapping network z → w (Karras et al. 2019)."""

import keras
from keras import ops

from tfgan.layers.equalized_dense import EqualizedDense
from tfgan.layers.equalized_dense import check_lr_multiplier
from tfgan.utils.validation import check_positive_int


def pixel_norm(x, epsilon=1e-8):
    """`x / √(mean(x²) + ε)` over the last axis (Karras et al. 2018, ProGAN)."""
    return x * ops.rsqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + epsilon)


@keras.saving.register_keras_serializable(package="tfgan")
class MappingNetwork(keras.layers.Layer):
    """An MLP from the latent `z` to the intermediate latent `w` (Karras et al. 2019).

    `w = f(pixel_norm(z))`, `f` being `num_layers` equalized dense layers of `w_dim` units
    with leaky ReLU (slope 0.2, gain √2) and a learning-rate multiplier of 0.01. `W` need
    not follow the fixed distribution of `z`, which disentangles the factors of variation
    (section 4 of the paper); styles, style mixing and truncation all work in `W`.

    The layer also holds `w_avg`, a non-trainable running average of `w` that
    `tfgan.models.StyleGAN` updates on every generator step (`update_w_avg`) and that the
    truncation trick pulls styles towards (`tfgan.layers.Truncation`). It is averaged over
    replicas under `tf.distribute`.

    Args:
        w_dim: size of `w`. StyleGAN uses 512.
        num_layers: dense layers. Default 8 (Karras et al. 2019); small data sets do with 2-4.
        lr_multiplier: learning-rate multiplier of every layer. Default 0.01
            (Karras et al. 2019).
        normalize_latents: pixel-normalize `z` first. Default True.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, w_dim, num_layers=8, lr_multiplier=0.01, normalize_latents=True,
                 **kwargs):
        super().__init__(**kwargs)
        self.w_dim = check_positive_int("w_dim", w_dim)
        self.num_layers = check_positive_int("num_layers", num_layers)
        self.lr_multiplier = check_lr_multiplier(lr_multiplier)
        self.normalize_latents = bool(normalize_latents)
        self.dense_layers = [
            EqualizedDense(self.w_dim, lr_multiplier=self.lr_multiplier,
                           activation="leaky_relu", name=f"dense_{i}")
            for i in range(self.num_layers)]

    def build(self, input_shape):
        self.w_avg = self.add_weight(shape=(self.w_dim,), name="w_avg", initializer="zeros",
                                     trainable=False, aggregation="mean")
        shape = tuple(input_shape)
        for layer in self.dense_layers:
            layer.build(shape)
            shape = shape[:-1] + (self.w_dim,)

    def call(self, inputs):
        x = pixel_norm(inputs) if self.normalize_latents else inputs
        for layer in self.dense_layers:
            x = layer(x)
        return x

    def update_w_avg(self, w, decay=0.995):
        """`w_avg ← decay·w_avg + (1 − decay)·mean(w)` over the batch (StyleGAN2's
        `w_avg_beta` 0.995)."""
        mean = ops.mean(ops.cast(w, "float32"), axis=0)
        self.w_avg.assign(mean + decay * (self.w_avg - mean))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.w_dim,)

    def get_config(self):
        config = super().get_config()
        config.update({"w_dim": self.w_dim, "num_layers": self.num_layers,
                       "lr_multiplier": self.lr_multiplier,
                       "normalize_latents": self.normalize_latents})
        return config
