"""FID and KID of restored images against their ground truth (super-resolution, inpainting).

PSNR/SSIM reward the blurry mean of what a missing detail could be; FID and KID instead
compare the *distributions* of outputs and ground-truth images in a feature space, where
a sharp, plausible texture scores better than a blur (SRGAN, Ledig et al. 2017, make the
same point with opinion scores). Both sets are the same images' restorations and
originals, so the numbers rank methods on one test split; with fewer images than feature
dimensions FID is strongly biased upwards (compare only at the same image count), while
KID is unbiased.
"""

import numpy as np

from tfgan.metrics import extractors as extractors_lib
from tfgan.metrics.evaluation import iterate_batches
from tfgan.metrics.frechet import fid_from_features
from tfgan.metrics.kid import kernel_inception_distance


def output_distances(outputs, targets, extractor, batch_size=256, kid_subset_size=1000):
    """FID and KID (×10³) of each method's outputs against the ground truth.

    Args:
        outputs: `{name: images (n, h, w, c) in [-1, 1]}`, each the restoration of
            `targets` by one method.
        targets: the ground-truth images `(n, h, w, c)` in [-1, 1].
        extractor: a feature extractor or its name (`tfgan.metrics.extractors.get`:
            e.g. `"cifar10"` for the shipped CIFAR-10 classifier's features, any Keras
            model); it resizes images to what it needs.
        batch_size: images per extractor call.
        kid_subset_size: KID's subset size, capped by `n` (default 1000, StyleGAN2-ADA's).

    Returns:
        `{"extractor": name, "images": n, "results": {name: {"fid": value, "kid_x1e3":
        value}}}`.
    """
    extractor = extractors_lib.get(extractor)
    targets = np.asarray(targets, "float32")

    def features(images):
        return np.concatenate([extractor(batch) for batch in iterate_batches(images, batch_size)])

    real = features(targets)
    if len(real) < 2:
        raise ValueError(f"FID and KID need at least 2 images. Received: {len(real)}")
    results = {}
    for name, images in outputs.items():
        images = np.asarray(images, "float32")
        if images.shape != targets.shape:
            raise ValueError(f"Outputs {name!r} must have the ground truth's shape "
                             f"{targets.shape}. Received: {images.shape}")
        fake = features(images)
        kid, _ = kernel_inception_distance(fake, real, subset_size=kid_subset_size)
        results[name] = {"fid": fid_from_features(fake, real), "kid_x1e3": 1e3 * kid}
    return {"extractor": extractor.name, "images": len(real), "results": results}
