"""Recipe sweep for the `dcgan-mnist` preset: MNIST quality after the same training time.

Each config is a set of overrides of the preset's config keys (`tfgan presets --keys`);
`--preset cgan-mnist` trains the conditional preset (same keys) and adds the label
accuracy: the share of samples the classifier labels as the class they were drawn for.
Every run trains on the embedded MNIST subset (seed 0) for the same wall-clock budget of
train steps (`--budget` seconds; the run length that LR schedules see comes from timing
100 steps of the config first), or for `--epochs`. Its EMA generator is then judged by the
shipped MNIST classifier over 10,000 samples (`_judged.ClassifierJudge`: MNIST score, MNIST
FID and KID against the 19,690 training digits, class shares). One JSON line per run,
with the fully resolved config, is appended to `--save`; each run's 8x8 sample grid is
written next to it.

    python benchmarks/recipe_sweep.py --budget 600 --configs paper,wide_d --save benchmarks/recipe_sweep.jsonl

Runs are sequential and share nothing; run them on an otherwise idle machine.
"""

import argparse
import json
import pathlib
import sys
import time

import keras
import numpy as np

import tfgan

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _judged  # noqa: E402

# The preset before issue 17: the paper's generator (its last transposed convolution
# makes the image) at base 32, D at base 32.
PAPER = {"base_filters": 32, "output_convolution": False, "d_base_filters": None}
CONFIGS = {
    "shipped": {},
    "paper": PAPER,
    "paper_r1_decay": {**PAPER, "r1_gamma": 0.2, "r1_every": 4, "lr_decay": True},
    # A 3x3 image convolution after a full-resolution block (Miyato et al. 2018's
    # standard CNN G), generator base 16 (7x7x64 → 14x14x32 → 28x28x16 → image);
    # D at base 64.
    "wide_d": {"base_filters": 16, "output_convolution": True, "d_base_filters": 64},
    "wide_d_decay": {"base_filters": 16, "output_convolution": True, "d_base_filters": 64,
                     "lr_decay": True},
    "wide_g_d": {"base_filters": 32, "output_convolution": True, "d_base_filters": 64},
}
# The best of the equal-time exploration (recipe_explore.py, RESULTS): `wide_d` with D
# unnormalized, lazy R1 (gamma 0.1 every 4 steps; Mescheder et al. 2018, Karras et al.
# 2020) and Adam(5e-4, beta=(0, 0.99)) for both networks.
R1_SMALL = {**CONFIGS["wide_d"], "d_normalization": "none", "r1_gamma": 0.1, "r1_every": 4,
            "beta_1": 0.0, "beta_2": 0.99, "g_learning_rate": 5e-4, "d_learning_rate": 5e-4}
CONFIGS.update({
    "r1_small": R1_SMALL,
    "r1_small_lr1e3": {**R1_SMALL, "g_learning_rate": 1e-3, "d_learning_rate": 1e-3},
    "r1_small_decay": {**R1_SMALL, "lr_decay": True},
    "r1_mid": {**R1_SMALL, "base_filters": 32},
    "r1_mid_lr1e3": {**R1_SMALL, "base_filters": 32, "g_learning_rate": 1e-3,
                     "d_learning_rate": 1e-3},
    # InfoGAN's categorical code (Chen et al. 2016) on r1_mid.
    "info": {**R1_SMALL, "base_filters": 32, "info_codes": 10},
    "info_lr1e3": {**R1_SMALL, "base_filters": 32, "info_codes": 10,
                   "g_learning_rate": 1e-3, "d_learning_rate": 1e-3},
})
# The paper's whole recipe (Radford et al. 2016: batch-normalized D, no R1, Adam(2e-4,
# 0.5, 0.999)) on the `paper` networks: what `dcgan-mnist` was before issue 17.
PAPER_RECIPE = {**PAPER, "d_normalization": "batch", "r1_gamma": None,
                "g_learning_rate": 2e-4, "d_learning_rate": 2e-4, "beta_1": 0.5,
                "beta_2": 0.999}
# Self-conditioning (`clusters`, the default since this sweep) with other cluster counts,
# and on the paper's recipe.
SELF_CONDITIONED = {"clusters50": {"clusters": 50}, "clusters100": {"clusters": 100},
                    "clusters100_lr5e4": {"clusters": 100, "g_learning_rate": 5e-4,
                                          "d_learning_rate": 5e-4},
                    "paper_recipe_clusters100": {**PAPER_RECIPE, "clusters": 100},
                    "paper_recipe_d64_clusters100": {**PAPER_RECIPE, "d_base_filters": 64,
                                                     "clusters": 100},
                    # The two time-scale update rule (Heusel et al. 2017) at SAGAN's 4:1
                    # ratio (Zhang et al. 2019): G at a quarter of D's 1e-3.
                    "clusters100_ttur4": {"clusters": 100, "g_learning_rate": 2.5e-4}}
