"""The shape of the house (docs/architecture.md): small modules, one spec per open-data
table."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "commonground"
MAX_LINES = 500


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def test_no_module_outside_migrations_is_over_500_lines() -> None:
    too_long = {
        str(path.relative_to(SRC)): _lines(path)
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and _lines(path) > MAX_LINES
    }
    assert too_long == {}


def test_every_open_data_table_has_one_spec_and_specs_read_one_path_per_column() -> None:
    from commonground.opendata import resources as r
    from commonground.opendata.specs import LOAD_ORDER, SPECS

    assert [spec.name for spec in LOAD_ORDER if spec.name not in SPECS] == []
    assert sorted(SPECS) == sorted(t.name for t in r.TABLES)
    for spec in SPECS.values():
        assert spec.table is next(t for t in r.TABLES if t.name == spec.name)
        if spec.export is None:
            assert len(spec.paths) == len(spec.table.columns), spec.name
