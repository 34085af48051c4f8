import pytest

from tfgan.utils.validation import check_non_negative
from tfgan.utils.validation import check_positive_int


def test_check_positive_int_accepts_integral_values():
    assert check_positive_int("n", 3) == 3
    assert check_positive_int("n", 4.0) == 4
    assert check_positive_int("n", 2, minimum=2) == 2


@pytest.mark.parametrize("value", [0, -2, 1.5, True, "3", None])
def test_check_positive_int_names_the_argument(value):
    with pytest.raises(ValueError, match=f"`n` must be a positive integer. Received: n={value!r}"):
        check_positive_int("n", value)


def test_check_non_negative():
    assert check_non_negative("w", 0) == 0.0
    for value in (-1, float("nan"), "x", True):
        with pytest.raises(ValueError, match="`w` must be a non-negative number"):
            check_non_negative("w", value)
