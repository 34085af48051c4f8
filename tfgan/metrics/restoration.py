"""Full-reference image quality for restoration (super-resolution, inpainting): PSNR, SSIM.

Images are in [-1, 1] (tfgan's range) or uint8; both are mapped to [0, 1] and measured by
`tf.image.psnr` / `tf.image.ssim` with `max_val=1`. `channel="y"` measures the luma of
ITU-R BT.601 YCbCr (MATLAB's `rgb2ycbcr`, range [16, 235] / 255), the channel the
super-resolution literature reports (SRCNN, Dong et al. 2014; SRGAN, Ledig et al. 2017);
`crop` drops that many border pixels first, as those papers do (the scale factor).
"""

import numpy as np
import tensorflow as tf

CHANNELS = ("rgb", "y")
SSIM_FILTER_SIZE = 11  # Wang et al. 2004: an 11x11 Gaussian window, sigma 1.5


def _unit_range(images, name):
    images = tf.convert_to_tensor(images)
    if images.shape.rank != 4:
        raise ValueError(f"`{name}` must be a batch of images (batch, height, width, "
                         f"channels). Received: shape={tuple(images.shape)}")
    if images.dtype == tf.uint8:
        return tf.cast(images, tf.float32) / 255.0
    if not images.dtype.is_floating:
        raise TypeError(f"`{name}` must be float images in [-1, 1] or uint8. "
                        f"Received: dtype={images.dtype.name}")
    low, high = float(tf.reduce_min(images)), float(tf.reduce_max(images))
    if low < -1.001 or high > 1.001:
        raise ValueError(f"`{name}` must be in [-1, 1]. Received values in "
                         f"[{low:.3f}, {high:.3f}]")
    return (tf.cast(images, tf.float32) + 1.0) / 2.0


def to_luma(images):
    """BT.601 luma Y of RGB images in [0, 1], in [16/255, 235/255] (MATLAB `rgb2ycbcr`).

    Args:
        images: float `(batch, height, width, 3)` in [0, 1].

    Returns:
        `(batch, height, width, 1)` float32.
    """
    weights = tf.constant([65.481, 128.553, 24.966], tf.float32) / 255.0
    return tf.reduce_sum(images * weights, axis=-1, keepdims=True) + 16.0 / 255.0


def _prepared(images, targets, channel, crop):
    if channel not in CHANNELS:
        raise ValueError(f"`channel` must be one of {CHANNELS}. Received: channel={channel!r}")
    images, targets = _unit_range(images, "images"), _unit_range(targets, "targets")
    if images.shape != targets.shape:
        raise ValueError("`images` and `targets` must have the same shape. Received: "
                         f"{tuple(images.shape)} and {tuple(targets.shape)}")
    if crop < 0 or 2 * crop >= min(images.shape[1], images.shape[2]):
        raise ValueError(f"`crop` must be in [0, {min(images.shape[1:3]) // 2}) for images "
                         f"of size {tuple(images.shape[1:3])}. Received: crop={crop}")
    if crop:
        images, targets = images[:, crop:-crop, crop:-crop], targets[:, crop:-crop, crop:-crop]
    if channel == "y":
        if images.shape[-1] != 3:
            raise ValueError("channel='y' needs RGB images (3 channels). Received: "
                             f"{images.shape[-1]} channels")
        images, targets = to_luma(images), to_luma(targets)
    return images, targets


def psnr(images, targets, channel="rgb", crop=0):
    """Peak signal-to-noise ratio per image, in dB (`inf` where the images are equal).

    Args:
        images: restored images `(batch, height, width, channels)`, [-1, 1] or uint8.
        targets: ground truth of the same shape and range.
        channel: `"rgb"` (all channels) or `"y"` (BT.601 luma, the SR convention).
        crop: border pixels dropped on each side before measuring.

    Returns:
        float64 array `(batch,)`.
    """
    images, targets = _prepared(images, targets, channel, crop)
    return tf.image.psnr(images, targets, max_val=1.0).numpy().astype(np.float64)


def ssim(images, targets, channel="rgb", crop=0):
    """Structural similarity per image (Wang et al. 2004; 1 where the images are equal).

    Args:
        images: restored images `(batch, height, width, channels)`, [-1, 1] or uint8, at
            least 11x11 (after `crop`), the Gaussian window's size.
        targets: ground truth of the same shape and range.
        channel: `"rgb"` (mean over channels) or `"y"` (BT.601 luma).
        crop: border pixels dropped on each side before measuring.

    Returns:
        float64 array `(batch,)`.
    """
    images, targets = _prepared(images, targets, channel, crop)
    if min(images.shape[1], images.shape[2]) < SSIM_FILTER_SIZE:
        raise ValueError(f"SSIM needs images of at least {SSIM_FILTER_SIZE}x"
                         f"{SSIM_FILTER_SIZE} (its window). Received: "
                         f"{tuple(images.shape[1:3])}")
    return tf.image.ssim(images, targets, max_val=1.0,
                         filter_size=SSIM_FILTER_SIZE).numpy().astype(np.float64)
