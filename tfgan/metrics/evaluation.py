"""Streaming evaluation: image batches → features → FID / KID / IS / precision-recall.

Every number comes back with its protocol (sample count, reference set, extractor, seed),
because GAN metrics are only comparable under one protocol.
"""

import time

import keras
import numpy as np
import tensorflow as tf

from tfgan.metrics import extractors as extractors_lib
from tfgan.metrics.frechet import fid_from_statistics
from tfgan.metrics.inception_score import inception_score
from tfgan.metrics.kid import kernel_inception_distance
from tfgan.metrics.precision_recall import precision_recall
from tfgan.metrics.statistics import FeatureStatistics
from tfgan.utils.validation import check_positive_int

METRICS = ("fid", "kid", "is", "pr")


def iterate_batches(images, batch_size=256):
    """Yields numpy image batches from an array, a `tf.data.Dataset` or an iterable.

    A dataset may yield images or `(images, labels)` tuples (labels are dropped).
    """
    if isinstance(images, np.ndarray) or tf.is_tensor(images):
        images = np.asarray(images)
        for start in range(0, len(images), batch_size):
            yield images[start:start + batch_size]
        return
    for batch in images:
        if isinstance(batch, (tuple, list)):
            batch = batch[0]
        yield np.asarray(batch)


def _latent_dim(generator):
    inputs = getattr(generator, "inputs", None) or []
    if len(inputs) != 1:
        names = [getattr(t, "name", "?") for t in inputs]
        raise ValueError(
            "A bare generator is evaluated from latents alone, but this one takes "
            f"{len(inputs)} inputs {names} (a conditional generator needs labels): evaluate "
            "the tfgan model that trained it (`gan.keras` of `tfgan train`), which draws "
            f"them. Received: generator {generator.name!r}")
    shape = inputs[0].shape
    return int(shape[-1])


def generated_batches(model, num_samples, seed=0, batch_size=256, inputs=None):
    """Yields `num_samples` generated images in batches, from fixed latents.

    Args:
        model: a tfgan model (its sampling network is used: the EMA generator when there
            is one) or a generator `keras.Model` mapping standard-normal latents to images.
        num_samples: total number of images.
        seed: seed of the latents (the same seed gives the same images).
        batch_size: images per batch.
        inputs: for image-to-image models, the held-out input images whose translations
            are yielded (the first `num_samples`).
    """
    num_samples = check_positive_int("num_samples", num_samples)
    if inputs is not None:
        if not hasattr(model, "sample"):
            raise TypeError("`inputs` needs a tfgan model with `sample`. "
                            f"Received: model={model!r}")
        inputs = np.asarray(inputs, dtype="float32")[:num_samples]
        for start in range(0, len(inputs), batch_size):
            batch = inputs[start:start + batch_size]
            yield model.sample(len(batch), seed=seed, inputs=batch)
        return
    if hasattr(model, "generate") and hasattr(model, "sample_latents"):
        latents = model.sample_latents(num_samples, seed)
        for start in range(0, num_samples, batch_size):
            yield model.generate(latents=latents[start:start + batch_size],
                                 batch_size=batch_size)
        return
    if not isinstance(model, keras.Model):
        raise TypeError(f"`model` must be a tfgan GAN or a generator keras.Model. "
                        f"Received: model={model!r}")
    from tfgan.utils.seeds import stateless_latents

    latents = stateless_latents(num_samples, _latent_dim(model), seed).numpy()
    for start in range(0, num_samples, batch_size):
        yield np.asarray(model(latents[start:start + batch_size], training=False),
                         dtype="float32")


def extract(batches, extractor, keep_features=0, probabilities=None, metadata=None):
    """Streams image batches through an extractor into float64 statistics.

    Args:
        batches: an iterable of image batches (see `iterate_batches`).
        extractor: a `FeatureExtractor` (or anything `extractors.get` accepts).
        keep_features: also keep the first `keep_features` feature rows (for KID and
            precision/recall, which need samples); 0 keeps none.
        probabilities: an optional second extractor whose outputs (class probabilities,
            for the Inception Score) are all kept.
        metadata: dict stored in the statistics.

    Returns:
        `(stats, features, probs)`: a `FeatureStatistics`, the kept features (or None) and
        the kept probabilities (or None).
    """
    extractor = extractors_lib.get(extractor)
    stats = FeatureStatistics(metadata=metadata)
    kept, probs, num_kept = [], [], 0
    for batch in batches:
        features = extractor(batch)
        stats.update(features)
        if num_kept < keep_features:
            kept.append(features[:keep_features - num_kept])
            num_kept += len(kept[-1])
        if probabilities is not None:
            probs.append(probabilities(batch))
    features = np.concatenate(kept) if kept else None
    return stats, features, (np.concatenate(probs) if probs else None)


def metric_name(metric, num_samples, protocol=None):
    """Protocol-carrying name, e.g. `fid10k`, `kid50k`, `is5000` (StyleGAN2-ADA style).

    Args:
        metric: `"fid"`, `"kid"`, `"is"` or `"pr"`.
        num_samples: the generated sample count (`10000` → `10k`).
        protocol: the extractor's image protocol, appended when given: `"clean"` →
            `fid10k_clean`, `"legacy_tf"` → `fid10k_legacy_tf` (`FIDInceptionExtractor`).
    """
    count = f"{num_samples // 1000}k" if num_samples % 1000 == 0 else str(num_samples)
    return f"{metric}{count}" + (f"_{protocol}" if protocol else "")


