"""Pydantic models of the hand-written annotation files: the one definition of their schema.

Two kinds of file live in ``seeds/``:

* ``entities.yaml``: the corpus-wide entity registry (:class:`EntityRegistry`);
* ``claims.yaml``: the corpus-wide registry of claims that stances take a
  truth label on (:class:`ClaimRegistry`);
* ``<doc_id>.yaml`` beside each ``<doc_id>.txt``: one article's annotations
  (:class:`AnnotationFile`).

``splits.yaml`` (:class:`SplitAssignment`) assigns documents to splits.

Spans are written as the exact text (see :mod:`kimputin_ds.anchoring`), never
as offsets. Every label set is a ``Literal`` so that the JSON Schema, the
Arrow ``ClassLabel`` features and the dataset card all read their names from
here. The models are strict: unknown fields and type coercions are errors.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

#: Version of the annotation file and registry formats (``schema_version`` in each file).
SCHEMA_VERSION = "2.0"
SchemaVersion = Literal["2.0"]

# ---------------------------------------------------------------------------
# Identifiers. Safe patterns: an id can never contain a path separator or "..".
ID_PATTERN = r"^[a-z0-9][a-z0-9_]{0,63}$"
DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$"
QID_PATTERN = r"^Q[1-9][0-9]*$"

EntityId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
LocalId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
DocId = Annotated[str, StringConstraints(pattern=DOC_ID_PATTERN)]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]

# ---------------------------------------------------------------------------
# Label sets. Order matters: it is the ClassLabel integer order in releases.
EntityType = Literal[
    "person", "organization", "country", "place", "facility", "group", "named_event", "media"
]
MentionKind = Literal["name", "nominal", "pronoun"]
ZoneKind = Literal[
    "headline",
    "timestamp",
    "byline",
    "dateline",
    "image_filename",
    "section_heading",
    "related_link",
    "related_list",
    "source_credit",
    "promotion",
    "tags",
    "end_mark",
]
QuoteKind = Literal["direct", "indirect", "mixed"]
SpeakerReference = Literal[
    "name", "role", "pronoun", "organization", "group", "anonymous", "implicit"
]
EventType = Literal[
    "meeting",
    "visit",
    "arrival",
    "departure",
    "invitation",
    "negotiation",
    "statement",
    "decline_comment",
    "agreement",
    "cooperation",
    "arms_transfer",
    "technology_transfer",
    "aid",
    "sanction",
    "un_action",
    "military_exercise",
    "weapons_launch",
    "attack_or_war",
    "accusation",
    "denial",
    "threat",
    "praise",
    "criticism",
    "recognition",
    "other",
]
EventStatus = Literal[
    "occurred",
    "planned",
    "speculated",
    "alleged",
    "denied",
    "hypothetical",
    "negated",
    "reported",
]
ArgumentRole = Literal[
    "agent", "patient", "recipient", "participant", "theme", "origin", "destination", "location"
]
DatePrecision = Literal["decade", "year", "month", "week", "day", "hour", "minute"]
DateDerivation = Literal["stated", "inferred_from_text", "inferred_from_corpus"]
#: Labels of a stance on an entity, an event or a topic: is it good?
EvaluativeLabel = Literal["favor", "against", "neutral"]
#: Labels of a stance on a claim: is it true? (RumourEval's support/deny/query/comment)
TruthLabel = Literal["support", "deny", "query", "comment"]
#: Every stance label, in ClassLabel order: the evaluative labels, then the truth labels.
StanceLabel = Literal["favor", "against", "neutral", "support", "deny", "query", "comment"]
#: What a stance is about.
TargetKind = Literal["entity", "event", "claim", "topic"]
NonSpeechReason = Literal["scare_quote", "title", "heading", "term", "stray_mark"]
SourceProblem = Literal[
    "typo",
    "garbled",
    "mistranslation",
    "factual_conflict",
    "factual_error",
    "truncated",
    "ambiguous",
]
SplitName = Literal["train", "validation", "test"]

#: CAMEO (Conflict and Mediation Event Observations, v1.1b3) code for each event type.
#: The mapping is to the closest CAMEO category; see docs/guidelines.md for the caveats.
CAMEO: dict[str, str] = {
    "meeting": "040",
    "visit": "042",
    "arrival": "042",
    "departure": "042",
    "invitation": "036",
    "negotiation": "046",
    "statement": "010",
    "decline_comment": "011",
    "agreement": "057",
    "cooperation": "060",
    "arms_transfer": "072",
    "technology_transfer": "062",
    "aid": "070",
    "sanction": "163",
    "un_action": "129",
    "military_exercise": "150",
    "weapons_launch": "150",
    "attack_or_war": "190",
    "accusation": "112",
    "denial": "016",
    "threat": "130",
    "praise": "051",
    "criticism": "111",
    "recognition": "054",
    "other": "",
}

#: The core roles of each event type, as ACE and MAVEN-Arg define them: every
#: slot is a tuple of the roles that can fill it (``("agent", "origin")``: either
#: one). An event must fill every slot that the document identifies anywhere;
#: the validator warns about an empty slot unless ``Event.missing_roles`` gives
#: the reason. Types not listed (``other``) have no core roles.
CORE_ROLES: dict[str, tuple[tuple[str, ...], ...]] = {
    "meeting": (("participant",),),
    "visit": (("agent",), ("destination",)),
    "arrival": (("agent",), ("destination", "location")),
    "departure": (("agent",), ("origin",)),
    "invitation": (("agent",), ("patient",)),
    "negotiation": (("participant", "agent"),),
    "statement": (("agent",),),
    "decline_comment": (("agent",),),
    "agreement": (("participant", "agent"),),
    "cooperation": (("participant", "agent"),),
    "arms_transfer": (("agent", "origin"), ("recipient",)),
    "technology_transfer": (("agent", "origin"), ("recipient",)),
    "aid": (("agent", "origin"), ("recipient", "destination")),
    "sanction": (("patient",),),
    "un_action": (("agent",),),
    "military_exercise": (("participant", "agent"),),
    "weapons_launch": (("agent",),),
    "attack_or_war": (("agent", "participant"), ("patient", "location")),
    "accusation": (("agent",), ("patient",)),
    "denial": (("agent",),),
    "threat": (("agent",),),
    "praise": (("agent", "participant"), ("patient", "participant")),
    "criticism": (("agent",), ("patient", "theme")),
    "recognition": (("agent",), ("patient", "theme")),
}


def missing_core_roles(event_type: str, roles: set[str]) -> list[str]:
    """The core slots of ``event_type`` that none of ``roles`` fills, as ``a|b`` names.

    >>> missing_core_roles("visit", {"agent"})
    ['destination']
    >>> missing_core_roles("arms_transfer", {"origin", "recipient"})
    []
    """
    return [
        "|".join(slot) for slot in CORE_ROLES.get(event_type, ()) if not roles.intersection(slot)
    ]


# ISO 8601 shape of a date value at each precision (decade per ISO 8601-2).
_TZ = r"(?:Z|[+-]\d{2}:\d{2})?"
DATE_FORMATS: dict[str, str] = {
    "decade": r"\d{3}",
    "year": r"\d{4}",
    "month": r"\d{4}-\d{2}",
    "week": r"\d{4}-W\d{2}",
    "day": r"\d{4}-\d{2}-\d{2}",
    "hour": r"\d{4}-\d{2}-\d{2}T\d{2}" + _TZ,
    "minute": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}" + _TZ,
}


#: A web address as a provenance field takes it: http(s), a host, no whitespace.
URL_PATTERN = r"^https?://[^\s/?#]+[^\s]*$"


def check_retrieval_time(value: str) -> str:
    """Check that ``value`` is an ISO 8601 day, or a UTC time to the minute or second.

    >>> check_retrieval_time("2024-06-18T09:30Z")
    '2024-06-18T09:30Z'
    """
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?Z)?", value):
        raise ValueError(f"{value!r} is not YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM[:SS]Z")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date or time") from None
    return value


#: How a date is written at each precision, for messages.
DATE_FORMS: dict[str, str] = {
    "decade": "YYY (the first three digits of the year, e.g. 202 for the 2020s)",
    "year": "YYYY",
    "month": "YYYY-MM",
    "week": "YYYY-Www (an ISO week, e.g. 2024-W24)",
    "day": "YYYY-MM-DD",
    "hour": "YYYY-MM-DDThh, with an optional UTC offset such as +07:00",
    "minute": "YYYY-MM-DDThh:mm, with an optional UTC offset such as +07:00",
}


class FieldValueError(ValueError):
    """An error found by a check of the whole model that belongs to one of its fields.

    The validator reports it at that field's line rather than the model's.
    """

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def check_iso_date(value: str, precision: str) -> str:
    """Check that ``value`` is a real ISO 8601 date written at ``precision``.

    Returns the value unchanged.

    Raises:
        ValueError: If the shape does not match the precision or the date does not exist.

    >>> check_iso_date("2023-09-13", "day")
    '2023-09-13'
    >>> check_iso_date("2024-W24", "week")
    '2024-W24'
    """
    pattern = DATE_FORMATS.get(precision)
    if pattern is None or not re.fullmatch(pattern, value):
        expected = f": expected {DATE_FORMS[precision]}" if precision in DATE_FORMS else ""
        raise ValueError(f"{value!r} is not an ISO 8601 value at {precision!r} precision{expected}")
    try:
        if precision == "month":
            date.fromisoformat(value + "-01")
        elif precision == "week":
            date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
        elif precision in ("day", "hour", "minute"):
            date.fromisoformat(value[:10])
            if precision != "day":
                hour = int(value[11:13])
                minute = int(value[14:16]) if precision == "minute" else 0
                if hour > 23 or minute > 59:
                    raise ValueError("time out of range")
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date: {exc}") from None
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---------------------------------------------------------------------------
# Spans


class SpanRef(_Strict):
    """A span written as its exact text, disambiguated when it occurs more than once."""

    text: NonEmpty = Field(description="The exact text of the span, copied from the raw article.")
    occurrence: int | None = Field(
        default=None,
        ge=1,
        description="1-based index among all occurrences of `text` (after `prefix`, if given).",
    )
    prefix: NonEmpty | None = Field(
        default=None,
        description="Text that immediately precedes the span in the raw article, to disambiguate.",
    )


#: A span is either its exact text (when unique) or a :class:`SpanRef`.
SpanInput = Annotated[NonEmpty | SpanRef, Field(union_mode="left_to_right")]


class MentionRef(SpanRef):
    """A mention span with the kind of expression it is."""

    kind: MentionKind = Field(
        default="name",
        description="name (a proper name or its short form), nominal (a role phrase such as "
        "'juru bicara Kremlin'), or pronoun ('ia', 'dia', '-nya').",
    )


MentionInput = Annotated[NonEmpty | MentionRef, Field(union_mode="left_to_right")]


class PluralMention(MentionRef):
    """One expression that refers to several registry entities at once.

    "keduanya" (the two of them), "kedua pemimpin" (both leaders), "kedua
    negara", "mereka" for Russia and China. A conjunction of names ("Kim dan
    Putin") is not a plural mention: each name is a mention of its own.
    """

    kind: MentionKind = Field(
        default="nominal",
        description="nominal ('kedua pemimpin', 'kedua negara') or pronoun ('keduanya', "
        "'mereka'); name for a collective name.",
    )
    entities: list[EntityId] = Field(
        min_length=2, description="Registry ids of every entity the expression refers to."
    )
    note: NonEmpty | None = Field(default=None, description="Curator's note.")

    @model_validator(mode="after")
    def _distinct(self) -> PluralMention:
        if len(set(self.entities)) != len(self.entities):
            raise ValueError("a plural mention lists each entity once")
        return self


# ---------------------------------------------------------------------------
# Entity registry


class Entity(_Strict):
    """A real-world entity named in the corpus, shared by all documents."""

    id: EntityId = Field(description="Canonical id, lowercase snake case, e.g. `kim_jong_un`.")
    type: EntityType = Field(description="Entity type.")
    name: NonEmpty = Field(description="Canonical English name.")
    name_id: NonEmpty | None = Field(
        default=None, description="Indonesian name, where it differs from the English one."
    )
    aliases: list[NonEmpty] = Field(
        default_factory=list, description="Other names and spellings found in the corpus."
    )
    wikidata: Annotated[str, StringConstraints(pattern=QID_PATTERN)] | None = Field(
        default=None, description="Wikidata QID, given only where certain."
    )
    note: NonEmpty | None = Field(default=None, description="Curator's note.")


class EntityRegistry(_Strict):
    """The corpus-wide entity registry, ``seeds/entities.yaml``."""

    schema_version: SchemaVersion = Field(description="Version of this file format.")
    entities: list[Entity] = Field(description="Every entity the articles name.")


# ---------------------------------------------------------------------------
# Claim registry


class Claim(_Strict):
    """A proposition that can be true or false, shared by all documents.

    Stances on a claim take a truth label (support, deny, query, comment). The
    same claim in two articles has one id, so stances on it can be compared
    across articles and outlets.
    """

    id: EntityId = Field(
        description="Canonical id, lowercase snake case, e.g. `nk_arms_to_russia`."
    )
    text: NonEmpty = Field(description="The claim in English, as a short declarative sentence.")
    text_id: NonEmpty = Field(
        description="The claim in Indonesian, close to the articles' wording."
    )
    note: NonEmpty | None = Field(default=None, description="Curator's note: scope, variants.")


class ClaimRegistry(_Strict):
    """The corpus-wide claim registry, ``seeds/claims.yaml``."""

    schema_version: SchemaVersion = Field(description="Version of this file format.")
    claims: list[Claim] = Field(description="Every claim a stance in the corpus is about.")


# ---------------------------------------------------------------------------
# Document metadata


class PublicationDate(_Strict):
    """The article's publication date and how it was established."""

    value: NonEmpty = Field(description="ISO 8601 date (YYYY-MM-DD).")
    derivation: DateDerivation = Field(
        description="stated (the page gives it), inferred_from_text (from dates in the "
        "article), or inferred_from_corpus (from the events it reports, cross-checked with "
        "the other articles)."
    )
    evidence: SpanInput | None = Field(
        default=None, description="The span the date is stated in or inferred from."
    )
    note: NonEmpty | None = Field(default=None, description="How the date was derived.")

    @model_validator(mode="after")
    def _iso(self) -> PublicationDate:
        try:
            check_iso_date(self.value, "day")
        except ValueError as exc:
            raise FieldValueError(str(exc), "value") from None
        return self


