"""The penalty base class: a serializable regularizer of the discriminator.

A penalty is called inside the discriminator's `GradientTape` as
`penalty(discriminate, real, fake, seed=None)`, where `discriminate(images)` returns D's
logits (a conditional model closes over its labels), and returns `(loss, logs)` like
`GAN.discriminator_loss`: `loss` is the weighted term to add to D's loss, already divided
by `num_replicas_in_sync` (Keras optimizers sum gradients over replicas) and multiplied by
`every` (lazy regularization); `logs` maps `name` to the unweighted value, for a tracker.
"""

import tensorflow as tf
from keras import ops

from tfgan.stabilizers.base import Stabilizer
from tfgan.utils import distribute
from tfgan.utils.validation import check_positive_int


def input_gradients(discriminate, images):
    """Gradient of `Σ D(images)` with respect to `images` (one row per sample).

    Samples do not interact in a discriminator without batch statistics, so the row `i` of
    the result is `∇_x D(x_i)`. Created with `watch_accessed_variables=False` so only the
    input is recorded; the outer tape still differentiates the result (double backprop).
    """
    images = tf.convert_to_tensor(images)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(images)
        logits = ops.cast(discriminate(images), "float32")
        total = ops.sum(logits)
    return tape.gradient(total, images)


def squared_norms(gradients):
    """Per-sample squared L2 norms of a batch of gradients: `Σ_{non-batch axes} g²`."""
    gradients = ops.cast(gradients, "float32")
    axes = tuple(range(1, len(gradients.shape)))
    return ops.sum(ops.square(gradients), axis=axes)


class Penalty(Stabilizer):
    """Base class of `tfgan.penalties`: discriminator regularizers (a stabilizer hook).

    Args:
        weight: multiplier of the unweighted value.
        every: lazy regularization (Karras et al. 2020, StyleGAN2): the penalty is
            computed on one discriminator update in `every` and its weight multiplied by
            `every`, so the average regularization strength is unchanged. 1 (default)
            computes it on every update.
        name: the metric name its unweighted value is logged under.
    """

    hook = "discriminator_regularizer"

    def __init__(self, weight, every=1, name=None):
        try:
            weight = float(weight)
        except (TypeError, ValueError):
            weight = None
        if weight is None or weight < 0:
            raise ValueError(f"`weight` must be a non-negative number. Received: weight={weight}")
        check_positive_int("every", every)
        self.weight = weight
        self.every = int(every)
        self.name = name

    def value(self, discriminate, real, fake, seed=None):
        """The unweighted penalty, a float32 scalar (averaged over the local batch)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `value`.")

    def __call__(self, discriminate, real, fake, seed=None):
        """Returns `(loss, logs)`: `loss = weight · every · value / num_replicas`."""
        value = self.value(discriminate, real, fake, seed=seed)
        loss = value * (self.weight * self.every / distribute.num_replicas())
        return loss, {self.name: value}

    def is_active(self, iteration):
        """Whether discriminator update number `iteration` (0-based) computes the penalty."""
        if self.every == 1:
            return ops.convert_to_tensor(True)
        return ops.equal(ops.mod(ops.cast(iteration, "int64"), self.every), 0)

    @property
    def metric_names(self):
        """The keys of `logs`."""
        return [self.name]

    def get_config(self):
        return {"weight": self.weight, "every": self.every, "name": self.name}

