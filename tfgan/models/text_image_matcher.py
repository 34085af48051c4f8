"""A text-image matching model: DAMSM's sentence-level encoders (AttnGAN, Xu et al. 2018)."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.layers.text_vectorizer import token_ids
from tfgan.layers.text_vectorizer import tokenize
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.validation import check_non_negative


def matching_loss(image_embeddings, text_embeddings, tokens, gamma=10.0):
    """DAMSM's sentence loss: each image picks its caption among the batch's, and each
    caption its image (Xu et al. 2018, eqs. 10-11, with the sentence vectors).

    Scores are cosine similarities times `gamma`; the loss is the mean of the two
    softmax cross-entropies. Rows with identical captions (the same tokens) are all
    correct answers, with equal target probability, so a batch holding "a seven" twice is
    not taught that one of them is wrong.

    Args:
        image_embeddings: `(batch, d)`.
        text_embeddings: `(batch, d)`, row `i` the caption of image `i`.
        tokens: the captions' token ids `(batch, length)`, to find identical captions.
        gamma: the smoothing factor γ3. Default 10 (AttnGAN).

    Returns:
        A float32 scalar.
    """
    images = ops.normalize(ops.cast(image_embeddings, "float32"), axis=-1)
    texts = ops.normalize(ops.cast(text_embeddings, "float32"), axis=-1)
    logits = gamma * ops.matmul(images, ops.transpose(texts))
    same = ops.cast(ops.all(ops.equal(tokens[:, None, :], tokens[None, :, :]), axis=-1),
                    "float32")
    targets = same / ops.sum(same, axis=1, keepdims=True)  # symmetric: rows = columns
    cross_entropy = keras.losses.categorical_crossentropy
    return 0.5 * (ops.mean(cross_entropy(targets, logits, from_logits=True))
                  + ops.mean(cross_entropy(targets, ops.transpose(logits), from_logits=True)))


@keras.saving.register_keras_serializable(package="tfgan")
class TextImageMatcher(keras.Model):
    """Image and caption encoders into one space, trained to match (DAMSM, sentence level).

    `fit` on `(images, captions)` batches (images in [-1, 1], captions as strings or token
    ids) minimizes `matching_loss`. A trained matcher scores how well an image fits a
    caption (`score`, the cosine similarity): the scorer of R-precision
    (`tfgan.metrics.text_image_r_precision`), and, frozen, a generator loss of
    `tfgan.TextToImageGAN` (`compile(matching_weight=...)`, AttnGAN's DAMSM term).
    AttnGAN's word-level DAMSM term (attention over image regions) is not included.

    Args:
        image_encoder: a Keras model `images → (batch, d)`.
        text_encoder: a Keras model `tokens (batch, length) → (batch, d)`.
        vectorizer: the `keras.layers.TextVectorization` of the captions
            (`tfgan.layers.text_vectorizer`); its `output_sequence_length` is the text
            encoder's token length.
        gamma: γ3 of `matching_loss`. Default 10 (AttnGAN).
        **kwargs: passed to `keras.Model`.
    """

    def __init__(self, image_encoder, text_encoder, vectorizer, gamma=10.0, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(vectorizer, keras.layers.TextVectorization):
            raise TypeError(f"`vectorizer` must be a keras.layers.TextVectorization "
                            f"(tfgan.layers.text_vectorizer). Received: {vectorizer!r}")
        for arg, network in (("image_encoder", image_encoder), ("text_encoder", text_encoder)):
            outputs = getattr(network, "outputs", None)
            if not outputs or len(outputs) != 1 or len(outputs[0].shape) != 2:
                raise ValueError(f"`{arg}` must be a functional Keras model with one output "
                                 f"(batch, d). Received: {network!r}")
        dims = (image_encoder.outputs[0].shape[-1], text_encoder.outputs[0].shape[-1])
        if dims[0] != dims[1]:
            raise ValueError(f"The image and text embeddings must have the same size. "
                             f"Received: image_encoder d={dims[0]}, text_encoder d={dims[1]}")
        self.image_encoder, self.text_encoder = image_encoder, text_encoder
        self.vectorizer = vectorizer
        self.gamma = check_non_negative("gamma", gamma)
        if self.gamma == 0:
            raise ValueError("`gamma` must be positive: at 0 every caption scores the same. "
                             "Received: gamma=0")
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def tokens(self, captions):
        """Token ids `(batch, length)` int32 of string captions (or token ids as they are)."""
        return token_ids(self.vectorizer, captions)

    def call(self, inputs, training=False):
        images, tokens = inputs
        return (self.image_encoder(images, training=training),
                self.text_encoder(self.tokens(tokens), training=training))

    def loss_of(self, images, tokens, training=False):
        """`matching_loss` of images and their captions' token ids."""
        image_embeddings, text_embeddings = self((images, tokens), training=training)
        return matching_loss(image_embeddings, text_embeddings, tokens, self.gamma)

    @property
    def metrics(self):
        return [self.loss_tracker]

    def train_step(self, data):
        images, captions = data[:2]
        tokens = self.tokens(captions)
        with tf.GradientTape() as tape:
            loss = self.loss_of(images, tokens, training=True)
            scaled = self.optimizer.scale_loss(loss)
        variables = self.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, data):
        images, captions = data[:2]
        self.loss_tracker.update_state(self.loss_of(images, self.tokens(captions)))
        return {"loss": self.loss_tracker.result()}

    def score(self, images, texts, batch_size=1024):
        """Cosine similarity `(n,)` of each image with its caption, in [-1, 1].

        Args:
            images: `(n, h, w, c)` in [-1, 1].
            texts: `n` captions (strings).
            batch_size: pairs per encoder call.
        """
        tokens = tokenize(self.vectorizer, texts)
        if len(tokens) != len(images):
            raise ValueError(f"`texts` needs one caption per image. Received: {len(tokens)} "
                             f"captions for {len(images)} images")
        image_embeddings = predict_in_batches(self.image_encoder, np.asarray(images),
                                              batch_size)
        text_embeddings = predict_in_batches(self.text_encoder, tokens, batch_size)

        def unit(x):
            return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)

        return np.sum(unit(image_embeddings) * unit(text_embeddings), axis=1)

    def get_config(self):
        config = super().get_config()
        serialize = keras.saving.serialize_keras_object
        config.update({"image_encoder": serialize(self.image_encoder),
                       "text_encoder": serialize(self.text_encoder),
                       "vectorizer": serialize(self.vectorizer), "gamma": self.gamma})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("image_encoder", "text_encoder", "vectorizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
