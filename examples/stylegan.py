"""StyleGAN2 on MNIST (or CIFAR-10) with `model.fit`: style mixing and truncation.

Title: StyleGAN2 on 32x32 images
Papers: Karras, Laine & Aila, "A Style-Based Generator Architecture for Generative
        Adversarial Networks", CVPR 2019; Karras et al., "Analyzing and Improving the
        Image Quality of StyleGAN", CVPR 2020.

This script trains the `stylegan-mnist` preset (or `stylegan-cifar10` with `--preset`) —
a mapping network, a synthesis network of modulated convolutions, a residual
discriminator, style mixing, lazy R1 and path-length regularization, an EMA generator —
and then writes the pictures StyleGAN is known for: samples, a truncation row and a
style-mixing grid. Everything is plain Keras ops: it runs on a CPU and exports to ONNX.
Run it as

    python examples/stylegan.py --epochs 10 --out runs/stylegan_mnist

and with `--smoke` (two steps, tiny networks) to check that everything is wired.
"""

import argparse
import pathlib

import keras
import numpy as np

import tfgan

# ## Hyperparameters
# The preset holds the StyleGAN2 recipe (Adam 0.0025 with β = (0, 0.99), R1 every 16
# steps, path length weight 2 every 4, mixing probability 0.9, EMA half-life 10k images);
# the flags override a few of its keys.

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--preset", default="stylegan-mnist",
                    choices=["stylegan-mnist", "stylegan-cifar10"])
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--latent-dim", type=int, default=128)
parser.add_argument("--data-dir", default=None,
                    help="TFDS data directory (stylegan-cifar10); stylegan-mnist uses the "
                         "embedded MNIST subset (offline)")
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--out", default="runs/stylegan")
parser.add_argument("--smoke", action="store_true",
                    help="two steps with tiny networks (for CI)")
args = parser.parse_args()
keras.utils.set_random_seed(args.seed)

preset = tfgan.presets.get(args.preset)
config = {"batch_size": args.batch_size, "latent_dim": args.latent_dim}
if args.smoke:
    config.update({"batch_size": 8, "latent_dim": 8, "mapping_layers": 2,
                   "base_filters": 2, "max_filters": 8})

# ## Data
# MNIST digits are padded with black from 28x28 to 32x32, the next size the synthesis
# network doubles up to (4, 8, 16, 32); nothing is cropped or blurred.

dataset = preset.dataset(config, seed=args.seed, data_dir=args.data_dir)

# ## The model
# `style_generator` is two functional models nested in one: `mapping` (z → w, 8 equalized
# dense layers with a 0.01 learning-rate multiplier) and `synthesis` (one style per
# modulated convolution, from a learned 4x4 constant, with per-pixel noise and summed
# ToRGB outputs). `tfgan.StyleGAN` trains it like any tfgan GAN; its stabilizers are
# `R1Penalty(γ, every=16)` and `PathLengthPenalty()`.

model = preset.build(config, seed=args.seed)
print(f"{model.num_ws} styles of size {model.w_dim}; stabilizers: {model.stabilizers}")

# ## Training
# `SaveSampleGrid` writes samples of the same latents after every epoch (EMA generator).

out = pathlib.Path(args.out)
callbacks = [tfgan.callbacks.SaveSampleGrid(out / "samples", seed=args.seed)]
steps = {"epochs": 1, "steps_per_epoch": 2} if args.smoke else {"epochs": args.epochs}
model.fit(dataset, callbacks=callbacks, verbose=2, **steps)

# ## Truncation
# `w_avg` is the running mean of w. Pulling every style towards it, w_avg + ψ·(w − w_avg),
# trades variety for typicality: one row per ψ, the same latents in every column.

psis = [1.0, 0.7, 0.5, 0.0]
latents = model.sample_latents(8, seed=args.seed)
rows = [model.generate(latents=latents, truncation_psi=psi) for psi in psis]
tfgan.utils.save_grid(np.concatenate(rows), out / "truncation.png", rows=len(psis))

# ## Style mixing
# Row 0: source images; column 0: targets. Each cell is its target with the coarse styles
# (layers 0-3: 4x4 and 8x8, pose and shape) of its column's source; the fine styles keep
# the target's stroke and texture.

sources, targets = [1, 2, 3, 4, 5], [6, 7, 8]
grid = model.style_mix(sources, targets, layers=range(0, 4))
tfgan.utils.save_grid(grid, out / "style_mixing.png", rows=1 + len(targets))

# ## Interpolation in W
# StyleGAN interpolates linearly in W (the space the styles live in), not with slerp in Z.

tfgan.latent.interpolation_grid(model, num_rows=4, steps=8, seed=args.seed, space="w",
                                path=out / "w_interpolation.png")

# ## Keeping the model
# The whole model (both networks, optimizers, w_avg, path-length mean) and an export with
# `z` and `truncation_psi` inputs (and a `mix` signature), checked against ONNX.

tfgan.utils.save_model(model, out / "stylegan.keras")
if not args.smoke:
    tfgan.export.export_generator(model, out / "export", overwrite=True)
print(f"Pictures in {out}; model in {out / 'stylegan.keras'}")
