"""What a change changes: the annotations of two versions of the corpus, compared item by item.

The reference is another corpus directory, or a git revision whose corpus is
read with ``git archive`` into a temporary directory this module creates and
removes (the work tree is never touched). Items are matched by their layer's
key (an id; for mentions, entity and offsets) and are ``added``, ``removed``,
``changed`` (same key, other content) or ``same``.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kimputin_ds.errors import KimputinError
from kimputin_ds.render.cards import Item
from kimputin_ds.render.context import build_context
from kimputin_ds.render.index import index_page
from kimputin_ds.render.layers import LAYERS, Layer, Row
from kimputin_ds.render.markup import attr, text_html
from kimputin_ds.render.page import STATUS_SIGNS, article_page
from kimputin_ds.render.review import RenderResult
from kimputin_ds.render.site import PageWriter, neighbours, page_name
from kimputin_ds.render.source import Article, load_corpus


def _content(layer: Layer, row: Row) -> Row:
    """The part of a row that a change is judged on (not a renumbered id or list index)."""
    if layer.key and layer.id_column not in layer.key:
        return {k: v for k, v in row.items() if k != layer.id_column}
    return row


def compare_layer(layer: Layer, old: list[Row], new: list[Row]) -> list[Item]:
    """The items of one layer in both versions, each with its status.

    >>> from kimputin_ds.render.layers import LAYER_BY_NAME
    >>> q = LAYER_BY_NAME["quotes"]
    >>> items = compare_layer(q, [{"quote_id": "q1", "kind": "direct"}],
    ...                          [{"quote_id": "q1", "kind": "indirect"}, {"quote_id": "q2"}])
    >>> [(i.item_id, i.status) for i in items]
    [('q1', 'changed'), ('q2', 'added')]
    """
    before = {layer.item_key(r): r for r in old}
    after = {layer.item_key(r): r for r in new}
    items = []
    for key, row in after.items():
        was = before.get(key)
        if was is None:
            items.append(Item(layer, row, "added"))
        elif _content(layer, was) != _content(layer, row):
            items.append(Item(layer, row, "changed", was))
        else:
            items.append(Item(layer, row, "same"))
    items.extend(Item(layer, row, "removed") for key, row in before.items() if key not in after)
    return items


def compare_article(old: Article | None, new: Article | None) -> list[Item]:
    """Every item of one document in either version, with its status."""
    items: list[Item] = []
    for layer in LAYERS:
        items.extend(
            compare_layer(
                layer,
                layer.rows(old.records) if old else [],
                layer.rows(new.records) if new else [],
            )
        )
    if old is not None and new is not None and old.text != new.text:
        # Offsets of the reference do not fall on this text: removed items are listed only.
        items = [i for i in items if i.status != "removed"]
    return items


@dataclass(frozen=True)
class Reference:
    """The corpus to compare with.

    Attributes:
        corpus: Its corpus directory.
        described: How the pages name it.
        code: For a git revision, that revision's ``src`` directory: a document
            written for another schema is read with the code of its own time.
    """

    corpus: Path
    described: str
    code: Path | None = None


@contextmanager
def reference_corpus(ref: str, root: Path) -> Iterator[Reference]:
    """The reference: the directory ``ref``, or ``root`` (and the code) as of git revision ``ref``.

    Raises:
        KimputinError: When ``ref`` is neither a directory nor a revision of the
            repository that holds ``root``.
    """
    as_dir = Path(ref)
    if as_dir.is_dir():
        yield Reference(as_dir, str(as_dir))
        return
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    sha = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    rel = root.resolve().relative_to(top.resolve()).as_posix()
    paths = [rel] if rel != "." else []
    has_src = bool(_git(top, "ls-tree", "--name-only", sha, "--", CODE_DIR).strip())
    archive = _git(
        top,
        "archive",
        "--format=tar",
        sha,
        "--",
        *paths,
        *([CODE_DIR] if has_src else []),
        binary=True,
    )
    with tempfile.TemporaryDirectory(prefix="kimputin-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        code = Path(tmp) / CODE_DIR if has_src else None
        yield Reference(Path(tmp) / rel, f"{ref} ({sha[:12]})", code)


#: Where the package's code lives in the repository.
CODE_DIR = "src"

#: Run with the reference revision's code first on the path: its rows, as JSON.
_READ_WITH_OWN_CODE = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from kimputin_ds import corpus, records
from kimputin_ds.errors import Report
root, wanted, out = Path(sys.argv[2]), set(sys.argv[3:]), {}
report = Report()
files = corpus.discover(root, report)
entities = corpus.load_registry(files.registry_path, report)
for doc_id in sorted(wanted & set(files.doc_ids)):
    doc = corpus.load_document(root, doc_id, report)
    if doc is None:
        continue
    try:
        rows = records.document_records(doc, entities)
    except Exception:
        continue
    rows = {k: v for k, v in rows.items() if k not in ("kb", "tokens")}
    out[doc_id] = {"text": doc.text, "records": rows}
json.dump(out, sys.stdout, default=str)
"""


