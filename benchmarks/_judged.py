"""Shared plumbing of the benchmarks where a network trained on real images judges
generated ones (`pix2pix_label_score.py`, `cyclegan_domain_score.py`)."""

import argparse
import json
import pathlib


def parser(doc, data, models_help, epochs, epochs_help):
    """The common command line: `--data --image_size --models --epochs --seed --save`."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--data", default=data)
    parser.add_argument("--image_size", type=int, default=64)
    parser.add_argument("--models", nargs="+", required=True, help=models_help)
    parser.add_argument("--epochs", type=int, default=epochs, help=epochs_help)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", default=None, help="Write the results as JSON here.")
    return parser


def check_models(paths, kind):
    """Raises `FileNotFoundError` naming every path that is not a saved model file."""
    missing = [path for path in paths if not pathlib.Path(path).is_file()]
    if missing:
        raise FileNotFoundError(f"Expected saved {kind} models (.keras files). "
                                f"Not found: {missing}")


def report(results, save):
    """Prints the results as JSON and writes them to `save` when given."""
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if save:
        pathlib.Path(save).write_text(text + "\n")
