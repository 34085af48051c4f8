"""Label-recovery score of Pix2Pix facade translations (the paper's FCN-score, adapted).

Isola et al. 2017 (section 4.2, "FCN-score") judge label → photo translations by how well
a segmenter trained on real photos recovers the input labels from a generated photo: a
translation that draws windows where the label map has windows scores like a real photo,
a blur scores like no photo at all. No pretrained facade segmenter exists offline, so this
script trains one: a U-Net regressing the colour-coded label map from the photo (L1, the
training split with the same jitter as Pix2Pix). On the test split it reports the L1
between the label maps and the segmenter's output for

- the real photos (the ceiling: what a perfect translator would score),
- each given Pix2Pix model's translations (inference mode),
- the mean training photo for every input (the floor: right colours, no structure),

and `closed` = (floor - model) / (floor - real photos), the share of the gap a model closes.
Unlike pixel L1 against the photo, this does not penalise a plausible texture that differs
from the photo's, and unlike FID it needs no ImageNet weights.

    PYTHONPATH=. python benchmarks/pix2pix_label_score.py --data ../shared/data/facades \
        --image_size 64 --models runs/pix2pix_facades_v2/pix2pix.keras \
        --save benchmarks/pix2pix_label_score.json
"""

import pathlib
import time

import keras
import numpy as np

import _judged
import tfgan


def parse_args(argv=None):
    parser = _judged.parser(__doc__, "../shared/data/facades",
                            "Saved Pix2Pix models (.keras) translating labels → photo.",
                            epochs=40, epochs_help="Segmenter training epochs.")
    parser.add_argument("--base_filters", type=int, default=32)
    return parser.parse_args(argv)


def arrays(directory, image_size, input_side):
    dataset = tfgan.datasets.paired_dataset(directory, batch_size=16, image_size=image_size,
                                            input_side=input_side, jitter=False,
                                            shuffle=False)
    inputs, targets = zip(*[(x.numpy(), y.numpy()) for x, y in dataset])
    return np.concatenate(inputs), np.concatenate(targets)


def train_segmenter(args):
    """A U-Net photo → label map, trained with L1 on the jittered training split."""
    keras.utils.set_random_seed(args.seed)
    shape = (args.image_size, args.image_size, 3)
    segmenter = tfgan.architectures.unet_generator(
        shape, base_filters=args.base_filters, max_filters=8 * args.base_filters,
        name="facade_segmenter")
    segmenter.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), loss="mean_absolute_error")
    train = tfgan.datasets.paired_dataset(
        pathlib.Path(args.data) / "train", batch_size=4, image_size=args.image_size,
        input_side="left", seed=args.seed)
    segmenter.fit(train, epochs=args.epochs, verbose=2)
    return segmenter


def label_l1(segmenter, photos, labels):
    predicted = segmenter.predict(photos, batch_size=16, verbose=0)
    return float(np.mean(np.abs(predicted - labels)))


def main(argv=None):
    args = parse_args(argv)
    _judged.check_models(args.models, "Pix2Pix")
    start = time.time()
    segmenter = train_segmenter(args)
    train_seconds = time.time() - start
    data = pathlib.Path(args.data)
    labels, photos = arrays(data / "test", args.image_size, "right")
    train_photos = arrays(data / "train", args.image_size, "left")[0]
    mean_photo = np.broadcast_to(train_photos.mean(axis=0, keepdims=True), photos.shape)
    real = label_l1(segmenter, photos, labels)
    floor = label_l1(segmenter, mean_photo, labels)
    results = {"image_size": args.image_size, "segmenter_epochs": args.epochs,
               "segmenter_train_seconds": round(train_seconds, 1),
               "test_images": len(labels), "real_photos": round(real, 4),
               "mean_training_photo": round(floor, 4), "models": {}}
    for path in args.models:
        translations = keras.saving.load_model(path).translate(labels)
        score = label_l1(segmenter, translations, labels)
        results["models"][path] = {
            "label_l1": round(score, 4),
            "closed": round((floor - score) / (floor - real), 3),
            "photo_l1": round(float(np.mean(np.abs(translations - photos))), 4)}
    _judged.report(results, args.save)
    return results


if __name__ == "__main__":
    main()
