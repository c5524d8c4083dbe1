"""Facts about the corpus that the card's prose, the LICENSE and Croissant state.

The build gathers one :class:`Article` per document from the rows it writes;
:class:`CorpusFacts` turns them into what the prose says: how many articles,
which outlets (the publishers of the texts), which dates, which wire services,
how many record where the text came from. Nothing here is written by hand, so
a new article changes every sentence that counts or lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
SPLITS = ("train", "validation", "test")


def number(n: int) -> str:
    """A count as English prose writes it: words up to twelve, digits above.

    >>> number(5), number(12), number(13)
    ('five', 'twelve', '13')
    """
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``n`` and the noun, singular or plural.

    >>> plural(1, "article"), plural(6, "article"), plural(2, "outlet", "outlets")
    ('one article', 'six articles', 'two outlets')
    """
    return f"{number(n)} {noun if n == 1 else (nouns or noun + 's')}"


def join(items: Iterable[str]) -> str:
    """Items joined as an English list.

    >>> join(["a"]), join(["a", "b"]), join(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def long_date(iso: str) -> str:
    """An ISO day as prose writes it.

    >>> long_date("2023-09-11")
    '11 September 2023'
    """
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B} {day.year}"


@dataclass(frozen=True)
class Article:
    """What the card says about one article.

    Attributes:
        doc_id: The document id.
        split: Its split.
        outlet: The publishing outlet.
        published_date: ISO 8601 day.
        wire_sources: The wire services it credits.
        url: Where it was collected from, if recorded.
        retrieved_at: When, if recorded.
    """

    doc_id: str
    split: str
    outlet: str
    published_date: str
    wire_sources: tuple[str, ...] = ()
    url: str | None = None
    retrieved_at: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any], split: str) -> Article:
        """The article of a ``documents`` row (label names, not ids)."""
        return cls(
            doc_id=row["doc_id"],
            split=split,
            outlet=row["outlet"],
            published_date=row["published_date"],
            wire_sources=tuple(row["wire_sources"]),
            url=row["url"],
            retrieved_at=row["retrieved_at"],
        )


@dataclass(frozen=True)
class CorpusFacts:
    """The articles of a release, and the sentences derived from them.

    >>> facts = CorpusFacts((
    ...     Article("a", "train", "Kompas TV", "2023-09-11", ("TASS",)),
    ...     Article("b", "test", "ANTARA", "2024-06-18"),
    ... ))
    >>> facts.size_sentence()[:53]
    'two articles from two outlets (Kompas TV and ANTARA),'
    >>> facts.size_sentence()[54:]
    'published between 11 September 2023 and 18 June 2024'
    """

    articles: tuple[Article, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "articles", tuple(sorted(self.articles, key=lambda a: a.doc_id)))

    @property
    def outlets(self) -> list[str]:
        """The publishers of the texts, each once, in document order."""
        return list(dict.fromkeys(a.outlet for a in self.articles))

    @property
    def wire_services(self) -> list[str]:
        """The wire services credited, each once, in document order."""
        return list(dict.fromkeys(w for a in self.articles for w in a.wire_sources))

    @property
    def first_date(self) -> str:
        """The earliest publication date."""
        return min(a.published_date for a in self.articles)

    @property
    def last_date(self) -> str:
        """The latest publication date."""
        return max(a.published_date for a in self.articles)

    def size_sentence(self) -> str:
        """How many articles, from which outlets, over which dates (no final stop)."""
        n = len(self.articles)
        if not n:
            return "no articles"
        outlets = self.outlets
        when = (
            f"published on {long_date(self.first_date)}"
            if self.first_date == self.last_date
            else f"published between {long_date(self.first_date)} and {long_date(self.last_date)}"
        )
        return (
            f"{plural(n, 'article')} from {plural(len(outlets), 'outlet')} "
            f"({join(outlets)}), {when}"
        )

    def wire_sentence(self) -> str:
        """Which articles credit wire services, and which."""
        crediting = [a for a in self.articles if a.wire_sources]
        if not crediting:
            return "No article credits a wire service."
        return (
            f"{number(len(crediting)).capitalize()} of the {plural(len(self.articles), 'article')} "
            f"credit wire copy ({join(self.wire_services)}); the others give no wire source, "
            "though they may still rewrite agency reports."
        )

    def provenance_sentence(self) -> str:
        """How many articles record their source address and retrieval time."""
        n = len(self.articles)
        no_url = sum(a.url is None for a in self.articles)
        no_time = sum(a.retrieved_at is None for a in self.articles)
        if not no_url and not no_time:
            return (
                "Every article records the address it was collected from "
                "(`documents.url`) and when (`documents.retrieved_at`)."
            )
        if no_url == no_time == n:
            return (
                "No article records the address it was collected from or when: "
                "`documents.url` and `documents.retrieved_at` are null in every row, "
                "and neither is guessed."
            )
        return (
            f"`documents.url` is null for {number(no_url)} of the {plural(n, 'article')} "
            f"and `documents.retrieved_at` for {number(no_time)}: those texts were "
            "collected without a record of the page address or the retrieval time, and "
            "none is guessed."
        )

    def split_lines(self) -> list[str]:
        """One Markdown bullet per split: its articles with outlet and date."""
        lines = []
        for split in SPLITS:
            members = [a for a in self.articles if a.split == split]
            if not members:
                continue
            listed = "; ".join(
                f"`{a.doc_id}` ({a.outlet}, {long_date(a.published_date)})" for a in members
            )
            lines.append(f"- **{split}** ({plural(len(members), 'article')}): {listed}.")
        return lines