def _image_protocol(extractor):
    """The image protocol (quantize + resize) an extractor declares, or None."""
    return getattr(extractor, "protocol", None)


def evaluate_generator(model, reference_stats=None, reference_features=None,
                       metrics=("fid",), num_samples=10000, extractor="inception",
                       classifier=None, seed=0, batch_size=256, kid_subsets=100,
                       kid_subset_size=1000, pr_k=3, pr_samples=10000, is_splits=10,
                       inputs=None):
    """Evaluates a generator against reference statistics, streaming its samples.

    Args:
        model: a tfgan model (its sampling network, i.e. the EMA generator when present)
            or a generator `keras.Model`.
        reference_stats: `FeatureStatistics` of the real images (needed for `"fid"`); its
            `metadata` describes the reference set in the protocol.
        reference_features: real feature rows (needed for `"kid"` and `"pr"`).
        metrics: any of `"fid"`, `"kid"`, `"is"`, `"pr"`.
        num_samples: generated images (FID is biased upwards for small counts: compare
            only equal counts; 50,000 is the usual protocol).
        extractor: feature extractor (`FeatureExtractor`, Keras model, or a name).
        classifier: probability extractor for `"is"` (e.g. `"inception_probabilities"`,
            `"mnist_probabilities"`).
        seed: seed of the generated latents.
        batch_size: images per generator call.
        kid_subsets, kid_subset_size: KID's subsets (Bińkowski et al. 2018).
        pr_k: neighbourhood size of precision/recall (3, Kynkäänniemi et al. 2019).
        pr_samples: generated feature rows kept for KID and precision/recall.
        is_splits: Inception Score splits (10, Salimans et al. 2016).
        inputs: for image-to-image models, held-out input images; their translations
            (at most `num_samples`) are evaluated.

    Returns:
        A dict `{metric: record}`; each record has `name` (e.g. `fid10k`, or
        `fid10k_clean` with an extractor that declares an image `protocol`), `value`,
        extra values (`std`, `precision`, `recall`) and `protocol` (num_samples, seed,
        extractor, reference, classifier, `image_protocol` where declared, and the
        metric's parameters), plus `seconds`.
    """
    metrics = tuple(m.strip().lower() for m in metrics)
    unknown = [m for m in metrics if m not in METRICS]
    if unknown or not metrics:
        raise ValueError(f"`metrics` must be a non-empty subset of {METRICS}. "
                         f"Received: metrics={metrics}")
    if "fid" in metrics and reference_stats is None:
        raise ValueError("FID needs `reference_stats`. Received: reference_stats=None")
    if {"kid", "pr"} & set(metrics) and reference_features is None:
        raise ValueError("KID and precision/recall need `reference_features`. "
                         "Received: reference_features=None")
    if "is" in metrics and classifier is None:
        raise ValueError("The Inception Score needs a `classifier` (class probabilities), "
                         "e.g. 'inception_probabilities' or 'mnist_probabilities'. "
                         "Received: classifier=None")
    needs_features = {"fid", "kid", "pr"} & set(metrics)
    extractor = extractors_lib.get(extractor) if needs_features else None
    classifier = extractors_lib.get(classifier) if "is" in metrics else None
    start = time.perf_counter()
    if inputs is not None:
        num_samples = min(int(num_samples), len(inputs))
    batches = generated_batches(model, num_samples, seed=seed, batch_size=batch_size,
                                inputs=inputs)
    keep = pr_samples if {"kid", "pr"} & set(metrics) else 0
    if extractor is None:
        probs = np.concatenate([classifier(b) for b in batches])
        stats = features = None
    else:
        stats, features, probs = extract(batches, extractor, keep_features=keep,
                                         probabilities=classifier)
    reference = dict(reference_stats.metadata, count=reference_stats.count) \
        if reference_stats is not None else None
    base = {"num_samples": int(num_samples), "seed": int(seed),
            "extractor": extractor.name if extractor is not None else None,
            "reference": reference}
    if _image_protocol(extractor):
        base["image_protocol"] = _image_protocol(extractor)
    results = {}
    if "fid" in metrics:
        results["fid"] = {"value": fid_from_statistics(stats, reference_stats),
                          "protocol": dict(base)}
    if "kid" in metrics:
        mean, std = kernel_inception_distance(features, reference_features, kid_subsets,
                                              kid_subset_size, seed=seed)
        results["kid"] = {"value": mean, "std": std, "protocol": dict(
            base, num_features=len(features), num_reference_features=len(reference_features),
            subsets=kid_subsets, subset_size=kid_subset_size)}
    if "is" in metrics:
        mean, std = inception_score(probs, splits=is_splits)
        results["is"] = {"value": mean, "std": std, "protocol": dict(
            base, extractor=None, classifier=classifier.name, splits=is_splits,
            reference=None)}
        results["is"]["protocol"].pop("image_protocol", None)
        if _image_protocol(classifier):
            results["is"]["protocol"]["image_protocol"] = _image_protocol(classifier)
    if "pr" in metrics:
        precision, recall = precision_recall(reference_features, features, k=pr_k)
        results["pr"] = {"value": precision, "precision": precision, "recall": recall,
                         "protocol": dict(base, k=pr_k, num_features=len(features),
                                          num_reference_features=len(reference_features))}
    seconds = time.perf_counter() - start
    for metric, record in results.items():
        record["name"] = metric_name(metric, int(num_samples),
                                     record["protocol"].get("image_protocol"))
        record["seconds"] = seconds
    return results
