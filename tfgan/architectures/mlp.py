"""Multilayer-perceptron builders for low-dimensional data (the 2D mixture benchmark)."""

import keras
from keras import layers

from tfgan.layers.minibatch_stddev import MinibatchStdDev
from tfgan.layers.packing import Pack
from tfgan.layers.spectral_normalization import SpectralNorm
from tfgan.utils.validation import check_positive_int


def _check_positive(**values):
    for arg, value in values.items():
        check_positive_int(arg, value)


def mlp_generator(output_dim=2, latent_dim=2, units=128, num_layers=3, batch_norm=False,
                  scale=1.0, name="generator"):
    """Builds an MLP generator `z → x ∈ R^output_dim` with ReLU hidden layers.

    PacGAN's 2D experiments (Lin et al. 2018, after VEEGAN) use 4 hidden layers of 400
    units with batch norm and a 2D latent; the defaults here are smaller and train in
    seconds on a CPU.

    Args:
        output_dim: data dimension. Default 2.
        latent_dim: size of `z`. Default 2.
        units: width of each hidden layer.
        num_layers: number of hidden layers.
        batch_norm: batch normalization after each hidden dense layer.
        scale: the data's scale: the linear output is multiplied by it, so the network
            works at unit scale (4 for the grid of 25 Gaussians at {-4, ..., 4}²; pair it
            with `mlp_discriminator(scale=...)`). Default 1.
        name: model name.

    Returns:
        A functional `keras.Model` `(batch, latent_dim) → (batch, output_dim)` with a
        linear float32 output.
    """
    _check_positive(output_dim=output_dim, latent_dim=latent_dim, units=units,
                    num_layers=num_layers)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for _ in range(num_layers):
        x = layers.Dense(units, use_bias=not batch_norm)(x)
        if batch_norm:
            x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    outputs = layers.Dense(output_dim, dtype="float32")(x)
    outputs = layers.Rescaling(float(scale), dtype="float32", name="samples")(outputs)
    return keras.Model(z, outputs, name=name)


def mlp_discriminator(input_dim=2, units=128, num_layers=3, packing=1, minibatch_stddev=False,
                      spectral_norm=False, scale=1.0, name="discriminator"):
    """Builds an MLP discriminator `x → logit` with LeakyReLU(0.2) hidden layers.

    Args:
        input_dim: data dimension. Default 2.
        units: width of each hidden layer.
        num_layers: number of hidden layers.
        packing: PacGAN packing degree m (`tfgan.layers.Pack`): D judges m samples
            concatenated and returns one logit per pack. Default 1 (no packing).
        minibatch_stddev: append the minibatch standard deviation (group of 4) before the
            last hidden layer (Karras et al. 2018).
        spectral_norm: wrap every dense layer in `tfgan.layers.SpectralNorm`.
        scale: the data's scale: inputs are divided by it first. Default 1.
        name: model name.

    Returns:
        A functional `keras.Model` `(batch, input_dim) → (batch / packing, 1)`, float32
        logits. The hidden features are available as the layer named `"features"`.
    """
    _check_positive(input_dim=input_dim, units=units, num_layers=num_layers, packing=packing)

    def dense(n, **kwargs):
        layer = layers.Dense(n, **kwargs)
        return SpectralNorm(layer) if spectral_norm else layer

    x_in = keras.Input((input_dim,), name="samples")
    x = layers.Rescaling(1.0 / float(scale))(x_in) if scale != 1 else x_in
    x = Pack(packing)(x) if packing > 1 else x
    for i in range(num_layers):
        if minibatch_stddev and i == num_layers - 1:
            x = MinibatchStdDev(group_size=4)(x)
        x = dense(units)(x)
        x = layers.LeakyReLU(0.2, name="features" if i == num_layers - 1 else None)(x)
    logits = dense(1, dtype="float32", name="logits")(x)
    return keras.Model(x_in, logits, name=name)
