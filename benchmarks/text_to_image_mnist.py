"""Text-to-image on captioned MNIST: the `text2image-mnist` preset for a wall-clock budget.

Builds `tfgan.presets.get("text2image-mnist")` (which trains its DAMSM-style matcher, the
generator's matching term) and trains it with `fit` on captioned MNIST (training
phrasings) until `--budget` seconds have passed, the matcher's training and graph tracing
included, evaluation not; then judges its EMA generator on 1,000 captions in the
*held-out* phrasings (`tfgan.metrics.evaluate_captioned_mnist`):

- digit accuracy: the shipped MNIST classifier (`tfgan.metrics.mnist_probabilities()`)
  agrees with the digit the caption names (target ≥ 95%);
- attribute agreement per attribute (thickness, slant, size measured on the generated
  image, in embedded-MNIST tertiles) against the same images judged by randomly
  permuted captions;
- R-precision (AttnGAN, R = 1): the image's caption ranked first among it and 99 others,
  against 1% chance, scored by a second matcher trained apart from the GAN (another
  seed and data order: the generator never saw it) and by the model's discriminator.

One JSON line goes to `--save`, a caption grid (one row per caption, the same z per
column) to `--grid`.

    PYTHONPATH=. nice -n 5 python benchmarks/text_to_image_mnist.py --budget 900 \
        --save benchmarks/text_to_image_mnist.jsonl --grid docs/text_to_image_mnist_grid.png
"""

import argparse
import json
import time

import keras

import tfgan
from tfgan.utils.images import save_image
from tfgan.utils.io import append_json_line


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget", type=float, default=900, help="training seconds")
    parser.add_argument("--eval_images", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="preset config override (JSON value), repeatable")
    parser.add_argument("--save", default="benchmarks/text_to_image_mnist.jsonl")
    parser.add_argument("--grid", default="docs/text_to_image_mnist_grid.png")
    parser.add_argument("--model", default=None, help="also save the trained model here")
    args = parser.parse_args()
    overrides = {k: json.loads(v) for k, _, v in (s.partition("=") for s in args.set)}
    keras.utils.set_random_seed(args.seed)
    preset = tfgan.presets.get("text2image-mnist")
    config = preset.resolve(overrides)
    start = time.time()
    model = preset.build(config, seed=args.seed)
    build_seconds = time.time() - start
    if build_seconds >= args.budget:
        raise SystemExit(f"Building the model took {build_seconds:.0f} s, the whole budget "
                         f"of {args.budget:.0f} s: nothing left to train.")
    dataset = preset.dataset(config, seed=args.seed).repeat()
    clock = tfgan.callbacks.TimeBudget(args.budget - build_seconds)
    model.fit(dataset, epochs=1, steps_per_epoch=10**7, callbacks=[clock], verbose=0)
    seconds = time.time() - start
    keras.utils.set_random_seed(args.seed + 1000)
    judge = tfgan.presets.text2image_matcher(config, args.seed + 1000, model.vectorizer)
    report = tfgan.metrics.evaluate_captioned_mnist(model, args.eval_images, seed=args.seed,
                                                    matcher=judge)
    own = tfgan.metrics.evaluate_captioned_mnist(model, args.eval_images, seed=args.seed)
    seen = tfgan.metrics.evaluate_captioned_mnist(model, args.eval_images, phrasings="train",
                                                  seed=args.seed)
    record = {"benchmark": "text_to_image_mnist", "preset": preset.name, "config": config,
              "train_seconds": round(seconds, 1), "build_seconds": round(build_seconds, 1),
              "steps": clock.steps, "images_seen": clock.steps * config["batch_size"],
              **report, "r_precision_discriminator": own["r_precision"],
              "digit_accuracy_train_phrasings": seen["digit_accuracy"]}
    print(json.dumps(record, indent=2))
    append_json_line(args.save, record)
    captions = list(tfgan.presets.MNIST_SAMPLE_CAPTIONS)
    save_image(model.sample_grid(captions, per_caption=8, seed=args.seed), args.grid)
    if args.model:
        tfgan.utils.save_model(model, args.model)


if __name__ == "__main__":
    main()
