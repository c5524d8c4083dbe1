"""Generated hostile corpora against validate and build (hypothesis).

Whatever is in ``seeds/`` (garbage bytes, broken or hostile YAML, control
characters, huge numbers, links out of the corpus, FIFOs, hidden files, missing
files), both commands end with exit 0 or 1, never an exception, and no file
outside the output directory is created, changed or deleted.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_CORPUS, copy_corpus
from kimputin_ds.build import main as build_main
from kimputin_ds.validate import main as validate_main

NAMES = [
    "doc_a.txt",
    "doc_a.yaml",
    "doc_b.yaml",
    "doc_c.txt",
    "entities.yaml",
    "splits.yaml",
    "doc_z.txt",
    "doc_z.yaml",
    ".hidden.yaml",
    "notes.md",
]
FRAGMENTS = [
    "doc_id: doc_a\n",
    "doc_id: [\n",
    "a: &x [*x]\n",
    "occurrence: " + "9" * 5000 + "\n",
    "text: Putin\n  occurrence: 99999999999999999999999\n",
    "k\x1b[2J: v\n",
    "\x00",
    "---\n- 1\n",
    "!!python/object:os.system x\n",
    "train: [doc_a, doc_a]\n",
    "\ufeffdoc_id: x\n",
    "mentions:\n  putin: [Putin, Putin]\n",
    "\t- tab\n",
    "\ud800",
    'key: "\\ud800"\n',
]


def contents() -> st.SearchStrategy[tuple[str, object]]:
    return st.one_of(
        st.tuples(st.just("bytes"), st.binary(max_size=200)),
        st.tuples(st.just("text"), st.lists(st.sampled_from(FRAGMENTS), max_size=4).map("".join)),
        st.tuples(st.just("text"), st.text(max_size=100)),
        st.tuples(
            st.just("link"), st.sampled_from(["outside", "/dev/zero", "doc_b.txt", "missing"])
        ),
        st.tuples(st.just("fifo"), st.none()),
        st.tuples(st.just("delete"), st.none()),
        st.tuples(st.just("dir"), st.none()),
    )


def apply(root: Path, outside: Path, name: str, kind: str, value: object) -> None:
    path = root / name
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        return
    if kind == "bytes":
        assert isinstance(value, bytes)
        path.write_bytes(value)
    elif kind == "text":
        assert isinstance(value, str)
        path.write_bytes(value.encode("utf-8", "surrogatepass"))
    elif kind == "link":
        path.symlink_to(outside if value == "outside" else str(value))
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        path.mkdir()


def snapshot(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for directory, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(directory) / name
            if path.is_symlink():
                found[str(path)] = "link:" + str(path.readlink())
            elif path.is_file():
                found[str(path)] = path.read_bytes()
            else:
                found[str(path)] = "dir"
    return found


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(NAMES), contents()), min_size=1, max_size=4))
def test_hostile_corpora_never_crash_nor_touch_other_files(
    changes: list[tuple[str, tuple[str, object]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        checkout = Path(tmp) / "checkout"
        checkout.mkdir()
        root = copy_corpus(MINI_CORPUS, checkout)
        outside = Path(tmp) / "secret.txt"
        outside.write_text("kimputin fuzz secret\n", encoding="utf-8")
        for name, (kind, value) in changes:
            apply(root, outside, name, kind, value)
        before = snapshot(Path(tmp))
        output = Path(tmp) / "dist" / "1.0.0"
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            checked = validate_main([str(root), "--no-cache", "--jobs", "1"])
            built = build_main(["--root", str(root), "--output", str(output), "--jobs", "1"])
        assert checked in (0, 1) and built in (0, 1), sink.getvalue()
        assert checked == 0 or built == 1, sink.getvalue()  # never a release of a bad corpus
        assert "Traceback" not in sink.getvalue()
        assert "kimputin fuzz secret" not in sink.getvalue()
        after = snapshot(Path(tmp))
        made = {
            p
            for p in after
            if Path(p) == output.parent or output in Path(p).parents or Path(p) == output
        }
        assert {p: v for p, v in after.items() if p not in made} == before
        if built == 0:
            assert output.is_dir()
