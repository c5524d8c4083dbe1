"""Review and diff pages without a browser: markup, files written, entry point, diffs."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO, SEEDS
from kimputin_ds.render import Mark, marked_html, render_diff, render_review
from kimputin_ds.render.layers import LAYER_BY_NAME, secondary_spans
from test_cli import run


class _Walker(HTMLParser):
    """Rebuilds the text, the text of each item, and checks that elements nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.stack: list[str] = []
        self.items: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(dict(attrs)["data-item"] or "")

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, "closing an element that is not open"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for key in set(self.stack):
            self.items[key] = self.items.get(key, "") + data


_CHARS = st.sampled_from(list("ab <&>\"'\u00a0\u201c\u201d\n\r\t"))


@given(
    st.text(_CHARS, min_size=1, max_size=40).flatmap(
        lambda text: st.tuples(
            st.just(text),
            st.lists(
                st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).filter(
                    lambda p: p[0] < p[1]
                ),
                max_size=8,
            ),
        )
    )
)
def test_marks_nest_and_keep_every_character(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, spans = case
    marks = [Mark(s, e, f"i{n}", "hl") for n, (s, e) in enumerate(spans)]
    walker = _Walker()
    walker.feed(marked_html(text, marks))
    walker.close()
    assert walker.stack == []
    # The parser turns CR into LF only in raw text; character references keep it.
    assert "".join(walker.text) == text
    for n, (s, e) in enumerate(spans):
        assert walker.items[f"i{n}"] == text[s:e]


def test_secondary_spans_are_found_in_any_column() -> None:
    events = LAYER_BY_NAME["events"]
    row = {
        "event_id": "e1",
        "trigger": {"text": "bertemu", "start": 10, "end": 17},
        "arguments": [{"role": "agent", "entity_id": "kim", "text": "Kim", "start": 0, "end": 3}],
        "time": {"text": "Selasa", "start": 20, "end": 26},
        "a_new_column": {"text": "baru", "start": 30, "end": 34},
    }
    found = {(p, role): s["text"] for p, role, s in secondary_spans(row, events)}
    assert found == {
        (("arguments", 0), "agent"): "Kim",
        (("time",), "time"): "Selasa",
        (("a_new_column",), "a_new_column"): "baru",
    }


def test_entry_point_writes_a_page_per_article_and_an_index(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    done = run("kimputin_ds.render", "--root", str(SEEDS), "--output", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pages = {p.name for p in out.glob("*.html")}
    assert pages == {"index.html", *(f"{p.stem}.html" for p in SEEDS.glob("*.txt"))}
    page = (out / sorted(pages)[0]).read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page and "http://" not in page
    # Rendering again replaces its own pages.
    again = run("kimputin_ds.render", "--root", str(SEEDS), "--output", str(out), cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def test_never_overwrites_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    out.mkdir()
    mine = out / "index.html"
    mine.write_text("my notes", encoding="utf-8")
    done = run("kimputin_ds.render", "--root", str(SEEDS), "--output", str(out), cwd=tmp_path)
    assert done.returncode == 1
    assert "index.html exists and was not written" in done.stderr
    assert "Traceback" not in done.stderr
    assert mine.read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_a_corpus_with_errors_is_rendered_without_the_broken_document(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / "doc_c.yaml").write_text("doc_id: [\n", encoding="utf-8")
    result = render_review(corpus, tmp_path / "pages")
    assert not result.report.ok
    assert "doc_c.html" not in result.pages and "doc_a.html" in result.pages
    index = (tmp_path / "pages" / "index.html").read_text(encoding="utf-8")
    assert "doc_c.yaml" in index


def _change_a_quote_kind(corpus: Path) -> None:
    path = corpus / "doc_a.yaml"
    text = path.read_text(encoding="utf-8")
    assert "kind: direct" in text
    path.write_text(text.replace("kind: direct", "kind: mixed", 1), encoding="utf-8")


def test_diff_against_a_directory(corpus: Path, tmp_path: Path) -> None:
    reference = tmp_path / "before"
    shutil.copytree(corpus, reference)
    _change_a_quote_kind(corpus)
    out = tmp_path / "diff"
    result = render_diff(corpus, str(reference), out)
    assert result.report.ok
    assert result.pages == ["doc_a.html", "index.html"]
    page = (out / "doc_a.html").read_text(encoding="utf-8")
    assert page.count('class="change diff-changed"') == 1
    body = page.split("<body>", 1)[1]
    assert "diff-added" not in body and "diff-removed" not in body


def _git(repo: Path, *args: str) -> str:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_diff_against_a_git_revision_leaves_the_work_tree_alone(
    corpus: Path, tmp_path: Path
) -> None:
    repo = corpus.parent

    def git(*args: str) -> str:
        return _git(repo, *args)

    git("init", "-q")
    git("add", "seeds")
    git("commit", "-q", "-m", "corpus")
    _change_a_quote_kind(corpus)
    before = {p: p.read_bytes() for p in corpus.iterdir()}
    out = tmp_path / "diff"
    done = run("kimputin_ds.render", "--diff", "HEAD", "--output", str(out), cwd=repo)
    assert done.returncode == 0, done.stderr
    assert {p: p.read_bytes() for p in corpus.iterdir()} == before
    assert git("status", "--porcelain", "seeds") == " M seeds/doc_a.yaml\n"
    page = (out / "doc_a.html").read_text(encoding="utf-8")
    assert "Changes against HEAD (" in page
    assert page.count('class="change diff-changed"') == 1
    bad = run("kimputin_ds.render", "--diff", "no-such-rev", "--output", str(out), cwd=repo)
    assert bad.returncode == 1 and "not a corpus directory nor a git revision" in bad.stderr


def test_diff_shows_a_new_article_as_all_added(corpus: Path, tmp_path: Path) -> None:
    reference = tmp_path / "before"
    shutil.copytree(corpus, reference)
    for path in reference.glob("doc_c.*"):
        path.unlink()
    result = render_diff(corpus, str(reference), tmp_path / "diff")
    assert result.pages == ["doc_c.html", "index.html"]
    page = (tmp_path / "diff" / "doc_c.html").read_text(encoding="utf-8")
    body = page.split("<body>", 1)[1]
    assert body.count('class="change diff-added"') > 0
    assert "diff-removed" not in body and "diff-changed" not in body
    index = (tmp_path / "diff" / "index.html").read_text(encoding="utf-8")
    assert "new article" in index


def test_diff_reads_another_schema_with_the_reference_revisions_code(
    corpus: Path, tmp_path: Path
) -> None:
    # The reference revision's models accept a field today's models reject, as a
    # schema change would; its own code reads its files, today's cannot.
    repo = corpus.parent
    src = repo / "src" / "kimputin_ds"
    shutil.copytree(REPO / "src" / "kimputin_ds", src, ignore=shutil.ignore_patterns("__pycache__"))
    models = src / "models.py"
    strict = 'ConfigDict(extra="forbid", strict=True, frozen=True)'
    assert strict in models.read_text(encoding="utf-8")
    models.write_text(
        models.read_text(encoding="utf-8").replace(strict, strict.replace("forbid", "ignore")),
        encoding="utf-8",
    )
    path = corpus / "doc_a.yaml"
    current = path.read_text(encoding="utf-8")
    path.write_text(current + "legacy_field: an old schema's\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "seeds", "src")
    _git(repo, "commit", "-q", "-m", "old schema")
    path.write_text(current, encoding="utf-8")
    _change_a_quote_kind(corpus)

    result = render_diff(corpus, "HEAD", tmp_path / "diff")
    assert result.pages == ["doc_a.html", "index.html"]
    page = (tmp_path / "diff" / "doc_a.html").read_text(encoding="utf-8")
    assert page.count('class="change diff-changed"') == 1
    assert "diff-added" not in page.split("<body>", 1)[1]
    index = (tmp_path / "diff" / "index.html").read_text(encoding="utf-8")
    assert "1 article(s) of the reference use another annotation schema" in index
