"""Paired image-to-image data (Pix2Pix): side-by-side images split into input and target.

`paired_dataset("facades/train", input_side="right")` yields `(inputs, targets)` batches in
[-1, 1]: for the pix2pix facades set the right half (the label map) is the input and the
left half (the photo) the target. Training batches get Pix2Pix's random jitter (resize to
286, random 256 crop) and mirroring (Isola et al. 2017), applied identically to both halves.
Randomness is stateless (a function of `seed` and the element index), so a pipeline gives
the same batches run to run.
"""

import tensorflow as tf

from tfgan.datasets import images as images_lib

SIDES = ("left", "right")


def list_images(directory, limit=None):
    """Sorted image paths of `directory`, the first `limit`, each checked to be readable.

    The files are `images.list_image_files(directory)`, checked with
    `images.check_image_files` (the check `from_folder` makes): a damaged file is named
    before training, not met as a TensorFlow error in the middle of an epoch.
    """
    files = images_lib.list_image_files(directory)
    files = files[:limit] if limit is not None else files
    return [str(p) for p in images_lib.check_image_files(files)]


def read_scaled_image(path, channels=3):
    """Reads an image file into float32 `(h, w, channels)` scaled to [-1, 1]."""
    return images_lib.scale_images(images_lib.decode_image(path, channels))


def split_pair(image, input_side="right"):
    """Splits a side-by-side image into `(inputs, targets)` halves along its width.

    Args:
        image: `(h, 2w, c)` tensor.
        input_side: `"right"` (the input is the right half, the target the left: facades
            labels → photo) or `"left"`.

    Returns:
        `(inputs, targets)`, each `(h, w, c)`.
    """
    if input_side not in SIDES:
        raise ValueError(f"`input_side` must be one of {SIDES}. "
                         f"Received: input_side={input_side!r}")
    half = tf.shape(image)[1] // 2
    left, right = image[:, :half], image[:, half:2 * half]
    return (right, left) if input_side == "right" else (left, right)


def default_load_size(image_size):
    """Pix2Pix's jitter resize: 286 for 256 crops, scaled proportionally otherwise."""
    return int(round(image_size * 286 / 256))


def random_jitter(images, seed, image_size=256, load_size=None, flip=True):
    """Resizes to `load_size`, crops a random `image_size` square and mirrors at random.

    The same crop and flip apply to every image of `images` (an input and its target). The
    resize is the test split's (`resize`: bilinear, antialiased when shrinking), so
    training and test images of a scaled-down recipe (e.g. 256 → 72 → 64) look alike.

    Args:
        images: a list of `(h, w, c)` tensors of the same height and width.
        seed: a stateless seed, an int tensor of shape `(2,)`.
        image_size: crop size. Default 256.
        load_size: size of the resize before cropping. `None`: `default_load_size`
            (286 for 256, Isola et al. 2017).
        flip: mirror left-right with probability 0.5.

    Returns:
        A list of `(image_size, image_size, c)` tensors.
    """
    load_size = default_load_size(image_size) if load_size is None else int(load_size)
    if load_size < image_size:
        raise ValueError(f"`load_size` must be >= image_size={image_size}. "
                         f"Received: load_size={load_size}")
    channels = [int(image.shape[-1]) for image in images]
    stacked = tf.concat([resize(image, load_size) for image in images], axis=-1)
    crop_seed, flip_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    stacked = tf.image.stateless_random_crop(
        stacked, (image_size, image_size, sum(channels)), seed=crop_seed)
    if flip:
        stacked = tf.image.stateless_random_flip_left_right(stacked, seed=flip_seed)
    return tf.split(stacked, channels, axis=-1)


def resize(image, image_size):
    """Resizes to `(image_size, image_size)` (bilinear, antialiased; `images.resize`)."""
    return images_lib.resize(image, image_size)


def map_files(paths, load, shuffle, repeat, seed, stream):
    """A dataset of `load(key, path)` over image files, optionally shuffled and repeated.

    `key` is a stateless-RNG seed unique to the element's position in the (repeated)
    stream, derived from `(seed, stream)`: the jitter is reproducible run to run.
    """
    dataset = tf.data.Dataset.from_tensor_slices(paths)
    if shuffle:
        dataset = dataset.shuffle(len(paths), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    base = tf.constant([int(seed), int(stream)], dtype=tf.int64)

    def keyed_load(index, path):
        return load(tf.random.experimental.stateless_fold_in(base, index), path)

    return dataset.enumerate().map(keyed_load, num_parallel_calls=tf.data.AUTOTUNE)


def paired_dataset(directory, batch_size=1, image_size=256, input_side="right", jitter=True,
                   load_size=None, shuffle=True, repeat=False, seed=0, limit=None):
    """A `tf.data.Dataset` of `(inputs, targets)` batches from side-by-side images.

    Args:
        directory: folder of side-by-side images (e.g. `facades/train`).
        batch_size: images per batch. Pix2Pix uses 1 (Isola et al. 2017).
        image_size: output height and width. Default 256.
        input_side: which half is the input: `"right"` (facades labels → photo) or
            `"left"`.
        jitter: random jitter and mirroring (`random_jitter`); `False` only resizes (use
            for test splits).
        load_size: jitter resize size; `None` is 286 for 256 (scaled otherwise).
        shuffle: shuffle the file order (reshuffled every epoch, seeded).
        repeat: repeat forever (then pass `steps_per_epoch` to `fit`).
        seed: integer seed of the shuffling and jitter.
        limit: use only the first `limit` files by name.

    Returns:
        A dataset of `(inputs, targets)`, each float32 `(batch, image_size, image_size, 3)`
        in [-1, 1].
    """
    paths = list_images(directory, limit)
    split_pair(tf.zeros((1, 2, 1)), input_side)  # validates input_side

    def load(key, path):
        inputs, targets = split_pair(read_scaled_image(path), input_side)
        if jitter:
            inputs, targets = random_jitter([inputs, targets], key, image_size, load_size)
            return inputs, targets
        return resize(inputs, image_size), resize(targets, image_size)

    dataset = map_files(paths, load, shuffle=shuffle, repeat=repeat, seed=seed, stream=0)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
