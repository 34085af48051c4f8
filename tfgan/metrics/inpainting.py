"""Inpainting quality on the hole, and the classical baselines it is reported beside.

`hole_metrics` measures PSNR and SSIM (`tfgan.metrics.restoration`, i.e. `tf.image.psnr` /
`tf.image.ssim`) on each hole's bounding box, grown to SSIM's 11x11 window where smaller.
For a central square or a single rectangle of at least 11x11 the box is exactly the hole.
For several rectangles or free-form strokes the box also holds known pixels (between the
rectangles or strokes), which every method reproduces exactly (it composites them back),
so the numbers are higher than on the hole alone: they rank methods on the same masks but
are not comparable with numbers measured on other mask kinds.

Baselines: `mean_fill` (the hole painted with the known pixels' mean colour) and `telea`
(OpenCV's fast-marching inpainting, Telea 2004; the `[restoration]` extra).
"""

import numpy as np

from tfgan.datasets.masks import hole_boxes
from tfgan.metrics import restoration
from tfgan.metrics.output_distances import output_distances
from tfgan.utils.images import to_uint8

TELEA_RADIUS = 3  # OpenCV's example value: the neighbourhood each pixel is filled from


def _arrays(images, masks):
    images, masks = np.asarray(images, dtype="float32"), np.asarray(masks, dtype="float32")
    if images.ndim != 4 or masks.shape != images.shape[:-1] + (1,):
        raise ValueError("`images` must be (n, h, w, c) and `masks` (n, h, w, 1). Received: "
                         f"images.shape={images.shape}, masks.shape={masks.shape}")
    return images, masks > 0.5


def mean_fill(images, masks):
    """Fills each hole with the mean colour of the image's known pixels.

    Args:
        images: `(n, h, w, c)` in [-1, 1] (the hole's pixels are ignored).
        masks: `(n, h, w, 1)`, 1 on the hole.

    Returns:
        float32 `(n, h, w, c)`: `images` outside the holes, the mean colour inside (0 for
        an image that is all hole).
    """
    images, hole = _arrays(images, masks)
    known = ~hole
    counts = np.maximum(known.sum(axis=(1, 2)), 1)
    means = (images * known).sum(axis=(1, 2)) / counts
    return np.where(hole, means[:, None, None, :], images).astype("float32")


def telea(images, masks, radius=TELEA_RADIUS):
    """Fills each hole with OpenCV's `INPAINT_TELEA` (Telea 2004, fast marching).

    Needs `opencv-python-headless`: `pip install "tfgan[restoration]"`. OpenCV works on
    uint8, so the known pixels are rounded to uint8 and back, then put back exactly.

    Args:
        images: `(n, h, w, 1 or 3)` in [-1, 1].
        masks: `(n, h, w, 1)`, 1 on the hole.
        radius: the neighbourhood radius in pixels. Default 3.

    Returns:
        float32 `(n, h, w, c)` in [-1, 1], `images` outside the holes.
    """
    try:
        import cv2
    except ImportError:
        raise ImportError('The Telea baseline needs OpenCV: pip install "tfgan[restoration]" '
                          "(it installs opencv-python-headless).") from None
    images, hole = _arrays(images, masks)
    filled = []
    for image, mask in zip(to_uint8(images), hole.astype("uint8")):
        result = cv2.inpaint(image, mask[..., 0], float(radius), cv2.INPAINT_TELEA)
        filled.append(result.reshape(image.shape))
    filled = np.stack(filled).astype("float32") / 127.5 - 1.0
    return np.where(hole, filled, images).astype("float32")


BASELINES = {"mean_fill": mean_fill, "telea": telea}


def hole_metrics(outputs, targets, masks, channel="rgb"):
    """PSNR and SSIM of each completion on its hole's bounding box (see the module doc).

    Args:
        outputs: completed images `(n, h, w, c)` in [-1, 1].
        targets: the ground truth, same shape.
        masks: `(n, h, w, 1)`, 1 on the hole.
        channel: `"rgb"` or `"y"` (BT.601 luma), as `tfgan.metrics.restoration`.

    Returns:
        `{"psnr": (n,) float64 in dB, "ssim": (n,) float64}`.
    """
    outputs, hole = _arrays(outputs, masks)
    targets = np.asarray(targets, dtype="float32")
    if targets.shape != outputs.shape:
        raise ValueError("`outputs` and `targets` must have the same shape. Received: "
                         f"{outputs.shape} and {targets.shape}")
    boxes = hole_boxes(hole, min_size=restoration.SSIM_FILTER_SIZE)
    results = {"psnr": np.zeros(len(boxes)), "ssim": np.zeros(len(boxes))}
    sides = boxes[:, 2:] - boxes[:, :2]
    for shape in np.unique(sides, axis=0):  # one batched call per box size
        rows = np.flatnonzero((sides == shape).all(axis=1))

        def crops(images):
            return np.stack([images[i, t:b, l:r] for i, (t, l, b, r) in zip(rows, boxes[rows])])

        results["psnr"][rows] = restoration.psnr(crops(outputs), crops(targets), channel)
        results["ssim"][rows] = restoration.ssim(crops(outputs), crops(targets), channel)
    return results


def compare_on_holes(targets, masks, methods, channel="rgb", extractor=None):
    """Mean hole PSNR/SSIM of several inpainting methods on the same images and masks.

    Args:
        targets: ground-truth images `(n, h, w, c)` in [-1, 1].
        masks: `(n, h, w, 1)`, 1 on the hole.
        methods: `{name: fill}` with `fill(images, masks) -> completed images`, e.g.
            `BASELINES` and `{"gan": model.inpaint}`.
        channel: `"rgb"` or `"y"`.
        extractor: optionally a feature extractor or its name: each method's completed
            images also get FID and KID (×10³) against the ground truth in its feature
            space (`tfgan.metrics.output_distances`; whole images, not the hole).

    Returns:
        `{name: {"psnr": mean dB, "ssim": mean[, "fid", "kid_x1e3"]}}` over the `n`
        images.
    """
    report, completed = {}, {}
    for name, fill in methods.items():
        completed[name] = fill(targets, masks)
        scores = hole_metrics(completed[name], targets, masks, channel)
        report[name] = {metric: float(np.mean(values)) for metric, values in scores.items()}
    if extractor is not None:
        for name, values in output_distances(completed, targets, extractor)["results"].items():
            report[name].update(values)
    return report
