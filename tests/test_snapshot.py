"""The release snapshot: every row of every config of the fixture corpus, compared exactly.

``tests/snapshot/corpus`` is a small invented corpus that uses every field of
the scheme (nested quotes, relays, co-speakers, every status, precision, role,
zone kind and stance target kind, source notes, relative dates...).
``tests/snapshot/expected/<config>/<split>.jsonl`` holds the rows a release of
it must contain. This test never writes them: regenerate them with
``python scripts/update_snapshots.py`` and review the diff (docs/testing.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import load_script
from kimputin_ds.features import hf_features
from kimputin_ds.rows import CONFIGS

UPDATE = "run `python scripts/update_snapshots.py` and review `git diff tests/snapshot/expected`"


snapshots = load_script("update_snapshots")
Rows = dict[tuple[str, str], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    """The rows of a fresh release of the fixture corpus."""
    rows: Rows = snapshots.build_rows(tmp_path_factory.mktemp("snapshot"))
    return rows


@pytest.fixture(scope="module")
def expected() -> Rows:
    rows: Rows = snapshots.read_expected()
    return rows


def _first_difference(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> str:
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        if g != w:
            fields = [k for k in {**w, **g} if g.get(k) != w.get(k)]
            where = ", ".join(f"{k}: {w.get(k)!r} -> {g.get(k)!r}" for k in fields)
            return f"row {i} differs in {where}"
    return f"{len(want)} rows expected, {len(got)} built"


def test_snapshot_covers_exactly_the_built_configs_and_splits(built: Rows, expected: Rows) -> None:
    assert sorted(built) == sorted(expected), UPDATE
    assert {config for config, _ in built} == set(CONFIGS)


@pytest.mark.parametrize("config", list(CONFIGS))
def test_release_rows_equal_the_snapshot(config: str, built: Rows, expected: Rows) -> None:
    keys = sorted(k for k in {*built, *expected} if k[0] == config)
    assert keys, f"no {config} rows built or expected"
    for key in keys:
        got, want = built.get(key, []), expected.get(key, [])
        assert got == want, f"{config}/{key[1]}: {_first_difference(got, want)}; {UPDATE}"


def test_snapshot_files_are_what_the_script_writes(expected: Rows) -> None:
    """The committed files are in the script's canonical form (no hand edits)."""
    for (config, split), rows in expected.items():
        path = snapshots.expected_path(config, split)
        assert path.read_text(encoding="utf-8") == snapshots.to_jsonl(rows), path


# --- the fixture must exercise every column --------------------------------------


def _values(feature: Any, values: list[Any], path: str, out: dict[str, Any]) -> None:
    """Collect every value of every column and sub-column, by path (lists flattened)."""
    out.setdefault(path, (feature, []))[1].extend(values)
    present = [v for v in values if v is not None]
    if isinstance(feature, dict) and "_type" not in feature:
        for name, sub in feature.items():
            _values(sub, [v[name] for v in present], f"{path}.{name}", out)
    elif feature.get("_type") in ("List", "Sequence", "LargeList"):
        _values(feature["feature"], [x for v in present for x in v], f"{path}[]", out)


def _leaves(rows: Rows) -> list[tuple[str, Any, list[Any]]]:
    out: dict[str, Any] = {}
    for config, model in CONFIGS.items():
        config_rows = [r for (c, _), rs in rows.items() if c == config for r in rs]
        for name, feature in hf_features(model).to_dict().items():
            _values(feature, [r[name] for r in config_rows], f"{config}.{name}", out)
    return [(path, feature, values) for path, (feature, values) in out.items()]


def test_fixture_uses_every_label_of_every_label_column(expected: Rows) -> None:
    missing = []
    for path, feature, values in _leaves(expected):
        if path.startswith("tokens."):
            # BIO tags: their types are the label sets of the span configs,
            # covered there; an I- tag of every type would need a multi-token
            # span of every type.
            continue
        if isinstance(feature, dict) and feature.get("_type") == "ClassLabel":
            unused = [n for n in feature["names"] if n not in values]
            if unused:
                missing.append(f"{path}: {unused}")
    assert not missing, "extend tests/snapshot/corpus so that it uses " + "; ".join(missing)


#: Columns that are empty by design, with the reason.
ALWAYS_EMPTY = {
    "kb.relations[].normalized": "BigBIO's relation links; this dataset has none",
}


def test_fixture_gives_every_column_a_value_and_every_flag_both_values(expected: Rows) -> None:
    """A column that is always null or empty in the fixture guards nothing."""
    problems = []
    for path, feature, values in _leaves(expected):
        if path.startswith(tuple(ALWAYS_EMPTY)):
            continue
        if not any(v not in (None, [], "") for v in values):
            problems.append(f"{path} never has a value")
        is_flag = feature.get("_type") == "Value" and feature["dtype"] == "bool"
        if is_flag and set(values) != {True, False}:
            problems.append(f"{path} is never {not values[0]}")
    assert not problems, "; ".join(problems)
