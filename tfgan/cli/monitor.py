"""`tfgan monitor`: check a deployed generator against the reference its export recorded.

Samples the export (`--num-samples` images from latents of `--seed`; labels cycle through
the classes of a conditional export; an image-to-image export translates `--inputs`), or
reads images a service produced (`--images`: a folder of PNG/JPEG files or an .npz with an
`images` array, uint8 in [0, 255] or float in [-1, 1]). Compares them with the export's
`monitor_reference.npz`: FID and KID on the reference's features, KL divergence of the
class histogram, NaN and saturation rates, and latency (ms per image, p50/p95 over
batches). Prints a table, appends one JSON line to `--jsonl`, and exits with 1 when a
threshold is crossed (naming which), 2 on a usage error, 0 otherwise.

Default thresholds come from the export's self-check (the export against itself with
another seed): 3 x that value, scaled to the sample count, plus a floor. See
docs/evaluation.md, "Deployment monitoring".
"""

from tfgan.cli.evaluate import text_table

EXIT_THRESHOLD = 1
THRESHOLD_FLAGS = (("fid", "--fid-threshold"), ("kid", "--kid-threshold"),
                   ("class_kl", "--class-kl-threshold"),
                   ("saturation_low", "--saturation-threshold"),
                   ("saturation_high", "--saturation-threshold"),
                   ("nan_rate", "--max-nan-rate"), ("latency_ms_p95", "--max-latency-ms"))


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "monitor", help="check a deployed generator (or its outputs) against its export's "
                        "reference statistics", description=__doc__)
    parser.add_argument("--model", required=True, help="the export directory")
    parser.add_argument("--images", default=None,
                        help="check these images instead of sampling: a folder of PNG/JPEG "
                             "files or an .npz with an `images` array")
    parser.add_argument("--inputs", default=None,
                        help="images to translate (image-to-image exports): a folder or .npz")
    parser.add_argument("--num-samples", type=int, default=None,
                        help="images to generate (default: as many as the reference); with "
                             "--images/--inputs the first N (default: all)")
    parser.add_argument("--seed", type=int, default=2,
                        help="latent seed (default: 2; the reference used 0, its self-check 1)")
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--backend", choices=("savedmodel", "onnx", "keras"), default=None,
                        help="runtime to sample (default: the SavedModel)")
    parser.add_argument("--fid-threshold", type=float, default=None,
                        help="largest FID (default: from the export's self-check)")
    parser.add_argument("--kid-threshold", type=float, default=None,
                        help="largest KID (default: none, reported only)")
    parser.add_argument("--class-kl-threshold", type=float, default=None,
                        help="largest class-histogram KL in nats (default: from the "
                             "self-check)")
    parser.add_argument("--saturation-threshold", type=float, default=None,
                        help="largest change of the low/high saturation rates (default: "
                             "from the self-check)")
    parser.add_argument("--max-nan-rate", type=float, default=None,
                        help="largest fraction of NaN/Inf pixels (default: 0)")
    parser.add_argument("--max-latency-ms", type=float, default=None,
                        help="largest p95 latency in ms per image (default: none)")
    parser.add_argument("--jsonl", default=None,
                        help="append the report as one JSON line to this file")
    parser.set_defaults(run=run)
    return parser


def _number(value):
    if value is None:
        return "-"
    return f"{value:.4g}"


def format_table(report):
    """The checks (value, threshold, ok/FAIL), then the values without a threshold."""
    rows = [("check", "value", "threshold", "status")]
    checked = set()
    for check in report["checks"]:
        checked.add(check["name"])
        rows.append((check["name"], _number(check["value"]), _number(check["threshold"]),
                     "ok" if check["passed"] else "FAIL"))
    values = report["values"]
    for name in ("fid", "kid", "class_kl", "latency_ms_p50", "latency_ms_p95"):
        if name not in checked and values.get(name) is not None:
            rows.append((name, _number(values[name]), "-", "info"))
    rows.append(("pixel range", f"[{_number(values['pixel_min'])}, "
                                f"{_number(values['pixel_max'])}]", "-", "info"))
    return text_table(rows)


def run(args):
    import sys

    from tfgan.export import monitor
    from tfgan.utils.io import append_json_line
    from tfgan.utils.validation import check_non_negative

    thresholds = {}
    for name, flag in THRESHOLD_FLAGS:
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is not None:
            thresholds[name] = check_non_negative(flag, value)
    report = monitor.monitor_export(
        args.model, images=args.images, inputs=args.inputs, num_samples=args.num_samples,
        seed=args.seed, batch_size=args.batch_size, backend=args.backend,
        thresholds=thresholds)
    print(f"tfgan monitor: {report['model']} ({report['source']}; n={report['num_samples']}, "
          f"extractor {report['extractor']}, reference n={report['reference_samples']})")
    print(format_table(report))
    if args.jsonl:
        append_json_line(args.jsonl, report)
        print(f"appended: {args.jsonl}")
    if report["passed"]:
        print("tfgan monitor: all checks passed")
        return 0
    reasons = "; ".join(f"{c['name']} {_number(c['value'])} > {_number(c['threshold'])}"
                        for c in report["checks"] if not c["passed"])
    print(f"tfgan monitor: threshold crossed: {reasons}", file=sys.stderr)
    return EXIT_THRESHOLD
