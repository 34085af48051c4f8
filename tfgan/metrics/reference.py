"""Reference statistics of a dataset split, computed once and cached on disk."""

import json
import os
import pathlib
import re

import numpy as np

from tfgan.metrics import extractors as extractors_lib
from tfgan.metrics.evaluation import extract
from tfgan.metrics.evaluation import iterate_batches
from tfgan.metrics.statistics import FeatureStatistics


def default_cache_dir():
    """`$TFGAN_CACHE_DIR/reference`, else `~/.cache/tfgan/reference`."""
    root = os.environ.get("TFGAN_CACHE_DIR", os.path.join("~", ".cache", "tfgan"))
    return pathlib.Path(root).expanduser() / "reference"


def cache_key(dataset, split, extractor_name, resolution, num_samples):
    """File stem for one reference set, e.g. `mnist-test-mnist_classifier-features-28x28-all`."""
    resolution = "native" if resolution is None else "x".join(str(r) for r in resolution)
    parts = (dataset, split, extractor_name, resolution,
             "all" if num_samples is None else str(num_samples))
    return "-".join(re.sub(r"[^A-Za-z0-9_.]+", "_", str(p)) for p in parts)


def reference_statistics(dataset, split="train", extractor="inception", num_samples=None,
                         image_size=None, channels=None, data_dir=None, cache_dir=None,
                         keep_features=10000, batch_size=250, images=None, overwrite=False):
    """Feature statistics (and some feature rows) of a dataset split, cached.

    The cache key is (dataset, split, extractor name, resolution, sample count): the same
    request later reads the `.npz` file instead of recomputing. The result's `metadata`
    records these, so every number computed against it carries its reference set.

    Args:
        dataset: a `tfgan.datasets.load` name (`"mnist"`, `"cifar10"`, `"embedded-mnist"`,
            a folder) naming the reference set.
        split: TFDS split (ignored for the embedded set and folders).
        extractor: `FeatureExtractor` or name (see `tfgan.metrics.extractors.get`).
        num_samples: use the first `num_samples` images; `None` uses the whole split.
        image_size: resize the images to this resolution first (the generator's).
        channels: convert to this many channels first (the generator's).
        data_dir: TFDS data directory (e.g. `../shared/data/tensorflow_datasets` offline).
        cache_dir: where to cache; `None` uses `default_cache_dir()`; `False` disables.
        keep_features: feature rows kept for KID and precision/recall.
        batch_size: images per batch (the last partial batch is kept: every image of
            the split counts; `count` is recorded).
        images: optional array or dataset of images to use instead of loading `dataset`
            (the name then only labels the cache entry).
        overwrite: recompute even when cached.

    Returns:
        `(stats, features)`: a `FeatureStatistics` and a float32 array of up to
        `keep_features` rows (None if 0).
    """
    extractor = extractors_lib.get(extractor)
    size = None if image_size is None else (
        (image_size, image_size) if isinstance(image_size, int) else tuple(image_size))
    path = None
    if cache_dir is not False:
        path = pathlib.Path(cache_dir or default_cache_dir()) / (
            cache_key(dataset, split, extractor.name, size, num_samples) + ".npz")
        if path.exists() and not overwrite:
            with np.load(path) as data:
                features = data["features"] if "features" in data.files else None
                count = int(data["count"])
            # A cached entry serves any request for as many rows as it kept (all of a
            # split smaller than `keep_features`).
            if keep_features == 0 or (features is not None and
                                      len(features) >= min(keep_features, count)):
                stats = FeatureStatistics.load(path)
                return stats, (None if keep_features == 0 else features[:keep_features])
    metadata = {"dataset": str(dataset), "split": str(split), "extractor": extractor.name,
                "resolution": None if size is None else list(size),
                "num_samples": num_samples}
    if images is None:
        images = _load(dataset, split, data_dir, size, channels, batch_size, num_samples)
    batches = _limit(iterate_batches(images, batch_size), num_samples)
    stats, features, _ = extract(batches, extractor, keep_features=keep_features,
                                 metadata=metadata)
    if path is not None:
        extra = {} if features is None else {"features": features.astype("float32")}
        stats.save(path, **extra)
        path.with_suffix(".json").write_text(json.dumps(dict(metadata, count=stats.count),
                                                        indent=2))
    return stats, features


def _limit(batches, num_samples):
    seen = 0
    for batch in batches:
        if num_samples is not None:
            if seen >= num_samples:
                return
            batch = batch[:num_samples - seen]
        seen += len(batch)
        yield batch


def _load(dataset, split, data_dir, size, channels, batch_size, num_samples):
    from tfgan import datasets

    if dataset == datasets.EMBEDDED_MNIST:
        x, _ = datasets.load_embedded_mnist()
        images = x[:num_samples, ..., None].astype("float32") / 127.5 - 1.0
        if size is not None:
            images = np.asarray(datasets.resize(images, size))
        if channels == 3:
            images = np.repeat(images, 3, axis=-1)
        return images
    kwargs = {"batch_size": batch_size, "shuffle": False, "cache": False,
              "drop_remainder": False}
    if os.path.isdir(str(dataset)):
        return datasets.load(str(dataset), image_size=size or 64, channels=channels or 3,
                             **kwargs)
    return datasets.load(str(dataset), split=split, data_dir=data_dir, image_size=size,
                         channels=channels, download=data_dir is None, **kwargs)
