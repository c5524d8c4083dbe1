"""Pydantic models of the released rows: one model per config.

These define the columns of every Parquet table. :mod:`kimputin_ds.features`
derives the Arrow schema, the ``datasets`` Features and the dataset card's
column tables from them, so a column is declared here and nowhere else.
``Literal`` label sets become ``ClassLabel`` features; ``int`` is ``int32``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from kimputin_ds.models import (
    ArgumentRole,
    DateDerivation,
    DatePrecision,
    EntityType,
    EventStatus,
    EventType,
    MentionKind,
    NonSpeechReason,
    QuoteKind,
    SourceProblem,
    SpeakerReference,
    StanceLabel,
    TargetKind,
    ZoneKind,
)
from kimputin_ds.tokens import token_row_model


class Row(BaseModel):
    """Base of every release row model."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SpanRow(Row):
    """A span of the document text."""

    text: str = Field(description="The span's text; equals documents.text[start:end].")
    start: int = Field(description="Start offset, in code points, into documents.text.")
    end: int = Field(description="End offset (exclusive), in code points.")


class ZoneRow(Row):
    """A span that is not article body."""

    kind: ZoneKind = Field(description="What the zone is (headline, related_link, tags, ...).")
    text: str = Field(description="The zone's text.")
    start: int = Field(description="Start offset in code points.")
    end: int = Field(description="End offset (exclusive) in code points.")


class SourceNoteRow(Row):
    """A problem in the source text, recorded instead of corrected."""

    kind: SourceProblem = Field(description="typo, garbled, mistranslation, factual_conflict, ...")
    span: SpanRow | None = Field(description="Where the problem is, if it has a place.")
    note: str = Field(description="What is wrong, and what the text likely means.")
    related_doc: str | None = Field(description="The document a factual conflict is with.")


class NonSpeechRow(Row):
    """Quotation marks that are not reported speech."""

    reason: NonSpeechReason = Field(description="scare_quote, title, heading, term, stray_mark.")
    span: SpanRow = Field(description="The marked text with its quotation marks.")
    note: str | None = Field(description="Curator's note.")


class DocumentRow(Row):
    """Config ``documents``: one row per article."""

    doc_id: str = Field(description="Document id (the seed file stem).")
    text: str = Field(description="The raw article text, byte-exact as collected.")
    text_sha256: str = Field(description="sha256 of the UTF-8 text.")
    language: str = Field(description="BCP-47 language tag of the text (`id`).")
    outlet: str = Field(description="Publishing outlet.")
    outlet_id: str | None = Field(description="Registry id of the outlet.")
    published_date: str = Field(description="Publication date, ISO 8601 (YYYY-MM-DD).")
    published_date_derivation: DateDerivation = Field(
        description="How the date was established: stated, inferred_from_text, "
        "inferred_from_corpus."
    )
    published_date_note: str | None = Field(description="How the date was derived.")
    title: SpanRow | None = Field(description="Headline span, where the text has one.")
    byline: SpanRow | None = Field(description="Byline span, where the text has one.")
    dateline: SpanRow | None = Field(description="Dateline span, where the text has one.")
    wire_sources: list[str] = Field(description="Wire services the article credits.")
    zones: list[ZoneRow] = Field(description="Spans that are not article body.")
    non_speech_quotations: list[NonSpeechRow] = Field(
        description="Quotation marks that are not reported speech, with the reason."
    )
    source_notes: list[SourceNoteRow] = Field(
        description="Problems in the source text (typos, mistranslations, conflicts)."
    )
    num_chars: int = Field(description="Length of text in code points.")
    url: str | None = Field(
        description="Where the text was collected from; null where unknown (never guessed)."
    )
    retrieved_at: str | None = Field(
        description="When the text was collected (ISO 8601 date or UTC time); null where unknown."
    )


class EntityRow(Row):
    """Config ``entities``: the corpus-wide registry."""

    entity_id: str = Field(description="Canonical entity id.")
    name: str = Field(description="Canonical English name.")
    name_id: str | None = Field(description="Indonesian name, where it differs.")
    type: EntityType = Field(description="Entity type.")
    aliases: list[str] = Field(description="Other names and spellings found in the corpus.")
    wikidata_id: str | None = Field(description="Wikidata QID, given only where certain.")
    num_mentions: int = Field(description="Number of mentions in the corpus.")
    note: str | None = Field(description="Curator's note.")