class WireSource(_Strict):
    """A news agency the article credits."""

    name: NonEmpty = Field(description="The credit as written, e.g. `Associated Press`.")
    entity: EntityId | None = Field(default=None, description="Registry id of the agency.")


class DocumentMetadata(_Strict):
    """Facts about the article as published."""

    outlet: NonEmpty = Field(description="The publishing outlet, e.g. `Kompas TV`.")
    outlet_entity: EntityId | None = Field(
        default=None, description="Registry id of the outlet, when the text names it."
    )
    title: SpanInput | None = Field(
        default=None, description="The headline, where the text has it."
    )
    byline: SpanInput | None = Field(default=None, description="The byline, where the text has it.")
    dateline: SpanInput | None = Field(
        default=None, description="The dateline (place and outlet), where the text has it."
    )
    published: PublicationDate = Field(description="Publication date.")
    wire_sources: list[WireSource] = Field(
        default_factory=list, description="Wire services the article credits (AP, TASS, AFP/CNA)."
    )
    url: Annotated[str, StringConstraints(pattern=URL_PATTERN)] | None = Field(
        default=None,
        description="Where the text was collected from (http or https URL); leave it out "
        "when unknown, never guess it.",
    )
    retrieved_at: Annotated[str, AfterValidator(check_retrieval_time)] | None = Field(
        default=None,
        description="When the text was collected: an ISO 8601 date (YYYY-MM-DD) or a UTC "
        "time (YYYY-MM-DDTHH:MM[:SS]Z); leave it out when unknown.",
    )


