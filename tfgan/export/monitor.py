"""Deployment monitoring: reference statistics an export records of its own outputs, and
the checks of a deployed generator (or of images a service produced) against them.

At export, `write_reference` samples the generator `num_samples` times (latents from
`numpy.random.default_rng(0)`, labels cycling through the classes; image-to-image
generators translate the first half of `monitor_inputs`) and stores in
`monitor_reference.npz`: the float64 feature mean and scatter of the export's extractor,
up to 1,000 feature rows (for KID) and the mean class probabilities of its classifier.
Pixel range, saturation and NaN rates and a self-check go into the `monitor` block of
`metadata.json`. The self-check compares the export with itself: a second sample (seed 1,
or the second half of the inputs) against the reference, the spread a healthy generator
shows. Default thresholds are a multiple of that spread plus a floor (`thresholds`).

Extractors (named in the metadata, with the reason for the choice):

- 28x28x1 images: the shipped MNIST classifier's 128-d features, and its class
  probabilities for the class histogram.
- anything else: `pixels-HxW`, the images area-averaged to at most 16x16 and flattened.
  It has no weights, so it needs no download and runs in milliseconds on a CPU; it sees
  colour, layout and contrast, not semantics. Keras' InceptionV3 is too slow for a CPU
  check of 2,000 images; pass `monitor_extractor="inception"` (or any extractor) to
  `export_generator` to use it.
"""

import json
import math
import pathlib
import time

import numpy as np

from tfgan.export import runtime
from tfgan.utils.validation import check_non_negative
from tfgan.utils.validation import check_positive_int

REFERENCE_FILE = "monitor_reference.npz"
DEFAULT_NUM_SAMPLES = 2000
REFERENCE_SEED = 0
SELF_CHECK_SEED = 1
DEFAULT_SEED = 2
KID_FEATURES = 1000
KID_SUBSETS = 50
PIXEL_FEATURE_SIZE = 16
CLASS_KL_EPSILON = 1e-3
# Default thresholds: MULTIPLE × (the export's self-check, scaled to the sample count) + floor.
THRESHOLD_MULTIPLE = 3.0
FID_FLOOR_FRACTION = 0.01  # of the trace of the reference covariance
CLASS_KL_FLOOR = 0.05  # nats
SATURATION_FLOOR = 0.02  # absolute change of a rate
MAX_NAN_RATE = 0.0
# A pixel counts as saturated when it rounds to 0 or 255 in the uint8 signature.
SATURATION_LEVEL = 1.0 - 1.0 / 255.0
FLOAT_RANGE_TOLERANCE = 1e-3


class MonitorError(ValueError):
    """An export cannot be monitored: no reference, or a mismatched extractor or input."""


def pixel_extractor(image_shape, size=PIXEL_FEATURE_SIZE):
    """The weight-free fallback extractor: images area-averaged to at most `size` x `size`.

    Args:
        image_shape: `(height, width, channels)` of the images.
        size: largest side of the averaged image. Default 16.

    Returns:
        A `tfgan.metrics.FeatureExtractor` named `pixels-HxW` whose features are the
        `H·W·channels` averaged pixel values in [-1, 1].
    """
    import tensorflow as tf

    from tfgan.metrics import FeatureExtractor

    height, width = min(size, int(image_shape[0])), min(size, int(image_shape[1]))

    def average(images):
        return tf.image.resize(images, (height, width), method="area")

    return FeatureExtractor(average, name=f"pixels-{height}x{width}", batch_size=256)


def default_extractors(image_shape):
    """The export's default feature extractor and classifier, and why they were chosen.

    Args:
        image_shape: `(height, width, channels)` of the generated images.

    Returns:
        `(extractor, classifier_or_None, reason)`.
    """
    from tfgan import metrics

    if tuple(image_shape) == (28, 28, 1):
        return (metrics.mnist_features(), metrics.mnist_probabilities(),
                "28x28x1 images: the shipped MNIST classifier (128-d features, class "
                "probabilities)")
    return (pixel_extractor(image_shape), None,
            f"{tuple(image_shape)} images: weight-free area-averaged pixels (no classifier; "
            "pass monitor_extractor= for semantic features)")


