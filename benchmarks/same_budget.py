"""Presets side by side at the same training budget, judged by a shipped classifier.

Each run (`LABEL=PRESET[:key=value,...]`, config overrides as `tfgan train --set`) trains
with `fit` on the preset's data until it has spent `--budget` seconds in train steps
after the first (whose graph tracing is recorded apart; data loading and evaluation are
not counted), one after the other in this process. The budget
is counted in this process's CPU seconds (`--clock cpu`, the default) so that other load on
the machine favours no run; on an idle 2-core machine one wall-clock second of training is
about 2 CPU seconds. `--clock wall` counts wall-clock seconds instead.

Then `--samples` images of the sampling generator (EMA where the preset keeps one; latent
seed 0) are judged by the shipped classifier of `--judge`: its score (the Inception Score
computed with the classifier, 10 splits), FID and KID in its 128-d feature space against the
training images, and the share of each predicted class. These are tfgan's feature spaces,
not InceptionV3's: compare numbers within this table only. Images larger than the judge's
(StyleGAN's 32x32 MNIST, padded by 2 pixels) are centre-cropped, not resized.
`--random-inception N` adds FID/KID of N samples against the first N training images in
the features of an InceptionV3 with seeded random weights (one network judges every run
of the invocation; not the network of published FIDs). StyleGAN runs
are also judged at each truncation ψ in `--psi`. One JSON line per run and ψ goes to
`--save`; grids (and StyleGAN's truncation rows and style-mixing grids, coarse styles 0-3
and fine styles 4+ from the top row) to `--out`; the trained models to `--models`.

    python benchmarks/same_budget.py --judge mnist --budget 1200 \\
        --runs stylegan=stylegan-mnist dcgan=dcgan-mnist --save benchmarks/same_budget.jsonl
"""

import argparse
import json
import pathlib
import sys
import time

import keras
import numpy as np

import tfgan
from tfgan.utils.io import append_json_line
from tfgan.utils.io import save_model

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _judged  # noqa: E402

STEPS_GUESS = 100_000  # run length for presets whose LR follows it (none of the image ones)


def parse_run(spec):
    """`LABEL=PRESET[:key=value,...]` → (label, preset, overrides); values are JSON."""
    label, _, rest = spec.partition("=")
    name, _, settings = rest.partition(":")
    if not label or not name:
        raise ValueError(f"A run is LABEL=PRESET[:key=value,...]. Received: {spec!r}")
    overrides = {}
    for item in filter(None, settings.split(",")):
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    return label, name, overrides


def train(preset, overrides, budget, clock, seed, data_dir):
    keras.utils.set_random_seed(seed)
    config = preset.resolve(overrides)
    model = preset.build(config, seed=seed, steps=STEPS_GUESS)
    data = preset.dataset(config, seed=seed, data_dir=data_dir).repeat()
    timer = _judged.BudgetTimer(budget, clock)
    start = time.perf_counter()
    model.fit(data, epochs=100_000, steps_per_epoch=100, verbose=0, callbacks=[timer])
    return model, config, {"train_seconds": round(timer.spent, 1), "clock": clock,
                           "first_step_seconds": round(timer.first_step, 1),
                           "steps": timer.steps,
                           "wall_seconds_with_overhead": round(time.perf_counter() - start, 1)}


def pictures(model, out, label):
    out.mkdir(parents=True, exist_ok=True)
    tfgan.utils.save_grid(model.generate(64, seed=1), out / f"{label}_samples.png", rows=8)
    if isinstance(model, tfgan.StyleGAN):
        latents = model.sample_latents(8, seed=2)
        psis = (1.0, 0.7, 0.5, 0.0)
        rows = [model.generate(latents=latents, truncation_psi=psi) for psi in psis]
        tfgan.utils.save_grid(np.concatenate(rows), out / f"{label}_truncation.png",
                              rows=len(psis))
        for part, layers in (("coarse", range(0, 4)), ("fine", range(4, model.num_ws))):
            grid = model.style_mix(list(range(10, 16)), list(range(20, 24)), layers=layers)
            tfgan.utils.save_grid(grid, out / f"{label}_style_mixing_{part}.png", rows=5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="+", required=True)
    parser.add_argument("--budget", type=float, required=True, help="training seconds per run")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("--judge", choices=_judged.JUDGES, required=True)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--random-inception", type=int, default=0, metavar="N",
                        help="also FID/KID of N samples against N training images in "
                             "a seeded random-weight InceptionV3's features (0: not)")
    parser.add_argument("--psi", default="1,0.7,0.5", help="truncation ψ values (StyleGAN)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default=str(_judged.TFDS_DIR))
    parser.add_argument("--out", default="runs/same_budget", help="pictures")
    parser.add_argument("--models", default="runs/same_budget", help="trained models")
    parser.add_argument("--save", default="benchmarks/same_budget.jsonl")
    args = parser.parse_args()
    runs = [parse_run(spec) for spec in args.runs]
    presets = [(label, tfgan.presets.get(name), name, o) for label, name, o in runs]
    judge = _judged.ClassifierJudge(args.judge, data_dir=args.data_dir)
    random_judge = None if args.random_inception <= 0 else _judged.RandomInceptionJudge(
        args.judge, args.random_inception, seed=args.seed, data_dir=args.data_dir)
    command = "python " + " ".join(sys.argv)
    pathlib.Path(args.models).mkdir(parents=True, exist_ok=True)
    for label, preset, name, overrides in presets:
        model, config, timing = train(preset, overrides, args.budget, args.clock, args.seed,
                                      args.data_dir)
        pictures(model, pathlib.Path(args.out), label)
        save_model(model, pathlib.Path(args.models) / f"{label}.keras")
        psis = [float(p) for p in args.psi.split(",")] if isinstance(
            model, tfgan.StyleGAN) else [1.0]
        for psi in psis:
            extra = {"truncation_psi": psi} if psi != 1.0 else {}
            def sample(n, seed):
                return model.generate(n, seed=seed, **extra)

            record = {"run": label, "preset": name, "overrides": overrides,
                      "truncation_psi": psi, **timing, **judge(sample, args.samples),
                      **(random_judge(sample) if random_judge else {}),
                      "judge": judge.name, "command": command}
            print(json.dumps(record), flush=True)
            append_json_line(args.save, record)


if __name__ == "__main__":
    main()