class Zone(_Strict):
    """A span that is not article body: a link list, a promotion, a file name, tags."""

    kind: ZoneKind = Field(description="What the zone is.")
    span: SpanInput = Field(description="The zone's text.")


# ---------------------------------------------------------------------------
# Quotes


class Quote(_Strict):
    """Reported speech: a content span, its cue, and who said it."""

    id: LocalId = Field(description="Id, unique within the document, e.g. `q1`.")
    kind: QuoteKind = Field(
        description="direct (in quotation marks, verbatim), indirect (paraphrase), or mixed "
        "(paraphrase containing a verbatim fragment)."
    )
    content: SpanInput = Field(
        description="What was said. For direct quotes, the text inside the quotation marks."
    )
    cue: SpanInput | None = Field(
        default=None, description="The speech or cognition cue: kata, ujar, mengatakan, menurut..."
    )
    speaker_mention: SpanInput | None = Field(
        default=None,
        description="The span naming the speaker in this sentence (name, role or pronoun).",
    )
    speaker: EntityId | None = Field(
        default=None,
        description="Registry id of the speaker, the most specific entity the text allows.",
    )
    speaker_reference: SpeakerReference = Field(
        description="How the text refers to the speaker: name, role, pronoun, organization, "
        "group, anonymous, or implicit (no mention in the sentence)."
    )
    additional_speakers: list[EntityId] = Field(
        default_factory=list,
        description="Co-speakers of a joint statement ('Pyongyang dan Moskow membantah').",
    )
    parent: LocalId | None = Field(
        default=None, description="Id of the quote this one is nested in."
    )
    relayed_by: EntityId | None = Field(
        default=None,
        description="The outlet the article credits for the quote ('seperti dilansir ...').",
    )
    unclosed: bool = Field(
        default=False, description="True when the source opens a quotation mark it never closes."
    )
    note: NonEmpty | None = Field(default=None, description="Curator's note.")


