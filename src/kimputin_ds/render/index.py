"""The index page: the articles, label distributions, agreement figures, cross-document events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from kimputin_ds.render.assets import page_shell
from kimputin_ds.render.context import OKABE_ITO, CrossRef, RenderContext
from kimputin_ds.render.layers import LAYERS, Layer, item_model, literal_names, slug
from kimputin_ds.render.markup import attr, text_html
from kimputin_ds.render.source import LoadedCorpus
from kimputin_ds.render.svg import bar_chart

#: Layers counted per article in the index's table.
_COUNTED = tuple(layer for layer in LAYERS if layer.toggle)


def _articles(corpus: LoadedCorpus, ctx: RenderContext) -> str:
    head = "".join(f'<th class="num">{text_html(layer.name)}</th>' for layer in _COUNTED)
    rows = []
    for a in corpus.articles:
        doc = a.document
        counts = "".join(f'<td class="num">{len(layer.rows(a.records))}</td>' for layer in _COUNTED)
        rows.append(
            f'<tr><td><a href="{attr(a.doc_id)}.html">{text_html(a.doc_id)}</a></td>'
            f'<td lang="id">{text_html(ctx.titles.get(a.doc_id, ""))}</td>'
            f"<td>{text_html(str(doc.get('outlet') or ''))}</td>"
            f'<td class="date">{text_html(str(doc.get("published_date") or ""))}</td>'
            f"<td>{text_html(a.split or '')}</td>{counts}</tr>"
        )
    return (
        '<section aria-labelledby="articles-h"><h2 id="articles-h">Articles '
        f"({len(corpus.articles)})</h2>"
        '<table class="data"><thead><tr><th>document</th><th>headline</th><th>outlet</th>'
        f"<th>published</th><th>split</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
        "</table></section>"
    )


def label_counts(corpus: LoadedCorpus, layer: Layer) -> dict[str, Counter[str]]:
    """For each label column of a layer's rows, how often each label occurs in the corpus."""
    model = item_model(layer)
    columns = [
        name
        for name, info in (model.model_fields.items() if model else ())
        if literal_names(info.annotation)
    ]
    counts: dict[str, Counter[str]] = {c: Counter() for c in columns}
    for article in corpus.articles:
        for row in layer.rows(article.records):
            for column in columns:
                value = row.get(column)
                for v in value if isinstance(value, list) else [value]:
                    if v is not None:
                        counts[column][str(v)] += 1
    return counts


def _charts(corpus: LoadedCorpus, ctx: RenderContext) -> str:
    figures = []
    for layer in LAYERS:
        model = item_model(layer)
        for column, counter in label_counts(corpus, layer).items():
            names = literal_names(model.model_fields[column].annotation) if model else []
            order = names + sorted(set(counter) - set(names))
            colour_order = ctx.labels.get(layer.name, [])
            colours = [
                OKABE_ITO[colour_order.index(n) % len(OKABE_ITO)]
                if column == layer.label and n in colour_order
                else OKABE_ITO[0]
                for n in order
            ]
            figures.append(
                bar_chart(f"{layer.title}: {column}", [(n, counter[n]) for n in order], colours)
            )
    return (
        '<section aria-labelledby="labels-h"><h2 id="labels-h">Label distributions</h2>'
        f'<div class="charts">{"".join(figures)}</div></section>'
    )


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return text_html(str(value))


def figures_html(figures: Mapping[str, Any], level: int = 3) -> str:
    """Nested figures as tables: a mapping of mappings of numbers becomes one table.

    >>> html = figures_html({"spans": {"quotes": {"f1": 0.5, "gold": 2}}})
    >>> "<td class=\\"num\\">0.500</td>" in html
    True
    """
    parts = []
    tables = {k: v for k, v in figures.items() if isinstance(v, Mapping)}
    for name, value in tables.items():
        if value and all(
            isinstance(v, Mapping) and all(not isinstance(x, Mapping | list) for x in v.values())
            for v in value.values()
        ):
            columns = list(dict.fromkeys(k for v in value.values() for k in v))
            head = "".join(f'<th class="num">{text_html(c)}</th>' for c in columns)
            body = "".join(
                f"<tr><th>{text_html(metric)}</th>"
                + "".join(f'<td class="num">{_number(row.get(c, ""))}</td>' for c in columns)
                + "</tr>"
                for metric, row in value.items()
            )
            parts.append(
                f'<table class="data"><caption>{text_html(name)}</caption>'
                f"<thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>"
            )
        else:
            h = f"h{min(level, 6)}"
            parts.append(f"<{h}>{text_html(name)}</{h}>{figures_html(value, level + 1)}")
    return "".join(parts)


