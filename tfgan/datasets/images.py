"""`tf.data` image pipelines for GAN training: TFDS, image folders, arrays, embedded MNIST.

Every loader returns a `tf.data.Dataset` of float32 images scaled to [-1, 1] (the range of a
tanh generator), shape `(batch, height, width, channels)`, or `(images, labels)` batches
when `labels=True`. Batches have a fixed size (`drop_remainder=True`), which keeps the
train step's shapes static; a source with fewer images than one batch is refused. Data is
decoded and resized once, cached, shuffled with a seed, batched and prefetched.
"""

import importlib.resources
import logging
import os
import pathlib

import numpy as np
import tensorflow as tf
from PIL import Image

from tfgan.utils.validation import check_positive_int

EMBEDDED_MNIST = "embedded-mnist"
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"BM", b"GIF8")
_log = logging.getLogger(__name__)


def _size(image_size):
    if image_size is None:
        return None
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    image_size = tuple(int(s) for s in image_size)
    if len(image_size) != 2 or min(image_size) < 1:
        raise ValueError("`image_size` must be an int or (height, width) of positive ints. "
                         f"Received: image_size={image_size}")
    return image_size


def scale_images(images):
    """Scales uint8 images in [0, 255] to float32 in [-1, 1].

    Args:
        images: a uint8 tensor or array (any shape).

    Returns:
        A float32 tensor `images / 127.5 - 1`.
    """
    if images.dtype != tf.uint8:
        raise TypeError(f"`scale_images` expects uint8 images in [0, 255]. "
                        f"Received: images of dtype {images.dtype}")
    return tf.cast(images, tf.float32) / 127.5 - 1.0


def resize(images, image_size, crop=False):
    """Resizes float images to `image_size` (bilinear, antialiased when shrinking).

    Args:
        images: float `(height, width, channels)` or a batch of them.
        image_size: `(height, width)` or an int; `None` keeps the size.
        crop: if True, first take the largest centred crop with the target aspect ratio.
    """
    image_size = _size(image_size)
    if image_size is None:
        return images
    if crop:
        shape = tf.shape(images)
        h, w = shape[-3], shape[-2]
        target_ratio = image_size[1] / image_size[0]
        crop_w = tf.minimum(w, tf.cast(tf.cast(h, tf.float32) * target_ratio, tf.int32))
        crop_h = tf.minimum(h, tf.cast(tf.cast(crop_w, tf.float32) / target_ratio, tf.int32))
        top, left = (h - crop_h) // 2, (w - crop_w) // 2
        images = images[..., top:top + crop_h, left:left + crop_w, :]
    return tf.image.resize(images, image_size, method="bilinear", antialias=True)


def _pipeline(dataset, batch_size, shuffle, seed, cache, repeat, num_examples=None,
              drop_remainder=True):
    batch_size = check_positive_int("batch_size", batch_size)
    if drop_remainder and num_examples is not None and num_examples < batch_size:
        raise ValueError(
            f"The data has {num_examples} images, fewer than one batch of {batch_size}: it "
            "would yield no batch. Pass a `batch_size` of at most the number of images, or "
            "`drop_remainder=False` to keep the partial batch. "
            f"Received: batch_size={batch_size} for {num_examples} images"
        )
    if cache:
        dataset = dataset.cache() if cache is True else dataset.cache(str(cache))
    if shuffle:
        buffer = min(num_examples or 10_000, 60_000)
        dataset = dataset.shuffle(buffer, seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)


def _check_float_range(images):
    finite = np.isfinite(images)
    if not finite.all():
        count = int(finite.size - np.count_nonzero(finite))
        index = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise ValueError(
            f"`images` must be finite: {count} of {images.size} values are NaN or Inf, the "
            f"first at index {index}. Received: images[{', '.join(map(str, index))}]="
            f"{images[index]}"
        )
    low, high = float(np.min(images)), float(np.max(images))
    if low < -1.0 - 1e-6 or high > 1.0 + 1e-6:
        raise ValueError(
            "Float images must already be scaled to [-1, 1] (or pass uint8 images in "
            f"[0, 255]). Received: float images with values in [{low:.4g}, {high:.4g}]"
        )