def resolve_extractor(name, image_shape):
    """Rebuilds an extractor the reference names, or `None` when tfgan cannot by name."""
    from tfgan import metrics

    pixels = pixel_extractor(image_shape)
    if name == pixels.name:
        return pixels
    known = {"mnist_classifier-features": metrics.mnist_features,
             "mnist_classifier-probabilities": metrics.mnist_probabilities,
             "keras_inception_v3-imagenet-features":
                 lambda: metrics.InceptionV3Extractor("features"),
             "keras_inception_v3-imagenet-probabilities":
                 lambda: metrics.InceptionV3Extractor("probabilities")}
    return known[name]() if name in known else None


def feeds_for(kind, num_samples, seed, latent_dim=None, num_classes=None):
    """The fixed inputs of a noise generator: normal latents and cycling labels.

    Latents are `numpy.random.default_rng(seed).standard_normal((n, latent_dim))`, the same
    as `ExportedGenerator.latents`; labels are `arange(n) % num_classes`; a style-based
    generator (`kind="style"`) samples untruncated (`truncation_psi = 1`).

    Returns:
        `{"z": ...}`, `{"z": ..., "label": ...}` or `{"z": ..., "truncation_psi": ...}` as
        numpy arrays.
    """
    z = np.random.default_rng(seed).standard_normal((num_samples, latent_dim)).astype(
        "float32")
    if kind == "conditional":
        return {"z": z, "label": (np.arange(num_samples) % num_classes).astype("int32")}
    if kind == "style":
        return {"z": z, "truncation_psi": np.ones((num_samples,), "float32")}
    return {"z": z}


def _batches(feeds, batch_size):
    count = len(next(iter(feeds.values())))
    for start in range(0, count, batch_size):
        yield {name: value[start:start + batch_size] for name, value in feeds.items()}


def summarize(batches, extractor, classifier=None, keep_features=KID_FEATURES):
    """Streams image batches into the statistics a monitor compares.

    Images with a NaN or Inf pixel count in `nan_rate` and are left out of the features
    and class probabilities (which they would turn into NaN).

    Args:
        batches: an iterable of float image batches in [-1, 1].
        extractor: a `tfgan.metrics.FeatureExtractor`.
        classifier: an optional class-probability extractor.
        keep_features: feature rows kept for KID.

    Returns:
        A dict: `stats` (`FeatureStatistics` or None when no image is finite), `features`,
        `class_histogram` (mean class probabilities or None), `count`, `nan_rate`
        (fraction of non-finite pixels), `nan_images`, `saturation_low`,
        `saturation_high` (fractions of pixels at the ends of the range), `pixel_min`,
        `pixel_max`, `pixel_mean`, `pixel_std` (over finite pixels).
    """
    from tfgan.metrics import FeatureStatistics

    stats = FeatureStatistics(metadata={"extractor": extractor.name})
    kept, probabilities = [], None
    count = nan_images = pixels = non_finite = low = high = finite_pixels = 0
    total = total_sq = 0.0
    pixel_min, pixel_max = math.inf, -math.inf
    for batch in batches:
        batch = np.asarray(batch, dtype="float32")
        finite = np.isfinite(batch)
        count += len(batch)
        pixels += batch.size
        non_finite += int(batch.size - np.count_nonzero(finite))
        values = batch[finite].astype("float64")
        finite_pixels += values.size
        low += int(np.count_nonzero(values <= -SATURATION_LEVEL))
        high += int(np.count_nonzero(values >= SATURATION_LEVEL))
        if values.size:
            total += float(values.sum())
            total_sq += float((values ** 2).sum())
            pixel_min, pixel_max = min(pixel_min, values.min()), max(pixel_max, values.max())
        whole = finite.reshape(len(batch), -1).all(axis=1)
        nan_images += int(len(batch) - np.count_nonzero(whole))
        good = batch[whole]
        if not len(good):
            continue
        features = extractor(good)
        stats.update(features)
        if sum(len(k) for k in kept) < keep_features:
            kept.append(features[:keep_features - sum(len(k) for k in kept)])
        if classifier is not None:
            summed = classifier(good).astype("float64").sum(axis=0)
            probabilities = summed if probabilities is None else probabilities + summed
    finite_count = count - nan_images
    mean = total / finite_pixels if finite_pixels else math.nan
    return {
        "stats": stats if finite_count >= 2 else None,
        "features": np.concatenate(kept) if kept else None,
        "class_histogram": (probabilities / finite_count
                            if probabilities is not None and finite_count else None),
        "count": count,
        "nan_rate": non_finite / pixels if pixels else 0.0,
        "nan_images": nan_images,
        "saturation_low": low / pixels if pixels else 0.0,
        "saturation_high": high / pixels if pixels else 0.0,
        "pixel_min": float(pixel_min) if finite_pixels else None,
        "pixel_max": float(pixel_max) if finite_pixels else None,
        "pixel_mean": mean,
        "pixel_std": math.sqrt(max(total_sq / finite_pixels - mean ** 2, 0.0))
        if finite_pixels else None,
    }


