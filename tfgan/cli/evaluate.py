"""`tfgan evaluate`: FID, KID, IS and precision/recall of a saved generator.

Loads a `.keras` GAN or generator (safe mode), streams `--num-samples` generated images
through the feature extractor, compares them with cached reference statistics of
`--dataset`/`--split`, prints a table and writes every number with its protocol to JSON.

Extractors: `mnist` (the classifier shipped with tfgan; offline) or `inception` (Keras'
InceptionV3 with ImageNet weights, downloaded once; offline pass `--inception-weights`).
Keras' InceptionV3 is not the network of published FIDs: numbers are not comparable
with published ones. `auto` picks `mnist` for 28x28x1 generators, `inception` otherwise.
"""

import json
import pathlib

METRIC_LABELS = {"fid": "FID", "kid": "KID", "is": "IS", "pr": "precision / recall"}


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "evaluate", help="compute FID/KID/IS/precision-recall of a saved generator",
        description=__doc__)
    parser.add_argument("--model", required=True,
                        help="a .keras file: a tfgan GAN (its sampling/EMA generator is "
                             "used) or a generator model")
    parser.add_argument("--dataset", default="embedded-mnist",
                        help="reference set: 'embedded-mnist', a TFDS name or an image "
                             "folder (default: embedded-mnist)")
    parser.add_argument("--split", default="train", help="TFDS split (default: train)")
    parser.add_argument("--data-dir", default=None, help="TFDS data directory")
    parser.add_argument("--metrics", default="fid",
                        help="comma-separated subset of fid,kid,is,pr (default: fid)")
    parser.add_argument("--num-samples", type=int, default=10000,
                        help="generated images (default: 10000)")
    parser.add_argument("--reference-samples", type=int, default=None,
                        help="reference images (default: the whole split)")
    parser.add_argument("--extractor", default="auto",
                        choices=("auto", "mnist", "inception", "fid_inception_clean",
                                 "fid_inception_legacy_tf"),
                        help="feature extractor: 'fid_inception_*' is the network of "
                             "published FIDs with that resize protocol (its weights: "
                             "--inception-weights or TFGAN_FID_WEIGHTS); 'inception' is "
                             "Keras' InceptionV3 (not comparable with papers); 'auto': "
                             "mnist for 28x28x1, else inception")
    parser.add_argument("--inception-weights", default=None,
                        help="local weights file of the chosen Inception (for offline "
                             "machines): Keras InceptionV3 .h5, or the FID Inception "
                             ".weights.h5 / pt_inception-2015-12-05 .pth")
    parser.add_argument("--seed", type=int, default=0, help="seed of the latents")
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--kid-subsets", type=int, default=100)
    parser.add_argument("--kid-subset-size", type=int, default=1000)
    parser.add_argument("--pr-samples", type=int, default=10000,
                        help="feature rows per set for KID and precision/recall")
    parser.add_argument("--cache-dir", default=None,
                        help="reference statistics cache (default: ~/.cache/tfgan/reference)")
    parser.add_argument("--out", default=None,
                        help="JSON output (default: <model>.evaluation.json)")
    parser.set_defaults(run=run)
    return parser


def _load_model(path):
    import keras

    import tfgan

    tfgan.load_all()  # registers the tfgan classes for deserialization

    path = pathlib.Path(path)
    if path.suffix != ".keras" or not path.is_file():
        raise SystemExit(f"tfgan evaluate: --model must be an existing .keras file. "
                         f"Received: --model {path}")
    return keras.saving.load_model(path, compile=False, safe_mode=True)


def _image_shape(model):
    if hasattr(model, "image_shape"):
        return tuple(model.image_shape)
    return tuple(int(d) for d in model.output_shape[1:])


