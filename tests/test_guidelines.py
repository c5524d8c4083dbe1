"""docs/guidelines.md carries the tables the models define."""

from __future__ import annotations

from conftest import REPO
from kimputin_ds.guidelines import core_roles_table, fill_guidelines
from kimputin_ds.models import CORE_ROLES, EventType, labels


def test_guidelines_tables_are_current() -> None:
    text = (REPO / "docs" / "guidelines.md").read_text(encoding="utf-8")
    assert fill_guidelines(text) == text, "run python scripts/generate_guidelines.py"
    assert core_roles_table() in text


def test_core_roles_name_known_types_and_roles() -> None:
    from kimputin_ds.models import ArgumentRole

    assert set(CORE_ROLES) <= set(labels(EventType))
    roles = set(labels(ArgumentRole))
    assert all(set(slot) <= roles for slots in CORE_ROLES.values() for slot in slots)