class NonSpeechQuotation(_Strict):
    """Quotation marks that do not mark reported speech, with the reason."""

    span: SpanInput = Field(description="The marked text, including its quotation marks.")
    reason: NonSpeechReason = Field(
        description="scare_quote, title, heading, term (a coined term or name), or stray_mark."
    )
    note: NonEmpty | None = Field(default=None, description="Curator's note.")


# ---------------------------------------------------------------------------
# Events


class EventArgument(_Strict):
    """A participant, place or theme of an event."""

    role: ArgumentRole = Field(description="The argument's role in the event.")
    span: SpanInput = Field(
        description="The argument's text: a mention in the event's sentence, else the nearest "
        "coreferent mention before it; a plural mention for several entities."
    )
    entity: EntityId | None = Field(
        default=None,
        description="Registry id, when it is one. An argument that is a plural mention is "
        "listed once per entity, with the same span.",
    )


class EventTime(_Strict):
    """When an event happened, normalised at the precision the text allows."""

    span: SpanInput | None = Field(
        default=None, description="The time expression, e.g. `Selasa (12/9/2023)` or `Juli lalu`."
    )
    value: NonEmpty | None = Field(
        default=None,
        description="ISO 8601 value at `precision` (decade: YYY; week: YYYY-Www; hour and "
        "minute may carry a UTC offset).",
    )
    precision: DatePrecision | None = Field(default=None, description="Precision of `value`.")
    relative: bool = Field(
        default=False,
        description="True when the expression is relative ('Selasa', 'Juli lalu', '24 tahun "
        "lalu') and was resolved against the article's publication date.",
    )
    note: NonEmpty | None = Field(default=None, description="How the value was resolved.")

    @model_validator(mode="after")
    def _iso(self) -> EventTime:
        if (self.value is None) != (self.precision is None):
            raise ValueError("give both value and precision, or neither")
        if self.value is not None and self.precision is not None:
            try:
                check_iso_date(self.value, self.precision)
            except ValueError as exc:
                raise FieldValueError(str(exc), "value") from None
        if self.value is None and self.span is None:
            raise ValueError("an event time needs a span or a value")
        return self


