"""The release's ``LICENSE``: annotations under CC BY 4.0, texts the publishers'.

The publishers named are the outlets of the release's articles, and the
takedown contact is the Hub repository's, so neither goes stale when an
article or the repository changes.
"""

from __future__ import annotations

from kimputin_ds.corpus_facts import CorpusFacts, join
from kimputin_ds.identity import Identity
from kimputin_ds.responsible import contact

#: The licence of the annotations.
ANNOTATION_LICENSE = "CC BY 4.0"
ANNOTATION_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


def texts_notice(facts: CorpusFacts) -> str:
    """One sentence: who owns the article texts.

    >>> from kimputin_ds.corpus_facts import Article
    >>> texts_notice(CorpusFacts((Article("a", "train", "ANTARA", "2023-09-13"),)))[-41:]
    'are copyright of their publisher, ANTARA.'
    """
    outlets = facts.outlets
    owners = "publisher" if len(outlets) == 1 else "publishers"
    return (
        "The news articles in documents.text (and the span texts copied from it) are "
        f"copyright of their {owners}, {join(outlets)}."
    )


def release_license(facts: CorpusFacts, identity: Identity) -> str:
    """The text of the release's ``LICENSE`` file (what the card's ``license_link`` names)."""
    body = (
        "1. Annotations\n\n"
        "All annotations in this dataset (every column except documents.text, and the "
        "spans' text copied from it), the entity registry, the card and the Croissant "
        "metadata are released by the kimputin_ds maintainers under the Creative Commons "
        f"Attribution 4.0 International license ({ANNOTATION_LICENSE}): "
        f"{ANNOTATION_LICENSE_URL}\n\n"
        "2. Article texts\n\n"
        f"{texts_notice(facts)} The kimputin_ds maintainers do not own them and grant no "
        "license to them. They are included unmodified and credited, so that the "
        "annotations can be used for research. Any other use of the texts needs the "
        "publishers' permission. Rights holders who object to the inclusion of a text can "
        f"ask for its removal at {contact(identity)}.\n"
    )
    title = "kimputin_ds dataset licensing"
    return f"{title}\n{'=' * len(title)}\n\n" + _wrap(body)


def _wrap(text: str, width: int = 78) -> str:
    """Wrap each paragraph of ``text`` at ``width`` columns (URLs are never broken)."""
    import textwrap

    paragraphs = text.split("\n\n")
    wrapped = [
        textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in paragraphs
    ]
    return "\n\n".join(wrapped).rstrip("\n") + "\n"
