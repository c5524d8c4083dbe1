"""Static review pages: every article with its annotations drawn on the text, and diffs.

``python -m kimputin_ds.render --output DIR`` writes one page per article and
an index; ``--diff REF`` writes pages that show what a change does against a
git revision or another corpus directory. The pages are plain HTML with
their CSS and a little JavaScript inlined: no server, no network.

Modules: :mod:`~kimputin_ds.render.layers` (what is drawn, read generically
from the release rows), :mod:`~kimputin_ds.render.markup` (escaping and
nesting overlapping spans), :mod:`~kimputin_ds.render.cards` (details),
:mod:`~kimputin_ds.render.page` and :mod:`~kimputin_ds.render.index` (pages),
:mod:`~kimputin_ds.render.svg` (charts), :mod:`~kimputin_ds.render.diff`,
:mod:`~kimputin_ds.render.site` (writing files safely) and
:mod:`~kimputin_ds.render.cli`.
"""

from kimputin_ds.render.diff import compare_article, render_diff
from kimputin_ds.render.layers import LAYERS, Layer
from kimputin_ds.render.markup import Mark, marked_html, text_html
from kimputin_ds.render.review import RenderResult, render_review
from kimputin_ds.render.source import Article, LoadedCorpus, load_corpus

__all__ = [
    "LAYERS",
    "Article",
    "Layer",
    "LoadedCorpus",
    "Mark",
    "RenderResult",
    "compare_article",
    "load_corpus",
    "marked_html",
    "render_diff",
    "render_review",
    "text_html",
]
