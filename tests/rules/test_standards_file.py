"""The interface-standards list the unknown-version rule reads: the shipped file is valid, a bad one
is a configuration error naming the file, and the rule's version reading stays narrow."""
import pytest

from factlint.errors import ConfigError
from factlint.rules.unknown_version import STANDARDS_PATH, likely_meant, standards


def test_the_shipped_file_is_valid_and_lists_pcie():
    known, headroom = standards(STANDARDS_PATH)
    pcie = next(s for s in known if s.name == "PCIe")
    assert "4.0" in pcie.versions and 16 in pcie.lanes and headroom >= 1


@pytest.mark.parametrize("body,problem", [
    ("  - {name: PCIe, names: 'PCI(e', versions: ['4.0'], lanes: [16], source: x}", "names is a regular expression"),
    ("  - {name: PCIe, names: PCIe, versions: ['Gen4'], lanes: [16], source: x}", "versions are a non-empty list"),
    ("  - {name: PCIe, names: PCIe, versions: ['4.0'], lanes: [-1], source: x}", "lanes are a list"),
])
def test_a_bad_file_is_a_config_error_naming_it(tmp_path, body, problem):
    path = tmp_path / "standards.yaml"
    path.write_text("headroom: 2\nstandards:\n" + body + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        standards(path)
    assert str(path) in str(raised.value) and problem in str(raised.value)


@pytest.mark.parametrize("cell,matches", [
    ("PCI-Express 54.0 x16", "54.0"), ("PCIe Gen5 x16", "5"), ("pcie 4.0", "4.0"),
    ("PCIe 128 GB/s", None), ("PCIe 16 lanes", None), ("PCIe 5.0GT/s", None), ("PCIeX 4.0", None),
])
def test_what_is_read_as_a_version(cell, matches):
    pcie = next(s for s in standards(STANDARDS_PATH)[0] if s.name == "PCIe")
    m = pcie.pattern.search(cell)
    assert (m and (m.group("ver") or m.group("gen"))) == matches


def test_likely_meant_is_one_keystroke_away():
    assert likely_meant("54.0", ("3.0", "4.0", "5.0", "6.0")) == ["4.0", "5.0"]
    assert likely_meant("50.0", ("4.0", "5.0", "6.0")) == ["5.0"]


@pytest.mark.parametrize("row", [
    {"name": "PCIe", "names": "PCI(e", "versions": ["4.0"], "lanes": [16], "source": "x"},
    {"name": "PCIe", "names": "PCIe", "versions": ["Gen4"], "lanes": [16], "source": "x"},
    {"name": "PCIe", "names": "PCIe", "versions": [], "lanes": [16], "source": "x"},
    {"name": "PCIe", "names": "PCIe", "versions": ["4.0"], "lanes": [-1], "source": "x"},
    {"name": "", "names": "PCIe", "versions": ["4.0"], "lanes": [16], "source": "x"},
    {"name": "PCIe", "names": "PCIe", "versions": ["4.0"], "lanes": [16]},
    {"name": "PCIe", "names": "PCIe", "versions": ["4.0"], "lanes": [16], "source": "x", "extra": 1},
])
def test_the_plain_mirror_is_never_certain_of_a_row_the_schema_rejects(row):
    import pandas as pd
    import pandera.errors

    from schemas.standards import StandardsSchema
    from schemas.standards_rows import COLUMNS, rows_certainly_pass

    assert not rows_certainly_pass([row])
    with pytest.raises((pandera.errors.SchemaError, pandera.errors.SchemaErrors, KeyError)):
        StandardsSchema.validate(pd.DataFrame([row], columns=list(COLUMNS) + sorted(set(row) - set(COLUMNS))), lazy=True)


def test_the_shipped_rows_are_certain_and_pass_the_schema():
    import pandas as pd
    import yaml

    from schemas.standards import StandardsSchema
    from schemas.standards_rows import COLUMNS, rows_certainly_pass

    rows = yaml.safe_load(STANDARDS_PATH.read_text(encoding="utf-8"))["standards"]
    assert rows_certainly_pass(rows)
    StandardsSchema.validate(pd.DataFrame(rows, columns=list(COLUMNS)))
    assert not rows_certainly_pass(rows + rows[:1])          # a repeated name: unique fails
