"""Image value conversions and sample grids."""

import math

import numpy as np

from tfgan.utils.io import atomic_write_bytes


def to_uint8(images):
    """Converts images in [-1, 1] to displayable uint8 in [0, 255].

    Args:
        images: array-like of floats in [-1, 1] (values outside are clipped).

    Returns:
        A uint8 numpy array of the same shape.
    """
    images = np.asarray(images, dtype="float32")
    return np.clip(np.round((images + 1.0) * 127.5), 0, 255).astype("uint8")


def make_grid(images, rows=None, padding=2, pad_value=255):
    """Tiles images into one grid image.

    Args:
        images: `(n, height, width, channels)` array, floats in [-1, 1] or uint8.
        rows: number of rows. `None` makes the grid as square as possible.
        padding: pixels between tiles and around the grid.
        pad_value: uint8 value of the padding.

    Returns:
        A uint8 array `(grid_height, grid_width, channels)`.
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or len(images) == 0:
        raise ValueError(
            "`images` must be a non-empty batch (n, height, width[, channels]). "
            f"Received: images.shape={images.shape}"
        )
    if images.dtype != np.uint8:
        images = to_uint8(images)
    n, height, width, channels = images.shape
    rows = rows or int(math.floor(math.sqrt(n)))
    cols = int(math.ceil(n / rows))
    grid = np.full(
        (rows * (height + padding) + padding, cols * (width + padding) + padding, channels),
        pad_value, dtype=np.uint8,
    )
    for i, image in enumerate(images):
        r, c = divmod(i, cols)
        top, left = padding + r * (height + padding), padding + c * (width + padding)
        grid[top:top + height, left:left + width] = image
    return grid


def save_image(image, path):
    """Saves one uint8 image `(height, width[, channels])` as PNG (atomically)."""
    import io

    from PIL import Image

    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return atomic_write_bytes(path, buffer.getvalue())


def save_grid(images, path, rows=None, padding=2):
    """Tiles `images` with `make_grid` and writes a PNG.

    Returns:
        The path written.
    """
    return save_image(make_grid(images, rows=rows, padding=padding), path)


def save_side_by_side(columns, path, rows=8, padding=2):
    """Saves examples side by side: grid row `i` holds example `i` of every array in
    `columns` (e.g. input | output | ground truth), for the first `rows` examples.

    Returns:
        The path written.
    """
    rows = min(rows, *(len(column) for column in columns))
    stacked = np.stack([np.asarray(column[:rows]) for column in columns], axis=1)
    return save_grid(stacked.reshape((-1,) + stacked.shape[2:]), path, rows=rows,
                     padding=padding)
