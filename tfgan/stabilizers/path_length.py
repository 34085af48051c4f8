"""StyleGAN2's path-length regularization of the generator (Karras et al. 2020)."""

import math

import keras
import tensorflow as tf
from keras import ops

from tfgan.stabilizers.base import Stabilizer
from tfgan.utils import distribute
from tfgan.utils.seeds import stateless_seed
from tfgan.utils.validation import check_non_negative
from tfgan.utils.validation import check_positive_int

_SALT_PATH_LENGTH = 3_000_017


def path_lengths(synthesis, ws, noise, training=True):
    """`‖J_wᵀ y‖₂` per sample, with `J_w = ∂g(w)/∂w` and `y` the image-space `noise`.

    StyleGAN2's estimate (Karras et al. 2020, eq. 4): `y` is `N(0, I)/√(h·w)`, and the
    gradient of `Σ g(w)·y` with respect to the styles `ws` `(batch, num_ws, w_dim)` is
    `J_wᵀ y`; its squared norm is summed over `w_dim` and averaged over the layers
    (StyleGAN2's `pl_grads.square().sum(2).mean(1).sqrt()`). The result stays
    differentiable (double backpropagation), so it can be penalized.

    Returns:
        A float32 tensor `(batch,)`.
    """
    ws = tf.convert_to_tensor(ws)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(ws)
        images = ops.cast(synthesis(ws, training=training), "float32")
        total = ops.sum(images * noise)
    gradients = ops.cast(tape.gradient(total, ws), "float32")
    return ops.sqrt(ops.mean(ops.sum(ops.square(gradients), axis=2), axis=1))


@keras.saving.register_keras_serializable(package="tfgan")
class PathLengthPenalty(Stabilizer):
    """Path-length regularization (Karras et al. 2020, StyleGAN2, section 3.2).

    Encourages a fixed-size step in `W` to change the image by a fixed amount in every
    direction: G also minimizes `weight · every · E_w,y[(‖J_wᵀ y‖₂ − a)²]`, where `a` is a
    running mean of the path lengths, `a ← a + decay·(mean ‖J_wᵀ y‖ − a)`. Logged as
    `path_length_penalty` (the unweighted value) and `path_length` (the batch mean).

    It needs a style-based model (`tfgan.models.StyleGAN`): the `generator_term` hook
    receives the step's latents `z`, maps them with `model.styles(z)` and differentiates
    `model.synthesis` with respect to those styles, and the running mean is the model's
    `path_length_mean` weight (saved and checkpointed with it). The hook's signature
    stays `generator_term(model, real, fake, latents)`: the penalty runs its own forward
    pass on the first `batch // batch_shrink` latents, as StyleGAN2 does.

    Lazy regularization: computed on generator updates whose index
    (`g_optimizer.iterations`) is a multiple of `every`, with weight × `every`. Under
    `tf.distribute` each replica uses its own batch mean for `a`; the stored mean is
    averaged over replicas.

    Args:
        weight: the penalty's weight. Default 2 (Karras et al. 2020, `pl_weight`).
        every: lazy interval in generator updates. Default 4 (Karras et al. 2020).
        decay: the running mean's rate. Default 0.01 (`pl_decay`).
        batch_shrink: regularize `batch // batch_shrink` samples. Default 2 (`pl_batch_shrink`).
        name: metric name of the unweighted value. Default `"path_length_penalty"`.
    """

    hook = "generator_regularizer"

    def __init__(self, weight=2.0, every=4, decay=0.01, batch_shrink=2,
                 name="path_length_penalty"):
        self.weight = check_non_negative("weight", weight)
        self.every = check_positive_int("every", every)
        self.decay = check_non_negative("decay", decay)
        if self.decay > 1:
            raise ValueError(f"`decay` must be in [0, 1]. Received: decay={decay}")
        self.batch_shrink = check_positive_int("batch_shrink", batch_shrink)
        self.name = name

    @property
    def metric_names(self):
        return [self.name, "path_length"]

    def bind(self, model):
        missing = [a for a in ("styles", "synthesis", "path_length_mean")
                   if not hasattr(model, a)]
        if missing:
            raise ValueError(
                "PathLengthPenalty needs a style-based model with `styles`, `synthesis` and "
                f"`path_length_mean` (tfgan.models.StyleGAN); this one lacks {missing}. "
                f"Received: model={type(model).__name__}")

    def value(self, model, latents, seed):
        """`(penalty, mean path length, new running mean)` on `latents`."""
        size = latents.shape[0]  # static where known: XLA needs static slice sizes
        batch = (max(1, size // self.batch_shrink) if size is not None
                 else ops.maximum(1, ops.shape(latents)[0] // self.batch_shrink))
        ws = model.styles(latents[:batch], training=True)
        shape = model.image_shape
        noise = tf.random.stateless_normal((batch, *shape), seed=seed) / math.sqrt(
            shape[0] * shape[1])
        lengths = path_lengths(model.synthesis, ws, noise)
        mean = ops.mean(lengths)
        running = model.path_length_mean + self.decay * (
            ops.stop_gradient(mean) - model.path_length_mean)
        penalty = ops.mean(ops.square(lengths - ops.stop_gradient(running)))
        return penalty, mean, running

    def is_active(self, iteration):
        """Whether generator update number `iteration` (0-based) computes the penalty."""
        return ops.equal(ops.mod(ops.cast(iteration, "int64"), self.every), 0)

    def generator_term(self, model, real, fake, latents):
        """`(weight·every·penalty / replicas, logs)` on active steps, `(0, zeros)` else;
        updates `model.path_length_mean` on active steps."""
        del real, fake
        seed = stateless_seed(model.seed, _SALT_PATH_LENGTH, model.step,
                              distribute.replica_id())
        active = self.is_active(model.g_optimizer.iterations)
        old = ops.convert_to_tensor(model.path_length_mean)
        penalty, mean, running = tf.cond(
            active, lambda: self.value(model, latents, seed),
            lambda: (tf.constant(0.0), tf.constant(0.0), old))
        model.path_length_mean.assign(running)
        loss = penalty * (self.weight * self.every / distribute.num_replicas())
        return loss, {self.name: penalty, "path_length": mean}

    def get_config(self):
        return {"weight": self.weight, "every": self.every, "decay": self.decay,
                "batch_shrink": self.batch_shrink, "name": self.name}