# Every config but `shipped` predates self-conditioning (the `clusters` key, now 100 in the
# preset): they train unconditional GANs, as when they were measured.
for _name, _config in CONFIGS.items():
    if _name != "shipped":
        _config.setdefault("clusters", None)
CONFIGS.update(SELF_CONDITIONED)
# Every config but `shipped` and `clusters100_ttur4` predates the preset's G rate of 2.5e-4:
# they keep the 1e-3 they were measured with.
for _name, _config in CONFIGS.items():
    if _name not in ("shipped", "clusters100_ttur4"):
        _config.setdefault("g_learning_rate", 1e-3)


def _model_and_data(preset_name, config, steps):
    keras.utils.set_random_seed(0)
    preset = tfgan.presets.get(preset_name)
    return (preset.build(config, seed=0, steps=steps),
            preset.dataset(config, seed=0).repeat())


def step_seconds(preset_name, config, steps=100, warmup=20):
    """Seconds per training step of `config` (`_judged.step_seconds`)."""
    model, data = _model_and_data(preset_name, config, steps + warmup)
    return _judged.step_seconds(model, data, steps, warmup)


def _classified(model, judge, n=10_000, seed=1):
    """`(labels, predicted)`: labels cycled over a conditional model's classes and the
    class `judge`'s classifier gives each of their samples."""
    labels = np.arange(n) % model.num_classes
    predicted = np.argmax(judge.probabilities(model.generate(labels=labels, seed=seed)), -1)
    return labels, predicted


def label_accuracy(model, judge):
    """Share of a conditional model's samples (classes cycled) that `judge`'s classifier
    labels as the class they were drawn for."""
    labels, predicted = _classified(model, judge)
    return round(float(np.mean(predicted == labels)), 4)


def code_purity(model, judge):
    """Share of the samples of an InfoGAN (or SelfConditionedGAN) whose class (by `judge`)
    is the most common class of their code (cluster): 1 when every code makes one digit."""
    codes, predicted = _classified(model, judge)
    counts = np.zeros((model.num_classes, predicted.max() + 1))
    np.add.at(counts, (codes, predicted), 1)
    return round(float(counts.max(axis=1).sum() / len(codes)), 4)


def run(preset_name, name, judge, out, budget=None, epochs=None):
    config = tfgan.presets.get(preset_name).resolve(CONFIGS[name])
    steps_per_epoch = 19_690 // config["batch_size"]
    if budget:
        steps = int(budget / step_seconds(preset_name, config))
        timer = _judged.BudgetTimer(budget)
        callbacks = [timer]
    else:
        steps, timer, callbacks = epochs * steps_per_epoch, None, []
    model, data = _model_and_data(preset_name, config, steps)
    start = time.perf_counter()
    model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=callbacks)
    seconds = time.perf_counter() - start
    result = judge(model.generate, 10_000)
    shares = result.pop("class_shares")
    if isinstance(model, (tfgan.models.InfoGAN, tfgan.models.SelfConditionedGAN)):
        result["code_purity"] = code_purity(model, judge)
    elif isinstance(model, tfgan.models.ConditionalGAN):
        result["label_accuracy"] = label_accuracy(model, judge)
    tfgan.utils.save_grid(model.generate(64, seed=0),
                          out.with_name(f"{out.stem}_{preset_name}_{name}.png"))
    return {"preset": preset_name, "config": name, "resolved": config, "budget_s": budget,
            "planned_steps": steps, "steps": timer.steps if timer else steps,
            "train_s": round(seconds, 1), "generator_params": model.generator.count_params(),
            "class_min": min(shares), "class_max": max(shares), **result}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="dcgan-mnist",
                        choices=["dcgan-mnist", "cgan-mnist"])
    parser.add_argument("--configs", default="shipped",
                        help=f"comma-separated names from {sorted(CONFIGS)}")
    parser.add_argument("--budget", type=float, default=600.0,
                        help="seconds of training steps per run")
    parser.add_argument("--epochs", type=int, default=None,
                        help="train this many epochs instead of --budget seconds")
    parser.add_argument("--save", default="benchmarks/recipe_sweep.jsonl")
    args = parser.parse_args()
    names = args.configs.split(",")
    unknown = [name for name in names if name not in CONFIGS]
    if unknown:
        parser.error(f"unknown configs {unknown}; expected names from {sorted(CONFIGS)}")
    out = pathlib.Path(args.save)
    judge = _judged.ClassifierJudge("mnist")
    for name in names:
        record = run(args.preset, name, judge, out,
                     budget=None if args.epochs else args.budget, epochs=args.epochs)
        print(json.dumps(record), flush=True)
        with out.open("a") as f:
            f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