def class_kl(reference, observed, epsilon=CLASS_KL_EPSILON):
    """KL(reference ‖ observed) in nats between two class histograms.

    Both are mixed with a uniform histogram (weight `epsilon`) so that a class the
    observed images never show gives a large, finite value. The direction penalizes
    missing classes (mode collapse) more than new ones.
    """
    p = np.asarray(reference, dtype="float64")
    q = np.asarray(observed, dtype="float64")
    p = (1 - epsilon) * p / p.sum() + epsilon / len(p)
    q = (1 - epsilon) * q / q.sum() + epsilon / len(q)
    return float(np.sum(p * np.log(p / q)))


def compare(summary, reference_stats, reference_features, reference_histogram, seed=0):
    """FID, KID and class KL of a `summarize` result against reference statistics.

    Returns:
        `{"fid", "kid", "kid_std", "class_kl"}`; a value that cannot be computed is None.
    """
    from tfgan import metrics

    result = {"fid": None, "kid": None, "kid_std": None, "class_kl": None}
    if summary["stats"] is not None:
        result["fid"] = metrics.fid_from_statistics(summary["stats"], reference_stats)
        result["kid"], result["kid_std"] = metrics.kernel_inception_distance(
            summary["features"], reference_features, num_subsets=KID_SUBSETS,
            subset_size=KID_FEATURES // 2, seed=seed)
    if reference_histogram is not None and summary["class_histogram"] is not None:
        result["class_kl"] = class_kl(reference_histogram, summary["class_histogram"])
    return result


PIXEL_KEYS = ("nan_rate", "saturation_low", "saturation_high", "pixel_min", "pixel_max",
              "pixel_mean", "pixel_std")


def write_reference(run, kind, directory, image_shape, latent_dim=None, num_classes=None,
                    num_samples=DEFAULT_NUM_SAMPLES, extractor=None, classifier=None,
                    inputs=None, batch_size=250):
    """Samples a generator and writes its monitoring reference into an export folder.

    Args:
        run: a function of the named serving inputs (`z`, `label`, `image`) returning
            float images in [-1, 1].
        kind: `"latent"`, `"conditional"` or `"image"`.
        directory: the export folder (its staging copy); `monitor_reference.npz` goes there.
        image_shape: shape of one image.
        latent_dim: latent size (noise generators).
        num_classes: classes of a conditional generator (labels cycle through them).
        num_samples: images in the reference and in the self-check. Default 2,000.
        extractor: a feature extractor (anything `tfgan.metrics.get_extractor` takes);
            `None` chooses by image shape (`default_extractors`).
        classifier: a class-probability extractor, or `None` (the MNIST classifier for
            28x28x1 images when `extractor` is `None` too).
        inputs: input images in [-1, 1] of an image-to-image generator: the first half
            makes the reference, the second the self-check.
        batch_size: images per generator call.

    Returns:
        The `monitor` block of `metadata.json`.
    """
    from tfgan import metrics

    num_samples = check_positive_int("monitor_samples", num_samples, minimum=2)
    if extractor is None:
        extractor, default_classifier, reason = default_extractors(image_shape)
        classifier = classifier if classifier is not None else default_classifier
    else:
        extractor = metrics.get_extractor(extractor)
        reason = "passed as monitor_extractor"
    classifier = metrics.get_extractor(classifier) if classifier is not None else None
    if kind == "image":
        inputs = np.asarray(inputs, dtype="float32")
        half = min(num_samples, len(inputs) // 2)
        if half < 2:
            raise ValueError(f"`monitor_inputs` must hold at least 4 images (two halves of "
                             f"2). Received: monitor_inputs with {len(inputs)} images")
        sets = [{"image": inputs[:half]}, {"image": inputs[half:2 * half]}]
        source = f"translations of monitor_inputs[:{half}] (self-check: the next {half})"
        num_samples = half
    else:
        sets = [feeds_for(kind, num_samples, seed, latent_dim, num_classes)
                for seed in (REFERENCE_SEED, SELF_CHECK_SEED)]
        source = (f"latents numpy default_rng({REFERENCE_SEED}).standard_normal"
                  + (", labels arange(n) % num_classes" if kind == "conditional" else "")
                  + f" (self-check: seed {SELF_CHECK_SEED})")
    reference, self_check = (
        summarize((run(**feeds) for feeds in _batches(named, batch_size)), extractor,
                  classifier) for named in sets)
    if reference["stats"] is None:
        raise ValueError("The generator's reference samples are not finite (NaN or Inf in "
                         f"{reference['nan_images']} of {reference['count']} images): "
                         "nothing to monitor against. Received: generator output with NaN")
    self_values = compare(self_check, reference["stats"], reference["features"],
                          reference["class_histogram"])
    reference["stats"].save(
        pathlib.Path(directory) / REFERENCE_FILE, features=reference["features"],
        class_histogram=(reference["class_histogram"] if reference["class_histogram"]
                         is not None else np.zeros(0)))
    trace = float(np.trace(reference["stats"].covariance))
    return {
        "reference_file": REFERENCE_FILE,
        "num_samples": num_samples,
        "source": source,
        "extractor": {"name": extractor.name, "feature_dim": reference["stats"].feature_dim,
                      "choice": reason},
        "classifier": None if classifier is None else {"name": classifier.name},
        "reference": {key: reference[key] for key in PIXEL_KEYS},
        "self_check": {
            **self_values,
            "saturation_low_change": abs(self_check["saturation_low"]
                                         - reference["saturation_low"]),
            "saturation_high_change": abs(self_check["saturation_high"]
                                          - reference["saturation_high"]),
        },
        "thresholds": {
            "multiple": THRESHOLD_MULTIPLE,
            "fid_floor": FID_FLOOR_FRACTION * trace,
            "class_kl_floor": CLASS_KL_FLOOR,
            "saturation_floor": SATURATION_FLOOR,
            "max_nan_rate": MAX_NAN_RATE,
            "rule": "multiple x self_check x s(n) + floor; s(n) = N/2 (1/n + 1/N) for FID "
                    "and class KL (small-sample bias ~ 1/n), sqrt of it for rates; "
                    "fid_floor = 1% of the trace of the reference covariance",
        },
    }


def default_thresholds(block, num_samples):
    """The default thresholds for a check of `num_samples` images against `block`.

    A healthy generator's FID and class KL against its own reference come from finite
    samples only; their bias grows as 1/n (FID: Chong & Forsyth 2020). The self-check
    measured it at n = N (the reference size), so for n images the expected value is
    `self · s(n)` with `s(n) = N/2 · (1/n + 1/N)`. A saturation rate's noise scales as
    √s(n). Each threshold is `multiple · self · scale + floor`.

    Args:
        block: the `monitor` block of `metadata.json`.
        num_samples: images being checked.

    Returns:
        `{"fid", "class_kl", "saturation_low", "saturation_high", "nan_rate"}` (class KL
        None without a classifier).
    """
    n, big = int(num_samples), int(block["num_samples"])
    scale = big / 2 * (1 / n + 1 / big)
    spec, self_check = block["thresholds"], block["self_check"]
    multiple = spec["multiple"]

    def rule(value, floor, factor):
        return multiple * max(value, 0.0) * factor + floor

    return {
        "fid": rule(self_check["fid"], spec["fid_floor"], scale),
        "class_kl": None if self_check.get("class_kl") is None else rule(
            self_check["class_kl"], spec["class_kl_floor"], scale),
        "saturation_low": rule(self_check["saturation_low_change"],
                               spec["saturation_floor"], math.sqrt(scale)),
        "saturation_high": rule(self_check["saturation_high_change"],
                                spec["saturation_floor"], math.sqrt(scale)),
        "nan_rate": spec["max_nan_rate"],
    }


def load_reference(path):
    """The `monitor` block, reference statistics, features and class histogram of an export.

    The reference file's sha256 is checked against `metadata.json` first.

    Raises:
        MonitorError: if the export has no monitoring reference.
        ExportIntegrityError: if the reference file changed since export.
    """
    from tfgan.metrics import FeatureStatistics

    path = pathlib.Path(path)
    metadata_file = path / runtime.METADATA_FILE
    if not metadata_file.is_file():
        raise MonitorError(f"`model` must be a tfgan export directory (with "
                           f"{runtime.METADATA_FILE}). Received: model={str(path)!r}")
    metadata = json.loads(metadata_file.read_text())
    block = metadata.get("monitor")
    if not block or not block.get("reference_file"):
        reason = (block or {}).get("reason") or "it was exported before tfgan recorded one"
        raise MonitorError(
            f"The export has no monitoring reference ({reason}); re-export it with "
            f"`tfgan export GENERATOR.keras --out {path} --overwrite`. "
            f"Received: model={str(path)!r}")
    file = path / block["reference_file"]
    runtime.verify_files(metadata_file, metadata, file)
    stats = FeatureStatistics.load(file)
    with np.load(file) as data:
        features = data["features"]
        histogram = data["class_histogram"] if data["class_histogram"].size else None
    return metadata, block, stats, features, histogram


def read_images(path, image_shape):
    """Reads images a service produced: a folder of PNG/JPEG files or an `.npz`.

    An `.npz` must hold an `images` array `(n, h, w[, c])`, uint8 in [0, 255] or floats
    in [-1, 1] (NaN and Inf are kept: the monitor counts them). Image files are decoded
    to uint8 with the export's channel count.

    Args:
        path: the folder or `.npz` file.
        image_shape: the export's `(height, width, channels)`; every image must have it.

    Returns:
        `(images, description)`: float32 images in [-1, 1] and what was read, e.g.
        `"uint8 [0, 255] from 200 image files in 'out/'"`.
    """
    path = pathlib.Path(path)
    image_shape = tuple(int(d) for d in image_shape)
    if path.is_dir():
        from PIL import Image

        from tfgan.datasets.images import check_image_files
        from tfgan.datasets.images import list_image_files

        files = check_image_files(list_image_files(path))
        mode = "L" if image_shape[2] == 1 else "RGB"
        images = []
        for file in files:
            with Image.open(file) as image:
                array = np.asarray(image.convert(mode)).reshape(
                    image.height, image.width, image_shape[2])
            if array.shape != image_shape:
                raise ValueError(f"`images` must be {image_shape[1]}x{image_shape[0]} "
                                 f"pictures like the export's. Received: {str(file)!r} of "
                                 f"size {array.shape[1]}x{array.shape[0]}")
            images.append(array)
        where = f"{len(files)} image files in {str(path)!r}"
        images = np.stack(images)
    elif path.suffix == ".npz" and path.is_file():
        with np.load(path, allow_pickle=False) as data:
            if "images" not in data:
                raise ValueError(f"`images` .npz must hold an array named 'images'. "
                                 f"Received: arrays {sorted(data.files)} in {str(path)!r}")
            images = data["images"]
        where = repr(str(path))
    else:
        raise FileNotFoundError(f"`images` must be a folder of image files or an .npz "
                                f"file. Received: images={str(path)!r}")
    return check_images(images, image_shape, where)


def check_images(images, image_shape, where="array"):
    """Validates a batch of images and scales it to float32 [-1, 1].

    Args:
        images: `(n, h, w[, c])`, uint8 in [0, 255] or floats in [-1, 1] (NaN and Inf
            are kept).
        image_shape: the export's `(height, width, channels)`.
        where: where the images came from, for messages.

    Returns:
        `(images, description)`, e.g. `("...", "float [-1, 1] from 'out.npz'")`.
    """
    images = np.asarray(images)
    image_shape = tuple(int(d) for d in image_shape)
    if images.ndim == 3 and image_shape[2] == 1:
        images = images[..., None]
    if images.shape[1:] != image_shape or not len(images):
        raise ValueError(f"`images` must have shape (n, {', '.join(map(str, image_shape))}), "
                         f"like the export's images. Received: images.shape={images.shape} "
                         f"from {where}")
    if images.dtype == np.uint8:
        return images.astype("float32") / 127.5 - 1.0, f"uint8 [0, 255] from {where}"
    if not np.issubdtype(images.dtype, np.floating):
        raise TypeError(f"`images` must be uint8 in [0, 255] or floats in [-1, 1]. "
                        f"Received: dtype={images.dtype} from {where}")
    finite = images[np.isfinite(images)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    if low < -1 - FLOAT_RANGE_TOLERANCE or high > 1 + FLOAT_RANGE_TOLERANCE:
        raise ValueError(f"Float `images` must be in [-1, 1] (or pass uint8 in [0, 255]). "
                         f"Received: float images with values in [{low:.4g}, {high:.4g}] "
                         f"from {where}")
    return images.astype("float32"), f"float [-1, 1] from {where}"


def _timed(generator, batches):
    """Runs `generator` on each feed batch; yields images, appends ms/image to a list."""
    latencies = []

    def run():
        for feeds in batches:
            start = time.perf_counter()
            images = generator(**feeds)
            latencies.append(1000 * (time.perf_counter() - start) / len(images))
            yield images

    return run(), latencies


def monitor_export(path, images=None, inputs=None, num_samples=None, seed=DEFAULT_SEED,
                   batch_size=250, backend=None, extractor=None, classifier=None,
                   thresholds=None):
    """Checks a deployed generator (or images it produced) against its export's reference.

    Samples the export (latents from `numpy.random.default_rng(seed)`, labels cycling
    through the classes; an image-to-image export translates `inputs`), or reads `images`
    a service produced, and computes FID and KID against the reference features, the KL
    divergence of the class histogram, NaN and saturation rates and, when sampling,
    latency in ms per image (p50 / p95 over batches, after one warm-up call).

    Args:
        path: the export directory (with `monitor_reference.npz`).
        images: images to check instead of sampling: an array (uint8 or float in
            [-1, 1]), a folder of image files or an `.npz` with `images`.
        inputs: input images (array, folder or `.npz`) an image-to-image export translates.
        num_samples: images to generate (default: the reference's count); with `images`
            or `inputs`, the first `num_samples` of them (default all).
        seed: latent seed. Default 2 (the reference used 0, its self-check 1).
        batch_size: images per generator call.
        backend: `"savedmodel"`, `"onnx"` or `"keras"` (default: as `load_generator`).
        extractor, classifier: extractors for references tfgan cannot rebuild by name;
            their names must match the ones the reference records.
        thresholds: dict overriding default thresholds (`fid`, `kid`, `class_kl`,
            `saturation_low`, `saturation_high`, `nan_rate`, `latency_ms_p95`); `kid` and
            `latency_ms_p95` have no default (reported, not checked).

    Returns:
        A JSON-serializable report: `model`, `content_hash`, `source`, `num_samples`,
        `seed`, `extractor`, `values`, `checks` (each `name`, `value`, `threshold`,
        `passed`), `failed` (names) and `passed`.

    Raises:
        MonitorError: if the export has no reference, needs `inputs`, or the extractor
            does not match.
    """
    from tfgan.export.runtime import load_generator

    metadata, block, ref_stats, ref_features, ref_histogram = load_reference(path)
    image_shape = tuple(metadata["image_shape"])
    batch_size = check_positive_int("batch_size", batch_size)
    extractor = _matching(extractor, block["extractor"]["name"], "extractor", image_shape)
    classifier = None if block.get("classifier") is None else _matching(
        classifier, block["classifier"]["name"], "classifier", image_shape)
    latencies = None
    if images is not None:
        if isinstance(images, (str, pathlib.Path)):
            images, description = read_images(images, image_shape)
        else:
            images, description = check_images(images, image_shape)
        count = len(images) if num_samples is None else min(
            check_positive_int("num_samples", num_samples), len(images))
        images = images[:count]
        batches = (images[s:s + batch_size] for s in range(0, count, batch_size))
        source = f"images: {description}"
    else:
        if backend is None and not any(
                (pathlib.Path(path) / name).exists()
                for name in (runtime.SAVED_MODEL_DIR, runtime.ONNX_FILE)):
            backend = "keras"  # an export of the Keras format only
        generator = load_generator(path, backend=backend)
        if generator.kind == "image":
            if inputs is None:
                raise MonitorError(
                    "An image-to-image export has no latents to sample: pass `inputs` "
                    "(images to translate; CLI --inputs) or `images` (its outputs; CLI "
                    "--images). Received: inputs=None, images=None")
            if isinstance(inputs, (str, pathlib.Path)):
                inputs, _ = read_images(inputs, generator.inputs["image"][0][1:])
            count = len(inputs) if num_samples is None else min(
                check_positive_int("num_samples", num_samples), len(inputs))
            feeds = {"image": np.asarray(inputs, "float32")[:count]}
            source = f"translations of {count} inputs ({generator.backend})"
        else:
            if inputs is not None:
                raise MonitorError("`inputs` is for image-to-image exports; this one takes "
                                   "latents. Received: inputs=<images>")
            count = check_positive_int(
                "num_samples", block["num_samples"] if num_samples is None else num_samples)
            feeds = feeds_for(generator.kind, count, int(seed), generator.latent_dim,
                              generator.num_classes)
            source = f"samples ({generator.backend}, seed {int(seed)})"
        generator(**{name: value[:1] for name, value in feeds.items()})  # warm-up
        batches, latencies = _timed(generator, _batches(feeds, batch_size))
    summary = summarize(batches, extractor, classifier)
    values = compare(summary, ref_stats, ref_features, ref_histogram, seed=int(seed))
    values.update({key: summary[key] for key in PIXEL_KEYS})
    values["nan_images"] = summary["nan_images"]
    if latencies:
        values["latency_ms_p50"] = float(np.percentile(latencies, 50))
        values["latency_ms_p95"] = float(np.percentile(latencies, 95))
    limits = default_thresholds(block, summary["count"])
    for name, value in (thresholds or {}).items():
        if name not in CHECKS:
            raise ValueError(f"`thresholds` keys must be among {CHECKS}. "
                             f"Received: thresholds={thresholds}")
        limits[name] = None if value is None else check_non_negative(name, value)
    checks = _checks(values, block["reference"], limits)
    failed = [c["name"] for c in checks if not c["passed"]]
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "model": str(path),
        "content_hash": metadata.get("content_hash"),
        "source": source,
        "num_samples": summary["count"],
        "seed": int(seed) if images is None else None,
        "extractor": extractor.name,
        "classifier": None if classifier is None else classifier.name,
        "reference_samples": block["num_samples"],
        "values": values,
        "checks": checks,
        "failed": failed,
        "passed": not failed,
    }


CHECKS = ("fid", "kid", "class_kl", "saturation_low", "saturation_high", "nan_rate",
          "latency_ms_p95")


def _checks(values, reference, limits):
    """One record per check with a threshold: the value, the limit and whether it holds."""
    checks = []
    for name in CHECKS:
        limit = limits.get(name)
        if limit is None or (name in ("class_kl", "latency_ms_p95") and values.get(name)
                             is None):
            continue
        value = values.get(name)
        if name.startswith("saturation"):
            value, what = abs(values[name] - reference[name]), "change of the rate"
        else:
            what = {"nan_rate": "fraction of NaN/Inf pixels",
                    "latency_ms_p95": "ms per image, p95"}.get(name, "vs the reference")
        passed = value is not None and value <= limit
        checks.append({"name": name, "value": value, "threshold": limit, "passed": passed,
                       "measures": what})
    return checks


def _matching(given, name, argument, image_shape):
    """The extractor of the reference: rebuilt by name, or `given` if its name matches."""
    from tfgan import metrics

    if given is None:
        extractor = resolve_extractor(name, image_shape)
        if extractor is None:
            raise MonitorError(
                f"The reference was made with the {argument} {name!r}, which tfgan cannot "
                f"rebuild by name: pass the same one (Python: "
                f"tfgan.export.monitor_export(path, {argument}=...)). "
                f"Received: {argument}=None")
        return extractor
    extractor = metrics.get_extractor(given)
    if extractor.name != name:
        raise MonitorError(f"`{argument}` must be the one the reference was made with, "
                           f"{name!r}. Received: {argument}={extractor.name!r}")
    return extractor