def read_with_own_code(reference: Reference, doc_ids: list[str]) -> list[Article]:
    """Read documents of a git reference with that revision's own code.

    For a change of the annotation schema, the reference's files do not parse
    with today's models; its own code reads them into its own rows, and the diff
    shows every column that the change renamed or changed. Documents it cannot
    read either are left out.
    """
    if reference.code is None or not doc_ids:
        return []
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            _READ_WITH_OWN_CODE,
            str(reference.code),
            str(reference.corpus),
            *doc_ids,
        ],
        capture_output=True,
        check=False,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    if done.returncode != 0:
        return []
    try:
        found = json.loads(done.stdout)
    except ValueError:
        return []
    return [Article(d, v["text"], v["records"]) for d, v in sorted(found.items())]


def _git(root: Path, *args: str, binary: bool = False) -> Any:
    cwd = root if root.is_dir() else root.parent
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise KimputinError(f"cannot run git: {exc.strerror}") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip() or "no such revision"
        raise KimputinError(
            f"--diff {args[-1]!r}: not a corpus directory nor a git revision ({detail})"
        )
    return done.stdout if binary else done.stdout.decode("utf-8")


def _summary(rows: list[tuple[str, list[Item], str]]) -> str:
    head = "".join(
        f'<th class="num">{text_html(layer.name)}</th>' for layer in LAYERS if layer.toggle
    )
    body = []
    for doc_id, items, note in rows:
        cells = []
        for layer in LAYERS:
            if not layer.toggle:
                continue
            n = {
                s: sum(1 for i in items if i.layer is layer and i.status == s) for s in STATUS_SIGNS
            }
            text = " ".join(f"{STATUS_SIGNS[s]}{c}" for s, c in n.items() if c) or "·"
            cells.append(f'<td class="num">{text}</td>')
        body.append(
            f'<tr><td><a href="{attr(page_name(doc_id))}">{text_html(doc_id)}</a> '
            f'<span class="muted">{text_html(note)}</span></td>{"".join(cells)}</tr>'
        )
    return (
        '<section aria-labelledby="diff-h"><h2 id="diff-h">Changed articles '
        f"({len(rows)})</h2><p>+ added, − removed, ~ changed.</p>"
        f'<table class="data"><thead><tr><th>document</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></section>"
    )


def render_diff(
    root: Path, ref: str, output: Path, *, agreement: Path | None = None
) -> RenderResult:
    """Write diff pages: each changed article with the changes drawn on its text.

    Args:
        root: The corpus directory (``seeds/``) of the new version.
        ref: The reference: a corpus directory, or a git revision.
        output: The directory to write the pages into.
        agreement: The agreement report shown on the index.

    Raises:
        KimputinError: When the reference cannot be read, or ``output`` holds a
            file this command did not write.
    """
    new = load_corpus(root, agreement)
    with reference_corpus(ref, root) as reference:
        # Its problems and agreement figures are not shown; today's checks do not apply.
        old = load_corpus(reference.corpus, checked=False)
        unread = [d for d in old.doc_ids if d not in old.by_id]
        own = read_with_own_code(reference, unread)
        for article in own:
            old.add(article)
    described = reference.described
    older_schema = {a.doc_id for a in own}
    unreadable = set(unread) - older_schema
    entities: Mapping[str, Any] = {**old.entities, **new.entities}
    articles = [*new.articles, *(a for a in old.articles if a.doc_id not in new.by_id)]
    ctx = build_context(entities, articles)
    changed: list[tuple[str, list[Item], str]] = []
    for article in sorted(articles, key=lambda a: a.doc_id):
        before, after = old.by_id.get(article.doc_id), new.by_id.get(article.doc_id)
        items = compare_article(before, after)
        if article.doc_id in unreadable:
            note = "the reference's version could not be read: every item is shown as added"
        elif before is None:
            note = "new article"
        elif after is None:
            note = "article removed"
        elif before.text != after.text:
            note = "the text itself changed"
        elif any(i.status in STATUS_SIGNS for i in items):
            note = ""
        else:
            continue
        changed.append((article.doc_id, items, note))
    ids = [doc_id for doc_id, _, _ in changed]
    writer = PageWriter(output, ["index.html", *(page_name(d) for d in ids)])
    by_id = {a.doc_id: a for a in articles}
    for (doc_id, nav), (_, items, _) in zip(neighbours(ids), changed, strict=True):
        page = article_page(by_id[doc_id], ctx, items, nav=nav, diff=described)
        writer.write(page_name(doc_id), page)
    unchanged = len(articles) - len(changed)
    intro = (
        f"<p>Changes against <code>{text_html(described)}</code>; "
        f"{unchanged} article(s) unchanged.</p>"
    )
    if older_schema:
        intro += (
            f"<p>{len(older_schema)} article(s) of the reference use another annotation schema "
            "and were read with the reference revision's own code: renamed and changed columns "
            "show as changed items.</p>"
        )
    intro += _summary(changed)
    writer.write("index.html", index_page(new, ctx, extra=[intro]))
    writer.finish()
    return RenderResult(output, writer.names, new.report)
