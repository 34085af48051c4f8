"""The 2D mode-coverage benchmark (PacGAN / VEEGAN protocol) for tfgan losses and stabilizers.

Trains small MLP GANs on the ring of 8 Gaussians (σ = 0.01) and the grid of 25 Gaussians
(σ = 0.05), scores 2,500 samples of each run with `tfgan.metrics.mode_coverage` (high
quality = within 3σ of the nearest mean; a mode is captured by one high-quality sample) and
prints (and with `--write` appends to benchmarks/RESULTS.md) the mean ± std over seeds
next to the numbers published by Lin et al. 2018 (PacGAN, Table 2 / 3).

Usage:
    nice -n 5 python benchmarks/mixture_modes.py --seeds 5 --write
    python benchmarks/mixture_modes.py --configs preset --datasets ring8 --seeds 1 --steps 200
"""

import argparse
import os
import pathlib
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import tfgan  # noqa: E402
from tfgan.architectures import mlp_discriminator  # noqa: E402
from tfgan.architectures import mlp_generator  # noqa: E402
from tfgan.datasets import grid_of_gaussians  # noqa: E402
from tfgan.datasets import mixture_dataset  # noqa: E402
from tfgan.datasets import ring_of_gaussians  # noqa: E402
from tfgan.metrics import mode_coverage  # noqa: E402

NUM_SAMPLES = 2500  # the protocol's sample count
PUBLISHED = {  # Lin et al. 2018 (PacGAN), Tables 2-3: (modes, % high quality)
    "ring8": [("GAN (PacGAN paper)", 6.3, 98.2), ("PacGAN4 (paper)", 7.8, 95.9),
              ("VEEGAN (paper)", 8.0, 52.9)],
    "grid25": [("GAN (PacGAN paper)", 17.3, 94.8), ("PacGAN4 (paper)", 24.8, 93.6),
               ("VEEGAN (paper)", 24.6, 40.0)],
}
MIXTURES = {"ring8": ring_of_gaussians, "grid25": grid_of_gaussians}
SCALES = {"ring8": 1.0, "grid25": 4.0}  # networks work at unit scale


def adam(lr, beta_1=0.5, beta_2=0.999):
    return keras.optimizers.Adam(learning_rate=lr, beta_1=beta_1, beta_2=beta_2)


# Each config: (description, GAN kwargs, D builder kwargs, compile kwargs factory).
CONFIGS = {
    "plain": ("non-saturating GAN, Adam(1e-3, 0.5)", {}, {},
              lambda: {"g_optimizer": adam(1e-3), "d_optimizer": adam(1e-3)}),
    "pacgan4": ("+ PacGAN packing m = 4", {}, {"packing": 4},
                lambda: {"g_optimizer": adam(1e-3), "d_optimizer": adam(1e-3)}),
    "wgan_gp": ("WGAN-GP (λ = 10, 5 D steps, Adam(1e-4, 0, 0.9))", {}, {},
                lambda: tfgan.models.preset("wgan_gp")),
    "preset": ("tfgan 2D preset: PacGAN4 + R1(γ = 0.1) + EMA(0.999), Adam(1e-3, 0.5)",
               {"ema_decay": 0.999}, {"packing": 4},
               lambda: {"g_optimizer": adam(1e-3), "d_optimizer": adam(1e-3),
                        "penalty": tfgan.penalties.R1Penalty(gamma=0.1)}),
}


def run(dataset, config, seed, steps, batch_size, units, latent_dim=2):
    description, gan_kwargs, d_kwargs, compile_kwargs = CONFIGS[config]
    mixture = MIXTURES[dataset]()
    keras.utils.set_random_seed(seed)
    scale = SCALES[dataset]
    generator = mlp_generator(latent_dim=latent_dim, units=units, num_layers=3, scale=scale)
    discriminator = mlp_discriminator(units=units, num_layers=3, scale=scale, **d_kwargs)
    gan = tfgan.GAN(generator, discriminator, seed=seed, **gan_kwargs)
    gan.compile(steps_per_execution=100, **compile_kwargs())
    data = mixture_dataset(mixture, batch_size, seed=seed)
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    gan.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
    samples = gan.generate(NUM_SAMPLES, seed=1000 + seed)
    score = mode_coverage(samples, mixture.means, mixture.std)
    keras.backend.clear_session()
    return score, cpu, wall


def table(results, seeds, steps, batch_size, command):
    lines = ["## 2D mode coverage (PacGAN / VEEGAN protocol)", "",
             f"Command: `{command}`", "",
             f"{NUM_SAMPLES} samples per run, {seeds} seeds (0..{seeds - 1}), {steps} steps of "
             f"batch {batch_size}, MLP G/D (3 hidden layers), 2D latent. High quality: within "
             "3σ of the nearest mean; a mode is captured by one high-quality sample; reverse "
             "KL of the high-quality mode histogram to uniform. `all` = runs capturing every "
             "mode. CPU = process CPU seconds of `fit` per run (shared 2-core machine).", ""]
    for dataset in results:
        lines += [f"### {dataset}", "",
                  "| config | modes (mean ± std) | % high quality | reverse KL | all modes | "
                  "CPU s / run |", "| --- | --- | --- | --- | --- | --- |"]
        for config, runs in results[dataset].items():
            modes = np.array([r[0]["modes"] for r in runs])
            hq = np.array([100 * r[0]["high_quality"] for r in runs])
            kl = np.array([r[0]["reverse_kl"] for r in runs])
            cpu = np.array([r[1] for r in runs])
            total = len(MIXTURES[dataset]().means)
            lines.append(
                f"| {CONFIGS[config][0]} | {modes.mean():.1f} ± {modes.std():.1f} | "
                f"{hq.mean():.1f} ± {hq.std():.1f} | {kl.mean():.3f} ± {kl.std():.3f} | "
                f"{int(np.sum(modes == total))}/{len(runs)} | {cpu.mean():.0f} |")
        for name, modes, hq in PUBLISHED[dataset]:
            lines.append(f"| {name} | {modes} | {hq} | | | |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="ring8,grid25")
    parser.add_argument("--configs", default="plain,pacgan4,wgan_gp,preset")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--units", type=int, default=128)
    parser.add_argument("--write", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    command = "python benchmarks/mixture_modes.py " + " ".join(argv or sys.argv[1:])
    results = {}
    for dataset in args.datasets.split(","):
        results[dataset] = {}
        for config in args.configs.split(","):
            runs = []
            for seed in range(args.seeds):
                score, cpu, wall = run(dataset, config, seed, args.steps, args.batch_size,
                                       args.units)
                runs.append((score, cpu, wall))
                print(f"{dataset} {config} seed={seed}: modes={score['modes']} "
                      f"hq={100 * score['high_quality']:.1f}% kl={score['reverse_kl']:.3f} "
                      f"cpu={cpu:.0f}s wall={wall:.0f}s", flush=True)
            results[dataset][config] = runs
    text = table(results, args.seeds, args.steps, args.batch_size, command)
    print(text)
    if args.write:
        path = pathlib.Path(__file__).resolve().parent / "RESULTS.md"
        previous = path.read_text() if path.exists() else "# Benchmark results\n\n"
        path.write_text(previous.rstrip("\n") + "\n\n" + text + "\n")


if __name__ == "__main__":
    main()
