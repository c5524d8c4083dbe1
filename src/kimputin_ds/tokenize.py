"""The official tokenizer of kimputin_ds: Indonesian news text to tokens with offsets.

Every token-level view of the corpus (the release's ``tokens`` config, the
CoNLL export) uses :func:`tokenize`, so that their token boundaries agree.
The rules, in order:

1. Whitespace separates tokens and never belongs to one. Whitespace is every
   character ``str.isspace`` accepts (so the non-breaking space U+00A0 and the
   thin spaces), plus the zero-width space U+200B and the byte-order mark
   U+FEFF, which ``isspace`` does not accept.
2. A word is a run of letters and digits. Inside a word these join:

   * a hyphen between two letters or digits, unless the letter after it is a
     capital (reduplication ``negara-negara`` and ``Jong-un`` stay whole; the
     name compounds ``Kim-Putin`` and ``antar-Korea`` split into
     ``Kim`` ``-`` ``Putin``, because each name is a mention of its own);
   * ``.`` ``,`` ``/`` ``:`` between two digits (``17.00``, ``11/9/2023``);
   * ``.`` between two letters (``KOMPAS.TV``, ``sijori.id``);
   * an apostrophe between two letters (``Qur'an``).
3. Every other character is a token of its own (quotation marks, brackets,
   commas, dashes), except that ``...`` stays whole.
4. Clitics split off a word (after rule 2, on its last hyphen-separated
   part): the enclitics ``-nya``, ``-lah``, ``-kah``, ``-pun`` (stacked ones
   too: ``bukankah``, ``dialah``), and the proclitics ``ku-`` and ``kau-``
   of lower-case words. Words in which these letters are part of the stem
   (``hanya``, ``adalah``, ``langkah``, ``meskipun``, ``kunjungan``) are
   listed in :data:`NOT_CLITIC` and the stem lists below and stay whole.

Offsets are code points into the text, ``text[token.start:token.end] ==
token.text``; joining the tokens with the whitespace between them gives the
text back exactly.

>>> [t.text for t in tokenize("Menurutnya, Kim-Putin “bertemu”.")]
['Menurut', 'nya', ',', 'Kim', '-', 'Putin', '“', 'bertemu', '”', '.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["ENCLITICS", "NOT_CLITIC", "PROCLITICS", "Token", "tokenize"]


class Token(NamedTuple):
    """A token and its code-point offsets: ``text[start:end] == token.text``."""

    text: str
    start: int
    end: int


#: Enclitics split off the end of a word, longest first.
ENCLITICS = ("nya", "lah", "kah", "pun")
#: Proclitics split off the start of a lower-case word.
PROCLITICS = ("kau", "ku")

#: Lower-case words that end in an enclitic's letters without carrying the clitic.
NOT_CLITIC = frozenset(
    {
        # -nya
        "hanya", "punya", "tanya", "bertanya", "ditanya", "menanya", "kenya", "nya",
        # -lah
        "adalah", "telah", "setelah", "masalah", "salah", "bersalah", "kalah", "mengalah",
        "malah", "olah", "mengolah", "diolah", "sekolah", "lelah", "ulah", "belah", "sebelah",
        "jumlah", "sejumlah", "istilah", "kilah", "berkilah", "celah", "bilah", "galah",
        "allah", "lah", "wilayah", "sudah", "sejarah", "pilah", "memilah", "tengadah",
        # -kah
        "langkah", "melangkah", "tingkah", "rekah", "merekah", "mekah", "kah", "sekah",
        "nikah", "menikah", "pernikahan",
        # -pun: lexicalised conjunctions written as one word, and stems in -pun
        "adapun", "andaipun", "ataupun", "bagaimanapun", "biarpun", "kalaupun", "kendatipun",
        "maupun", "meskipun", "sekalipun", "sungguhpun", "walaupun", "ampun", "himpun",
        "menghimpun", "dihimpun", "rumpun", "pun", "sepun",
    }
)  # fmt: skip

#: Lower-case word starts that are stems, not the proclitic ``ku-`` or ``kau-``.
_NOT_PROCLITIC = (
    "kuat", "kunjung", "kuning", "kubu", "kursi", "kutip", "kuasa", "kumpul", "kurang", "kuno",
    "kualit", "kuota", "kue", "kuda", "kubur", "kulit", "kuliah", "kuman", "kutub", "kuartal",
    "kuantit", "kubah", "kuil", "kurs", "kurir", "kurun", "kuku", "kupas", "kurikul", "kuis",
    "kuli", "kumis", "kunci", "kupu", "kurung", "kuras", "kurus", "kusut", "kutu", "kudeta",
    "kurban", "kukuh", "kumandang", "kuadran", "kuat", "kuap", "kulkas", "kuman", "kurva",
    "kaum", "kaukus", "kaus", "kausal", "kaukas",
)  # fmt: skip

_SPACE = re.compile(r"[\s\u200b\ufeff]+")
_ALNUM = re.compile(r"[^\W_]+")


def _word_end(text: str, pos: int) -> int:
    """End of the word starting at ``pos`` (rule 2), or ``pos`` when none starts there."""
    match = _ALNUM.match(text, pos)
    if match is None:
        return pos
    end = match.end()
    while end + 1 < len(text):
        joiner, prev, nxt = text[end], text[end - 1], text[end + 1]
        if not nxt.isalnum():
            break
        joins = (
            (joiner == "-" and not nxt.isupper())
            or (joiner in ".,/:" and prev.isdigit() and nxt.isdigit())
            or (joiner in ".'’" and prev.isalpha() and nxt.isalpha())
        )
        if not joins:
            break
        more = _ALNUM.match(text, end + 1)
        assert more is not None  # nxt is alphanumeric
        end = more.end()
    return end


_ELLIPSIS = re.compile(r"\.{3}")


def _proclitic(word: str) -> str:
    """The proclitic at the start of ``word``, or ``""``."""
    if word != word.lower() or word in NOT_CLITIC or word.startswith(_NOT_PROCLITIC):
        return ""
    for clitic in PROCLITICS:
        rest = word[len(clitic) :]
        if word.startswith(clitic) and len(rest) >= 4 and rest.isalpha():
            return clitic
    return ""


def _enclitics(stem: str) -> tuple[str, list[str]]:
    """``stem`` without its enclitics, and the enclitics in text order."""
    suffixes: list[str] = []
    while stem.lower() not in NOT_CLITIC:
        low = stem.lower()
        clitic = next((c for c in ENCLITICS if low.endswith(c)), None)
        # The host keeps at least two letters: "nya" and "kah" alone are words.
        if clitic is None or len(low) - len(clitic) < 2 or not low[-len(clitic) - 1].isalpha():
            break
        suffixes.insert(0, stem[-len(clitic) :])
        stem = stem[: -len(clitic)]
    return stem, suffixes


def _split_word(word: str, start: int) -> Iterator[Token]:
    """Split the clitics off one word (rule 4); a hyphenated word on its last part."""
    head, sep, last = word.rpartition("-")
    pre = "" if head else _proclitic(last)
    stem, suffixes = _enclitics(last[len(pre) :])
    pieces = [pre, head + sep + stem, *suffixes] if pre else [head + sep + stem, *suffixes]
    offset = start
    for piece in pieces:
        yield Token(piece, offset, offset + len(piece))
        offset += len(piece)


def tokenize(text: str) -> list[Token]:
    """Split Indonesian news text into tokens with code-point offsets.

    Args:
        text: The raw text (any string; nothing is normalised).

    Returns:
        The tokens in text order; they never overlap and never contain whitespace.

    >>> tokenize("ujarnya.")[1]
    Token(text='nya', start=4, end=7)
    >>> [t.text for t in tokenize("Selasa\\xa0(12/9/2023), kuambil negara-negara")]
    ['Selasa', '(', '12/9/2023', ')', ',', 'ku', 'ambil', 'negara-negara']
    """
    tokens: list[Token] = []
    pos = 0
    length = len(text)
    while pos < length:
        space = _SPACE.match(text, pos)
        if space:
            pos = space.end()
            continue
        end = _word_end(text, pos)
        if end > pos:
            tokens.extend(_split_word(text[pos:end], pos))
            pos = end
            continue
        ellipsis = _ELLIPSIS.match(text, pos)
        end = ellipsis.end() if ellipsis else pos + 1
        tokens.append(Token(text[pos:end], pos, end))
        pos = end
    return tokens
