"""Differentiable augmentation (Zhao et al. 2020, DiffAugment)."""

import keras
import tensorflow as tf
from keras import ops

_POLICIES = ("color", "translation", "cutout")


def _uniform(shape, seed, k, generator):
    """U(0, 1) from a stateless seed (folded with `k`) or from a Keras SeedGenerator."""
    if seed is None:
        return keras.random.uniform(shape, seed=generator)
    key = tf.random.experimental.stateless_fold_in(tf.cast(seed, tf.int64), k)
    return tf.random.stateless_uniform(shape, seed=key)


def _randint(shape, low, high, seed, k, generator):
    """Integers in [low, high) from `_uniform`."""
    value = low + ops.floor(_uniform(shape, seed, k, generator) * (high - low))
    return ops.cast(ops.minimum(value, high - 1), "int32")


def color(images, seed=None, generator=None):
    """Random brightness (+U(-0.5, 0.5)), saturation (×U(0, 2)), contrast (×U(0.5, 1.5))."""
    batch = ops.shape(images)[0]
    shape = (batch, 1, 1, 1)
    x = images + (_uniform(shape, seed, 0, generator) - 0.5)
    mean = ops.mean(x, axis=-1, keepdims=True)
    x = (x - mean) * (_uniform(shape, seed, 1, generator) * 2.0) + mean
    mean = ops.mean(x, axis=(1, 2, 3), keepdims=True)
    return (x - mean) * (_uniform(shape, seed, 2, generator) + 0.5) + mean


def translation(images, ratio=0.125, seed=None, generator=None):
    """Shifts each image by integers in [-r·size, r·size] on each axis, zero padded."""
    batch = ops.shape(images)[0]
    height, width = int(images.shape[1]), int(images.shape[2])
    shift_h, shift_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    dy = _randint((batch, 1, 1), -shift_h, shift_h + 1, seed, 3, generator)
    dx = _randint((batch, 1, 1), -shift_w, shift_w + 1, seed, 4, generator)
    rows = ops.arange(height, dtype="int32")[None, :, None] - dy  # source row of output
    cols = ops.arange(width, dtype="int32")[None, None, :] - dx
    valid = ((rows >= 0) & (rows < height) & (cols >= 0) & (cols < width))
    rows = ops.clip(rows, 0, height - 1)
    cols = ops.clip(cols, 0, width - 1)
    rows, cols = ops.broadcast_to(rows, (batch, height, width)), ops.broadcast_to(
        cols, (batch, height, width))
    index = ops.broadcast_to(ops.arange(batch, dtype="int32")[:, None, None],
                             (batch, height, width))
    gathered = tf.gather_nd(images, ops.stack([index, rows, cols], axis=-1))
    return gathered * ops.cast(valid, images.dtype)[..., None]


def cutout(images, ratio=0.5, seed=None, generator=None):
    """Zeroes one square of side `ratio·size` at a random centre in each image."""
    batch = ops.shape(images)[0]
    height, width = int(images.shape[1]), int(images.shape[2])
    size_h, size_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    cy = _randint((batch, 1, 1), 0, height + (1 - size_h % 2), seed, 5, generator)
    cx = _randint((batch, 1, 1), 0, width + (1 - size_w % 2), seed, 6, generator)
    top, left = cy - size_h // 2, cx - size_w // 2
    rows = ops.arange(height, dtype="int32")[None, :, None]
    cols = ops.arange(width, dtype="int32")[None, None, :]
    inside = (rows >= top) & (rows < top + size_h) & (cols >= left) & (cols < left + size_w)
    return images * (1.0 - ops.cast(inside, images.dtype))[..., None]


@keras.saving.register_keras_serializable(package="tfgan")
class DiffAugment(keras.layers.Layer):
    """DiffAugment (Zhao et al. 2020): differentiable augmentation of real and fake images.

    Applies the same family of random transformations to the images D sees, real and
    generated, in both the discriminator and the generator updates; every transformation is
    differentiable in the pixels, so the generator's gradient flows through it. With 10-20%
    of the data this keeps D from overfitting. Pass it to `compile(stabilizers=[DiffAugment()])` of any tfgan model.

    Transforms (the paper's `color,translation,cutout` policy, defaults from its code):
    color (brightness + U(-0.5, 0.5), saturation × U(0, 2), contrast × U(0.5, 1.5)),
    translation by up to 1/8 of the size with zero padding, and cutout of a square of half
    the size. For fixed random draws each transform is affine in the pixels.

    Inputs: `(batch, height, width, channels)` images in [-1, 1].

    Args:
        policy: comma-separated subset of `"color"`, `"translation"`, `"cutout"`.
            Default `"color,translation,cutout"`.
        translation_ratio: maximal shift as a fraction of the size. Default 0.125.
        cutout_ratio: side of the cut square as a fraction of the size. Default 0.5.
        seed: seed of the layer's own generator, used when `call` gets no `seed`.
        **kwargs: passed to `keras.layers.Layer`.

    Call arguments:
        images: the batch.
        training: `False` returns the images unchanged; otherwise augments.
        seed: optional int64 tensor `(2,)` for stateless draws (what `GAN` passes).
    """

    # A stabilizer of the "discriminator_input" hook (tfgan.stabilizers).
    hook = "discriminator_input"
    needs_real = False
    metric_names = ()

    def __init__(self, policy="color,translation,cutout", translation_ratio=0.125,
                 cutout_ratio=0.5, seed=None, **kwargs):
        super().__init__(**kwargs)
        parts = [p.strip() for p in policy.split(",") if p.strip()]
        unknown = [p for p in parts if p not in _POLICIES]
        if unknown or not parts:
            raise ValueError(f"`policy` must be a comma-separated subset of {_POLICIES}. "
                             f"Received: policy={policy!r}")
        self.policy = ",".join(parts)
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=None, seed=None):
        if training is False:
            return images
        if len(images.shape) != 4:
            raise ValueError("DiffAugment takes images of shape (batch, height, width, "
                             f"channels). Received: images.shape={tuple(images.shape)}")
        x = images
        generator = self.seed_generator
        for part in self.policy.split(","):
            if part == "color":
                x = color(x, seed, generator)
            elif part == "translation":
                x = translation(x, self.translation_ratio, seed, generator)
            else:
                x = cutout(x, self.cutout_ratio, seed, generator)
        return x

    def transform(self, images, seed, step):
        """The stabilizer hook: augments `images` with the stateless `seed`."""
        del step
        return self(images, seed=seed)

    def bind(self, model):
        """Any model can augment what its discriminators see."""
        del model

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"policy": self.policy, "translation_ratio": self.translation_ratio,
                       "cutout_ratio": self.cutout_ratio, "seed": self.seed})
        return config
