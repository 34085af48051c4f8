"""BigGAN generators and discriminators (Brock et al. 2019).

The class-conditional ResNet GAN of "Large Scale GAN Training for High Fidelity Natural
Image Synthesis":

- generator: a class embedding `shared(y)` shared by all blocks, and hierarchical latents:
  `z` is split into one chunk for the first dense layer and one per residual up-block;
  block `k`'s conditional batch norms (`tfgan.layers.ConditionedBatchNormalization`) take
  gains and biases linear in `[z_k, shared(y)]`;
- discriminator: spectrally normalized residual down-blocks (as SNGAN's,
  `tfgan.architectures.sngan`) and the projection head of Miyato & Koyama 2018,
  `D(x, y) = ψ(φ(x)) + embed(y)ᵀ φ(x)`, with a spectrally normalized embedding.

Both take integer labels `(batch,)` through an input named `labels` (int32), as
`tfgan.ConditionalGAN` expects. BigGAN trains with the hinge loss, Adam(β1 = 0,
β2 = 0.999), G and D learning rates 5e-5 and 2e-4 at 128x128 (2e-4 both at 32x32), and
`tfgan.stabilizers.OrthogonalRegularization()` on G. The paper also spectrally normalizes G
and keeps an EMA of its weights (`tfgan.GAN(ema_decay=...)`); G here has no spectral norm.
"""

import keras
from keras import layers

from tfgan.architectures.conditional_dcgan import _check_classes
from tfgan.architectures.conditional_dcgan import _labels_input
from tfgan.architectures.dcgan import check_self_attention
from tfgan.architectures.dcgan import maybe_attend
from tfgan.architectures.sngan import check_resnet_shape
from tfgan.architectures.sngan import generator_block
from tfgan.architectures.sngan import resnet_discriminator_features
from tfgan.layers.conditioned_batch_normalization import ConditionedBatchNormalization
from tfgan.layers.spectral_normalization import SpectralNorm
from tfgan.utils.validation import check_positive_int


def latent_chunks(z, num_chunks):
    """Splits the symbolic `z` `(batch, latent_dim)` into `num_chunks` equal chunks with
    serializable layers (reshape, crop, flatten)."""
    latent_dim = int(z.shape[-1])
    size = latent_dim // num_chunks
    columns = layers.Reshape((latent_dim, 1), name="z_columns")(z)
    return [layers.Flatten(name=f"z_chunk_{k}")(
        layers.Cropping1D((k * size, latent_dim - (k + 1) * size))(columns))
        for k in range(num_chunks)]


