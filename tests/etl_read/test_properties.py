"""Whatever the bytes, ``read_and_validate`` answers with problems, never an exception."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl.dataset import ValidatedDataset, read_and_validate
from tests.etl_read.fixtures import TODAY, write

CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["S1", "P1", "2024-01-05", "31/02/2024", "ACCEPTEE", "oui", "1985.0", "", " ", '"', ";", ",", "\n", "é"]
)
HEADER = st.lists(
    st.sampled_from(["structure_id", "personne_id", "sexe", "annee_naissance", "qpv", "Nom", "x", "", "SEXE", "_line", "_unnamed_2"]),
    min_size=1, max_size=6,
)
# derandomize: the same examples on every run (``make test`` is deterministic); the inputs that once failed are
# kept as explicit examples.
FAST = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def assert_answers(dataset: ValidatedDataset) -> None:
    assert isinstance(dataset, ValidatedDataset)
    assert [p for p in dataset.errors if p.code == "INTERNAL_ERROR"] == []
    assert all(p.message for p in dataset.errors + dataset.warnings)


@FAST
@given(st.binary(max_size=400))
@example(b"*")  # a header that polars would read as a wildcard
@example(b"^.*$\n1")  # ... or as a regular expression
def test_random_bytes_as_a_csv(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert_answers(read_and_validate(write(Path(folder), {"personnes.csv": data}), today=TODAY))


@FAST
@given(st.binary(max_size=400), st.sampled_from(["data.zip", "export.xlsx", "personnes.parquet"]))
def test_random_bytes_as_an_archive(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        dataset = read_and_validate(path, today=TODAY)
        assert_answers(dataset)
        assert not dataset.ok


@FAST
@given(HEADER, st.lists(st.lists(CELL, max_size=7), max_size=6), st.sampled_from([",", ";"]))
def test_random_csv_text(header: list[str], rows: list[list[str]], separator: str) -> None:
    text = "\n".join(separator.join(cells) for cells in [header, *rows])
    with tempfile.TemporaryDirectory() as folder:
        for encoding in ("utf-8", "cp1252"):
            data = text.encode(encoding, errors="replace")
            assert_answers(read_and_validate(write(Path(folder), {"personnes.csv": data}), today=TODAY))
