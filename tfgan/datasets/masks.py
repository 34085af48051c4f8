"""Inpainting masks: central square, random rectangles, free-form strokes, user-given masks.

A mask is a float32 `(height, width, 1)` tensor with 1 on the hole (the pixels to fill) and
0 on the known pixels. Every mask generator is called as `mask(image_size, seed)` with a
stateless seed (an int tensor of shape `(2,)`), so the same seed gives the same mask
eagerly, inside `tf.data` and run to run; and each states the fraction of the image its
holes cover, `coverage_range(image_size)`, which the tests check.

| generator | holes | paper |
| --- | --- | --- |
| `CenterMask` | one centred square, half the side (a quarter of the image) | Pathak et al. 2016 |
| `RandomRectangles` | 1 to `max_count` axis-aligned rectangles | Pathak et al. 2016 (blocks) |
| `FreeFormStrokes` | brush strokes (random walks) until `min_coverage` | Yu et al. 2019 |
| `UserMasks` | masks given as an array or a folder of images (white = hole) | |

`get("center" | "rectangles" | "free_form" | FOLDER | array | generator)` resolves any of
them.
"""

import math
import os

import keras
import numpy as np
import tensorflow as tf

from tfgan.datasets import images as images_lib
from tfgan.utils.validation import check_positive_int

NAMES = ("center", "rectangles", "free_form")


def _pixels(image_size):
    size = images_lib._size(image_size)
    if size is None:
        raise ValueError("A mask needs an `image_size`. Received: image_size=None")
    return size


def _check_fraction(name, value, low=0.0, high=1.0):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            low < value <= high):
        raise ValueError(f"`{name}` must be a number in ({low}, {high}]. "
                         f"Received: {name}={value!r}")
    return float(value)


def coverage(masks):
    """The fraction of each mask's pixels that are hole: `(batch,)` or a scalar."""
    return tf.reduce_mean(tf.cast(tf.convert_to_tensor(masks) > 0.5, tf.float32),
                          axis=(-3, -2, -1))


