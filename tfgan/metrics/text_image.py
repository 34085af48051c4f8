"""Text-to-image metrics: R-precision (AttnGAN), digit accuracy and attribute agreement.

R-precision (Xu et al. 2018) asks whether a generated image matches its own caption
better than random others: for each image a text-image matching model scores the true
caption and `num_mismatched` (99) captions drawn from other images; R-precision (R = 1)
is the fraction of images whose true caption scores highest. Chance is
`1 / (1 + num_mismatched)` (1% with 99). AttnGAN scores with its pretrained DAMSM
encoders; here a `tfgan.TextImageMatcher` (DAMSM's sentence encoders, `matcher.score`)
trained apart from the GAN is the honest scorer, while `discriminator_scorer` scores with
a `TextToImageGAN`'s matching-aware discriminator, which the generator was trained
against, so its R-precision is an optimistic, within-model number: name the scorer with
every value.

For captioned MNIST (`tfgan.datasets.captioned_mnist`) two checks need no learned
scorer: `digit_accuracy` (the shipped MNIST classifier's agreement with the requested
digit) and `attribute_agreement` (the measured thickness, slant and size levels of the
images against the levels the captions requested).
"""

import numpy as np

from tfgan.datasets.captions import ATTRIBUTES
from tfgan.datasets.captions import attribute_levels
from tfgan.datasets.captions import measure_attributes
from tfgan.layers.text_vectorizer import check_texts
from tfgan.layers.text_vectorizer import tokenize
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.validation import check_positive_int


# Image-caption pairs scored per call: few calls, as each eager call of a recurrent text
# encoder costs a fixed ~0.3 s on a CPU.
PAIRS_PER_CALL = 2048


def caption_candidates(captions, pool, num_mismatched=99, seed=0):
    """Candidate captions per image: its own first, then `num_mismatched` others.

    Args:
        captions: the true caption of each image, `n` strings.
        pool: captions to draw mismatched ones from (e.g. all test captions); a draw
            equal to the image's own caption is redrawn.
        num_mismatched: mismatched captions per image. Default 99 (AttnGAN).
        seed: seed of the draws.

    Returns:
        A string array `(n, 1 + num_mismatched)`.
    """
    captions = check_texts(captions, "captions")
    pool = np.asarray(check_texts(pool, "pool"), dtype=object)
    num_mismatched = check_positive_int("num_mismatched", num_mismatched)
    rng = np.random.default_rng(seed)
    rows = []
    for caption in captions:
        others = pool[pool != caption]
        if len(others) == 0:
            raise ValueError(f"`pool` holds no caption other than {caption!r}: nothing to "
                             f"mismatch with. Received: {len(pool)} captions in pool")
        rows.append([caption, *rng.choice(others, num_mismatched)])
    return np.asarray(rows, dtype=object).astype(str)


def r_precision(scores):
    """R-precision with R = 1: the fraction of rows whose first score is the highest.

    Args:
        scores: `(n, 1 + k)` matching scores, the true caption in column 0. A tie with
            a mismatched caption counts as a miss.

    Returns:
        A float in [0, 1]; chance is `1 / (1 + k)`.
    """
    scores = np.asarray(scores, dtype="float64")
    if scores.ndim != 2 or scores.shape[1] < 2:
        raise ValueError(f"`scores` must be (n, 1 + k) with k >= 1 mismatched captions. "
                         f"Received: shape={scores.shape}")
    return float(np.mean(scores[:, 0] > scores[:, 1:].max(axis=1)))


def discriminator_scorer(model, batch_size=PAIRS_PER_CALL):
    """A scorer `(images, texts) → (n,)` from a `TextToImageGAN`'s discriminator logits.

    The logit's image-only term is the same for every caption of an image, so ranking
    captions by the logit ranks them by the projection term `(W ē_t)ᵀ φ(x)`.
    """
    def score(images, texts):
        tokens = tokenize(model.vectorizer, texts)
        return predict_in_batches(model.discriminator, [np.asarray(images), tokens],
                                  batch_size)[:, 0]
    return score


