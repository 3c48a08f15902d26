"""Other keys a product name is written under: a dropped series word before a lettered model number."""
import pytest

from factlint.facts.names import read_name, shorter_keys


@pytest.mark.parametrize("name,shorter", [
    ("RTX A6000", ("a6000",)),
    ("NVIDIA RTX A2000 12GB", ("a2000",)),
    ("RTX PRO 6000", ("pro6000",)),
    ("RTX 4090", ()),                  # a bare number names nothing
    ("GeForce RTX 5090", ()),
    ("Quadro RTX 6000", ()),           # without Quadro it would be another card's name
    ("A100", ()),
])
def test_shorter_keys(name, shorter):
    assert shorter_keys(read_name(name).key) == shorter
