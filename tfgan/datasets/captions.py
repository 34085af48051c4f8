"""Captioned images: folders with captions, and captioned MNIST with measured attributes.

Text-to-image models train on `(images, captions)` batches: float32 images in [-1, 1] and
one caption per image as a `tf.string`, drawn afresh each time the image is seen from the
image's several captions (as StackGAN and AttnGAN draw one of the ten captions of a bird).

Captioned MNIST works offline and can be checked: its captions name the digit and the
digit's *measured* attributes (`stroke_thickness`, `slant`, `size`) in varied phrasings,
e.g. "a thick seven leaning right" or "the number 7, bold and slanted right"; a held-out
set of phrasings (`phrasings="held_out"`) tests whether a model generalizes to sentences
it never saw. Each caption comes with its *request* (`{"thickness": "thick", "slant":
"right", "size": None}`), what it asks for, so generated images can be measured against it
(`tfgan.metrics.attribute_agreement`).
"""

import copy
import functools
import json
import pathlib

import numpy as np
import tensorflow as tf

from tfgan.datasets.images import _pipeline
from tfgan.datasets.images import check_image_files
from tfgan.datasets.images import decode_image
from tfgan.datasets.images import list_image_files
from tfgan.datasets.images import load_embedded_mnist
from tfgan.datasets.images import resize
from tfgan.datasets.images import scale_images
from tfgan.utils.validation import check_positive_int

CAPTIONS_JSONL = "captions.jsonl"
ATTRIBUTES = ("thickness", "slant", "size")
# Level boundaries: the tertiles of each measure over the embedded MNIST subset (19,690
# digits; tests/datasets/test_captions.py recomputes them). Below the first is the first
# level, above the second the last.
THRESHOLDS = {"thickness": (1.82, 2.29), "slant": (0.17, 13.5), "size": (0.332, 0.408)}
LEVELS = {"thickness": ("thin", "medium", "thick"), "slant": ("left", "upright", "right"),
          "size": ("small", "medium", "large")}
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Words for each level; "medium" thickness and size are not mentioned.
_WORDS = {
    "thickness": {"thin": ("thin", "light", "fine"), "thick": ("thick", "bold", "heavy")},
    "size": {"small": ("small", "little", "narrow"), "large": ("large", "big", "wide")},
    "slant": {"left": ("leaning left", "slanted left", "tilted left"),
              "upright": ("upright", "straight"),
              "right": ("leaning right", "slanted right", "tilted right")},
}
PHRASINGS = ("train", "held_out")


def _article(word):
    return "an" if word[0] in "aeio" else "a"


def _and(parts):
    return " and ".join(parts)


# A phrasing maps (digit word, numeral, adjectives, slant phrase or None) to a caption.
_TRAIN = (
    lambda w, n, adj, s: " ".join([_article((adj + [w])[0]), *adj, w] + ([s] if s else [])),
    lambda w, n, adj, s: f"the number {n}" + (", " + _and(adj + ([s] if s else []))
                                              if adj or s else ""),
    lambda w, n, adj, s: f"{_article(w)} {w}" + (" that is " + _and(adj + ([s] if s else []))
                                                 if adj or s else ""),
    lambda w, n, adj, s: " ".join(["digit", n, *adj] + ([s] if s else [])),
)
_HELD_OUT = (
    lambda w, n, adj, s: " ".join(["an image of", _article((adj + [w])[0]), *adj, w]
                                  + ([s] if s else [])),
    lambda w, n, adj, s: " ".join([*adj, "handwritten", n] + ([s] if s else [])),
)


# ---------------------------------------------------------------------- measurement


def _ink(images):
    """Ink in [0, 1] `(n, h, w)` of uint8 or [-1, 1] float images `(n, h, w[, 1])`."""
    images = np.asarray(images)
    if images.ndim == 4:
        if images.shape[-1] != 1:
            raise ValueError(f"Attributes are measured on grayscale images (n, h, w) or "
                             f"(n, h, w, 1). Received: shape={images.shape}")
        images = images[..., 0]
    if images.ndim != 3:
        raise ValueError(f"Attributes are measured on a batch of images (n, h, w[, 1]). "
                         f"Received: shape={images.shape}")
    if images.dtype == np.uint8:
        return images.astype("float64") / 255.0
    return np.clip((images.astype("float64") + 1.0) / 2.0, 0.0, 1.0)