class Event(_Strict):
    """An event mention: trigger, arguments, time and factual status."""

    id: LocalId = Field(description="Id, unique within the document, e.g. `e1`.")
    type: EventType = Field(description="Event type; see CAMEO for the CAMEO code of each.")
    trigger: SpanInput = Field(description="The word or phrase that expresses the event.")
    arguments: list[EventArgument] = Field(
        default_factory=list, description="Participants, places and themes."
    )
    time: EventTime | None = Field(default=None, description="When the event happened.")
    status: EventStatus = Field(
        description="Factual status as the text presents it, relative to the source that "
        "asserts it (asserted_by, or the article's voice)."
    )
    asserted_by: EntityId | None = Field(
        default=None,
        description="Who asserts the event, when it is not the article's own voice.",
    )
    source_quote: LocalId | None = Field(
        default=None, description="The quote the event is reported in, if any."
    )
    background: bool = Field(
        default=False,
        description="True for context events that are not the news of the article.",
    )
    cross_doc_id: LocalId | None = Field(
        default=None,
        description="One real-world event, whatever type each article gives its mention; "
        "shared by its mentions across documents.",
    )
    missing_roles: dict[ArgumentRole, NonEmpty] = Field(
        default_factory=dict,
        description="Core roles (CORE_ROLES) the document does not fill, each with the reason.",
    )
    note: NonEmpty | None = Field(default=None, description="Curator's note.")


