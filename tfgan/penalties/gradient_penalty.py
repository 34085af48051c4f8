"""The WGAN-GP gradient penalty (Gulrajani et al. 2017) and its one-sided form."""

import keras
import tensorflow as tf
from keras import ops

from tfgan.penalties.base import Penalty
from tfgan.penalties.base import input_gradients
from tfgan.utils.distribute import replica_rows
from tfgan.penalties.base import squared_norms

_EPSILON = 1e-12


def interpolate(real, fake, seed=None):
    """`x̂ = ε·x + (1 - ε)·x̃` with one `ε ~ U(0, 1)` per sample (not per pixel).

    Args:
        real, fake: batches of the same shape.
        seed: an int64 tensor of shape (2,) for a stateless draw (what `GAN` passes),
            the same on every replica; `None` uses TF's global generator.
    """
    real = ops.cast(real, "float32")
    fake = ops.cast(fake, "float32")
    ones = [1] * (len(real.shape) - 1)
    if seed is None:
        epsilon = tf.random.uniform([tf.shape(real)[0]] + ones, dtype="float32")
    else:
        # ε is drawn for the global batch and sliced per replica (`replica_rows`), so a
        # seed shared by the replicas gives the interpolates of a single-device run.
        epsilon = replica_rows(
            lambda n: tf.random.stateless_uniform([n] + ones, seed=seed, dtype="float32"),
            tf.shape(real)[0])
    return epsilon * real + (1.0 - epsilon) * fake


@keras.saving.register_keras_serializable(package="tfgan")
class GradientPenalty(Penalty):
    """WGAN-GP gradient penalty (Gulrajani et al. 2017).

    `value = E_x̂[(‖∇D(x̂)‖₂ - target)²]` (two-sided, the paper's) or
    `E_x̂[max(0, ‖∇D(x̂)‖₂ - target)²]` (one-sided, penalizing only norms above `target`,
    which is the Lipschitz constraint itself; the paper's appendix and Petzka et al. 2018),
    where `x̂ = ε·x + (1 - ε)·G(z)` with one `ε ~ U(0, 1)` per sample.

    Use it with the Wasserstein loss, 5 critic steps and Adam(1e-4, β1 = 0, β2 = 0.9) and
    no batch normalization in the critic (layer normalization or none), as the paper does
    (`tfgan.presets.recipe("wgan_gp")`).

    Args:
        weight: λ. Default 10 (Gulrajani et al. 2017).
        target: the norm the gradient is pulled towards. Default 1 (1-Lipschitz).
        one_sided: penalize only norms above `target`. Default False.
        every: lazy regularization; see `Penalty`. Default 1.
        name: metric name. Default `"gradient_penalty"`.
    """

    def __init__(self, weight=10.0, target=1.0, one_sided=False, every=1,
                 name="gradient_penalty"):
        super().__init__(weight=weight, every=every, name=name)
        if float(target) <= 0:
            raise ValueError(f"`target` must be positive. Received: target={target}")
        self.target = float(target)
        self.one_sided = bool(one_sided)

    def value(self, discriminate, real, fake, seed=None):
        interpolates = interpolate(real, fake, seed)
        norms = ops.sqrt(squared_norms(input_gradients(discriminate, interpolates)) + _EPSILON)
        excess = norms - self.target
        if self.one_sided:
            excess = ops.relu(excess)
        return ops.mean(ops.square(excess))

    def get_config(self):
        config = super().get_config()
        config.update({"target": self.target, "one_sided": self.one_sided})
        return config
