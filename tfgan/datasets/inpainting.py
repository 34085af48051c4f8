"""Inpainting data: `(images, masks)` batches cut from any image folder, TFDS set or array.

Training examples get Pix2Pix-style jitter (the centred square resized to 286/256 of the
crop, a random crop, random mirroring) and a fresh mask each; test examples are the
centred square resized to `image_size` with a mask fixed by `(seed, index)`, so every run
measures the same crops and holes. All randomness is stateless (a function of `seed` and
the example's position), so a pipeline gives the same batches run to run.
"""

import tensorflow as tf

from tfgan.datasets import images as images_lib
from tfgan.datasets import masks as masks_lib
from tfgan.datasets.paired import default_load_size
from tfgan.datasets.paired import random_jitter
from tfgan.utils.seeds import stateless_seed
from tfgan.utils.validation import check_positive_int

# Salts separating the streams of crops and masks.
_SALT_CROP, _SALT_MASK = 7_001, 7_013


def inpainting_examples(source, mask="center", image_size=64, batch_size=32, split="train",
                        data_dir=None, channels=3, training=True, seed=0, repeat=False,
                        limit=None, on_error="raise"):
    """A `tf.data.Dataset` of `(images, masks)` batches for `tfgan.Inpainting`.

    Args:
        source: a folder of images, a TFDS name, `"embedded-mnist"` or an array (anything
            `tfgan.datasets.image_source` reads).
        mask: the holes: `"center"`, `"rectangles"`, `"free_form"`, a folder of mask
            images, an array of masks or a mask generator (`tfgan.datasets.masks.get`).
        image_size: the side of the square examples. Default 64.
        batch_size: examples per batch.
        split: the TFDS split (TFDS names only).
        data_dir: TFDS data directory.
        channels: 1 or 3.
        training: random jitter, mirroring, shuffling and a new mask every example
            (batches of exactly `batch_size`); `False` gives the deterministic test split:
            the centred square of each image in order, the mask of example `i` a function
            of `(seed, i)`, and a last partial batch.
        seed: integer seed of the shuffle, the jitter and the masks.
        repeat: repeat forever (training; then pass `steps_per_epoch` to `fit`). Each pass
            gets new jitter and masks.
        limit: use only the first `limit` images of the source.
        on_error: `"raise"` or `"skip"` for unreadable image files (folders only).

    Returns:
        A dataset of `(images, masks)`: float32 `(batch, image_size, image_size, channels)`
        in [-1, 1] and float32 `(batch, image_size, image_size, 1)`, 1 on the hole.
    """
    image_size = check_positive_int("image_size", image_size)
    batch_size = check_positive_int("batch_size", batch_size)
    generator = masks_lib.get(mask)
    dataset, count = images_lib.image_source(source, split, data_dir, channels, on_error)
    if limit is not None:
        count = min(count, check_positive_int("limit", limit))
        dataset = dataset.take(count)
    if training and count < batch_size:
        raise ValueError(f"The source has {count} images, fewer than one batch of "
                         f"{batch_size}: training would yield no batch. "
                         f"Received: batch_size={batch_size}")
    load_size = default_load_size(image_size)

    def example(index, image):
        if training:
            square = images_lib.resize(image, load_size, crop=True)
            image, = random_jitter([square], stateless_seed(seed, _SALT_CROP, index),
                                   image_size, load_size)
        else:
            image = images_lib.resize(image, image_size, crop=True)
        image = tf.ensure_shape(image, (image_size, image_size, channels))
        return image, generator(image_size, stateless_seed(seed, _SALT_MASK, index))

    if training:
        dataset = dataset.shuffle(min(count, 10_000), seed=seed, reshuffle_each_iteration=True)
        if repeat:
            dataset = dataset.repeat()
    dataset = dataset.enumerate().map(example, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.batch(batch_size, drop_remainder=training).prefetch(tf.data.AUTOTUNE)
