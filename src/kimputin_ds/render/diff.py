"""What a change changes: the annotations of two versions of the corpus, compared item by item.

The reference is another corpus directory, or a git revision whose corpus is
read with ``git archive`` into a temporary directory this module creates and
removes (the work tree is never touched). Items are matched by their layer's
key (an id; for mentions, entity and offsets) and are ``added``, ``removed``,
``changed`` (same key, other content) or ``same``.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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


@contextmanager
def reference_corpus(ref: str, root: Path) -> Iterator[tuple[Path, str]]:
    """The reference corpus directory: ``ref`` itself, or ``root`` as of git revision ``ref``.

    Yields:
        The directory and a description of the reference.

    Raises:
        KimputinError: When ``ref`` is neither a directory nor a revision of the
            repository that holds ``root``.
    """
    as_dir = Path(ref)
    if as_dir.is_dir():
        yield as_dir, str(as_dir)
        return
    top = _git(root, "rev-parse", "--show-toplevel").strip()
    sha = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    rel = root.resolve().relative_to(Path(top).resolve()).as_posix()
    # The tree of the corpus directory as of the revision, at the archive's root.
    tree = sha if rel == "." else f"{sha}:{rel}"
    archive = _git(Path(top), "archive", "--format=tar", tree, binary=True)
    with tempfile.TemporaryDirectory(prefix="kimputin-diff-") as tmp:
        corpus = Path(tmp) / "corpus"
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(corpus, filter="data")
        yield corpus, f"{ref} ({sha[:12]})"


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
    with reference_corpus(ref, root) as (ref_root, described):
        old = load_corpus(ref_root)  # its problems and agreement figures are not shown
    entities: Mapping[str, Any] = {**old.entities, **new.entities}
    articles = [*new.articles, *(a for a in old.articles if a.doc_id not in new.by_id)]
    ctx = build_context(entities, articles)
    changed: list[tuple[str, list[Item], str]] = []
    for article in sorted(articles, key=lambda a: a.doc_id):
        before, after = old.by_id.get(article.doc_id), new.by_id.get(article.doc_id)
        items = compare_article(before, after)
        if before is None:
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
    intro = f"<p>Changes against <code>{text_html(described)}</code>.</p>{_summary(changed)}"
    writer.write("index.html", index_page(new, ctx, extra=[intro]))
    writer.finish()
    return RenderResult(output, writer.names, new.report)