def hole_boxes(masks, min_size=1):
    """The bounding box of each mask's hole, grown to at least `min_size` pixels a side.

    A box smaller than `min_size` grows around its centre and is shifted to stay inside
    the image (a hole-free mask gives the centred `min_size` square).

    Args:
        masks: numpy `(batch, height, width, 1)` or `(batch, height, width)`, 1 = hole.
        min_size: the smallest side, e.g. 11 for SSIM's window.

    Returns:
        An int array `(batch, 4)` of `(top, left, bottom, right)`, bottom/right exclusive.
    """
    masks = np.asarray(masks)
    masks = masks[..., 0] if masks.ndim == 4 else masks
    height, width = masks.shape[1:3]
    boxes = []
    for mask in masks > 0.5:
        rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        box = []
        for found, length in ((rows, height), (cols, width)):
            low, high = (found[0], found[-1] + 1) if found.size else (length // 2, length // 2)
            side = min(max(high - low, min_size), length)
            start = min(max((low + high - side) // 2, 0), length - side)
            box.append((start, start + side))
        boxes.append((box[0][0], box[1][0], box[0][1], box[1][1]))
    return np.asarray(boxes, dtype="int64")


class MaskGenerator:
    """Base of the mask generators: `mask(image_size, seed)` → float32 `(h, w, 1)`, 1 on
    the hole, and `coverage_range(image_size)` → `(low, high)` hole fractions;
    serializable through `get_config` / `from_config`."""

    def __call__(self, image_size, seed):
        raise NotImplementedError

    def coverage_range(self, image_size):
        raise NotImplementedError

    def get_config(self):
        raise NotImplementedError

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras.saving.register_keras_serializable(package="tfgan")
class CenterMask(MaskGenerator):
    """One centred square hole, `size` of the image's side (Pathak et al. 2016).

    Context Encoders fill the central 64x64 of 128x128 images: `size=0.5`, a quarter of the
    pixels. The mask ignores `seed`: every image gets the same hole.

    Args:
        size: the hole's side as a fraction of the image's height and width. Default 0.5.
    """

    def __init__(self, size=0.5):
        self.size = _check_fraction("size", size)

    def _box(self, image_size):
        h, w = _pixels(image_size)
        side_h, side_w = max(1, round(self.size * h)), max(1, round(self.size * w))
        top, left = (h - side_h) // 2, (w - side_w) // 2
        return h, w, top, left, side_h, side_w

    def __call__(self, image_size, seed=None):
        h, w, top, left, side_h, side_w = self._box(image_size)
        mask = np.zeros((h, w, 1), "float32")
        mask[top:top + side_h, left:left + side_w] = 1.0
        return tf.constant(mask)

    def coverage_range(self, image_size):
        """`(low, high)`, both the exact coverage `size²` (up to rounding to pixels)."""
        h, w, _, _, side_h, side_w = self._box(image_size)
        return (side_h * side_w / (h * w),) * 2

    def get_config(self):
        return {"size": self.size}


@keras.saving.register_keras_serializable(package="tfgan")
class RandomRectangles(MaskGenerator):
    """1 to `max_count` axis-aligned rectangles at random places, possibly overlapping.

    Each side is drawn uniformly between `min_size` and `max_size` of the image's side (in
    whole pixels) and each rectangle lies wholly inside the image. Pathak et al. (2016)
    drop random blocks; this is that mask with a stated coverage.

    Args:
        max_count: the most rectangles per mask. Default 3.
        min_size: the shortest side, as a fraction of the image's. Default 0.1.
        max_size: the longest side. Default 0.4.
    """

    def __init__(self, max_count=3, min_size=0.1, max_size=0.4):
        self.max_count = check_positive_int("max_count", max_count)
        self.min_size = _check_fraction("min_size", min_size)
        self.max_size = _check_fraction("max_size", max_size)
        if self.min_size > self.max_size:
            raise ValueError(f"`min_size` must be <= max_size={max_size}. "
                             f"Received: min_size={min_size}")

    def _sides(self, length):
        low = max(1, math.ceil(self.min_size * length))
        return low, max(low, math.floor(self.max_size * length))

    def __call__(self, image_size, seed):
        h, w = _pixels(image_size)
        (h_low, h_high), (w_low, w_high) = self._sides(h), self._sides(w)
        seeds = tf.random.experimental.stateless_split(tf.cast(seed, tf.int64), 6)
        count = tf.random.stateless_uniform((), seeds[0], 1, self.max_count + 1, tf.int32)
        n = self.max_count
        heights = tf.random.stateless_uniform((n,), seeds[1], h_low, h_high + 1, tf.int32)
        widths = tf.random.stateless_uniform((n,), seeds[2], w_low, w_high + 1, tf.int32)
        # Top-left corners uniform over the positions that keep each rectangle inside.
        tops = tf.cast(tf.random.stateless_uniform((n,), seeds[3]) *
                       tf.cast(h - heights + 1, tf.float32), tf.int32)
        lefts = tf.cast(tf.random.stateless_uniform((n,), seeds[4]) *
                        tf.cast(w - widths + 1, tf.float32), tf.int32)
        rows, cols = tf.range(h)[None, :, None], tf.range(w)[None, None, :]
        inside = ((rows >= tops[:, None, None]) & (rows < (tops + heights)[:, None, None])
                  & (cols >= lefts[:, None, None]) & (cols < (lefts + widths)[:, None, None]))
        used = tf.range(n) < count
        mask = tf.reduce_any(inside & used[:, None, None], axis=0)
        return tf.cast(mask, tf.float32)[..., None]

    def coverage_range(self, image_size):
        """`(low, high)`: at least one smallest rectangle, at most `max_count` largest."""
        h, w = _pixels(image_size)
        (h_low, h_high), (w_low, w_high) = self._sides(h), self._sides(w)
        return h_low * w_low / (h * w), min(1.0, self.max_count * h_high * w_high / (h * w))

    def get_config(self):
        return {"max_count": self.max_count, "min_size": self.min_size,
                "max_size": self.max_size}


@keras.saving.register_keras_serializable(package="tfgan")
class FreeFormStrokes(MaskGenerator):
    """Free-form brush strokes (Yu et al. 2019, DeepFill v2), drawn until `min_coverage`.

    A stroke starts at a random pixel and walks `vertices` segments, each in a random
    direction with a length uniform in [`max_length` / 4, `max_length`] of the image's
    shorter side (clipped to the image); every pixel within half the brush `width` of
    the walk is hole. Strokes are added one by one until the hole covers `min_coverage`
    of the image (at most `max_strokes`), so the coverage exceeds `min_coverage` by at most
    one stroke.

    Args:
        min_coverage: the hole fraction to reach. Default 0.15.
        vertices: segments per stroke. Default 4.
        max_length: the longest segment, a fraction of the shorter side. Default 0.25.
        width: `(low, high)` brush width, fractions of the shorter side (at least 1 pixel).
            Default `(0.05, 0.1)`.
        max_strokes: a bound on the loop; the defaults reach `min_coverage` long before it.
            Default 100.
    """

    def __init__(self, min_coverage=0.15, vertices=4, max_length=0.25, width=(0.05, 0.1),
                 max_strokes=100):
        self.min_coverage = _check_fraction("min_coverage", min_coverage)
        self.vertices = check_positive_int("vertices", vertices)
        self.max_length = _check_fraction("max_length", max_length)
        width = tuple(float(v) for v in width)
        if len(width) != 2 or not 0 < width[0] <= width[1] <= 1:
            raise ValueError(f"`width` must be (low, high) with 0 < low <= high <= 1. "
                             f"Received: width={width}")
        self.width = width
        self.max_strokes = check_positive_int("max_strokes", max_strokes)

    def _geometry(self, image_size):
        h, w = _pixels(image_size)
        short = min(h, w)
        widths = [max(1.0, f * short) for f in self.width]
        return h, w, self.max_length * short, widths

    def _stroke(self, h, w, length, widths, seed):
        seeds = tf.random.experimental.stateless_split(seed, 4)
        start = tf.random.stateless_uniform((2,), seeds[0]) * tf.constant([h - 1, w - 1],
                                                                           tf.float32)
        angles = tf.random.stateless_uniform((self.vertices,), seeds[1], 0.0, 2 * math.pi)
        lengths = tf.random.stateless_uniform((self.vertices,), seeds[2], length / 4, length)
        steps = tf.stack([tf.sin(angles), tf.cos(angles)], axis=1) * lengths[:, None]
        limit = tf.constant([h - 1, w - 1], tf.float32)
        points = [start]
        for i in range(self.vertices):
            points.append(tf.clip_by_value(points[-1] + steps[i], 0.0, limit))
        points = tf.stack(points)
        radius = tf.random.stateless_uniform((), seeds[3], widths[0], widths[1]) / 2
        a, b = points[:-1, None, None, :], points[1:, None, None, :]
        grid = tf.cast(tf.stack(tf.meshgrid(tf.range(h), tf.range(w), indexing="ij"), -1),
                       tf.float32)[None]
        ab = b - a
        t = tf.clip_by_value(tf.reduce_sum((grid - a) * ab, -1, keepdims=True)
                             / tf.maximum(tf.reduce_sum(ab * ab, -1, keepdims=True), 1e-6),
                             0.0, 1.0)
        distance = tf.norm(grid - (a + t * ab), axis=-1)
        return tf.reduce_any(distance <= radius, axis=0)

    def __call__(self, image_size, seed):
        h, w, length, widths = self._geometry(image_size)
        seed = tf.cast(seed, tf.int64)
        target = self.min_coverage * h * w

        def more(i, mask):
            return (i < self.max_strokes) & (tf.reduce_sum(tf.cast(mask, tf.float32)) < target)

        def draw(i, mask):
            key = tf.random.experimental.stateless_fold_in(seed, tf.cast(i, tf.int64))
            return i + 1, mask | self._stroke(h, w, length, widths, key)

        _, mask = tf.while_loop(more, draw, (tf.constant(0), tf.zeros((h, w), tf.bool)))
        return tf.cast(mask, tf.float32)[..., None]

    def coverage_range(self, image_size):
        """`(low, high)`: `min_coverage`, plus at most one stroke's pixels.

        A stroke is the union of `vertices` capsules (radius r, length L); a convex set of
        area A and perimeter P holds at most A + P/2 + 1 pixel centres, so a capsule at most
        `2rL + πr² + L + πr + 1`.
        """
        h, w, length, widths = self._geometry(image_size)
        r = widths[1] / 2
        stroke = self.vertices * (2 * r * length + math.pi * r * r + length + math.pi * r + 1)
        return self.min_coverage, min(1.0, self.min_coverage + stroke / (h * w))

    def get_config(self):
        return {"min_coverage": self.min_coverage, "vertices": self.vertices,
                "max_length": self.max_length, "width": list(self.width),
                "max_strokes": self.max_strokes}


def _read_masks(directory):
    files = images_lib.check_image_files(images_lib.list_image_files(directory))
    if not files:
        raise FileNotFoundError(f"No mask images in {str(directory)!r} (expected "
                                f"{', '.join(images_lib.IMAGE_EXTENSIONS)} files). "
                                f"Received: masks={str(directory)!r}")
    return np.stack([images_lib.decode_image(str(p), 1).numpy() for p in files])


@keras.saving.register_keras_serializable(package="tfgan")
class UserMasks(MaskGenerator):
    """Masks given by the user: an array or a folder of mask images (white = hole).

    Called with a seed, it returns one of them (chosen by the seed), resized to the image
    size with nearest-neighbour sampling so it stays binary. `mask_at(index, image_size)`
    returns mask `index` (cycling), for pairing masks with images in order.

    Args:
        masks: a folder of mask images (any size; pixels above half-intensity are hole), or
            an array `(n, h, w)` / `(n, h, w, 1)` of 0/1 floats or uint8 0/255.
    """

    def __init__(self, masks):
        self.source = os.fspath(masks) if isinstance(masks, (str, os.PathLike)) else None
        array = _read_masks(masks) if self.source is not None else np.asarray(masks)
        if array.ndim == 3:
            array = array[..., None]
        if array.ndim != 4 or array.shape[-1] != 1 or len(array) == 0:
            raise ValueError("`masks` must be a folder of mask images or an array (n, h, w) "
                             f"or (n, h, w, 1), n > 0. Received: shape={array.shape}")
        threshold = 127.5 if array.dtype == np.uint8 else 0.5
        self.masks = (array > threshold).astype("float32")

    def _resized(self, masks, image_size):
        return tf.image.resize(masks, _pixels(image_size), method="nearest")

    def __call__(self, image_size, seed):
        index = tf.random.stateless_uniform((), tf.cast(seed, tf.int64), 0, len(self.masks),
                                            tf.int32)
        return self._resized(tf.gather(tf.constant(self.masks), index), image_size)

    def mask_at(self, index, image_size):
        """Mask `index % n` at `image_size` (numpy)."""
        return self._resized(self.masks[index % len(self.masks)], image_size).numpy()

    def coverage_range(self, image_size):
        """`(low, high)`: the least and most covered of the masks at `image_size`."""
        covered = coverage(self._resized(self.masks, image_size)).numpy()
        return float(covered.min()), float(covered.max())

    def get_config(self):
        if self.source is None:
            raise TypeError("UserMasks built from an array is not serializable; build it from "
                            "a folder. Received: masks=<array>")
        return {"masks": self.source}


_BY_NAME = {"center": CenterMask, "rectangles": RandomRectangles,
            "free_form": FreeFormStrokes}


def get(mask):
    """A mask generator from a name (`"center"`, `"rectangles"`, `"free_form"`), a folder
    of mask images, an array of masks or a mask generator (returned as it is)."""
    if isinstance(mask, MaskGenerator):
        return mask
    if isinstance(mask, str) and mask.replace("-", "_") in _BY_NAME:
        return _BY_NAME[mask.replace("-", "_")]()
    if isinstance(mask, (str, os.PathLike)):
        if not os.path.isdir(mask):
            raise ValueError(f"`mask` must be one of {NAMES}, a folder of mask images, an "
                             f"array or a mask generator. Received: mask={mask!r}")
        return UserMasks(mask)
    if isinstance(mask, (np.ndarray, list, tuple)):
        return UserMasks(mask)
    raise TypeError(f"`mask` must be one of {NAMES}, a folder of mask images, an array or a "
                    f"mask generator. Received: mask={mask!r}")


def masks_for_images(count, image_size, mask="center", seed=0):
    """One mask per image of a sequence, for inpainting a folder of images.

    Args:
        count: the number of images.
        image_size: `(height, width)` or int of the masks.
        mask: a name (`"center"`, `"rectangles"`, `"free_form"`: mask `i` is drawn with
            the seed `(seed, i)`), a folder or array of masks (mask `i` is the `i`-th in
            name order, cycling), or a mask generator.
        seed: the seed of drawn masks.

    Returns:
        float32 array `(count, height, width, 1)`, 1 in the holes.
    """
    from tfgan.utils.seeds import stateless_seed

    count = check_positive_int("count", count)
    if isinstance(mask, (str, os.PathLike)) and os.fspath(mask).replace("-", "_") not in NAMES \
            and not os.path.isdir(mask):
        raise FileNotFoundError(f"No such folder of masks. Received: mask={str(mask)!r}")
    generator = get(mask)
    if isinstance(generator, UserMasks):
        return np.stack([generator.mask_at(i, image_size) for i in range(count)])
    return np.stack([np.asarray(generator(image_size, stateless_seed(seed, i)), "float32")
                     for i in range(count)])
