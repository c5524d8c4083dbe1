"""Render a corpus as review pages: one page per article and an index."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kimputin_ds.errors import Report
from kimputin_ds.render.context import build_context
from kimputin_ds.render.index import index_page
from kimputin_ds.render.page import article_page
from kimputin_ds.render.site import PageWriter, neighbours, page_name
from kimputin_ds.render.source import load_corpus


@dataclass(frozen=True)
class RenderResult:
    """What a rendering wrote, and every problem the corpus has."""

    output: Path
    pages: list[str]
    report: Report


def render_review(root: Path, output: Path, *, agreement: Path | None = None) -> RenderResult:
    """Write the review pages of the corpus at ``root`` into ``output``.

    Documents with errors are left out; the index lists their problems.

    Args:
        root: The corpus directory (``seeds/``).
        output: The directory to write ``index.html`` and ``<doc_id>.html`` into.
        agreement: The agreement report (default: ``agreement/report.json``
            beside the corpus directory).

    Raises:
        KimputinError: When ``output`` holds a file this command did not write.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "pages"
    >>> result = render_review(Path("seeds"), out)
    >>> (out / "index.html").exists(), result.report.ok
    (True, True)
    """
    corpus = load_corpus(root, agreement)
    ctx = build_context(corpus.entities, corpus.articles)
    ids = [a.doc_id for a in corpus.articles]
    writer = PageWriter(output, ["index.html", *(page_name(d) for d in ids)])
    for doc_id, nav in neighbours(ids):
        writer.write(page_name(doc_id), article_page(corpus.by_id[doc_id], ctx, nav=nav))
    writer.write("index.html", index_page(corpus, ctx))
    writer.finish()
    return RenderResult(output, writer.names, corpus.report)