# ---------------------------------------------------------------------------
# Stances


class StanceTarget(_Strict):
    """What a stance is about: exactly one of an entity, an event, a claim or a topic."""

    entity: EntityId | None = Field(default=None, description="Registry id of the target.")
    event: LocalId | None = Field(default=None, description="Id of an event in this document.")
    claim: EntityId | None = Field(
        default=None,
        description="Id of a claim in seeds/claims.yaml: a proposition that can be true or false.",
    )
    topic: NonEmpty | None = Field(
        default=None,
        description="A policy or action as a short English noun phrase, e.g. `UN monitoring of "
        "North Korea`.",
    )

    @model_validator(mode="after")
    def _one(self) -> StanceTarget:
        given = [x for x in (self.entity, self.event, self.claim, self.topic) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of entity, event, claim, topic")
        return self

    @property
    def kind(self) -> TargetKind:
        """Which of the four the target is.

        >>> StanceTarget(claim="nk_arms_to_russia").kind
        'claim'
        """
        if self.entity is not None:
            return "entity"
        if self.event is not None:
            return "event"
        return "claim" if self.claim is not None else "topic"


#: The label set each target kind takes.
LABELS_OF_TARGET: dict[str, tuple[str, ...]] = {
    "entity": get_args(EvaluativeLabel),
    "event": get_args(EvaluativeLabel),
    "topic": get_args(EvaluativeLabel),
    "claim": get_args(TruthLabel),
}


class Stance(_Strict):
    """An attitude of a holder towards a target, with its evidence."""

    id: LocalId = Field(description="Id, unique within the document, e.g. `s1`.")
    holder: EntityId = Field(description="Registry id of the stance holder.")
    target: StanceTarget = Field(description="What the stance is about.")
    label: StanceLabel = Field(
        description="A claim takes a truth label (support, deny, query, comment); an entity, "
        "event or topic takes an evaluative label (favor, against, neutral)."
    )
    evidence: list[SpanInput] = Field(
        default_factory=list, description="Spans that show the stance."
    )
    quotes: list[LocalId] = Field(
        default_factory=list, description="Ids of quotes that show the stance."
    )
    explicit: bool = Field(
        description="True only when the holder is the grammatical source of the attitude in "
        "the text; false when it is inferred."
    )
    note: NonEmpty | None = Field(default=None, description="Curator's note.")

    @model_validator(mode="after")
    def _evidence(self) -> Stance:
        if not self.evidence and not self.quotes:
            raise ValueError("a stance needs at least one evidence span or quote")
        allowed = LABELS_OF_TARGET[self.target.kind]
        if self.label not in allowed:
            raise ValueError(
                f"a stance on a {self.target.kind} takes one of {', '.join(allowed)}, "
                f"not {self.label!r}"
            )
        return self


# ---------------------------------------------------------------------------
# Source problems


class SourceNote(_Strict):
    """A problem in the source text, recorded instead of corrected."""

    kind: SourceProblem = Field(description="What kind of problem.")
    span: SpanInput | None = Field(default=None, description="Where it is, when it has a place.")
    note: NonEmpty = Field(description="What is wrong, and what the text likely means.")
    related_doc: DocId | None = Field(
        default=None, description="The document a factual conflict is with."
    )


# ---------------------------------------------------------------------------
# The raw text's fingerprint

SHA256_PATTERN = r"^[0-9a-f]{64}$"


class TextFingerprint(_Strict):
    """The raw text as it was when the article was added, so that any later edit is caught.

    Written by ``kimputin-new`` from the file's bytes. A text with Windows line
    endings or a byte-order mark is accepted only when the curator says that
    the source has them (``crlf``, ``bom``): editors and git add both silently.
    """

    sha256: Annotated[str, StringConstraints(pattern=SHA256_PATTERN)] = Field(
        description="sha256 of the `.txt` file's bytes, in lowercase hex."
    )
    length: int = Field(ge=1, description="Size of the `.txt` file in bytes.")
    crlf: bool = Field(
        default=False,
        description="True when the source itself has Windows (CRLF) line endings.",
    )
    bom: bool = Field(
        default=False,
        description="True when the source itself starts with a UTF-8 byte-order mark.",
    )


# ---------------------------------------------------------------------------
# The annotation file


class AnnotationFile(_Strict):
    """One article's annotations, ``seeds/<doc_id>.yaml``."""

    schema_version: SchemaVersion = Field(description="Version of this file format.")
    doc_id: DocId = Field(description="Must equal the file stem of the text and this file.")
    text: TextFingerprint = Field(
        description="Fingerprint of the raw text when it was added; raw texts are never edited."
    )
    metadata: DocumentMetadata = Field(description="Facts about the article as published.")
    zones: list[Zone] = Field(default_factory=list, description="Spans that are not article body.")
    mentions: dict[EntityId, list[MentionInput]] = Field(
        default_factory=dict, description="Mentions in the text, grouped by registry entity id."
    )
    plural_mentions: list[PluralMention] = Field(
        default_factory=list,
        description="Expressions that refer to several registry entities at once ('keduanya').",
    )
    quotes: list[Quote] = Field(default_factory=list, description="Reported speech.")
    non_speech_quotations: list[NonSpeechQuotation] = Field(
        default_factory=list, description="Quotation marks that are not reported speech."
    )
    events: list[Event] = Field(default_factory=list, description="Event mentions.")
    stances: list[Stance] = Field(default_factory=list, description="Stances.")
    source_notes: list[SourceNote] = Field(
        default_factory=list, description="Problems in the source text, never silently corrected."
    )


class SplitAssignment(_Strict):
    """``seeds/splits.yaml``: which documents are in which split."""

    schema_version: Literal["1.0"] = Field(description="Version of this file format.")
    train: list[DocId] = Field(description="Documents in the train split.")
    validation: list[DocId] = Field(description="Documents in the validation split.")
    test: list[DocId] = Field(description="Documents in the test split.")
    rationale: NonEmpty = Field(description="Why the split is what it is.")


def labels(literal: object) -> list[str]:
    """The names of a label set, in ClassLabel order.

    >>> labels(TruthLabel)
    ['support', 'deny', 'query', 'comment']
    """
    return [str(a) for a in get_args(literal)]