def _extractors(args, image_shape, metrics):
    from tfgan.metrics import extractors

    name = args.extractor
    if name == "auto":
        name = "mnist" if image_shape == (28, 28, 1) else "inception"
    if name == "mnist":
        if image_shape[2] != 1:
            raise SystemExit(f"tfgan evaluate: the MNIST extractor needs 1-channel images; "
                             f"the generator makes {image_shape}.")
        return (extractors.mnist_features(args.batch_size),
                extractors.mnist_probabilities(args.batch_size) if "is" in metrics else None)
    if name.startswith("fid_inception_"):
        from tfgan.metrics import FIDInceptionExtractor

        protocol = name[len("fid_inception_"):]
        return (FIDInceptionExtractor("pool", protocol, weights_path=args.inception_weights),
                FIDInceptionExtractor("probabilities", protocol,
                                      weights_path=args.inception_weights)
                if "is" in metrics else None)
    features = extractors.InceptionV3Extractor("features",
                                               weights_path=args.inception_weights)
    probabilities = None
    if "is" in metrics:
        probabilities = extractors.InceptionV3Extractor("probabilities",
                                                        weights_path=args.inception_weights)
    return features, probabilities


def format_table(results):
    """A plain-text table: metric name, value, spread, and the protocol in short."""
    rows = [("metric", "value", "std", "protocol")]
    for metric, record in results.items():
        p = record["protocol"]
        ref = p.get("reference") or {}
        protocol = (f"n={p['num_samples']} seed={p['seed']} "
                    f"extractor={p.get('extractor') or p.get('classifier')}")
        if ref:
            protocol += f" reference={ref.get('dataset')}/{ref.get('split')}({ref.get('count')})"
        if metric == "pr":
            value, std = (f"{record['precision']:.4f} / {record['recall']:.4f}", "")
        elif "std" in record:
            value, std = f"{record['value']:.6g}", f"{record['std']:.3g}"
        else:
            value, std = f"{record['value']:.6g}", ""
        rows.append((record["name"], value, std, protocol))
    return text_table(rows)


def text_table(rows):
    """Rows of strings as left-aligned columns, two spaces apart (the first row a header)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def _evaluate(args, model, metrics, extractor, classifier, image_shape):
    from tfgan import metrics as metrics_lib

    needs_reference = {"fid", "kid", "pr"} & set(metrics)
    ref_stats = ref_features = None
    if needs_reference:
        keep = args.pr_samples if {"kid", "pr"} & set(metrics) else 0
        ref_stats, ref_features = metrics_lib.reference_statistics(
            args.dataset, split=args.split, extractor=extractor,
            num_samples=args.reference_samples, image_size=image_shape[:2],
            channels=image_shape[2], data_dir=args.data_dir, cache_dir=args.cache_dir,
            keep_features=keep, batch_size=args.batch_size)
    return metrics_lib.evaluate_generator(
        model, ref_stats, ref_features, metrics=metrics, num_samples=args.num_samples,
        extractor=extractor, classifier=classifier, seed=args.seed,
        batch_size=args.batch_size, kid_subsets=args.kid_subsets,
        kid_subset_size=args.kid_subset_size, pr_samples=args.pr_samples)


def run(args):
    from tfgan import metrics as metrics_lib

    metrics = tuple(m.strip().lower() for m in args.metrics.split(",") if m.strip())
    unknown = sorted(set(metrics) - set(metrics_lib.METRICS))
    if unknown or not metrics:
        raise SystemExit(f"tfgan evaluate: --metrics must be a comma-separated subset of "
                         f"{','.join(metrics_lib.METRICS)}. Received: --metrics {args.metrics}")
    model = _load_model(args.model)
    image_shape = _image_shape(model)
    extractor, classifier = _extractors(args, image_shape, metrics)
    try:
        results = _evaluate(args, model, metrics, extractor, classifier, image_shape)
    except RuntimeError as error:  # e.g. InceptionV3 weights that cannot be loaded
        raise SystemExit(f"tfgan evaluate: {error}") from error
    out = pathlib.Path(args.out) if args.out else pathlib.Path(args.model).with_suffix(
        ".evaluation.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"model": str(args.model), "results": results}, indent=2) + "\n")
    print(format_table(results))
    if extractor is not None and "inception" in extractor.name:
        print(f"note: {metrics_lib.INCEPTION_NOTE}")
    print(f"written: {out}")
    return 0
