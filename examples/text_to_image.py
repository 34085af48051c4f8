"""Text to image on captioned MNIST: write a sentence, get that digit, that thick, that slanted.

A text-to-image GAN in the line of GAN-CLS (Reed et al. 2016) and StackGAN (Zhang et al.
2017):

- each caption is tokenized by a `TextVectorization` adapted on the training captions and
  encoded by a bidirectional GRU (`tfgan.layers.TextEncoder`) into a sentence vector;
- conditioning augmentation draws the generator's condition `c ~ N(μ(φ_t), Σ(φ_t))`, with
  StackGAN's KL term to N(0, I) (weight 1);
- the discriminator is matching-aware: a real digit with its caption is real, a real digit
  with another digit's caption and a fake digit with its caption are fake;
- a text-image matcher (AttnGAN's DAMSM, sentence level: `tfgan.TextImageMatcher`) is
  trained first on the captioned digits, then frozen: the generator reads captions with
  the matcher's text encoder (as AttnGAN's generator reads them with DAMSM's), and is
  also asked that the matcher find each fake digit's caption among the batch's (weight 5,
  AttnGAN's).

The captions are generated from each digit's label and its *measured* stroke thickness,
slant and size ("a thick seven leaning right", "the number 7, bold and slanted right"). We
evaluate on sentence shapes the model never saw ("an image of a thin two", "bold
handwritten 7 tilted left"): the shipped MNIST classifier checks the digit, the same
measurements check the attributes (against captions shuffled at random), and R-precision
ranks each image's caption among 99 others with the discriminator (chance 1%).

Run:

    python examples/text_to_image.py --epochs 5 --out runs/text_to_image
    python examples/text_to_image.py --smoke      # a few steps, for CI
"""

import argparse
import json
import pathlib
import time

import keras

import tfgan
from tfgan.utils.images import save_image


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--steps_per_epoch", type=int, default=None,
                        help="default: one pass over the 19,690 digits")
    parser.add_argument("--batch_size", type=int, default=64)
    parser.add_argument("--eval_images", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/text_to_image")
    parser.add_argument("--smoke", action="store_true",
                        help="Tiny networks, two matcher and two GAN steps, 20 evaluation "
                             "images.")
    return parser.parse_args(argv)


# ## The model and its data
# The `text2image-mnist` preset holds the recipe: the vocabulary is adapted on the training
# captions, and the dataset draws one of each digit's five captions every time it is seen.

def build(args):
    config = {"batch_size": args.batch_size}
    if args.smoke:
        config.update(base_filters=4, text_units=4, embedding_dim=4, batch_size=8,
                      matcher_steps=2)
    preset = tfgan.presets.get("text2image-mnist")
    return preset.build(config, seed=args.seed), preset.dataset(config, seed=args.seed)


def main(argv=None):
    args = parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)
    model, dataset = build(args)

    # ## Training
    # `fit` on `(images, captions)` batches: the train step tokenizes the strings.
    steps = 2 if args.smoke else args.steps_per_epoch
    epochs = 1 if args.smoke else args.epochs
    start = time.time()
    model.fit(dataset.repeat() if steps else dataset, epochs=epochs, steps_per_epoch=steps,
              verbose=0 if args.smoke else 2)
    seconds = time.time() - start

    # ## One row per caption, the same z per column
    # The preset's sample captions: each digit, most with an attribute.
    captions = list(tfgan.presets.MNIST_SAMPLE_CAPTIONS)
    save_image(model.sample_grid(captions, per_caption=8, seed=args.seed),
               out / "captions_grid.png")
    save_image(tfgan.utils.images.make_grid(
        model.interpolate("a thin one leaning left", "a thick one leaning right", steps=8),
        rows=1), out / "interpolation.png")

    # ## Does it follow the sentence?
    # Held-out phrasings; digit accuracy (target ≥ 95%), attributes against shuffled
    # captions, R-precision against 1% chance.
    report = tfgan.metrics.evaluate_captioned_mnist(
        model, num_images=20 if args.smoke else args.eval_images, seed=args.seed)
    report["train_seconds"] = round(seconds, 1)
    print(json.dumps(report, indent=2))
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    model.save(out / "text_to_image.keras")


if __name__ == "__main__":
    main()
