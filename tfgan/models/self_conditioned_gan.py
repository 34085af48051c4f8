"""Self-conditioned GAN: a class-conditional GAN on clusters of unlabelled images."""

import keras
import numpy as np
import tensorflow as tf

from tfgan.models.conditional_gan import ConditionalGAN
from tfgan.models.conditional_gan import check_labels

# Step of the low-discrepancy sequence of `default_labels`: 1/φ (golden ratio).
_GOLDEN = 0.6180339887498949


@keras.saving.register_keras_serializable(package="tfgan")
class SelfConditionedGAN(ConditionalGAN):
    """A class-conditional GAN whose classes are clusters of the training images (Liu et
    al. 2020), so it learns like a conditional GAN from images without labels.

    Train it on `(images, cluster)` batches, e.g. from `tfgan.datasets.with_clusters`
    (k-means of the pooled pixels, fit once; Liu et al. recluster the discriminator's
    features during training, which this class leaves out). The generator `[z, cluster] → image` and the
    discriminator `[image, cluster] → logit` are those of a `ConditionalGAN` (e.g. an
    embedding G and a projection D from `tfgan.architectures.conditional_dcgan_*`).
    Conditioning on a cluster makes each D judge images against similar ones, which on
    MNIST gives clean digits in a fraction of an unconditional GAN's training time
    (`benchmarks/RESULTS.md`, issue 17).

    The model counts the clusters of the batches it trains on (`cluster_counts`, saved with
    it), and `generate` without `labels` draws clusters in those proportions, so samples
    follow the data's mix as an unconditional GAN's should. `generate(labels=...)` still
    picks clusters.

    Args:
        generator: a Keras model `[z, clusters] → images`.
        discriminator: a Keras model `[images, clusters] → logits (batch, 1)`.
        num_clusters: number of clusters (the labels' range).
        latent_dim: size of `z`; `None` reads it from the generator's first input.
        seed: seed of the latent noise (see `GAN`).
        **kwargs: passed to `ConditionalGAN` (e.g. `ema_decay`) and `keras.Model`.
    """

    def __init__(self, generator, discriminator, num_clusters, latent_dim=None, seed=None,
                 **kwargs):
        super().__init__(generator, discriminator, num_classes=num_clusters,
                         latent_dim=latent_dim, seed=seed, **kwargs)
        self.cluster_counts = self.add_weight(
            shape=(self.num_classes,), dtype="float32", initializer="zeros",
            trainable=False, name="cluster_counts", aggregation="sum")

    @property
    def num_clusters(self):
        return self.num_classes

    @property
    def cluster_shares(self):
        """The share of each cluster among the trained images (uniform before training)."""
        counts = np.asarray(keras.ops.convert_to_numpy(self.cluster_counts), "float64")
        if counts.sum() <= 0:
            return np.full(self.num_classes, 1.0 / self.num_classes)
        return counts / counts.sum()

    def train_step(self, data):
        _, clusters = self.unpack(data)
        clusters = check_labels(clusters, self.num_classes)
        self.cluster_counts.assign_add(tf.math.bincount(
            clusters, minlength=self.num_classes, maxlength=self.num_classes,
            dtype="float32"))
        return super().train_step(data)

    def default_labels(self, count):
        """`count` clusters in the trained proportions: a deterministic low-discrepancy
        sequence (every prefix is close to the proportions, so a 64-image grid is)."""
        positions = (np.arange(int(count)) * _GOLDEN + 0.5) % 1.0
        cumulative = np.cumsum(self.cluster_shares)
        return np.minimum(np.searchsorted(cumulative, positions, side="right"),
                          self.num_classes - 1)

    def get_config(self):
        config = super().get_config()
        config["num_clusters"] = config.pop("num_classes")
        if config.pop("auxiliary_weight") is not None:
            config["auxiliary_weight"] = self.auxiliary_weight
        return config