def text_image_r_precision(scorer, images, candidates):
    """R-precision of images against their candidate captions (`caption_candidates`).

    Args:
        scorer: `(images, texts) → (n,)` matching scores (`discriminator_scorer`).
        images: `(n, h, w, c)` in [-1, 1].
        candidates: `(n, 1 + k)` captions, the true one first.

    Returns:
        `{"r_precision": value, "chance": 1 / (1 + k), "num_images": n}`.
    """
    candidates = np.asarray(candidates)
    if len(candidates) != len(images):
        raise ValueError(f"`candidates` needs one row per image. Received: "
                         f"{len(candidates)} rows for {len(images)} images")
    images, per_image = np.asarray(images), candidates.shape[1]
    rows = max(1, PAIRS_PER_CALL // per_image)  # images per scorer call
    scores = np.concatenate([
        np.reshape(scorer(np.repeat(images[i:i + rows], per_image, axis=0),
                          candidates[i:i + rows].ravel().tolist()), (-1, per_image))
        for i in range(0, len(images), rows)])
    return {"r_precision": r_precision(scores), "chance": 1.0 / candidates.shape[1],
            "num_images": len(images)}


def digit_accuracy(images, labels, classifier=None):
    """The fraction of images the MNIST classifier assigns to the requested digit.

    Args:
        images: `(n, 28, 28, 1)` in [-1, 1].
        labels: requested digits `(n,)`.
        classifier: a class-probability extractor; default
            `tfgan.metrics.mnist_probabilities()` (the shipped classifier, 98.5% on the
            MNIST test set).
    """
    return float(np.mean(_digit_hits(images, labels, classifier)))


def _digit_hits(images, labels, classifier=None):
    """`(n,)` bools: the classifier's digit equals the requested one (`digit_accuracy`)."""
    if classifier is None:
        from tfgan.metrics.extractors import mnist_probabilities

        classifier = mnist_probabilities()
    labels = np.asarray(labels).ravel()
    if len(labels) != len(images):
        raise ValueError(f"`labels` needs one digit per image. Received: {len(labels)} "
                         f"labels for {len(images)} images")
    return np.argmax(classifier(images), axis=1) == labels


def attribute_agreement(images, requests, thresholds=None):
    """How often the measured attribute levels of images match what captions asked.

    Each image is measured (`tfgan.datasets.captions.measure_attributes`), its measures
    turned into levels (`attribute_levels`, MNIST tertiles by default), and compared with
    its caption's request for each attribute the caption mentions. Chance is about 1/3
    per attribute (three levels of roughly equal frequency); a random-caption baseline
    is this function with the requests shuffled.

    Args:
        images: `(n, h, w, 1)` in [-1, 1] (or uint8).
        requests: `n` dicts `{attribute: level or None}` (from `captioned_mnist`).
        thresholds: optional level boundaries (see `attribute_levels`).

    Returns:
        `{attribute: {"agreement": fraction, "count": captions that asked}}`; the
        agreement is `None` where no caption asked for the attribute.
    """
    if len(requests) != len(images):
        raise ValueError(f"`requests` needs one dict per image. Received: {len(requests)} "
                         f"requests for {len(images)} images")
    levels = attribute_levels(measure_attributes(images), thresholds)
    report = {}
    for name in ATTRIBUTES:
        asked = np.array([r.get(name) is not None for r in requests])
        wanted = np.array([r.get(name) or "" for r in requests])
        hits = levels[name][asked] == wanted[asked]
        report[name] = {"agreement": float(hits.mean()) if asked.any() else None,
                        "count": int(asked.sum())}
    return report


def evaluate_captioned_mnist(model, num_images=1000, phrasings="held_out", num_mismatched=99,
                             seed=0, classifier=None, matcher=None):
    """Digit accuracy, attribute agreement and R-precision of a captioned-MNIST model.

    Protocol: the first caption of each of `num_images` digits drawn (seeded) from the
    embedded MNIST subset, in `phrasings` (default the held-out sentence shapes); one
    image per caption from latents of `seed`. Reported: the MNIST classifier's agreement
    with the requested digit; per attribute, the agreement of the measured levels with
    the requested ones, and the same images against the requests of randomly permuted
    captions (the random-caption baseline); R-precision against
    `1 / (1 + num_mismatched)`, scored by `matcher` (a `tfgan.TextImageMatcher`: use one
    the generator was not trained against) or, without one, by the model's discriminator
    (`discriminator_scorer`).

    Returns:
        A dict of the numbers (digit accuracy also per requested digit) and their
        protocol.
    """
    from tfgan.datasets.captions import captioned_mnist

    num_images = check_positive_int("num_images", num_images)
    data = captioned_mnist(phrasings, captions_per_image=1, seed=seed)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(data["labels"]), num_images, replace=False)
    texts = [data["captions"][i][0] for i in chosen]
    requests = [data["requests"][i][0] for i in chosen]
    images = model.generate(texts, seed=seed)
    agreement = attribute_agreement(images, requests)
    baseline = attribute_agreement(images, [requests[i] for i in rng.permutation(num_images)])
    pool = [texts[0] for texts in data["captions"]]
    candidates = caption_candidates(texts, pool, num_mismatched, seed)
    labels = data["labels"][chosen]
    hits = _digit_hits(images, labels, classifier)
    scorer = discriminator_scorer(model) if matcher is None else matcher.score
    ranking = text_image_r_precision(scorer, images, candidates)
    return {
        "digit_accuracy": float(np.mean(hits)),
        "digit_accuracy_per_digit": {int(d): float(np.mean(hits[labels == d]))
                                     for d in np.unique(labels)},
        "attribute_agreement": {name: agreement[name]["agreement"] for name in ATTRIBUTES},
        "attribute_agreement_random_captions": {name: baseline[name]["agreement"]
                                                for name in ATTRIBUTES},
        "attribute_requests": {name: agreement[name]["count"] for name in ATTRIBUTES},
        "r_precision": ranking["r_precision"],
        "r_precision_chance": ranking["chance"],
        "protocol": {"num_images": num_images, "phrasings": phrasings, "seed": seed,
                     "scorer": ("the model's discriminator" if matcher is None
                                else f"{type(matcher).__name__} {matcher.name!r}"), "classifier":
                     "mnist_classifier (shipped)", "levels": "embedded-MNIST tertiles"},
    }