def stroke_thickness(images):
    """Mean stroke thickness in pixels, from the ink mass and the stroke's outline.

    A stroke of length `L` and thickness `t` has ink mass `A ≈ L·t` (the sum of the ink
    in [0, 1]) and an outline of `P ≈ 2(L + t)` pixel edges (4-neighbour boundary of the
    pixels with ink > ½); `t` is the smaller root of `t² − (P/2)·t + A = 0`, exact for
    axis-aligned bars. Diagonal outlines are staircases, longer than the stroke, so
    slanted strokes measure somewhat thinner (see the tests).

    Args:
        images: uint8 images, or floats in [-1, 1] (background −1), `(n, h, w[, 1])`.

    Returns:
        float64 `(n,)`; 0 for an empty image.
    """
    ink = _ink(images)
    mass = ink.sum(axis=(1, 2))
    binary = np.pad(ink > 0.5, ((0, 0), (1, 1), (1, 1))).astype("int8")
    perimeter = (np.abs(np.diff(binary, axis=1)).sum(axis=(1, 2))
                 + np.abs(np.diff(binary, axis=2)).sum(axis=(1, 2)))
    half = perimeter / 2.0
    return (half - np.sqrt(np.maximum(half ** 2 - 4.0 * mass, 0.0))) / 2.0


def slant(images):
    """Slant in degrees from second-order image moments; positive leans right.

    With `x` the column and `y` the row counted upwards, both centred on the ink's centre
    of mass, the slant is `atan(μ_xy / μ_yy)`: how far the ink moves right per pixel
    upwards (the shear that would make the digit upright; Morpho-MNIST, Castro et al.
    2019, measures it the same way).

    Args:
        images: uint8 images, or floats in [-1, 1], `(n, h, w[, 1])`.

    Returns:
        float64 degrees `(n,)` in (−90, 90); 0 for an empty image.
    """
    ink = _ink(images)
    mass = np.maximum(ink.sum(axis=(1, 2)), 1e-12)
    rows, cols = np.meshgrid(np.arange(ink.shape[1]), np.arange(ink.shape[2]), indexing="ij")
    y, x = -rows.astype("float64"), cols.astype("float64")
    mean_x = (ink * x).sum(axis=(1, 2)) / mass
    mean_y = (ink * y).sum(axis=(1, 2)) / mass
    dx, dy = x - mean_x[:, None, None], y - mean_y[:, None, None]
    covariance = (ink * dx * dy).sum(axis=(1, 2)) / mass
    variance = (ink * dy * dy).sum(axis=(1, 2)) / mass
    return np.degrees(np.arctan2(covariance, np.maximum(variance, 1e-12)))


def size(images):
    """The area of the ink's bounding box (pixels with ink > ½) as a fraction of the image.

    MNIST digits are scaled to a 20-pixel box on their longer side, so on MNIST this
    mostly measures width: a narrow 1 is small, a wide 0 large.

    Args:
        images: uint8 images, or floats in [-1, 1], `(n, h, w[, 1])`.

    Returns:
        float64 `(n,)` in [0, 1]; 0 for an empty image.
    """
    binary = _ink(images) > 0.5
    rows, cols = binary.any(axis=2), binary.any(axis=1)

    def extent(mask):
        first = np.argmax(mask, axis=1)
        last = mask.shape[1] - 1 - np.argmax(mask[:, ::-1], axis=1)
        return np.where(mask.any(axis=1), last - first + 1, 0)

    return extent(rows) * extent(cols) / float(binary.shape[1] * binary.shape[2])


MEASURES = {"thickness": stroke_thickness, "slant": slant, "size": size}


def measure_attributes(images):
    """`{attribute: (n,) measure}` of `stroke_thickness`, `slant` and `size`."""
    return {name: measure(images) for name, measure in MEASURES.items()}


def attribute_levels(measures, thresholds=None):
    """Level names `{attribute: (n,) str array}` of measures (`measure_attributes`).

    Args:
        measures: `{attribute: values}`.
        thresholds: `{attribute: (low, high)}`; default `THRESHOLDS` (MNIST tertiles).
    """
    thresholds = {**THRESHOLDS, **(thresholds or {})}
    return {name: np.asarray(LEVELS[name])[np.digitize(values, thresholds[name])]
            for name, values in measures.items()}


# ---------------------------------------------------------------------- captions


def _draw(words, rng):
    """One of `words`, the draw `rng.choice(words)` makes, without its array conversion
    (captioned MNIST draws about 200,000 words)."""
    return str(words[rng.integers(len(words))])


def _check_phrasings(phrasings):
    if phrasings not in PHRASINGS:
        raise ValueError(f"`phrasings` must be one of {PHRASINGS}. "
                         f"Received: phrasings={phrasings!r}")


