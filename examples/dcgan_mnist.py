"""DCGAN on MNIST with `model.fit`.

Title: DCGAN on MNIST
Paper: Radford, Metz & Chintala, "Unsupervised Representation Learning with Deep
       Convolutional Generative Adversarial Networks", ICLR 2016.

This script trains a DCGAN on handwritten digits with nothing but Keras' `fit`, and writes a
grid of samples after every epoch. Run it as

    python examples/dcgan_mnist.py --epochs 20 --out runs/dcgan_mnist

and with `--smoke` (two steps) to check that everything is wired.
"""

import argparse
import pathlib

import keras

import tfgan

# ## Hyperparameters
# Defaults follow the DCGAN paper (Adam 2e-4, β1 = 0.5) with narrower networks (32 base
# filters) and a 64-d latent, which train in minutes on a CPU.

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--epochs", type=int, default=20)
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--latent-dim", type=int, default=64)
parser.add_argument("--base-filters", type=int, default=32)
parser.add_argument("--learning-rate", type=float, default=2e-4)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--data-dir", default=None,
                    help="TFDS data directory with a prepared `mnist`; without it the "
                         "embedded MNIST subset is used (offline)")
parser.add_argument("--out", default="runs/dcgan_mnist")
parser.add_argument("--smoke", action="store_true", help="run two steps only (for CI)")
args = parser.parse_args()
keras.utils.set_random_seed(args.seed)

# ## Data
# Images are scaled to [-1, 1] to match the generator's tanh output. With `--data-dir` the
# data comes from TensorFlow Datasets; otherwise from the MNIST subset shipped with tfgan.

if args.data_dir:
    dataset = tfgan.datasets.from_tfds("mnist", data_dir=args.data_dir,
                                       batch_size=args.batch_size, seed=args.seed)
else:
    dataset = tfgan.datasets.embedded_mnist(batch_size=args.batch_size, seed=args.seed)

# ## Networks
# The generator projects z to 7x7 feature maps and upsamples twice with stride-2
# transposed convolutions; the discriminator mirrors it with strided convolutions.

generator = tfgan.architectures.dcgan_generator(
    (28, 28, 1), latent_dim=args.latent_dim, base_filters=args.base_filters)
discriminator = tfgan.architectures.dcgan_discriminator(
    (28, 28, 1), base_filters=args.base_filters)

# ## The GAN
# `tfgan.GAN` alternates one discriminator and one generator update per batch. The
# non-saturating loss is the paper's practical choice for the generator.

gan = tfgan.GAN(generator, discriminator, seed=args.seed)
gan.compile(
    g_optimizer=keras.optimizers.Adam(args.learning_rate, beta_1=0.5),
    d_optimizer=keras.optimizers.Adam(args.learning_rate, beta_1=0.5),
    loss="non_saturating",
)

# ## Training
# `SaveSampleGrid` writes samples of the same 64 latents after every epoch.

out = pathlib.Path(args.out)
callbacks = [tfgan.callbacks.SaveSampleGrid(out / "samples", seed=args.seed)]
if args.smoke:
    gan.fit(dataset, epochs=1, steps_per_epoch=2, callbacks=callbacks, verbose=2)
else:
    gan.fit(dataset, epochs=args.epochs, callbacks=callbacks, verbose=2)

# ## Keeping the generator
# The generator alone is what sampling and serving need.

tfgan.utils.save_model(gan.generator, out / "generator.keras")
print(f"Samples in {out / 'samples'}; generator in {out / 'generator.keras'}")
