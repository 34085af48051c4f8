"""Unpaired image-to-image data (CycleGAN): two folders, one per domain.

`unpaired_dataset("horse2zebra/trainA", "horse2zebra/trainB")` yields `(a, b)` batches in
[-1, 1], each domain shuffled independently, with CycleGAN's jitter (resize to 286,
random 256 crop, mirroring; Zhu et al. 2017) on each image.
"""

import tensorflow as tf

from tfgan.datasets.paired import list_images
from tfgan.datasets.paired import map_files
from tfgan.datasets.paired import random_jitter
from tfgan.datasets.paired import read_scaled_image
from tfgan.datasets.paired import resize


def image_folder_dataset(directory, image_size=256, jitter=True, load_size=None, shuffle=True,
                         repeat=False, seed=0, limit=None):
    """Unbatched float32 images `(image_size, image_size, 3)` in [-1, 1] from one folder.

    Args: as `unpaired_dataset`, for one folder.
    """
    paths = list_images(directory, limit)

    def load(key, path):
        image = read_scaled_image(path)
        if jitter:
            return random_jitter([image], key, image_size, load_size)[0]
        return resize(image, image_size)

    return map_files(paths, load, shuffle=shuffle, repeat=repeat, seed=seed, stream=1)


def unpaired_dataset(directory_a, directory_b, batch_size=1, image_size=256, jitter=True,
                     load_size=None, shuffle=True, repeat=False, seed=0, limit=None):
    """A `tf.data.Dataset` of `(a, b)` batches from two unrelated image folders.

    Args:
        directory_a: folder of domain A images (e.g. `horse2zebra/trainA`).
        directory_b: folder of domain B images.
        batch_size: images per batch. CycleGAN uses 1 (Zhu et al. 2017).
        image_size: output height and width. Default 256.
        jitter: resize to `load_size`, random crop and mirroring; `False` only resizes.
        load_size: jitter resize size; `None` is 286 for 256 (scaled otherwise).
        shuffle: shuffle each folder (independently, reshuffled every epoch).
        repeat: repeat both folders forever (pass `steps_per_epoch` to `fit`). Without it
            an epoch ends with the smaller folder.
        seed: integer seed of shuffling and jitter (domain B uses `seed + 1`).
        limit: use only the first `limit` files of each folder.

    Returns:
        A dataset of `(a, b)`, each float32 `(batch, image_size, image_size, 3)` in [-1, 1].
    """
    kwargs = dict(image_size=image_size, jitter=jitter, load_size=load_size, shuffle=shuffle,
                  repeat=repeat, limit=limit)
    a = image_folder_dataset(directory_a, seed=seed, **kwargs)
    b = image_folder_dataset(directory_b, seed=seed + 1, **kwargs)
    dataset = tf.data.Dataset.zip((a, b))
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
