"""Instance noise: Gaussian noise on everything the discriminator sees."""

import keras
import tensorflow as tf
from keras import ops

from tfgan.stabilizers.base import Stabilizer
from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class InstanceNoise(Stabilizer):
    """Adds `N(0, σ²)` noise to real and fake images before D (Sønderby et al. 2017;
    Arjovsky & Bottou 2017), in D and G updates.

    The noise makes the real and fake distributions overlap, so D's gradients stay
    informative early in training; anneal it so the final model sees clean images.

    Args:
        stddev: σ, in the images' units ([-1, 1] images: 0.1 is mild).
        decay_steps: anneal σ linearly to 0 over this many train steps. `None` (default)
            keeps it constant.
    """

    hook = "discriminator_input"

    def __init__(self, stddev, decay_steps=None):
        if not float(stddev) >= 0:
            raise ValueError(f"`stddev` must be a non-negative number. Received: stddev={stddev}")
        self.stddev = float(stddev)
        self.decay_steps = (None if decay_steps is None
                            else check_positive_int("decay_steps", decay_steps))

    def transform(self, images, seed, step):
        """`images + σ(step)·ε` with ε from the stateless `seed`."""
        std = self.stddev
        if self.decay_steps:
            progress = ops.cast(step, "float32") / self.decay_steps
            std = std * ops.maximum(0.0, 1.0 - progress)
        noise = tf.random.stateless_normal(tf.shape(images), seed=seed, dtype=images.dtype)
        return images + ops.cast(std, images.dtype) * noise

    def get_config(self):
        return {"stddev": self.stddev, "decay_steps": self.decay_steps}