def _agreement(corpus: LoadedCorpus) -> str:
    figures = corpus.agreement
    if not figures:
        return (
            '<section aria-labelledby="agreement-h"><h2 id="agreement-h">Agreement</h2>'
            "<p>No agreement report found beside the corpus.</p></section>"
        )
    overall = {k: v for k, v in figures.items() if k != "per_document"}
    per_doc = figures.get("per_document")
    details = (
        f"<details><summary>Per document</summary>{figures_html(per_doc, 3)}</details>"
        if isinstance(per_doc, Mapping)
        else ""
    )
    return (
        '<section aria-labelledby="agreement-h"><h2 id="agreement-h">Agreement</h2>'
        "<p>Blind re-annotation compared with the curated annotations "
        "(<code>agreement/report.json</code>).</p>"
        f"{figures_html(overall)}{details}</section>"
    )


#: Up to this many articles, cross-document events are a matrix of events by articles.
MATRIX_LIMIT = 40


def _event_links(refs: Sequence[CrossRef]) -> str:
    return ", ".join(
        f'<a href="{attr(r.doc_id)}.html#{attr(r.anchor)}" title="{attr(r.label)}">'
        f"{text_html(r.label.split(' · ')[0])}</a>"
        for r in refs
    )


def _cross_doc(ctx: RenderContext, doc_ids: Sequence[str]) -> str:
    """Which article mentions which cross-document event: a matrix, or lists for a big corpus."""
    matrix = len(doc_ids) <= MATRIX_LIMIT
    if matrix:
        # Column heads: the id up to its first "_" ("000" of "000_c523..."), when unique.
        short = [d.split("_", 1)[0] for d in doc_ids]
        if len(set(short)) != len(short):
            short = list(doc_ids)
        head = "".join(
            f'<th title="{attr(d)}: {attr(ctx.titles.get(d, d))}"><a href="{attr(d)}.html">'
            f"{text_html(label)}</a></th>"
            for d, label in zip(doc_ids, short, strict=True)
        )
    else:
        head = "<th>mentioned in (event ids)</th>"
    rows = []
    for cdid, refs in ctx.cross_doc.items():
        by_doc: dict[str, list[CrossRef]] = {}
        for r in refs:
            by_doc.setdefault(r.doc_id, []).append(r)
        types = sorted({r.label.split(" · ")[1] for r in refs if " · " in r.label})
        if matrix:
            cells = "".join(
                f"<td>{_event_links(by_doc[d])}</td>" if d in by_doc else '<td class="none">·</td>'
                for d in doc_ids
            )
        else:
            cells = (
                "<td>"
                + "; ".join(f"{text_html(d)}: {_event_links(rs)}" for d, rs in by_doc.items())
                + "</td>"
            )
        rows.append(
            f'<tr id="x-{attr(slug(cdid))}"><th>{text_html(cdid)}</th>'
            f'<td>{text_html(", ".join(types))}</td><td class="num">{len(by_doc)}</td>{cells}</tr>'
        )
    return (
        '<section aria-labelledby="xdoc-h"><h2 id="xdoc-h">Cross-document events '
        f"({len(ctx.cross_doc)})</h2><p>Which article mentions which event: each cell links to "
        "the event's trigger in that article.</p>"
        '<div class="scroll"><table class="data xdoc"><thead><tr><th>event</th><th>type</th>'
        f'<th class="num">articles</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table></div></section>"
    )


def _problems(corpus: LoadedCorpus) -> str:
    issues = list(corpus.report)
    if not issues:
        return ""
    items = "".join(f"<li>{text_html(i.format())}</li>" for i in issues)
    return (
        '<section aria-labelledby="problems-h"><h2 id="problems-h">Problems '
        f"({len(issues)})</h2><p>Documents with errors are not shown.</p>"
        f'<ul class="problems">{items}</ul></section>'
    )


def index_page(corpus: LoadedCorpus, ctx: RenderContext, extra: Sequence[str] = ()) -> str:
    """The HTML of ``index.html``."""
    body = (
        '<header><p class="kind">kimputin_ds review pages</p>'
        f"<h1>{len(corpus.articles)} articles</h1></header>"
        f"{''.join(extra)}{_problems(corpus)}{_articles(corpus, ctx)}{_charts(corpus, ctx)}"
        f"{_agreement(corpus)}{_cross_doc(ctx, [a.doc_id for a in corpus.articles])}"
    )
    return page_shell("kimputin_ds — review pages", body)
