"""Image helpers: [-1, 1] floats to uint8, and grids of samples."""

import numpy as np


def to_uint8(images):
    """Maps images in [-1, 1] to uint8 [0, 255]: `round((x + 1) · 127.5)`, clipped."""
    images = np.asarray(images, dtype="float32")
    return np.clip(np.round((images + 1.0) * 127.5), 0, 255).astype("uint8")


def image_grid(images, rows, padding=0):
    """Tiles a batch of images into one image, row by row.

    Args:
        images: array `(rows · cols, h, w, c)` in [-1, 1] (or uint8).
        rows: number of rows; the batch must divide evenly.
        padding: pixels of black between tiles.

    Returns:
        A uint8 array `(rows · (h + padding) - padding, cols · (w + padding) - padding, c)`.
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        images = to_uint8(images)
    if images.ndim != 4 or rows < 1 or len(images) % rows:
        raise ValueError(
            "`images` must be (n, h, w, c) with n a multiple of `rows`. "
            f"Received: images.shape={images.shape}, rows={rows}"
        )
    cols = len(images) // rows
    n, h, w, c = images.shape
    grid = np.zeros((rows * (h + padding) - padding, cols * (w + padding) - padding, c),
                    dtype="uint8")
    for i, image in enumerate(images):
        r, k = divmod(i, cols)
        grid[r * (h + padding):r * (h + padding) + h, k * (w + padding):k * (w + padding) + w] = image
    return grid
