"""Shared fixtures: the offline data folder and a fresh Keras state per test."""

import os
import pathlib

import keras
import numpy as np
import pytest

SHARED_DATA = pathlib.Path(
    os.environ.get("TFGAN_SHARED_DATA",
                   pathlib.Path(__file__).resolve().parents[1].parent / "shared" / "data")
)


@pytest.fixture(scope="session")
def shared_data():
    """Path of the project's offline datasets (`../shared/data`)."""
    if not SHARED_DATA.is_dir():
        raise FileNotFoundError(
            f"The offline datasets are expected at {SHARED_DATA} (set TFGAN_SHARED_DATA to "
            "override)."
        )
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(0)
    np.random.seed(0)
    yield