def describe(label, levels, rng, phrasings="train", mention=0.75):
    """One caption of a digit and what it requests.

    Args:
        label: the digit, 0-9.
        levels: `{attribute: level name}` of the digit.
        rng: a `numpy.random.Generator`.
        phrasings: `"train"` or `"held_out"`: the set of sentence shapes drawn from.
        mention: probability that each describable attribute (all but medium thickness
            and size) is mentioned.

    Returns:
        `(caption, request)`: the text and `{attribute: level or None}`, `None` for the
        attributes the caption does not mention.
    """
    _check_phrasings(phrasings)
    request = {}
    for name in ATTRIBUTES:
        words = _WORDS[name].get(levels[name])
        request[name] = str(levels[name]) if words and rng.random() < mention else None
    adjectives = [_draw(_WORDS[name][request[name]], rng)
                  for name in ("size", "thickness") if request[name]]
    slant_words = _draw(_WORDS["slant"][request["slant"]], rng) if request["slant"] else None
    templates = _TRAIN if phrasings == "train" else _HELD_OUT
    template = templates[rng.integers(len(templates))]
    return template(DIGIT_WORDS[label], str(label), adjectives, slant_words), request


def captioned_mnist(phrasings="train", captions_per_image=5, num_examples=None, seed=0):
    """The embedded MNIST subset with generated captions.

    Args:
        phrasings: `"train"` or `"held_out"` sentence shapes (the words are shared).
        captions_per_image: captions drawn per digit. Default 5.
        num_examples: use the first `num_examples` digits (all 19,690 by default).
        seed: seed of the captions.

    Returns:
        A dict: `images` uint8 `(n, 28, 28)`, `labels` `(n,)`, `captions` (n lists of
        strings), `requests` (n lists of request dicts, one per caption), `levels`
        (`{attribute: (n,) level names}`) and `measures` (`{attribute: (n,) values}`).
    """
    captions_per_image = check_positive_int("captions_per_image", captions_per_image)
    if num_examples is not None:
        num_examples = check_positive_int("num_examples", num_examples)
    _check_phrasings(phrasings)
    # A copy of the memoized draw: a preset reads the same captions several times (its
    # vocabulary, its matcher's data, its own data), and callers may edit what they get.
    return copy.deepcopy(_captioned_mnist(phrasings, captions_per_image, num_examples, seed))


@functools.lru_cache(maxsize=2)
def _captioned_mnist(phrasings, captions_per_image, num_examples, seed):
    images, labels = load_embedded_mnist()
    if num_examples is not None:
        images, labels = images[:num_examples], labels[:num_examples]
    measures = measure_attributes(images)
    levels = attribute_levels(measures)
    rng = np.random.default_rng(seed)
    captions, requests = [], []
    for i, label in enumerate(labels):
        described = [describe(int(label), {k: levels[k][i] for k in ATTRIBUTES}, rng,
                              phrasings) for _ in range(captions_per_image)]
        captions.append([text for text, _ in described])
        requests.append([request for _, request in described])
    return {"images": images, "labels": labels.astype("int32"), "captions": captions,
            "requests": requests, "levels": levels, "measures": measures}


# ---------------------------------------------------------------------- pipelines


def _padded_captions(captions):
    """`(n, k)` strings padded with "" and `(n,)` counts from n lists of captions."""
    counts = np.array([len(c) for c in captions], dtype="int32")
    if len(captions) == 0 or counts.min() < 1:
        first = int(np.argmin(counts)) if len(captions) else 0
        raise ValueError(f"Every image needs at least one caption. Received: image {first} "
                         f"with {counts[first] if len(captions) else 0} captions")
    table = np.full((len(captions), int(counts.max())), "", dtype=object)
    for i, texts in enumerate(captions):
        table[i, :len(texts)] = [str(t) for t in texts]
    return table.astype(str), counts


def caption_pipeline(images, captions, batch_size=64, shuffle=True, seed=None, cache=True,
                     repeat=False):
    """Batches of `(images, caption)` with one caption per image drawn at every step.

    Args:
        images: a `tf.data.Dataset` of float32 images in [-1, 1], one per element, in
            the order of `captions`.
        captions: one list of captions per image (several per image are drawn from
            uniformly, a fresh draw each time an image is seen, seeded by `seed`).
        batch_size, shuffle, seed, cache, repeat: as for `tfgan.datasets.from_arrays`.

    Returns:
        A `tf.data.Dataset` of `(images (batch, h, w, c), captions (batch,) tf.string)`.
    """
    table, counts = _padded_captions(captions)
    dataset = tf.data.Dataset.zip(images, tf.data.Dataset.from_tensor_slices((table, counts)))
    batches = _pipeline(dataset, batch_size, shuffle, seed, cache, repeat, len(counts))
    draws = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)

    def pick(batch, draw):
        image, (texts, count) = batch
        key = tf.stack([draw, tf.constant(0, tf.int64)])
        u = tf.random.stateless_uniform(tf.shape(count), seed=key)
        index = tf.minimum(tf.cast(u * tf.cast(count, tf.float32), tf.int32), count - 1)
        return image, tf.gather(texts, index, batch_dims=1)

    return tf.data.Dataset.zip(batches, draws).map(pick).prefetch(tf.data.AUTOTUNE)