class MentionRow(Row):
    """Config ``mentions``: entity mentions linked to the registry."""

    doc_id: str = Field(description="Document id.")
    mention_id: str = Field(description="Mention id, `<doc_id>-m<n>` in text order.")
    entity_id: str | None = Field(
        description="Registry id of the entity mentioned; null for a plural mention."
    )
    entity_type: EntityType | None = Field(
        description="Type of the entity mentioned; null for a plural mention."
    )
    entity_ids: list[str] = Field(
        description="Registry ids of every entity the mention refers to (one, or several for "
        "a plural mention such as 'keduanya')."
    )
    plural: bool = Field(description="True when the mention refers to several entities.")
    kind: MentionKind = Field(description="name, nominal (role phrase) or pronoun.")
    text: str = Field(description="The mention's text.")
    start: int = Field(description="Start offset in code points.")
    end: int = Field(description="End offset (exclusive) in code points.")


class QuoteRow(Row):
    """Config ``quotes``: reported speech with cue and speaker."""

    doc_id: str = Field(description="Document id.")
    quote_id: str = Field(description="Quote id, unique within the document.")
    kind: QuoteKind = Field(description="direct, indirect or mixed.")
    text: str = Field(description="The quote's content.")
    start: int = Field(description="Start offset of the content in code points.")
    end: int = Field(description="End offset (exclusive) of the content.")
    cue: SpanRow | None = Field(description="The speech or cognition cue.")
    speaker_mention: SpanRow | None = Field(description="The span naming the speaker.")
    speaker_id: str | None = Field(description="Registry id of the speaker.")
    speaker_name: str | None = Field(description="Canonical English name of the speaker.")
    speaker_reference: SpeakerReference = Field(
        description="How the text refers to the speaker (name, role, pronoun, group, ...)."
    )
    additional_speaker_ids: list[str] = Field(description="Co-speakers of a joint statement.")
    parent_quote_id: str | None = Field(description="The quote this one is nested in.")
    relayed_by_id: str | None = Field(description="The outlet credited for relaying the quote.")
    unclosed: bool = Field(description="True when the source never closes the quotation mark.")
    note: str | None = Field(description="Curator's note.")


class ArgumentRow(Row):
    """An event argument."""

    role: ArgumentRole = Field(description="The argument's role.")
    entity_id: str | None = Field(description="Registry id, when the argument is an entity.")
    text: str = Field(description="The argument's text.")
    start: int = Field(description="Start offset in code points.")
    end: int = Field(description="End offset (exclusive) in code points.")


class EventRow(Row):
    """Config ``events``: event mentions with time, status and arguments."""

    doc_id: str = Field(description="Document id.")
    event_id: str = Field(description="Event id, unique within the document.")
    cross_doc_id: str | None = Field(description="Shared by mentions of one real-world event.")
    type: EventType = Field(description="Event type.")
    cameo_code: str = Field(description="Closest CAMEO code of the type ('' for other).")
    trigger: SpanRow = Field(description="The trigger span.")
    status: EventStatus = Field(description="Factual status as the text presents it.")
    date: str | None = Field(description="ISO 8601 value at date_precision.")
    date_precision: DatePrecision | None = Field(description="Precision of date.")
    date_relative: bool = Field(
        description="True when the time was a relative expression resolved against the "
        "publication date."
    )
    time: SpanRow | None = Field(description="The time expression in the text.")
    arguments: list[ArgumentRow] = Field(description="Participants, places and themes.")
    asserted_by: str | None = Field(description="Who asserts the event, when not the article.")
    source_quote_id: str | None = Field(description="The quote the event is reported in.")
    background: bool = Field(description="True for context events, not the article's news.")
    note: str | None = Field(description="Curator's note.")


