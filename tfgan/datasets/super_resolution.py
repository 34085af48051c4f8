"""Super-resolution pairs from any image source: HR crops and their bicubic downscaling.

`super_resolution_pairs(source, scale=4, hr_size=96)` yields `(low_resolution,
high_resolution)` batches in [-1, 1] from a folder, a TFDS name, an array or the embedded
MNIST set (`images.image_source`). Training pipelines take a random `hr_size` crop of
each image, mirror it at random and downscale it with an antialiased bicubic filter (the
degradation of SRGAN, Ledig et al. 2017: "bicubic kernel with downsampling factor r");
test pipelines take the centre crop, unmirrored and in order, so their numbers compare
between runs. Randomness is stateless (a function of `seed` and the element's position
in the stream): a pipeline gives the same batches run to run.
"""

import tensorflow as tf

from tfgan.datasets import images as images_lib
from tfgan.datasets.paired import split_pair
from tfgan.utils.validation import check_positive_int

SHUFFLE_BUFFER = 1024  # crops, not whole images: bounded memory for large photos


def downscale(images, scale):
    """Antialiased bicubic downscaling by an integer factor, clipped to [-1, 1].

    Args:
        images: float `(h, w, c)` or `(batch, h, w, c)` in [-1, 1], `h` and `w` multiples
            of `scale`.
        scale: the factor.

    Returns:
        float32 images `scale` times smaller on each side.
    """
    images = tf.convert_to_tensor(images, tf.float32)
    size = tf.shape(images)[-3:-1] // scale
    small = tf.image.resize(images, size, method="bicubic", antialias=True)
    return tf.clip_by_value(small, -1.0, 1.0)


def _crop(image, hr_size, key, training):
    """An `hr_size` square of `image`: random (with a random mirror) or central."""
    channels = image.shape[-1]
    if not training:
        shape = tf.shape(image)
        top, left = (shape[0] - hr_size) // 2, (shape[1] - hr_size) // 2
        return image[top:top + hr_size, left:left + hr_size]
    crop_key, flip_key = tf.unstack(tf.random.experimental.stateless_split(key, 2))
    image = tf.image.stateless_random_crop(image, (hr_size, hr_size, channels), seed=crop_key)
    return tf.image.stateless_random_flip_left_right(image, seed=flip_key)


def super_resolution_pairs(source, scale=4, hr_size=96, split="train", batch_size=16,
                           training=True, data_dir=None, pair_side=None, channels=3,
                           repeat=False, seed=0, limit=None):
    """A `tf.data.Dataset` of `(low_resolution, high_resolution)` batches for SR.

    Args:
        source: a folder of images, a TFDS name, an array of images or
            `"embedded-mnist"` (see `tfgan.datasets.image_source`).
        scale: the downscaling factor. Default 4 (SRGAN's ×4).
        hr_size: side of the square high-resolution crops, a multiple of `scale`.
            Default 96 (the paper's). Images smaller than it on either side are skipped.
        split: TFDS split (TFDS names only): `"train"`, `"test"`, ...
        batch_size: pairs per batch. Default 16 (the paper's).
        training: random crops, random left-right mirroring and shuffling (seeded), and
            only full batches. `False` is the test split: the centre crop of every image,
            in order, the last batch possibly partial.
        data_dir: TFDS data directory.
        pair_side: `"left"` or `"right"`: the images are side-by-side pairs (the pix2pix
            facades: photo left) and this half is used. `None`: whole images.
        channels: 1 or 3.
        repeat: repeat forever (then pass `steps_per_epoch` to `fit`).
        seed: seed of the crops, mirrors and shuffling.
        limit: use only the first `limit` images of the source.

    Returns:
        A dataset of `(low, high)`: float32 `(batch, hr_size / scale, hr_size / scale,
        channels)` and `(batch, hr_size, hr_size, channels)` in [-1, 1].
    """
    scale = check_positive_int("scale", scale, minimum=2)
    hr_size = check_positive_int("hr_size", hr_size)
    if hr_size % scale:
        raise ValueError(f"`hr_size` must be a multiple of `scale` = {scale}. "
                         f"Received: hr_size={hr_size}")
    if pair_side is not None:
        split_pair(tf.zeros((1, 2, 1)), pair_side)  # validates pair_side
    dataset, count = images_lib.image_source(source, split, data_dir, channels)
    if limit is not None:
        dataset = dataset.take(check_positive_int("limit", limit))
    if pair_side is not None:
        dataset = dataset.map(lambda image: split_pair(image, pair_side)[0])
    dataset = dataset.filter(
        lambda image: tf.reduce_all(tf.shape(image)[:2] >= hr_size))
    if repeat:
        dataset = dataset.repeat()
    base = tf.constant([int(seed), 0], dtype=tf.int64)

    def make_pair(index, image):
        key = tf.random.experimental.stateless_fold_in(base, index)
        high = _crop(image, hr_size, key, training)
        high.set_shape((hr_size, hr_size, channels))
        return downscale(high, scale), high

    dataset = dataset.enumerate().map(make_pair, num_parallel_calls=tf.data.AUTOTUNE)
    if training:
        dataset = dataset.shuffle(min(count, SHUFFLE_BUFFER), seed=seed,
                                  reshuffle_each_iteration=True)
    dataset = dataset.batch(check_positive_int("batch_size", batch_size),
                            drop_remainder=training)
    return dataset.prefetch(tf.data.AUTOTUNE)
