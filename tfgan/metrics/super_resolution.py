"""Super-resolution evaluation: the bicubic baseline and PSNR/SSIM tables beside it."""

import keras
import numpy as np
import tensorflow as tf

from tfgan.metrics import restoration
from tfgan.metrics.output_distances import output_distances
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.validation import check_positive_int

MEASURES = ("psnr_y", "ssim_y", "psnr_rgb", "ssim_rgb")


def bicubic_upscale(images, scale):
    """Bicubic upsampling by `scale`, clipped to [-1, 1]: the classical SR baseline.

    Args:
        images: float `(batch, h, w, c)` in [-1, 1].
        scale: the integer factor.

    Returns:
        A float32 numpy array `(batch, scale·h, scale·w, c)`.
    """
    images = tf.convert_to_tensor(images, tf.float32)
    size = tf.shape(images)[1:3] * check_positive_int("scale", scale)
    return tf.clip_by_value(tf.image.resize(images, size, method="bicubic"), -1.0, 1.0).numpy()


def pairs_as_arrays(dataset):
    """`(low, high)` numpy arrays of a finite dataset of `(low, high)` batches (a test
    split of `tfgan.datasets.super_resolution_pairs`)."""
    low, high = zip(*[(lr.numpy(), hr.numpy()) for lr, hr in dataset])
    return np.concatenate(low), np.concatenate(high)


def _run(upscaler, low, batch_size):
    if isinstance(upscaler, keras.layers.Layer):
        return predict_in_batches(upscaler, low, batch_size)
    return np.concatenate([np.asarray(upscaler(low[i:i + batch_size]), "float32")
                           for i in range(0, len(low), batch_size)])


def evaluate_super_resolution(low, high, upscalers=None, crop=None, batch_size=16,
                              extractor=None):
    """PSNR and SSIM, on the luma (Y) and on RGB, of bicubic upsampling and each upscaler.

    The measures are `tfgan.metrics.psnr` / `ssim` (`tf.image`) with `crop` border pixels
    dropped, averaged over the images. Run it on a deterministic split
    (`super_resolution_pairs(..., training=False)`) so numbers compare between runs.

    Args:
        low: low-resolution images `(n, h, w, c)` in [-1, 1].
        high: their ground truth `(n, scale·h, scale·w, c)`.
        upscalers: `{name: upscaler}`, each a Keras model (run in inference mode) or a
            callable from a batch of `low` to upscaled images (e.g. an exported
            generator: `lambda x: exported(image=x)`). Bicubic is always measured first.
        crop: border pixels dropped before measuring. `None`: the scale (the SR
            literature's convention).
        batch_size: images per upscaler call.
        extractor: optionally a feature extractor or its name: each method's outputs
            also get FID and KID (×10³) against the ground truth in its feature space
            (`tfgan.metrics.output_distances`).

    Returns:
        `{"protocol": {...}, "results": {name: {"psnr_y", "ssim_y", "psnr_rgb",
        "ssim_rgb"[, "fid", "kid_x1e3"]}}}`; the Y measures need RGB images and are absent
        for grayscale; with an extractor, `protocol["extractor"]` names it.
    """
    low, high = np.asarray(low, "float32"), np.asarray(high, "float32")
    if low.ndim != 4 or high.ndim != 4 or len(low) != len(high) or len(low) == 0:
        raise ValueError("`low` and `high` must be non-empty image batches of the same size. "
                         f"Received: shapes {low.shape} and {high.shape}")
    scale = high.shape[1] // low.shape[1]
    if high.shape[1:3] != (scale * low.shape[1], scale * low.shape[2]):
        raise ValueError("`high` must be an integer multiple of `low` in height and width. "
                         f"Received: shapes {low.shape} and {high.shape}")
    crop = scale if crop is None else int(crop)
    outputs = {"bicubic": bicubic_upscale(low, scale)}
    for name, upscaler in (upscalers or {}).items():
        outputs[name] = _run(upscaler, low, check_positive_int("batch_size", batch_size))
    channels = ("y", "rgb") if high.shape[-1] == 3 else ("rgb",)
    results = {}
    for name, images in outputs.items():
        if images.shape != high.shape:
            raise ValueError(f"Upscaler {name!r} returned images of shape {images.shape[1:]}; "
                             f"the ground truth is {high.shape[1:]}.")
        results[name] = {}
        for channel in channels:
            results[name][f"psnr_{channel}"] = float(np.mean(
                restoration.psnr(images, high, channel, crop)))
            results[name][f"ssim_{channel}"] = float(np.mean(
                restoration.ssim(images, high, channel, crop)))
    protocol = {"images": len(low), "scale": scale, "crop": crop,
                "low_resolution": list(low.shape[1:]), "high_resolution": list(high.shape[1:]),
                "measures": "mean over images of tf.image.psnr/ssim, max_val 1, Y = BT.601 "
                            "luma"}
    if extractor is not None:
        distances = output_distances(outputs, high, extractor)
        protocol["extractor"] = distances["extractor"]
        for name, values in distances["results"].items():
            results[name].update(values)
    return {"protocol": protocol, "results": results}