def _image_array(images):
    """`images` as a checked uint8 ([0, 255]) or float32 ([-1, 1]) array `(n, h, w, c)`."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or len(images) == 0:
        raise ValueError("`images` must be a non-empty array (n, height, width[, channels]). "
                         f"Received: images.shape={images.shape}")
    if images.dtype == np.uint8:
        pass
    elif np.issubdtype(images.dtype, np.floating):
        _check_float_range(images)
        images = images.astype("float32")
    elif np.issubdtype(images.dtype, np.integer):
        if images.min() < 0 or images.max() > 255:
            raise ValueError("Integer images must be in [0, 255]. Received: values in "
                             f"[{images.min()}, {images.max()}]")
        images = images.astype("uint8")
    else:
        raise TypeError("`images` must be uint8 in [0, 255] or float in [-1, 1]. "
                        f"Received: dtype={images.dtype}")
    return images


def from_arrays(images, labels=None, batch_size=64, image_size=None, shuffle=True, seed=None,
                cache=True, repeat=False, drop_remainder=True):
    """Builds a pipeline from in-memory arrays.

    Args:
        images: uint8 `(n, h, w)` or `(n, h, w, c)` in [0, 255], or floats already in
            [-1, 1] (NaN and Inf are refused).
        labels: optional integer labels `(n,)`; when given, batches are `(images, labels)`.
        batch_size: images per batch (the last partial batch is dropped). Fewer images
            than one batch raise a `ValueError`.
        image_size: optional `(height, width)` or int to resize to.
        shuffle: shuffle every epoch (seeded by `seed`).
        seed: shuffle seed.
        cache: cache the prepared images in memory (`True`), in a file (a path) or not.
        repeat: repeat forever (use with `fit(steps_per_epoch=...)`).
        drop_remainder: drop the last partial batch (default), which keeps batch shapes
            static; `False` keeps it.

    Returns:
        A `tf.data.Dataset` of float32 images in [-1, 1].
    """
    images = _image_array(images)
    tensors = images
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f"`labels` must be integers of shape ({len(images)},). "
                f"Received: labels of shape {labels.shape} and dtype {labels.dtype}"
            )
        tensors = (images, labels.astype("int32"))
    dataset = tf.data.Dataset.from_tensor_slices(tensors)
    dataset = dataset.map(_preparer(image_size, crop=False), num_parallel_calls=tf.data.AUTOTUNE)
    return _pipeline(dataset, batch_size, shuffle, seed, cache, repeat, len(images),
                     drop_remainder)


def _preparer(image_size, crop, channels=None):
    def prepare_image(image):
        if image.dtype == tf.uint8:
            image = scale_images(image)
        if channels is not None:
            image = _to_channels(image, channels)
        return resize(image, image_size, crop=crop) if image_size is not None else image

    def prepare(*element):
        if len(element) == 1:
            return prepare_image(element[0])
        return prepare_image(element[0]), tf.cast(element[1], tf.int32)

    return prepare


def _to_channels(image, channels):
    have = image.shape[-1]
    if have == channels or have is None:
        return image
    if have == 1 and channels == 3:
        return tf.image.grayscale_to_rgb(image)
    if have == 3 and channels == 1:
        return tf.image.rgb_to_grayscale(image)
    if have == 4 and channels == 3:
        return image[..., :3]
    raise ValueError(f"Cannot convert {have}-channel images to {channels} channels.")


def embedded_mnist(batch_size=64, labels=False, shuffle=True, seed=None, repeat=False,
                   num_examples=None):
    """The MNIST subset that ships with tfgan (19,690 training digits, 28x28x1).

    Works offline; see `tfgan/data/README.md` for its provenance.

    Args:
        batch_size, shuffle, seed, repeat: as for `from_arrays`.
        labels: yield `(images, labels)` batches.
        num_examples: use only the first `num_examples` images (all by default).
    """
    x, y = load_embedded_mnist()
    if num_examples is not None:
        x, y = x[:num_examples], y[:num_examples]
    return from_arrays(x, y if labels else None, batch_size=batch_size, shuffle=shuffle,
                       seed=seed, repeat=repeat)


def load_embedded_mnist():
    """Returns the embedded MNIST subset as numpy arrays `(x uint8 (n, 28, 28), y uint8)`."""
    path = importlib.resources.files("tfgan.data") / "mnist_train_subset.npz"
    with importlib.resources.as_file(path) as file, np.load(file) as data:
        return data["x_train"], data["y_train"]


def from_tfds(name, split="train", data_dir=None, batch_size=64, image_size=None, crop=False,
              channels=None, labels=False, shuffle=True, seed=None, cache=True, repeat=False,
              image_key="image", label_key="label", download=True, drop_remainder=True):
    """Builds a pipeline from a TensorFlow Datasets dataset.

    Where a network is reachable TFDS downloads and prepares the dataset once; offline, pass
    the `data_dir` of a prepared copy (e.g. `../shared/data/tensorflow_datasets`).

    Args:
        name: a TFDS name, e.g. `"mnist"`, `"cifar10"`, `"celeb_a"`.
        split: a TFDS split expression, e.g. `"train"` or `"train[:10%]"`.
        data_dir: TFDS data directory; `None` uses TFDS' default (`TFDS_DATA_DIR`).
        batch_size, shuffle, seed, cache, repeat, drop_remainder: as for `from_arrays`.
        image_size: optional `(height, width)` or int to resize to.
        crop: centre-crop to the target aspect ratio before resizing.
        channels: convert to this many channels (1 or 3); `None` keeps them.
        labels: yield `(images, labels)` batches.
        image_key, label_key: feature names in the TFDS examples.
        download: allow TFDS to download and prepare the dataset if it is missing.

    Returns:
        A `tf.data.Dataset` of float32 images in [-1, 1].
    """
    keys = (image_key, label_key) if labels else (image_key,)
    dataset, num_examples = tfds_examples(name, split, data_dir, keys, download)
    dataset = dataset.map(_preparer(image_size, crop, channels),
                          num_parallel_calls=tf.data.AUTOTUNE)
    return _pipeline(dataset, batch_size, shuffle, seed, cache, repeat, num_examples,
                     drop_remainder)


def list_image_files(directory):
    """Sorted image files (by extension) directly inside `directory` and its class folders."""
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"Image folder not found. Received: directory={str(directory)!r}")
    files = sorted(p for p in directory.rglob("*")
                   if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)
    if not files:
        raise ValueError(
            f"No image files ({', '.join(IMAGE_EXTENSIONS)}) in {str(directory)!r}."
        )
    return files


def _image_file_problem(path):
    """Why `path` is not a readable image, in a few words, or `None` when it is one."""
    with open(path, "rb") as f:
        head = f.read(8)
    if not head.startswith(_MAGIC):
        return "not a PNG, JPEG, BMP or GIF"
    try:
        with Image.open(path) as image:
            image.verify()  # the structure and checksums (every PNG chunk's CRC)
        with Image.open(path) as image:
            if image.format == "JPEG":  # decode at 1/8 scale: cheap, and reads the body
                image.draft(image.mode, (image.width // 8, image.height // 8))
                image.load()
    except Exception as error:  # PIL raises OSError, SyntaxError, struct.error, ...
        return f"{type(error).__name__}: {error}"
    return None


def check_image_files(files, on_error="raise"):
    """Checks that each file is a readable PNG, JPEG, BMP or GIF, before training starts.

    Each file's signature is checked, then PIL parses its structure (and checksums); JPEGs
    are also decoded at 1/8 scale. A damaged file is named here rather than failing as a
    TensorFlow error in the middle of an epoch.

    Args:
        files: paths to check.
        on_error: `"raise"` to fail on the first unreadable file, `"skip"` to drop such files
            with a warning.

    Returns:
        The readable files.
    """
    if on_error not in ("raise", "skip"):
        raise ValueError(f"`on_error` must be 'raise' or 'skip'. Received: on_error={on_error!r}")
    good = []
    for path in files:
        problem = _image_file_problem(path)
        if problem is None:
            good.append(path)
        elif on_error == "raise":
            raise ValueError(
                f"Unreadable image file {str(path)!r} ({problem}); pass on_error='skip' to "
                f"skip such files. Received: file={str(path)!r}"
            )
        else:
            _log.warning("Skipping unreadable image file %s (%s)", path, problem)
    if not good:
        raise ValueError("No readable image files remain after skipping unreadable ones.")
    return good


def decode_image(path, channels=3):
    """Reads and decodes one image file to uint8 `(h, w, channels)` (inside tf.data)."""
    image = tf.io.decode_image(tf.io.read_file(path), channels=channels, expand_animations=False)
    image.set_shape((None, None, channels))
    return image


def from_folder(directory, image_size, channels=3, batch_size=64, crop=True, labels=False,
                shuffle=True, seed=None, cache=True, repeat=False, on_error="raise",
                drop_remainder=True):
    """Builds a pipeline from a folder of image files (PNG, JPEG, BMP, GIF).

    Args:
        directory: the folder; images may sit directly in it or in one sub-folder per class.
        image_size: `(height, width)` or int: every image is resized to it.
        channels: 1 (grayscale) or 3 (RGB).
        batch_size, shuffle, seed, cache, repeat, drop_remainder: as for `from_arrays`.
        crop: centre-crop to the target aspect ratio before resizing (default True).
        labels: yield `(images, labels)`, the label being the index of the image's
            sub-folder in sorted order.
        on_error: `"raise"` (default) or `"skip"` for files that are not readable images.

    Returns:
        A `tf.data.Dataset` of float32 images in [-1, 1].
    """
    if channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 or 3. Received: channels={channels}")
    directory = pathlib.Path(directory)
    files = check_image_files(list_image_files(directory), on_error=on_error)
    paths = [str(p) for p in files]
    tensors = paths
    if labels:
        classes = sorted({p.parent.relative_to(directory).as_posix() for p in files})
        if classes == ["."]:
            raise ValueError(f"`labels=True` needs one sub-folder per class in {str(directory)!r}; "
                             "the images sit directly in it.")
        index = {name: i for i, name in enumerate(classes)}
        tensors = (paths, [index[p.parent.relative_to(directory).as_posix()] for p in files])
    dataset = tf.data.Dataset.from_tensor_slices(tensors)

    def read(*element):
        image = decode_image(element[0], channels)
        return (image,) + tuple(element[1:])

    dataset = dataset.map(read, num_parallel_calls=tf.data.AUTOTUNE)
    if on_error == "skip":
        dataset = dataset.ignore_errors(log_warning=True)
    dataset = dataset.map(_preparer(image_size, crop), num_parallel_calls=tf.data.AUTOTUNE)
    return _pipeline(dataset, batch_size, shuffle, seed, cache, repeat, len(paths),
                     drop_remainder)


def load(name=EMBEDDED_MNIST, **kwargs):
    """Loads a dataset by name: the embedded MNIST subset, a folder, or a TFDS name.

    Args:
        name: `"embedded-mnist"` (default, offline), a path to a folder of images, or any
            TFDS name (`"mnist"`, `"cifar10"`, ...).
        **kwargs: passed to `embedded_mnist`, `from_folder` or `from_tfds`.
    """
    if name == EMBEDDED_MNIST:
        return embedded_mnist(**kwargs)
    if os.path.isdir(name):
        return from_folder(name, **kwargs)
    return from_tfds(name, **kwargs)


def tfds_examples(name, split, data_dir=None, keys=("image",), download=True):
    """A TFDS split as a dataset of `keys` tuples, and its number of examples.

    Args:
        name: a TFDS name, e.g. `"mnist"`.
        split: a TFDS split expression.
        data_dir: TFDS data directory; `None` uses TFDS' default (`TFDS_DATA_DIR`).
        keys: the features to yield, in order (the first is the image).
        download: allow TFDS to download and prepare the dataset if it is missing.

    Returns:
        `(dataset, num_examples)`; the dataset yields tuples of the `keys` features.
    """
    import tensorflow_datasets as tfds

    data_dir = None if data_dir is None else os.fspath(data_dir)
    try:
        builder = tfds.builder(name, data_dir=data_dir)
    except tfds.core.registered.DatasetNotFoundError as error:
        raise ValueError(
            f"Unknown dataset {name!r}: not a TensorFlow Datasets name. Expected a TFDS name "
            f"such as 'mnist' or 'cifar10', {EMBEDDED_MNIST!r}, or a folder of images. "
            f"Received: name={name!r}"
        ) from error
    if not builder.is_prepared():
        if not download:
            raise FileNotFoundError(
                f"TFDS dataset {name!r} is not prepared in data_dir={builder.data_dir!r} and "
                "download=False. Point `data_dir` at a prepared copy."
            )
        builder.download_and_prepare()
    features = builder.info.features
    for key, what in zip(keys, ("image", "label")):
        if key not in features:
            raise ValueError(f"TFDS dataset {name!r} has no {what} feature {key!r}. "
                             f"Features: {sorted(features)}")
    dataset = builder.as_dataset(split=split, shuffle_files=False)
    dataset = dataset.map(lambda ex: tuple(ex[k] for k in keys),
                          num_parallel_calls=tf.data.AUTOTUNE)
    return dataset, builder.info.splits[split].num_examples


def image_source(source, split="train", data_dir=None, channels=3, on_error="raise"):
    """Single images at their own size from a folder, a TFDS name, an array or embedded MNIST.

    The unbatched source the restoration pipelines (super-resolution pairs, inpainting
    examples) crop and degrade themselves.

    Args:
        source: a folder of image files, `"embedded-mnist"`, a TFDS name, or an array of
            images (uint8 in [0, 255] or float in [-1, 1], `(n, h, w)` or `(n, h, w, c)`).
        split: the TFDS split (TFDS names only).
        data_dir: TFDS data directory (TFDS names only).
        channels: convert to 1 or 3 channels.
        on_error: `"raise"` or `"skip"` for unreadable image files (folders only).

    Returns:
        `(dataset, num_images)`: a `tf.data.Dataset` of float32 `(h, w, channels)` images
        in [-1, 1], in a fixed order.
    """
    if channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 or 3. Received: channels={channels}")
    if isinstance(source, (str, os.PathLike)) and os.fspath(source) == EMBEDDED_MNIST:
        source = load_embedded_mnist()[0]
    if isinstance(source, (str, os.PathLike)) and os.path.isdir(source):
        files = check_image_files(list_image_files(source), on_error=on_error)
        dataset = tf.data.Dataset.from_tensor_slices([str(p) for p in files])
        dataset, count = dataset.map(lambda path: decode_image(path, 3)), len(files)
    elif isinstance(source, (str, os.PathLike)):
        dataset, count = tfds_examples(os.fspath(source), split, data_dir)
    else:
        images = _image_array(source)
        dataset, count = tf.data.Dataset.from_tensor_slices(images), len(images)
    return dataset.map(_preparer(None, False, channels),
                       num_parallel_calls=tf.data.AUTOTUNE), count
