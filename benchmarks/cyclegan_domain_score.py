"""Domain-classifier score of CycleGAN horse ↔ zebra translations.

A translation succeeds when it looks like the other domain. No pretrained classifier exists
offline, so this script trains one: a DCGAN discriminator (Radford et al. 2016) as a
horse-vs-zebra classifier on the jittered training folders. On the test folders it
reports the share of images classified as zebra for

- the real test horses and zebras (the classifier's own accuracy: the ceiling),
- each given CycleGAN model's translations, horse → zebra and zebra → horse,

so `horse→zebra: zebra 0.80` means 80% of the translated horses pass as zebras, and
`zebra→horse: zebra 0.10` that 90% of the translated zebras pass as horses. The same idea
as the Pix2Pix paper's FCN-score and the conditional-GAN classifier accuracy: a network
trained on real images judges the generated ones.

    PYTHONPATH=. python benchmarks/cyclegan_domain_score.py --data ../shared/data/horse2zebra \
        --image_size 64 --models runs/cyclegan_horse2zebra_v2/cyclegan.keras \
        --save benchmarks/cyclegan_domain_score.json
"""

import pathlib
import time

import keras
import numpy as np
import tensorflow as tf

import _judged
import tfgan
from tfgan.datasets.unpaired import image_folder_dataset


def parse_args(argv=None):
    parser = _judged.parser(__doc__, "../shared/data/horse2zebra",
                            "Saved CycleGAN models (.keras), A = horses, B = zebras.",
                            epochs=30, epochs_help="Classifier training epochs.")
    return parser.parse_args(argv)


def train_classifier(args, data):
    """A DCGAN discriminator trained to output the zebra logit (horse 0, zebra 1)."""
    keras.utils.set_random_seed(args.seed)
    size = args.image_size

    def labelled(folder, label):
        return image_folder_dataset(data / folder, image_size=size, seed=args.seed).map(
            lambda image: (image, tf.constant([label], "float32")))

    train = (labelled("trainA", 0.0).concatenate(labelled("trainB", 1.0))
             .shuffle(1024, seed=args.seed).batch(16))
    classifier = tfgan.architectures.dcgan_discriminator((size, size, 3), base_filters=32,
                                                         name="zebra_classifier")
    classifier.compile(keras.optimizers.Adam(2e-4, beta_1=0.5),
                       loss=keras.losses.BinaryCrossentropy(from_logits=True))
    classifier.fit(train, epochs=args.epochs, verbose=2)
    return classifier


def zebra_share(classifier, images):
    return round(float(np.mean(classifier.predict(images, batch_size=32, verbose=0) > 0)), 3)


def main(argv=None):
    args = parse_args(argv)
    _judged.check_models(args.models, "CycleGAN")
    data = pathlib.Path(args.data)
    start = time.time()
    classifier = train_classifier(args, data)
    train_seconds = time.time() - start
    horses, zebras = (np.concatenate(list(image_folder_dataset(
        data / folder, image_size=args.image_size, jitter=False, shuffle=False).batch(32)
        .as_numpy_iterator())) for folder in ("testA", "testB"))
    results = {"image_size": args.image_size, "classifier_epochs": args.epochs,
               "classifier_train_seconds": round(train_seconds, 1),
               "test_horses": len(horses), "test_zebras": len(zebras),
               "real": {"horses: zebra": zebra_share(classifier, horses),
                        "zebras: zebra": zebra_share(classifier, zebras)},
               "models": {}}
    for path in args.models:
        model = keras.saving.load_model(path)
        results["models"][path] = {
            "horse→zebra: zebra": zebra_share(classifier, model.translate(horses, "a_to_b")),
            "zebra→horse: zebra": zebra_share(classifier, model.translate(zebras, "b_to_a"))}
    _judged.report(results, args.save)
    return results


if __name__ == "__main__":
    main()
