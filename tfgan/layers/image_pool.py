"""A history of generated images for the discriminator (Shrivastava et al. 2017)."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfgan")
class ImagePool(keras.layers.Layer):
    """Keeps the last `pool_size` generated images and mixes them into D's fake batches.

    CycleGAN (Zhu et al. 2017, following Shrivastava et al. 2017) updates its
    discriminators on a history of generated images rather than only the latest ones,
    which reduces oscillation. While the pool is filling, each image is stored and returned
    as is. Once it is full, each image is, with probability 0.5, swapped with a random
    stored image (the stored one is returned, the new one takes its slot), and otherwise
    returned as is.

    Images of one batch are processed together: a returned stored image comes from the
    pool as it stood after this batch's filling phase, and two images drawing the same
    slot both read its old content (the later write wins). The pool is held in
    non-trainable variables, so it is saved with the model and works in graph mode.
    Draws are stateless functions of `seed` and the `step` passed to each call.

    Args:
        pool_size: images kept. Default 50 (Zhu et al. 2017). 0 disables the pool (images
            pass through).
        image_shape: `(height, width, channels)`; builds the buffer at construction. `None`
            builds it on the first call (outside a `tf.function`).
        seed: integer seed of the draws.
        **kwargs: passed to `keras.layers.Layer`.

    Call args:
        images: a batch of generated images `(batch, *image_shape)`.
        step: an integer (tensor) folded into the seed; pass the training step.

    Returns:
        A batch of the same shape, with no gradient to the generator (the pool stores
        values, and D's update must not reach G anyway).
    """

    def __init__(self, pool_size=50, image_shape=None, seed=0, **kwargs):
        super().__init__(**kwargs)
        if int(pool_size) < 0 or int(pool_size) != pool_size:
            raise ValueError(f"`pool_size` must be a non-negative integer. "
                             f"Received: pool_size={pool_size}")
        self.pool_size = int(pool_size)
        self.image_shape = None if image_shape is None else tuple(int(d) for d in image_shape)
        self.seed = int(seed)
        if self.image_shape is not None:
            self.build((None,) + self.image_shape)

    def build(self, input_shape):
        image_shape = tuple(input_shape[1:])
        if any(d is None for d in image_shape):
            raise ValueError("ImagePool needs fully known image shapes. "
                             f"Received: input_shape={input_shape}")
        self.image_shape = tuple(int(d) for d in image_shape)
        self.images = self.add_weight(shape=(max(self.pool_size, 1),) + self.image_shape,
                                      initializer="zeros", trainable=False, name="images")
        self.count = self.add_weight(shape=(), dtype="int32", initializer="zeros",
                                     trainable=False, name="count")
        self.built = True

    def call(self, images, step=0):
        images = tf.stop_gradient(tf.cast(images, self.images.dtype))
        if self.pool_size == 0:
            return images
        batch = tf.shape(images)[0]
        position = self.count + tf.range(batch, dtype="int32")
        filling = position < self.pool_size
        # Filling phase: store the first images in the free slots.
        fill_slots = tf.boolean_mask(position, filling)
        self.images.assign(tf.tensor_scatter_nd_update(
            self.images, fill_slots[:, None], tf.boolean_mask(images, filling)))
        # Full phase: with probability 0.5 swap with a random stored image.
        key = tf.random.experimental.stateless_fold_in(
            tf.constant([self.seed, 1], dtype=tf.int64), tf.cast(step, tf.int64))
        coin_key, slot_key = tf.unstack(tf.random.experimental.stateless_split(key, 2))
        swap = tf.logical_and(
            tf.logical_not(filling),
            tf.random.stateless_uniform((batch,), seed=coin_key) < 0.5,
        )
        slots = tf.random.stateless_uniform((batch,), seed=slot_key, minval=0,
                                            maxval=self.pool_size, dtype="int32")
        stored_pool = tf.convert_to_tensor(self.images)
        stored = tf.gather(stored_pool, slots)
        broadcast = tf.reshape(swap, [-1] + [1] * len(self.image_shape))
        returned = tf.where(broadcast, stored, images)
        swap_slots = tf.boolean_mask(slots, swap)
        self.images.assign(tf.tensor_scatter_nd_update(
            stored_pool, swap_slots[:, None], tf.boolean_mask(images, swap)))
        self.count.assign(tf.minimum(self.count + batch, self.pool_size))
        return returned

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "image_shape": self.image_shape,
                       "seed": self.seed})
        return config
