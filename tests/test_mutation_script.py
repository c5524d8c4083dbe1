"""scripts/mutation.py keeps up with the code it mutates."""

from __future__ import annotations

import re

from conftest import REPO, load_script

mutation = load_script("mutation")


def test_every_named_mutant_still_applies_to_the_code() -> None:
    """A named mutant whose text moved or changed would stop --named with an error."""
    mutants = mutation.named_mutants()  # raises SystemExit naming the stale one
    assert len(mutants) == len(mutation.NAMED)
    for mutant, _ in mutants:
        source = (REPO / mutant.path).read_bytes()
        assert mutant.apply(source) != source, mutant.id


def test_every_named_mutant_has_its_protecting_test() -> None:
    for ident, _, _, _, test in mutation.NAMED:
        path, _, name = test.partition("::")
        function = name.split("[")[0]
        source = (REPO / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {function}\(", source, re.MULTILINE), (ident, test)
        case = re.search(r"\[(.+)\]$", name)
        if case and function == "test_golden_case":
            assert (REPO / "tests" / "golden" / case.group(1)).is_dir(), (ident, test)


def test_every_group_names_existing_modules_and_tests() -> None:
    for modules, tests in mutation.GROUPS.values():
        assert all((REPO / mutation.PACKAGE / m).is_file() for m in modules)
        for test in tests:
            path, _, name = test.partition("::")
            assert (REPO / path).is_file(), test
            source = (REPO / path).read_text(encoding="utf-8")
            assert not name or re.search(rf"^def {name}\(", source, re.MULTILINE), test


def test_every_equivalent_mutant_is_still_generated() -> None:
    """An equivalent mutant whose code changed would silently stop being excluded."""
    modules = {ident.split(":")[0] for ident in mutation.EQUIVALENT}
    generated = {
        m.id
        for module in modules
        for m in mutation.mutants_of((mutation.PACKAGE / module).as_posix())
    }
    assert sorted(set(mutation.EQUIVALENT) - generated) == []
