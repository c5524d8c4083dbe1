"""What the release says about how it was made and how to use it responsibly.

One set of statements feeds both the Croissant Responsible-AI fields
(``rai:*``, :func:`rai_fields`) and the card's sections on annotation, review,
limitations and maintenance (:func:`card_blocks`), so the two cannot say
different things. Counts and lists come from :class:`~kimputin_ds.corpus_facts.CorpusFacts`.
"""

from __future__ import annotations

from typing import Any

from kimputin_ds.corpus_facts import CorpusFacts, join, number, plural
from kimputin_ds.identity import Identity

#: How the annotations were made: automated annotators, and no human review yet.
ANNOTATORS = (
    "The annotations were made by automated annotators: AI agents (large language "
    "models) working from the written guidelines. One agent drafted each article's "
    "annotation; other agents reviewed the drafts against the text, corrected them and "
    "harmonised decisions across articles; a further agent annotated the seed articles "
    "blind, from the guidelines, the entity registry and the raw texts only, to measure "
    "agreement. No human annotator took part, and no human has reviewed the annotations "
    "yet. The models and their versions are not recorded in the release."
)

#: What a human reviewer should check first, most error-prone first.
REVIEW_FIRST = (
    "Stances: the holder, the target and above all the label of stances on claims and "
    "topics, where the blind annotation agreed least.",
    "Event dates and their precision, especially relative expressions resolved against "
    "the publication date.",
    "Speakers of quotes that name them by role, pronoun, group or not at all, and "
    "quotes relayed from another outlet.",
    "Event status: occurred versus reported, alleged, speculated or planned.",
    "Wikidata ids in the entity registry, and the source notes that call a passage a "
    "mistranslation or a factual conflict.",
)

PROTOCOL = (
    "Annotations follow the guidelines shipped with the release (docs/guidelines.md): "
    "label definitions with examples from the corpus, an event typology mapped to CAMEO, "
    "temporal normalisation rules and decisions for hard cases.",
    "Spans are written as their exact text, never as offsets; the build anchors every "
    "span in the raw text and refuses a span that is missing or ambiguous. The validator "
    "checks ids, references, overlaps, speaker mentions, page-furniture zones and that "
    "every quotation mark is part of a quote or marked as not speech.",
    ANNOTATORS,
)


def _texts_statement(facts: CorpusFacts) -> str:
    return (
        f"The corpus holds {facts.size_sentence()}. The articles were chosen for their "
        "coverage of the summits, not sampled. The texts were collected as plain text with "
        "their page furniture (related links, tags, promotions), which is kept and marked as "
        "zones; they are byte-exact copies, typos included. "
        f"{facts.wire_sentence()} {facts.provenance_sentence()}"
    )


def limitations(facts: CorpusFacts) -> list[str]:
    """The dataset's limitations, as Markdown-free sentences."""
    n = len(facts.articles)
    return [
        f"Size: {plural(n, 'article')} in one language (Indonesian). Figures computed on it "
        "have very wide uncertainty; report per-document results or cross-validate over "
        "documents.",
        "Review: the annotations were made by AI agents and no human has reviewed them yet; "
        "treat them as silver data until a human review is recorded in the changelog.",
        "Scope: the event and stance labels describe what the texts say. They are not "
        "fact-checks, and an event the text presents as fact may not have happened.",
        f"Outlets: {plural(len(facts.outlets), 'outlet')} ({join(facts.outlets)}), chosen "
        "for their coverage of the summits; they cannot stand for Indonesian media.",
    ]


def biases(facts: CorpusFacts) -> list[str]:
    """Known biases of the texts and of the annotations."""
    crediting = sum(bool(a.wire_sources) for a in facts.articles)
    credited = f" ({join(facts.wire_services)})" if facts.wire_services else ""
    return [
        f"Wire-rewrite bias: {number(crediting)} of the {plural(len(facts.articles), 'article')} "
        f"credit wire copy{credited}, and others may rewrite agency reports without saying "
        "so. Rewrites carry the agencies' framing, and rewriting introduces errors, which "
        "are recorded in documents.source_notes rather than corrected.",
        "Annotator bias: the annotators are AI agents of the same kind, so their agreement "
        "is likely higher than two human annotators would reach, and they may share "
        "systematic errors that agreement does not reveal.",
        "Typology bias: the event types follow CAMEO, a state-centric scheme made for "
        "political conflict and cooperation.",
    ]


PERSONAL_INFORMATION = (
    "The articles name public figures (heads of state, ministers, spokespeople, analysts) "
    "acting in their public roles, and journalists in bylines. No private individuals are "
    "named. The texts concern war, weapons transfers and sanctions."
)

