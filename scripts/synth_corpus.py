"""Generate a synthetic corpus in the real file format, for benchmarks and scale tests.

Usage::

    python scripts/synth_corpus.py --docs 1000 --out /tmp/synth/seeds [--seed 0] [--workers 2]

Writes ``<doc_id>.txt`` and ``<doc_id>.yaml`` per document, ``entities.yaml``
and ``splits.yaml`` (train/validation/test about 80/10/10) into ``--out``, and
copies the repository's ``DATASET_CARD.md`` into the parent of ``--out`` so
that ``python -m kimputin_ds.build --root OUT`` finds its card template.

Each document is about 5 kB of Indonesian-like news text with about 100
annotations: mentions (names, short forms, nominals and ``-nya`` pronouns),
direct, indirect and nested quotes with cue and speaker mention, events with
arguments and times, stances, zones, a quotation mark that is not speech and
a source note. The annotations are valid by construction: every span is
written as its exact text, with ``occurrence`` or ``prefix`` where the text
is ambiguous, exactly as curators write them (never as offsets). The output
depends only on ``--seed`` and ``--docs``, not on the number of workers.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from kimputin_ds.anchoring import Anchorer, occurrences
from kimputin_ds.fingerprint import fingerprint_yaml

REPO = Path(__file__).resolve().parent.parent
CARD = REPO / "DATASET_CARD.md"
GUIDELINES = REPO / "docs" / "guidelines.md"
TARGET_CHARS = 5000

# ---------------------------------------------------------------------------
# Entities: (id, type, full name, short forms, Indonesian name, Wikidata)

_BASE_ENTITIES: list[tuple[str, str, str, tuple[str, ...], str | None, str | None]] = [
    ("kim_jong_un", "person", "Kim Jong Un", ("Kim",), None, "Q56226"),
    ("vladimir_putin", "person", "Vladimir Putin", ("Putin",), None, "Q7747"),
    ("dmitry_peskov", "person", "Dmitry Peskov", ("Peskov",), None, None),
    ("sergei_shoigu", "person", "Sergei Shoigu", ("Shoigu",), None, None),
    ("sergey_lavrov", "person", "Sergey Lavrov", ("Lavrov",), None, None),
    ("choe_son_hui", "person", "Choe Son Hui", ("Choe",), None, None),
    ("antony_blinken", "person", "Antony Blinken", ("Blinken",), None, None),
    ("matthew_miller", "person", "Matthew Miller", ("Miller",), None, None),
    ("yoon_suk_yeol", "person", "Yoon Suk Yeol", ("Yoon",), None, None),
    ("fumio_kishida", "person", "Fumio Kishida", ("Kishida",), None, None),
    ("xi_jinping", "person", "Xi Jinping", ("Xi",), None, None),
    ("kim_yo_jong", "person", "Kim Yo Jong", (), None, None),
    ("john_kirby", "person", "John Kirby", ("Kirby",), None, None),
    ("north_korea", "country", "North Korea", ("Korut", "Pyongyang"), "Korea Utara", "Q423"),
    ("russia", "country", "Russia", ("Moskow",), "Rusia", "Q159"),
    ("south_korea", "country", "South Korea", ("Korsel",), "Korea Selatan", "Q884"),
    ("united_states", "country", "United States", ("AS", "Washington"), "Amerika Serikat", "Q30"),
    ("china", "country", "China", ("Beijing",), None, "Q148"),
    ("japan", "country", "Japan", ("Tokyo",), "Jepang", "Q17"),
    ("ukraine", "country", "Ukraine", ("Kyiv",), "Ukraina", "Q212"),
    ("indonesia", "country", "Indonesia", ("RI",), None, "Q252"),
    ("iran", "country", "Iran", (), None, "Q794"),
    (
        "kcna",
        "organization",
        "Korean Central News Agency",
        ("KCNA",),
        "Kantor Berita Pusat Korea",
        None,
    ),
    ("kremlin", "organization", "Kremlin", (), None, None),
    ("tass", "organization", "TASS", (), None, None),
    (
        "united_nations",
        "organization",
        "United Nations",
        ("PBB",),
        "Perserikatan Bangsa-Bangsa",
        None,
    ),
    (
        "un_security_council",
        "organization",
        "UN Security Council",
        ("DK PBB",),
        "Dewan Keamanan PBB",
        None,
    ),
    ("nato", "organization", "NATO", (), None, None),
    ("pentagon", "organization", "Pentagon", (), None, None),
    ("associated_press", "organization", "Associated Press", ("AP",), None, None),
    ("reuters", "organization", "Reuters", (), None, None),
    ("kompas_tv", "organization", "Kompas TV", ("KOMPAS.TV",), None, None),
    ("pyongyang", "place", "Pyongyang", (), None, None),
    ("moscow", "place", "Moscow", (), "Moskow", None),
    ("vladivostok", "place", "Vladivostok", (), None, None),
    ("khasan", "place", "Khasan", (), None, None),
    ("seoul", "place", "Seoul", (), None, None),
    ("jakarta", "place", "Jakarta", (), None, None),
    ("korean_peninsula", "place", "Korean Peninsula", (), "Semenanjung Korea", None),
    ("amur_oblast", "place", "Amur Oblast", (), "Amur", None),
    ("vostochny_cosmodrome", "facility", "Vostochny Cosmodrome", (), None, None),
    ("khasan_station", "facility", "Khasan station", (), "stasiun Khasan", None),
    ("the_west", "group", "the West", (), "negara-negara Barat", None),
    ("summit_2023", "named_event", "2023 Russia-North Korea summit", (), "KTT Rusia-Korut", None),
]

_FIRST = ["Andi", "Budi", "Siti", "Dewi", "Rizky", "Agus", "Hendra", "Putri", "Wahyu", "Indah"]
_LAST = ["Pratama", "Santoso", "Wijaya", "Hidayat", "Saputra", "Kusuma", "Nugroho", "Lestari"]
_ROLES = [
    "pengamat hubungan internasional",
    "analis militer",
    "peneliti senior",
    "pakar Asia Timur",
]


@dataclass(frozen=True)
class Ent:
    """One registry entity and the ways the text names it."""

    id: str
    type: str
    name: str
    surface: str
    short: tuple[str, ...]
    name_id: str | None
    wikidata: str | None
    note: str | None = None


def _entities() -> list[Ent]:
    ents = [Ent(i, t, n, nid or n, s, nid, q) for i, t, n, s, nid, q in _BASE_ENTITIES]
    for first in _FIRST:
        for last in _LAST:
            name = f"{first} {last}"
            ents.append(
                Ent(
                    f"{first}_{last}".lower(),
                    "person",
                    name,
                    name,
                    (last,),
                    None,
                    None,
                    "Synthetic analyst.",
                )
            )
    return ents


ENTITIES = _entities()
BY_ID = {e.id: e for e in ENTITIES}
LEADERS = ENTITIES[:13]
ANALYSTS = [e for e in ENTITIES if e.note == "Synthetic analyst."]
COUNTRIES = [e for e in ENTITIES if e.type == "country"]
ORGS = [BY_ID[i] for i in ("kcna", "kremlin", "pentagon", "united_nations", "nato")]
PLACES = [e for e in ENTITIES if e.type in ("place", "facility")]
WIRES = [BY_ID[i] for i in ("associated_press", "reuters", "tass")]

# ---------------------------------------------------------------------------
# Words

_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
_TOPICS = [
    "kerja sama ekonomi", "teknologi satelit", "pasokan energi", "keamanan kawasan",
    "latihan gabungan", "perdagangan bilateral", "bantuan pangan", "jalur kereta api",
    "sanksi internasional", "program nuklir", "industri pertahanan", "pertukaran budaya",
]  # fmt: skip
_FILLER = [
    "Situasi di kawasan itu terus menjadi perhatian masyarakat internasional.",
    "Pertemuan tersebut berlangsung tertutup dan tidak banyak rincian yang disampaikan.",
    "Sejumlah pengamat menilai hubungan kedua negara semakin erat dalam beberapa tahun terakhir.",
    "Rombongan tiba dengan pengawalan ketat dan disambut oleh pejabat setempat.",
    "Hingga berita ini diturunkan, belum ada keterangan resmi mengenai hasil pembicaraan itu.",
    "Kunjungan semacam ini jarang terjadi dan biasanya dipersiapkan dalam waktu lama.",
    "Para pejabat membahas berbagai isu, mulai dari ekonomi hingga pertahanan.",
    "Media pemerintah menayangkan gambar jabat tangan yang hangat di depan kamera.",
    "Kedua pihak juga disebut membicarakan rencana pembangunan infrastruktur.",
    "Warga di ibu kota mengikuti perkembangan berita itu melalui televisi.",
    "Ketegangan di Semenanjung Korea meningkat sejak awal tahun ini.",
    "Pembicaraan dilanjutkan dengan jamuan makan malam kenegaraan.",
]  # fmt: skip
_CLAUSES = [
    "akan memperluas {topic} dalam waktu dekat",
    "siap meningkatkan {topic} dengan mitra-mitranya",
    "tidak akan mundur dari komitmen terkait {topic}",
    "membutuhkan dukungan untuk memperkuat {topic}",
    "menolak tuduhan soal {topic} yang disebut tidak berdasar",
]
_DIRECT = [
    "Kami menghargai persahabatan yang telah terjalin selama puluhan tahun",
    "Ini adalah langkah penting bagi perdamaian dan stabilitas",
    "Kami tidak akan membiarkan tekanan dari luar mengganggu hubungan ini",
    "Kerja sama ini akan membawa manfaat bagi rakyat kedua negara",
    "Pintu dialog tetap terbuka bagi semua pihak",
    "Kami akan terus memantau perkembangan dengan saksama",
]
_CUES_DIRECT = ["kata", "ujar", "tutur", "ucap"]
_CUES_INDIRECT = ["mengatakan", "menyatakan", "menegaskan", "menyebut"]
_TERMS = ["operasi militer khusus", "poros baru", "persahabatan tanpa batas", "era baru"]

# ---------------------------------------------------------------------------
# YAML scalars, written as a curator writes them: plain when safe, quoted otherwise

_PLAIN_BLOCK = re.compile(
    r"[A-Za-z][A-Za-z0-9 .,()/'-]*[A-Za-z0-9.)]|[A-Za-z]|[0-9]+_[0-9a-f]*[a-f][0-9a-f]*"
)
_PLAIN_FLOW = re.compile(r"[A-Za-z][A-Za-z0-9 .()/'-]*[A-Za-z0-9.)]|[A-Za-z]")
_RESERVED = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})


def scalar(value: str, flow: bool = False) -> str:
    """A YAML scalar for ``value``: plain when that reads back as the same string.

    >>> scalar("Kim Jong Un"), scalar("2019"), scalar("a, b", flow=True)
    ('Kim Jong Un', '"2019"', '"a, b"')
    """
    pattern = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if pattern.fullmatch(value) and value.lower() not in _RESERVED and "  " not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------------------
# One document


@dataclass
class Mention:
    """A mention of a registry entity at known offsets."""

    start: int
    end: int
    kind: str = "name"


@dataclass
class Doc:
    """A document under construction: text pieces and annotations with offsets."""

    doc_id: str
    rng: random.Random
    published: date
    parts: list[str] = field(default_factory=list)
    pos: int = 0
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    zones: list[tuple[str, int, int]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    stances: list[dict[str, Any]] = field(default_factory=list)
    nsq: list[tuple[int, int, str]] = field(default_factory=list)
    notes: list[tuple[int, int, str]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def add(self, text: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return start, self.pos

    def mention(self, ent: Ent, form: str | None = None, kind: str = "name") -> tuple[int, int]:
        """Write a name of ``ent`` (full on first use, often short later) and record it."""
        if form is None:
            seen = ent.id in self.mentions
            form = (
                self.rng.choice(ent.short)
                if seen and ent.short and self.rng.random() < 0.7
                else ent.surface
            )
        span = self.add(form)
        self.mentions.setdefault(ent.id, []).append(Mention(*span, kind))
        return span

    def time_expr(self) -> dict[str, Any]:
        """Write a time expression and return the event time it stands for."""
        rng = self.rng
        choice = rng.random()
        if choice < 0.45:
            day = self.published - timedelta(days=rng.randrange(0, 6))
            span = self.add(f"{_DAYS[day.weekday()]} ({day.day}/{day.month}/{day.year})")
            return {"span": span, "value": day.isoformat(), "precision": "day"}
        if choice < 0.65:
            day = self.published - timedelta(days=rng.randrange(1, 7))
            span = self.add(f"{_DAYS[day.weekday()]} lalu")
            return {
                "span": span,
                "value": day.isoformat(),
                "precision": "day",
                "relative": True,
                "note": f"Resolved against the publication date, {self.published.isoformat()}.",
            }
        if choice < 0.85:
            month = self.published.replace(day=1) - timedelta(days=rng.randrange(0, 200))
            span = self.add(f"{_MONTHS[month.month - 1]} {month.year}")
            return {"span": span, "value": f"{month.year}-{month.month:02d}", "precision": "month"}
        year = rng.randrange(2000, self.published.year)
        span = self.add(str(year))
        return {"span": span, "value": str(year), "precision": "year"}

    def event(
        self, type_: str, trigger: tuple[int, int], arguments: list[Any], **extra: Any
    ) -> str:
        event_id = f"e{len(self.events) + 1}"
        item = {"id": event_id, "type": type_, "trigger": trigger, "arguments": arguments}
        item.update(extra)
        if self.rng.random() < 0.2:
            item["cross_doc_id"] = f"{type_}_{self.rng.randrange(40)}"
        self.events.append(item)
        return event_id

    def quote(self, **item: Any) -> str:
        quote_id = f"q{len(self.quotes) + 1}"
        self.quotes.append({"id": quote_id, **item})
        return quote_id


# --- sentences --------------------------------------------------------------


def _meeting(d: Doc) -> None:
    rng = d.rng
    a, b = rng.sample(LEADERS, 2)
    place = rng.choice(PLACES)
    sa = d.mention(a)
    d.add(" ")
    trigger = d.add(rng.choice(["bertemu", "bertemu dengan"]))
    d.add(" ")
    sb = d.mention(b)
    d.add(" di ")
    sp = d.mention(place)
    d.add(" pada ")
    t = d.time_expr()
    d.add(".")
    d.event(
        "meeting",
        trigger,
        [("participant", sa, a.id), ("participant", sb, b.id), ("location", sp, place.id)],
        time=t,
        status="occurred",
    )


def _visit(d: Doc) -> None:
    rng = d.rng
    a = rng.choice(LEADERS)
    place = rng.choice(PLACES)
    d.add("Dalam ")
    trigger = d.add("kunjungan")
    pron = d.mention(a, "nya", "pronoun")
    d.add(" ke ")
    sp = d.mention(place)
    d.add(", ")
    sa = d.mention(a)
    d.add(" juga ")
    inspect = d.add("meninjau")
    d.add(" fasilitas " + rng.choice(_TOPICS) + ".")
    d.event(
        "visit",
        trigger,
        [("agent", pron, a.id), ("destination", sp, place.id)],
        status=rng.choice(["occurred", "planned"]),
    )
    d.event("other", inspect, [("agent", sa, a.id)], status="occurred")


def _direct_quote(d: Doc) -> None:
    rng = d.rng
    speaker = rng.choice(LEADERS + ANALYSTS)
    open_, close = rng.choice([("\u201c", "\u201d"), ('"', '"')])
    d.add(open_)
    content = d.add(rng.choice(_DIRECT) + ",")
    d.add(close + " ")
    cue = d.add(rng.choice(_CUES_DIRECT))
    d.add(" ")
    reference = "name"
    if speaker in ANALYSTS and rng.random() < 0.5:
        mention = d.mention(speaker, rng.choice(_ROLES) + " itu", "nominal")
        reference = "role"
    else:
        mention = d.mention(speaker)
    d.add(".")
    d.quote(
        kind="direct",
        content=content,
        cue=cue,
        speaker_mention=mention,
        speaker=speaker.id,
        speaker_reference=reference,
    )


def _indirect_quote(d: Doc) -> None:
    rng = d.rng
    speaker = rng.choice(LEADERS + ANALYSTS)
    country, other = rng.sample(COUNTRIES, 2)
    mention = d.mention(speaker)
    d.add(" ")
    cue = d.add(rng.choice(_CUES_INDIRECT))
    d.add(" bahwa ")
    start = d.pos
    agent = d.mention(country)
    d.add(" ")
    trigger = d.add(rng.choice(["akan mengirim senjata", "mengirim senjata"]))
    d.add(" ke ")
    recipient = d.mention(other)
    d.add(" " + rng.choice(_CLAUSES).format(topic=rng.choice(_TOPICS)))
    content = (start, d.pos)
    relayed = None
    if rng.random() < 0.3:
        d.add(", seperti dilansir ")
        wire = rng.choice(WIRES)
        d.mention(wire)
        relayed = wire.id
    d.add(".")
    quote_id = d.quote(
        kind="indirect",
        content=content,
        cue=cue,
        speaker_mention=mention,
        speaker=speaker.id,
        speaker_reference="name",
        relayed_by=relayed,
    )
    d.event(
        "arms_transfer",
        trigger,
        [("agent", agent, country.id), ("recipient", recipient, other.id)],
        status="alleged",
        asserted_by=speaker.id,
        source_quote=quote_id,
    )
    if rng.random() < 0.5:
        d.stances.append(
            {
                "holder": speaker.id,
                "target": ("entity", country.id),
                "label": rng.choice(["against", "neutral"]),
                "evidence": [],
                "quotes": [quote_id],
                "explicit": False,
                "note": "Inferred from the reported statement.",
            }
        )


def _nested_quote(d: Doc) -> None:
    rng = d.rng
    org = BY_ID["kcna"]
    leader = rng.choice(LEADERS)
    speaker = d.mention(org)
    d.add(" ")
    cue = d.add("melaporkan")
    d.add(" bahwa ")
    start = d.pos
    inner_speaker = d.mention(leader)
    d.add(" ")
    inner_cue = d.add("menyebut")
    d.add(" pertemuan itu \u201c")
    inner = d.add(
        rng.choice(["bukti nyata", "tonggak sejarah", "babak baru"]) + " hubungan kedua negara"
    )
    d.add("\u201d")
    outer = (start, d.pos)
    d.add(".")
    parent = d.quote(
        kind="mixed",
        content=outer,
        cue=cue,
        speaker_mention=speaker,
        speaker=org.id,
        speaker_reference="organization",
    )
    child = d.quote(
        kind="direct",
        content=inner,
        cue=inner_cue,
        speaker_mention=inner_speaker,
        speaker=leader.id,
        speaker_reference="name",
        parent=parent,
    )
    d.stances.append(
        {
            "holder": leader.id,
            "target": ("topic", "the summit's significance"),
            "label": "favor",
            "evidence": [inner],
            "quotes": [child],
            "explicit": True,
        }
    )


def _joint_denial(d: Doc) -> None:
    rng = d.rng
    a, b = BY_ID["russia"], BY_ID["north_korea"]
    sa = d.mention(a)
    d.add(" dan ")
    sb = d.mention(b)
    d.add(" ")
    cue = d.add("membantah")
    d.add(" ")
    start = d.pos
    d.add("tuduhan soal " + rng.choice(_TOPICS) + " yang disebut sebagai kebohongan")
    content = (start, d.pos)
    d.add(".")
    quote_id = d.quote(
        kind="indirect",
        content=content,
        cue=cue,
        speaker_mention=sa,
        speaker=a.id,
        speaker_reference="organization",
        additional_speakers=[b.id],
    )
    d.event(
        "denial",
        cue,
        [("agent", sa, a.id), ("agent", sb, b.id)],
        status="occurred",
        source_quote=quote_id,
    )


def _stance(d: Doc) -> None:
    rng = d.rng
    holder = rng.choice([*COUNTRIES, *LEADERS, BY_ID["the_west"]])
    target = rng.choice(COUNTRIES)
    while target is holder:
        target = rng.choice(COUNTRIES)
    sh = d.mention(holder)
    d.add(" ")
    favor = rng.random() < 0.5
    evidence = d.add("menyatakan dukungan penuh" if favor else "mengecam keras")
    d.add(" terhadap ")
    st = d.mention(target)
    d.add(" dalam isu " + rng.choice(_TOPICS) + ".")
    event = d.event(
        "praise" if favor else "criticism",
        evidence,
        [("agent", sh, holder.id), ("patient", st, target.id)],
        status="occurred",
    )
    d.stances.append(
        {
            "holder": holder.id,
            "target": ("entity", target.id) if rng.random() < 0.6 else ("event", event),
            "label": "favor" if favor else "against",
            "evidence": [evidence],
            "quotes": [],
            "explicit": True,
        }
    )


def _term(d: Doc) -> None:
    rng = d.rng
    who = rng.choice(COUNTRIES)
    d.mention(who)
    d.add(" menyebut langkah itu sebagai ")
    span = d.add('"' + rng.choice(_TERMS) + '"')
    d.add(".")
    d.nsq.append((*span, "term"))


def _typo(d: Doc) -> None:
    d.add("Rombongan melintasi jembatan ")
    span = d.add("keret api")
    d.add(" di atas sungai.")
    d.notes.append((*span, "Typo for 'kereta api' (railway)."))


def _exercise(d: Doc) -> None:
    rng = d.rng
    a = rng.choice(COUNTRIES)
    sa = d.mention(a)
    d.add(" ")
    type_, words = rng.choice(
        [
            ("military_exercise", "menggelar latihan militer"),
            ("weapons_launch", "meluncurkan rudal"),
        ]
    )
    trigger = d.add(words)
    d.add(" pada ")
    t = d.time_expr()
    d.add(".")
    d.event(
        type_,
        trigger,
        [("agent", sa, a.id)],
        time=t,
        status="occurred",
        background=rng.random() < 0.3,
    )


def _filler(d: Doc) -> None:
    d.add(d.rng.choice(_FILLER))


_SENTENCES = [
    (_meeting, 4),
    (_visit, 2),
    (_direct_quote, 3),
    (_indirect_quote, 3),
    (_nested_quote, 1),
    (_joint_denial, 1),
    (_stance, 2),
    (_exercise, 2),
    (_filler, 30),
]
_KINDS = [f for f, w in _SENTENCES for _ in range(w)]


def make_document(seed: int, index: int, width: int) -> tuple[str, str, str, set[str]]:
    """Build document ``index``: its id, raw text, annotation YAML and the entities it uses."""
    rng = random.Random(f"{seed}:{index}")
    doc_id = f"{index:0{width}d}_{rng.getrandbits(64):016x}"
    published = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
    d = Doc(doc_id, rng, published)
    outlet = BY_ID["kompas_tv"]

    headline_a, headline_b = rng.sample(LEADERS[:2] + COUNTRIES[:3], 2)
    title_start = d.pos
    d.mention(headline_a)
    d.add(" dan ")
    d.mention(headline_b)
    d.add(" Bahas " + rng.choice(_TOPICS).title())
    title = (title_start, d.pos)
    d.add("\n")
    stamp = d.add(
        f"{_DAYS[published.weekday()]}, {published.day} {_MONTHS[published.month - 1]} "
        f"{published.year} {rng.randrange(6, 23):02d}:{rng.randrange(60):02d} WIB"
    )
    d.add("\n")
    byline = d.add(f"Penulis: {rng.choice(_FIRST)} {rng.choice(_LAST)}")
    d.add("\n")
    image = d.add(f"foto_{doc_id[-6:]}_{published.year}.jpg")
    d.add("\n")
    dateline = d.add("JAKARTA, KOMPAS.TV -")
    d.add(" ")
    d.zones += [
        ("headline", *title),
        ("timestamp", *stamp),
        ("byline", *byline),
        ("image_filename", *image),
        ("dateline", *dateline),
    ]
    d.meta = {"title": title, "byline": byline, "dateline": dateline, "stamp": stamp}

    special = [_nested_quote, _joint_denial, _term, _typo]
    rng.shuffle(special)
    sentences = 0
    while d.pos < TARGET_CHARS:
        kind = special.pop() if special and rng.random() < 0.15 else rng.choice(_KINDS)
        kind(d)
        sentences += 1
        if sentences % 3 == 0:
            d.add("\n")
            if sentences % 12 == 0:
                link = d.add(f"Baca Juga: {rng.choice(_FILLER)[:-1]}")
                d.zones.append(("related_link", *link))
                d.add("\n")
        else:
            d.add(" ")
    for kind in special:
        kind(d)
        d.add(" ")
    d.add("\n")
    wire = rng.choice(WIRES)
    credit = d.add(f"Sumber: {wire.surface}")
    d.add("\n")
    tags = d.add("Tag: " + ", ".join(rng.sample(["kim jong un", "putin", "rusia", "korut"], 3)))
    d.add("\n")
    d.zones += [("source_credit", *credit), ("tags", *tags)]
    d.meta["wire"] = wire
    d.meta["outlet"] = outlet
    text = "".join(d.parts)
    used = set(d.mentions) | {outlet.id, wire.id}
    return doc_id, text, _render(d, text), used


# ---------------------------------------------------------------------------
# Rendering the annotation file


class _Anchors:
    """Writes spans as curators do: exact text, plus occurrence or prefix when ambiguous."""

    def __init__(self, text: str, rng: random.Random) -> None:
        self.text = text
        self.rng = rng
        self._occ = Anchorer(text).occurrences  # the validator's search, shared per text

    def fields(self, start: int, end: int) -> list[tuple[str, str]]:
        """``[("text", ...), ("prefix", ...), ("occurrence", ...)]`` as needed."""
        raw = self.text[start:end]
        occ = self._occ(raw)
        if len(occ) == 1:
            return [("text", scalar(raw, flow=True))]
        if start > 0 and self.rng.random() < 0.4:
            for width in (12, 24, 48):
                prefix = self.text[max(0, start - width) : start]
                cut = prefix.find(" ")
                if 0 <= cut < len(prefix) - 1 and width < start:
                    prefix = prefix[cut + 1 :]
                starts = occurrences(self.text, prefix + raw)
                if len(starts) == 1:
                    return [("text", scalar(raw, True)), ("prefix", scalar(prefix, True))]
            index = starts.index(start - len(prefix)) + 1
            return [
                ("text", scalar(raw, True)),
                ("prefix", scalar(prefix, True)),
                ("occurrence", str(index)),
            ]
        index = bisect_left(occ, start) + 1
        return [("text", scalar(raw, True)), ("occurrence", str(index))]

    def span(self, span: tuple[int, int], *, flow: bool = False, kind: str | None = None) -> str:
        """The YAML value of a span field; a mention ``kind`` forces the mapping form."""
        fields = self.fields(*span)
        if len(fields) == 1 and kind is None:
            return scalar(self.text[span[0] : span[1]], flow)
        if kind is not None:
            fields.append(("kind", kind))
        return "{" + ", ".join(f"{k}: {v}" for k, v in fields) + "}"


def _render(d: Doc, text: str) -> str:
    a = _Anchors(text, d.rng)
    out: list[str] = []
    w = out.append
    w("# yaml-language-server: $schema=../schema/annotation.schema.json\n")
    w('schema_version: "2.0"\n')
    w(f"doc_id: {scalar(d.doc_id)}\n")
    w(fingerprint_yaml(text.encode("utf-8")) + "\n")
    meta = d.meta
    w("metadata:\n")
    w(f"  outlet: {meta['outlet'].name}\n")
    w(f"  outlet_entity: {meta['outlet'].id}\n")
    w(f"  title: {a.span(meta['title'])}\n")
    w(f"  byline: {a.span(meta['byline'])}\n")
    w(f"  dateline: {a.span(meta['dateline'])}\n")
    w("  published:\n")
    w(f'    value: "{d.published.isoformat()}"\n')
    w("    derivation: stated\n")
    w(f"    evidence: {a.span(meta['stamp'])}\n")
    w("  wire_sources:\n")
    w(f"    - {{name: {meta['wire'].name}, entity: {meta['wire'].id}}}\n\n")

    w("zones:\n")
    for kind, start, end in d.zones:
        w(f"  - {{kind: {kind}, span: {a.span((start, end), flow=True)}}}\n")
    w("\nmentions:\n")
    for entity_id, mentions in d.mentions.items():
        w(f"  {entity_id}:\n")
        for m in mentions:
            w(f"    - {a.span((m.start, m.end), kind=None if m.kind == 'name' else m.kind)}\n")
    if d.quotes:
        w("\nquotes:\n")
    for q in d.quotes:
        w(f"  - id: {q['id']}\n")
        w(f"    kind: {q['kind']}\n")
        w(f"    content: {a.span(q['content'])}\n")
        w(f"    cue: {a.span(q['cue'])}\n")
        w(f"    speaker_mention: {a.span(q['speaker_mention'])}\n")
        w(f"    speaker: {q['speaker']}\n")
        w(f"    speaker_reference: {q['speaker_reference']}\n")
        if q.get("additional_speakers"):
            w(f"    additional_speakers: [{', '.join(q['additional_speakers'])}]\n")
        if q.get("parent"):
            w(f"    parent: {q['parent']}\n")
        if q.get("relayed_by"):
            w(f"    relayed_by: {q['relayed_by']}\n")
    if d.nsq:
        w("\nnon_speech_quotations:\n")
    for start, end, reason in d.nsq:
        w(f"  - span: {a.span((start, end))}\n")
        w(f"    reason: {reason}\n")
    if d.events:
        w("\nevents:\n")
    for e in d.events:
        w(f"  - id: {e['id']}\n")
        w(f"    type: {e['type']}\n")
        w(f"    trigger: {a.span(e['trigger'])}\n")
        w("    arguments:\n")
        for role, span, entity in e["arguments"]:
            w(f"      - {{role: {role}, span: {a.span(span, flow=True)}, entity: {entity}}}\n")
        t = e.get("time")
        if t:
            w("    time:\n")
            w(f"      span: {a.span(t['span'])}\n")
            w(f'      value: "{t["value"]}"\n')
            w(f"      precision: {t['precision']}\n")
            if t.get("relative"):
                w("      relative: true\n")
                w(f"      note: {scalar(t['note'])}\n")
        w(f"    status: {e['status']}\n")
        for key in ("asserted_by", "source_quote", "cross_doc_id"):
            if e.get(key):
                w(f"    {key}: {e[key]}\n")
        if e.get("background"):
            w("    background: true\n")
    if d.stances:
        w("\nstances:\n")
    for i, s in enumerate(d.stances, 1):
        kind, value = s["target"]
        w(f"  - id: s{i}\n")
        w(f"    holder: {s['holder']}\n")
        w(f"    target: {{{kind}: {scalar(value, flow=True)}}}\n")
        w(f"    label: {s['label']}\n")
        if s["evidence"]:
            w("    evidence:\n")
            for span in s["evidence"]:
                w(f"      - {a.span(span)}\n")
        if s["quotes"]:
            w(f"    quotes: [{', '.join(s['quotes'])}]\n")
        w(f"    explicit: {'true' if s['explicit'] else 'false'}\n")
        if s.get("note"):
            w(f"    note: {scalar(s['note'])}\n")
    if d.notes:
        w("\nsource_notes:\n")
    for start, end, note in d.notes:
        w("  - kind: typo\n")
        w(f"    span: {a.span((start, end))}\n")
        w(f"    note: {scalar(note)}\n")
    return "".join(out)


# ---------------------------------------------------------------------------
# Files


def _write_chunk(args: tuple[Path, int, int, int, int]) -> set[str]:
    out, seed, first, last, width = args
    used: set[str] = set()
    for index in range(first, last):
        doc_id, text, annotation, ents = make_document(seed, index, width)
        (out / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
        (out / f"{doc_id}.yaml").write_text(annotation, encoding="utf-8")
        used |= ents
    return used


def split_of(index: int) -> str:
    """The split of document ``index``: 8 in 10 train, 1 validation, 1 test.

    >>> [split_of(i) for i in (0, 7, 8, 9)]
    ['train', 'train', 'validation', 'test']
    """
    return {8: "validation", 9: "test"}.get(index % 10, "train")


def _registry(used: Iterable[str]) -> str:
    keep = set(used)
    lines = [
        "# yaml-language-server: $schema=../schema/entities.schema.json",
        "# Synthetic registry written by scripts/synth_corpus.py.",
        'schema_version: "2.0"',
        "entities:",
    ]
    for e in ENTITIES:
        if e.id not in keep:
            continue
        fields = [f"id: {e.id}", f"type: {e.type}", f"name: {scalar(e.name, True)}"]
        if e.name_id:
            fields.append(f"name_id: {scalar(e.name_id, True)}")
        if e.short:
            fields.append("aliases: [" + ", ".join(scalar(s, True) for s in e.short) + "]")
        if e.wikidata:
            fields.append(f"wikidata: {e.wikidata}")
        if e.note:
            fields.append(f"note: {scalar(e.note, True)}")
        lines.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


def _chunks(docs: int, size: int) -> Iterator[tuple[int, int]]:
    for first in range(0, docs, size):
        yield first, min(docs, first + size)


def generate(out: Path, docs: int, seed: int = 0, workers: int = 2) -> list[str]:
    """Write a synthetic corpus of ``docs`` documents into ``out``.

    Args:
        out: The corpus directory to create (its parent receives ``DATASET_CARD.md``).
        docs: Number of documents.
        seed: Seed of the generator; the same seed gives the same files.
        workers: Processes writing documents (1 writes in this process).

    Returns:
        The document ids, in order.
    """
    out.mkdir(parents=True, exist_ok=True)
    width = max(3, len(str(docs - 1)))
    chunk = max(1, min(500, docs // (workers * 4) or 1))
    jobs = [(out, seed, a, b, width) for a, b in _chunks(docs, chunk)]
    used: set[str] = set()
    if workers > 1 and len(jobs) > 1:
        with get_context("fork").Pool(workers) as pool:
            for part in pool.imap_unordered(_write_chunk, jobs):
                used |= part
    else:
        for job in jobs:
            used |= _write_chunk(job)
    ids = [
        f"{i:0{width}d}_{random.Random(f'{seed}:{i}').getrandbits(64):016x}" for i in range(docs)
    ]
    # Every id the documents and their events and stances refer to is registered.
    (out / "entities.yaml").write_text(_registry(used), encoding="utf-8")
    splits: dict[str, list[str]] = {"train": [], "validation": [], "test": []}
    for i, doc_id in enumerate(ids):
        splits[split_of(i)].append(doc_id)
    lines = [
        "# yaml-language-server: $schema=../schema/splits.schema.json",
        'schema_version: "1.0"',
    ]
    for name, members in splits.items():
        lines.append(f"{name}:" if members else f"{name}: []")
        lines.extend(f"  - {scalar(m)}" for m in members)
    lines.append("rationale: Synthetic corpus; every tenth document is validation, test the next.")
    (out / "splits.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if CARD.is_file():
        shutil.copyfile(CARD, out.resolve().parent / "DATASET_CARD.md")
    if GUIDELINES.is_file():  # the build ships them with the card
        (out.resolve().parent / "docs").mkdir(exist_ok=True)
        shutil.copyfile(GUIDELINES, out.resolve().parent / "docs" / "guidelines.md")
    return ids


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: generate a corpus and print where and how fast."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="corpus directory to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.out, args.docs, args.seed, args.workers)
    seconds = time.perf_counter() - started
    print(f"wrote {args.docs} documents to {args.out} in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
