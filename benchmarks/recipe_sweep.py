"""Recipe sweep for the `dcgan-mnist` preset: MNIST quality after a fixed training time.

Each config is a set of overrides of the preset's config keys (`tfgan presets --keys`);
each trains on the embedded MNIST subset for the same number of epochs (a budget in
images, so that runs sharing a busy machine stay comparable; the training seconds are
recorded, and the seconds per step on an idle machine come from `--time-steps`), then its
EMA generator is judged by the shipped MNIST classifier over 10,000 samples: MNIST FID (classifier
features, against the 19,690 training digits), MNIST score (IS with the classifier),
class fractions and the share of confident samples. One JSON line per run is appended to
`--save`, and each run's sample grid is written next to it.

    python benchmarks/recipe_sweep.py --epochs 55 --configs baseline,r1 --save benchmarks/recipe_sweep.jsonl
    python benchmarks/recipe_sweep.py --time-steps 200 --configs baseline,r1   # idle machine

Run configs in separate invocations or one after another; each run is fresh (seed 0).
"""

import argparse
import json
import pathlib
import time

import keras
import numpy as np

import tfgan

CONFIGS = {
    "baseline": {},
    "base64": {"base_filters": 64},
    "r1": {"r1_gamma": 0.2, "r1_every": 4},
    "r1_ttur": {"r1_gamma": 0.2, "r1_every": 4, "d_learning_rate": 4e-4,
                "g_learning_rate": 1e-4},
    "r1_decay": {"r1_gamma": 0.2, "r1_every": 4, "lr_decay": True},
    "r1_decay_b128": {"r1_gamma": 0.2, "r1_every": 4, "lr_decay": True, "batch_size": 128},
    "hinge_r1_decay": {"loss": "hinge", "r1_gamma": 0.2, "r1_every": 4, "lr_decay": True},
    "r1_decay_aug": {"r1_gamma": 0.2, "r1_every": 4, "lr_decay": True,
                     "augment": "translation"},
    "r1_decay_base64": {"r1_gamma": 0.2, "r1_every": 4, "lr_decay": True,
                        "base_filters": 64},
    # Without batch norm in D (R1 keeps it smooth, as StyleGAN2's D has no normalization).
    "nonorm_r1_decay": {"d_normalization": "none", "r1_gamma": 0.2, "r1_every": 4,
                        "lr_decay": True},
    "nonorm_r1_decay_base64": {"d_normalization": "none", "r1_gamma": 0.2, "r1_every": 4,
                               "lr_decay": True, "base_filters": 64},
}


def judge(model, reference, num_samples=10_000):
    """MNIST FID, MNIST score and class balance of the model's samples."""
    results = tfgan.metrics.evaluate_generator(
        model, reference, metrics=("fid", "is"), num_samples=num_samples,
        extractor=tfgan.metrics.mnist_features(), classifier=tfgan.metrics.mnist_probabilities(),
        seed=0)
    probabilities = tfgan.metrics.mnist_probabilities()(model.generate(num_samples, seed=0))
    fractions = np.bincount(probabilities.argmax(-1), minlength=10) / num_samples
    return {"fid10k": round(results["fid"]["value"], 3),
            "mnist_score": round(results["is"]["value"], 3),
            "class_min": round(float(fractions.min()), 4),
            "class_max": round(float(fractions.max()), 4),
            "confident": round(float((probabilities.max(-1) > 0.9).mean()), 4)}


def step_seconds(name, steps):
    """Seconds per training step of config `name` (after a 20-step warm-up)."""
    keras.utils.set_random_seed(0)
    preset = tfgan.presets.get("dcgan-mnist")
    config = preset.resolve(CONFIGS[name])
    data = preset.dataset(config, seed=0).repeat()
    model = preset.build(config, seed=0, steps=steps + 20)
    model.fit(data, epochs=1, steps_per_epoch=20, verbose=0)
    start = time.perf_counter()
    model.fit(data, epochs=2, initial_epoch=1, steps_per_epoch=steps, verbose=0)
    return (time.perf_counter() - start) / steps


def run(name, epochs, out):
    keras.utils.set_random_seed(0)
    preset = tfgan.presets.get("dcgan-mnist")
    config = preset.resolve(CONFIGS[name])
    steps_per_epoch = 19_690 // config["batch_size"]
    data = preset.dataset(config, seed=0).repeat()
    model = preset.build(config, seed=0, steps=epochs * steps_per_epoch)
    start = time.perf_counter()
    model.fit(data, epochs=epochs, steps_per_epoch=steps_per_epoch, verbose=0)
    seconds = time.perf_counter() - start
    reference, _ = tfgan.metrics.reference_statistics(
        "embedded-mnist", extractor=tfgan.metrics.mnist_features(), image_size=(28, 28),
        channels=1)
    record = {"config": name, "overrides": CONFIGS[name], "epochs": epochs,
              "steps": epochs * steps_per_epoch, "train_s": round(seconds, 1),
              **judge(model, reference)}
    tfgan.utils.save_grid(model.generate(64, seed=0), out.with_name(f"{out.stem}_{name}.png"))
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="baseline")
    parser.add_argument("--epochs", type=int, default=55, help="training epochs per run")
    parser.add_argument("--time-steps", type=int, default=None,
                        help="only time this many steps per config (seconds per step)")
    parser.add_argument("--save", default="benchmarks/recipe_sweep.jsonl")
    args = parser.parse_args()
    out = pathlib.Path(args.save)
    for name in args.configs.split(","):
        if args.time_steps:
            print(json.dumps({"config": name,
                              "step_s": round(step_seconds(name, args.time_steps), 5)}))
            continue
        record = run(name, args.epochs, out)
        print(json.dumps(record), flush=True)
        with out.open("a") as f:
            f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