USE_CASES = (
    "Evaluating quote extraction and attribution (content, cue, speaker) on Indonesian news.",
    "Evaluating event extraction with factual status, temporal normalisation and "
    "cross-document event coreference.",
    "Evaluating stance detection towards entities, events, claims and topics.",
    "Entity linking and coreference of Indonesian mentions, including role phrases and "
    "pronouns, to a registry with Wikidata ids.",
    "Querying with DuckDB or pandas for data journalism.",
    "Not for: profiling the journalists or the people named; claims about the summits, "
    "about Indonesian media or about any outlet's editorial line.",
)

SOCIAL_IMPACT = (
    "The dataset supports NLP research on reported speech, events and stance in "
    "Indonesian, a language with few such resources. Its labels record what the articles "
    "say about a contested geopolitical subject; read as fact-checks or as a measure of "
    "an outlet's bias they would mislead. The full texts belong to their publishers and "
    "are included for research only."
)


def contact(identity: Identity) -> str:
    """Where to reach the maintainers: the Hub repository's discussions."""
    return f"{identity.hub_url}/discussions"


def maintenance(identity: Identity) -> str:
    """The release and maintenance plan, with the takedown procedure."""
    return (
        "Releases follow semantic versioning for data (MAJOR for a breaking schema change, "
        "MINOR for new articles, annotations, columns or appended labels, PATCH for "
        "corrections) and are listed in the changelog; each is the immutable Hub tag "
        f"v<version> of {identity.hub_repo_id}. Errors and questions go to "
        f"{contact(identity)}. A rights holder who asks there for a text to be removed gets "
        "a new release without it, and the earlier tags that contain the text are deleted: "
        "the one exception to the rule that a published version never changes."
    )


def rai_fields(facts: CorpusFacts, identity: Identity) -> dict[str, Any]:
    """The Croissant Responsible-AI (``rai:``) fields the project can fill truthfully."""
    return {
        "rai:dataCollection": _texts_statement(facts),
        "rai:dataCollectionType": [
            "Secondary data: news articles published on the web, collected as plain text "
            "(the collection tool was not recorded)."
        ],
        "rai:dataCollectionRawData": (
            "The raw texts are released unmodified in documents.text; every offset is a "
            "code-point offset into them."
        ),
        "rai:dataAnnotationProtocol": list(PROTOCOL),
        "rai:annotationsPerItem": (
            "One released annotation per article: the reviewed and reconciled one. For the "
            "agreement study each seed article was annotated a second time, blind, by "
            "another AI agent; that annotation is not released."
        ),
        "rai:annotatorDemographics": [
            "Not applicable: the annotators were automated (AI agents); no human annotator "
            "took part and no human has reviewed the annotations yet."
        ],
        "rai:machineAnnotationTools": [
            "AI agents (large language models) drafted, reviewed and reconciled every "
            "annotation from the guidelines; the models and versions are not recorded.",
            "The kimputin_ds validator (python -m kimputin_ds.validate), which anchors "
            "every span in the raw text and checks the annotations' consistency.",
        ],
        "rai:dataLimitations": limitations(facts),
        "rai:dataBiases": biases(facts),
        "rai:personalSensitiveInformation": [PERSONAL_INFORMATION],
        "rai:dataUseCases": list(USE_CASES),
        "rai:dataSocialImpact": SOCIAL_IMPACT,
        "rai:dataReleaseMaintenancePlan": maintenance(identity),
    }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def card_blocks(facts: CorpusFacts, identity: Identity) -> dict[str, str]:
    """The card's generated blocks that state the same things as :func:`rai_fields`."""
    review = "\n".join(f"{i}. {item}" for i, item in enumerate(REVIEW_FIRST, 1))
    return {
        "corpus": (f"The release holds {facts.size_sentence()}. {facts.provenance_sentence()}\n"),
        "source_data": (
            f"{_capital(facts.size_sentence())}. {facts.wire_sentence()} The texts were "
            'collected as plain text with their page furniture ("Baca Juga:" links, '
            "related-article lists, tags, promotions), which is kept and marked as zones "
            "rather than deleted. The articles were chosen for their coverage of the "
            f"summits, not sampled.\n\n{facts.provenance_sentence()}\n"
        ),
        "splits": "\n".join(facts.split_lines()) + "\n",
        "annotators": f"**Who annotated, and how.** {ANNOTATORS}\n",
        "review": (
            "No human has reviewed the annotations yet. A human reviewer should check "
            "these first, where the automated annotators were least sure or agreed least "
            f"(see the agreement figures):\n\n{review}\n"
        ),
        "limitations": "\n".join(f"- {s}" for s in limitations(facts) + biases(facts)) + "\n",
        "personal_information": PERSONAL_INFORMATION + "\n",
        "maintenance": maintenance(identity) + "\n",
        "contact": (
            f"Questions, error reports and takedown requests: [the discussions of "
            f"{identity.hub_repo_id}]({contact(identity)}).\n"
        ),
    }