class StanceRow(Row):
    """Config ``stances``: holder, target, label and evidence."""

    doc_id: str = Field(description="Document id.")
    stance_id: str = Field(description="Stance id, unique within the document.")
    holder_id: str = Field(description="Registry id of the holder.")
    holder_name: str = Field(description="Canonical English name of the holder.")
    target: str = Field(
        description="The target as text: the entity's name, the event's trigger, the claim's "
        "English wording, or the topic."
    )
    target_kind: TargetKind = Field(
        description="entity, event, claim (a proposition: truth labels) or topic (a policy or "
        "action: evaluative labels)."
    )
    target_id: str | None = Field(description="Registry id of an entity target.")
    target_event_id: str | None = Field(description="Event id of an event target.")
    claim_id: str | None = Field(description="Claim registry id of a claim target.")
    claim_text_id: str | None = Field(description="The claim's Indonesian wording.")
    label: StanceLabel = Field(
        description="favor, against or neutral for an entity, event or topic; support, deny, "
        "query or comment for a claim."
    )
    evidence: list[SpanRow] = Field(description="Spans that show the stance.")
    quote_ids: list[str] = Field(description="Quotes that show the stance.")
    explicit: bool = Field(description="True when stated, false when inferred.")
    note: str | None = Field(description="Curator's note.")


# --- BigBIO "kb" schema -----------------------------------------------------


class KbNormalized(Row):
    """A link to a knowledge base."""

    db_name: str = Field(description="Knowledge base name (`wikidata`, `kimputin_ds`).")
    db_id: str = Field(description="Identifier in that knowledge base.")


class KbPassage(Row):
    """A passage: a non-empty line of the text."""

    id: str = Field(description="Passage id.")
    type: str = Field(description="`body`, or the zone kind for non-body lines.")
    text: list[str] = Field(description="The passage text (one element).")
    offsets: list[list[int]] = Field(description="[[start, end]] of the passage.")


class KbEntity(Row):
    """An entity mention, a quote content, cue or speaker mention."""

    id: str = Field(description="Annotation id.")
    type: str = Field(description="Entity type, or QUOTE / CUE for quote spans.")
    text: list[str] = Field(description="The span text.")
    offsets: list[list[int]] = Field(description="[[start, end]] of the span.")
    normalized: list[KbNormalized] = Field(description="Registry and Wikidata links.")


class KbTrigger(Row):
    """An event trigger."""

    text: list[str] = Field(description="Trigger text.")
    offsets: list[list[int]] = Field(description="[[start, end]] of the trigger.")


class KbArgument(Row):
    """An event argument, pointing to a kb entity."""

    role: str = Field(description="Argument role.")
    ref_id: str = Field(description="Id of the kb entity that fills the role.")


class KbEvent(Row):
    """An event."""

    id: str = Field(description="Event id.")
    type: str = Field(description="Event type.")
    trigger: KbTrigger = Field(description="The trigger.")
    arguments: list[KbArgument] = Field(description="The arguments.")


class KbCoreference(Row):
    """Mentions of one registry entity in the document."""

    id: str = Field(description="Chain id.")
    entity_ids: list[str] = Field(description="Ids of the coreferent kb entities.")


class KbRelation(Row):
    """A binary relation: quote attribution, stance, nesting."""

    id: str = Field(description="Relation id.")
    type: str = Field(description="SPEAKER_OF, CUE_OF, NESTED_IN, or STANCE_<label>.")
    arg1_id: str = Field(description="First argument (kb entity id).")
    arg2_id: str = Field(description="Second argument (kb entity id).")
    normalized: list[KbNormalized] = Field(description="Links (unused, always empty).")


class KbRow(Row):
    """Config ``kb``: BigBIO's unified knowledge-base schema, one row per document."""

    id: str = Field(description="Row id.")
    document_id: str = Field(description="Document id.")
    passages: list[KbPassage] = Field(description="Passages.")
    entities: list[KbEntity] = Field(description="Entity mentions and quote spans.")
    events: list[KbEvent] = Field(description="Events.")
    coreferences: list[KbCoreference] = Field(description="Coreference chains.")
    relations: list[KbRelation] = Field(description="Relations.")


#: Config ``tokens``: one row per paragraph, tokens with BIO tags per layer
#: (see :mod:`kimputin_ds.tokens`).
TokenRow = token_row_model(Row)

#: Config name -> row model, in the order the card lists them.
CONFIGS: dict[str, type[Row]] = {
    "documents": DocumentRow,
    "entities": EntityRow,
    "mentions": MentionRow,
    "quotes": QuoteRow,
    "events": EventRow,
    "stances": StanceRow,
    "kb": KbRow,
    "tokens": TokenRow,
}