def biggan_generator(num_classes, image_shape=(32, 32, 3), latent_dim=120, base_filters=256,
                     shared_dim=128, self_attention=None, name="generator"):
    """Builds a BigGAN generator: `[z, labels]` → images in [-1, 1].

    With `k` up-blocks (size = 4·2^k), `z` is split into `k + 1` chunks of
    `latent_dim / (k + 1)`: chunk 0 feeds the dense layer to a 4x4 map, chunk `i` the
    conditional batch norms of up-block `i` together with the shared class embedding. The
    up-blocks are SNGAN's (BN, ReLU, ×2, conv3, BN, ReLU, conv3 + ×2, conv1) with
    conditional BN; then BN, ReLU, conv3 and tanh.

    Args:
        num_classes: number of classes.
        image_shape: `(size, size, channels)` with size = 4·2^k, k ≥ 1; 32x32 in BigGAN's
            CIFAR-10 model.
        latent_dim: size of `z`, a multiple of `k + 1`. Default 120 (Brock et al. 2019:
            4 chunks of 30 at 32x32, 6 of 20 at 128x128).
        base_filters: channels of every block. Default 256 (BigGAN at 32x32: 4 × 64).
        shared_dim: size of the shared class embedding. Default 128 (Brock et al. 2019).
        self_attention: a hidden resolution (4 ... size/2) after whose block a
            `tfgan.layers.SelfAttention` block is inserted (BigGAN attends at 64x64 in its
            128x128 model). `None` (default) adds none.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `z` `(batch, latent_dim)` and `labels`
        `(batch,)` int32, and output `images` `(batch, *image_shape)` float32.
    """
    num_classes = _check_classes(num_classes)
    image_shape, n = check_resnet_shape(image_shape)
    latent_dim = check_positive_int("latent_dim", latent_dim)
    if latent_dim % (n + 1):
        raise ValueError(f"`latent_dim` must be a multiple of the {n + 1} latent chunks (one "
                         f"per up-block plus one) of {image_shape[0]}x{image_shape[0]} "
                         f"images. Received: latent_dim={latent_dim}")
    base_filters = check_positive_int("base_filters", base_filters)
    shared_dim = check_positive_int("shared_dim", shared_dim)
    check_self_attention(self_attention, [4 * 2 ** i for i in range(n)])
    z = keras.Input((latent_dim,), name="z")
    labels = _labels_input()
    shared = layers.Embedding(num_classes, shared_dim, name="shared_embedding")(labels)
    chunks = latent_chunks(z, n + 1)
    x = layers.Dense(4 * 4 * base_filters, name="dense")(chunks[0])
    x = maybe_attend(layers.Reshape((4, 4, base_filters))(x), self_attention)
    for k in range(1, n + 1):
        condition = layers.Concatenate(name=f"condition_{k}")([chunks[k], shared])
        x = generator_block(
            x, base_filters, normalize=lambda t, c=condition: ConditionedBatchNormalization()(
                [t, c]))
        x = maybe_attend(x, self_attention)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Conv2D(image_shape[2], 3, padding="same")(x)
    images = layers.Activation("tanh", dtype="float32", name="images")(x)
    return keras.Model([z, labels], images, name=name)


def biggan_discriminator(num_classes, image_shape=(32, 32, 3), base_filters=256,
                         self_attention=None, name="discriminator"):
    """Builds a BigGAN discriminator: `[images, labels]` → one logit.

    `φ(x)`: SNGAN's spectrally normalized ResNet trunk (an optimized down-block, `k - 1`
    down-blocks, 2 blocks without downsampling, ReLU, global sum pooling); the logit is
    `SN-dense(φ(x)) + SN-embed(y)ᵀ φ(x)` (projection discriminator, Miyato & Koyama 2018),
    the embedding being a spectrally normalized bias-free dense layer on the one-hot label.

    Args:
        num_classes: number of classes.
        image_shape: `(size, size, channels)` with size = 4·2^k, k ≥ 1.
        base_filters: channels of every block. Default 256 (BigGAN at 32x32: 4 × 64).
        self_attention: a hidden resolution (size/2 ... 4) after whose block a spectrally
            normalized `SelfAttention` block is inserted. `None` (default) adds none.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `images` and `labels` `(batch,)` int32 and
        output `logits` `(batch, 1)` float32.
    """
    num_classes = _check_classes(num_classes)
    image_shape, n = check_resnet_shape(image_shape)
    base_filters = check_positive_int("base_filters", base_filters)
    check_self_attention(self_attention, [image_shape[0] // 2 ** i for i in range(1, n + 1)])
    images = keras.Input(image_shape, name="images")
    labels = _labels_input()
    features = resnet_discriminator_features(images, n, base_filters, self_attention)
    logit = SpectralNorm(layers.Dense(1, dtype="float32"), name="adversarial")(features)
    one_hot = layers.CategoryEncoding(num_classes, "one_hot")(labels)
    embedded = SpectralNorm(layers.Dense(base_filters, use_bias=False),
                            name="projection")(one_hot)
    inner = layers.Dot(axes=1, dtype="float32")([embedded, features])
    logits = layers.Add(dtype="float32", name="logits")([logit, inner])
    return keras.Model([images, labels], logits, name=name)
