import pytest

from tfgan.utils.validation import check_positive_int


def test_check_positive_int_accepts_integers_and_returns_an_int():
    assert check_positive_int("n", 3) == 3
    assert type(check_positive_int("n", 2.0)) is int


@pytest.mark.parametrize("value", [0, -2, 1.5, True, "3", None])
def test_check_positive_int_names_the_argument_and_the_value(value):
    with pytest.raises(ValueError, match=rf"`steps` must be a positive integer\. "
                                         rf"Received: steps={value!r}"):
        check_positive_int("steps", value)