def captioned_mnist_dataset(batch_size=64, phrasings="train", captions_per_image=5,
                            num_examples=None, shuffle=True, seed=0, repeat=False):
    """Captioned MNIST batches `(images (batch, 28, 28, 1) in [-1, 1], captions)`.

    Args:
        batch_size, shuffle, repeat: as for `tfgan.datasets.from_arrays`.
        phrasings, captions_per_image, num_examples: as for `captioned_mnist`.
        seed: seed of the captions, the shuffle and the caption draws.
    """
    data = captioned_mnist(phrasings, captions_per_image, num_examples, seed)
    images = tf.data.Dataset.from_tensor_slices(data["images"][..., None]).map(scale_images)
    return caption_pipeline(images, data["captions"], batch_size, shuffle, seed,
                            repeat=repeat)


def read_captions(directory):
    """The image files of a captioned folder and one list of captions per file.

    Reads `captions.jsonl` or a `.txt` file beside each image (see `captioned_images`).

    Returns:
        `(files, captions)`: sorted paths and a list of caption lists in the same order.
    """
    files = check_image_files(list_image_files(directory))
    return files, _read_captions(directory, files)


def _read_captions(directory, files):
    directory = pathlib.Path(directory)
    jsonl = directory / CAPTIONS_JSONL
    if jsonl.is_file():
        table = {}
        for number, line in enumerate(jsonl.read_text().splitlines(), 1):
            if not line.strip():
                continue
            record = json.loads(line)
            if not isinstance(record, dict) or "image" not in record or "captions" not in record:
                raise ValueError(f"{jsonl}:{number} must be a JSON object with `image` (a "
                                 f"file name) and `captions` (a list of strings). "
                                 f"Received: {line[:120]!r}")
            texts = record["captions"]
            table[record["image"]] = [texts] if isinstance(texts, str) else list(texts)
        found = {f.relative_to(directory).as_posix(): table.get(
            f.relative_to(directory).as_posix()) for f in files}
        missing = sorted(name for name, texts in found.items() if not texts)
        if missing:
            raise ValueError(f"{jsonl} has no captions for {len(missing)} image(s), e.g. "
                             f"{missing[0]!r}. Received: {len(table)} captioned images")
        return list(found.values())
    captions = []
    for file in files:
        text_file = file.with_suffix(".txt")
        if not text_file.is_file():
            raise FileNotFoundError(
                f"Captioned images need {CAPTIONS_JSONL} in the folder or a caption file "
                f"beside each image (one caption per line). Received: no {text_file.name} "
                f"for {file.name} in {str(file.parent)!r}")
        lines = [line.strip() for line in text_file.read_text().splitlines() if line.strip()]
        if not lines:
            raise ValueError(f"Caption file {str(text_file)!r} holds no caption.")
        captions.append(lines)
    return captions


def captioned_images(directory, image_size, channels=3, batch_size=64, crop=True,
                     shuffle=True, seed=None, cache=True, repeat=False):
    """Batches `(images, captions)` from a folder of captioned images.

    Two layouts are read: a `captions.jsonl` in the folder, one line per image
    `{"image": "relative/path.png", "captions": ["...", "..."]}`; or beside each image a
    text file of the same name with `.txt` (one caption per line, the layout of Reed et
    al.'s CUB and Oxford-102 captions). Every image needs a caption.

    Args:
        directory: the folder (images may sit in sub-folders).
        image_size: `(height, width)` or int: every image is resized to it.
        channels: 1 or 3.
        batch_size, crop, shuffle, seed, cache, repeat: as for
            `tfgan.datasets.from_folder`.

    Returns:
        A `tf.data.Dataset` of `(images in [-1, 1], captions (batch,) tf.string)`, one
        caption per image drawn at every step.
    """
    if channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 or 3. Received: channels={channels}")
    files, captions = read_captions(directory)
    images = tf.data.Dataset.from_tensor_slices([str(f) for f in files]).map(
        lambda path: resize(scale_images(decode_image(path, channels)), image_size, crop=crop),
        num_parallel_calls=tf.data.AUTOTUNE)
    return caption_pipeline(images, captions, batch_size, shuffle, seed, cache, repeat)
