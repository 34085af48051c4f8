"""StackGAN's conditioning augmentation: a Gaussian condition around the text embedding."""

import keras
from keras import layers
from keras import ops

from tfgan.utils.validation import check_positive_int


def kl_to_standard_normal(mean, log_variance):
    """`KL(N(μ, diag σ²) ‖ N(0, I))` per sample, in closed form.

    `KL = ½ Σ_i (μ_i² + σ_i² − 1 − log σ_i²)` (Kingma & Welling 2014, appendix B).

    Args:
        mean: μ `(batch, d)`.
        log_variance: log σ² `(batch, d)`.

    Returns:
        A float32 tensor `(batch,)`.
    """
    mean = ops.cast(mean, "float32")
    log_variance = ops.cast(log_variance, "float32")
    return 0.5 * ops.sum(ops.square(mean) + ops.exp(log_variance) - 1.0 - log_variance,
                         axis=-1)


@keras.saving.register_keras_serializable(package="tfgan")
class ConditioningAugmentation(keras.layers.Layer):
    """Conditioning augmentation (Zhang et al. 2017, StackGAN).

    A linear dense layer maps the text embedding φ_t to `μ(φ_t)` and `log σ²(φ_t)`
    (`units` each; an activation there would bound μ and σ, e.g. a ReLU forces σ ≥ 1 and
    drowns the condition in noise); with `training=True` the layer returns
    `c = μ + σ ⊙ ε`, `ε ~ N(0, I)`, and at inference the mean `c = μ`, so generation is a
    deterministic function of the caption and `z` (StackGAN samples at test time too; pass
    the variation through `z` instead). Sampling smooths the conditioning manifold: a few
    thousand captions give a continuous space of conditions.

    The layer adds `KL(N(μ, σ²) ‖ N(0, I)) / units`, averaged over the batch, with
    `add_loss`: StackGAN's regularizer as its code computes it (the mean over the batch
    *and* the condition's dimensions), so weight 1, the paper's, means what it meant
    there; the full KL summed over dimensions at weight 1 pulls `c` to N(0, I) so hard
    that the caption barely conditions the generator. `TextToImageGAN` adds the
    generator's `losses` times `kl_weight` to the generator loss.
    `kl_to_standard_normal` is the closed form (summed over dimensions).

    Args:
        units: size of `c`. Default 128 (StackGAN).
        seed: seed of ε. `None` lets Keras draw one.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, units=128, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.units = check_positive_int("units", units)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.dense = layers.Dense(2 * self.units, name="mean_log_variance")

    def build(self, input_shape):
        self.dense.build(input_shape)

    def mean_and_log_variance(self, embedding):
        """`(μ, log σ²)` of the condition for text embeddings `(batch, d)`."""
        if not self.built:
            self.build(ops.shape(embedding))
            self.built = True
        statistics = self.dense(embedding)
        return statistics[:, :self.units], statistics[:, self.units:]

    def call(self, embedding, training=False):
        mean, log_variance = self.mean_and_log_variance(embedding)
        self.add_loss(ops.mean(kl_to_standard_normal(mean, log_variance)) / self.units)
        if not training:
            return mean
        noise = keras.random.normal(ops.shape(mean), seed=self.seed_generator,
                                    dtype=mean.dtype)
        return mean + ops.exp(0.5 * log_variance) * noise

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "seed": self.seed})
        return config
