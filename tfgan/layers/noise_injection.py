"""Per-pixel noise with a learned per-channel strength (StyleGAN, Karras et al. 2019)."""

import keras
import tensorflow as tf
from keras import ops

from tfgan.utils import distribute

NOISE_MODES = ("const", "random", "none")


@keras.saving.register_keras_serializable(package="tfgan")
class NoiseInjection(keras.layers.Layer):
    """Adds `strength_c · n` to every channel `c`, with one noise value `n` per pixel.

    StyleGAN's stochastic variation (Karras et al. 2019, section 3.2): hair, freckles and
    other details that are random but should not come from the latent. The strengths
    start at 0, so a new network ignores the noise until training finds it useful.

    Where the noise comes from:

    - `noise=` given to `call` (`(batch, h, w, 1)`): that noise, in any mode.
    - training calls: fresh `N(0, 1)` noise from the layer's `keras.random.SeedGenerator`
      (seeded by `seed`; not restored by a checkpoint, so a resumed run draws other
      noise). Under `tf.distribute` the noise is drawn for the global batch and each
      replica takes its rows (`tfgan.utils.distribute.replica_rows`).
    - inference calls, by `noise_mode`: `"const"` (default) a fixed noise map drawn from
      `seed` when the layer is built and stored as a non-trainable weight, so sampling
      and exported generators are deterministic (StyleGAN2's `noise_mode="const"`);
      `"random"` fresh noise as in training; `"none"` no noise.

    Args:
        noise_mode: `"const"`, `"random"` or `"none"`, for inference calls.
        seed: integer seed of the constant map and of the training noise. Default 0.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, noise_mode="const", seed=0, **kwargs):
        super().__init__(**kwargs)
        if noise_mode not in NOISE_MODES:
            raise ValueError(f"`noise_mode` must be one of {NOISE_MODES}. "
                             f"Received: noise_mode={noise_mode!r}")
        self.noise_mode = noise_mode
        self.seed = int(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def build(self, input_shape):
        height, width, channels = (int(d) for d in input_shape[1:])
        self.strength = self.add_weight(shape=(channels,), name="strength",
                                        initializer="zeros")
        self.noise_const = self.add_weight(
            shape=(height, width, 1), name="noise_const", trainable=False,
            initializer=keras.initializers.RandomNormal(stddev=1.0, seed=self.seed))

    def call(self, inputs, noise=None, training=None):
        if noise is None:
            if training or self.noise_mode == "random":
                seed = ops.cast(self.seed_generator.next(), "int32")
                noise = distribute.replica_rows(
                    lambda n: tf.random.stateless_normal(
                        (n, *inputs.shape[1:3], 1), seed=seed, dtype=inputs.dtype),
                    ops.shape(inputs)[0])
            elif self.noise_mode == "const":
                noise = ops.cast(self.noise_const, inputs.dtype)[None]
            else:
                return inputs
        return inputs + ops.cast(noise, inputs.dtype) * ops.cast(self.strength, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"noise_mode": self.noise_mode, "seed": self.seed})
        return config
