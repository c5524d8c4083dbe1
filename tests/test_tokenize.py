"""The official tokenizer: clitics, punctuation, whitespace, and exact offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kimputin_ds.tokenize import NOT_CLITIC, Token, tokenize


def texts(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ujarnya", ["ujar", "nya"]),
        ("Menurutnya", ["Menurut", "nya"]),
        ("kunjungannya", ["kunjungan", "nya"]),
        ("sekutu-sekutunya", ["sekutu-sekutu", "nya"]),
        ("Itulah", ["Itu", "lah"]),
        ("bukanlah", ["bukan", "lah"]),
        ("apakah", ["apa", "kah"]),
        ("bukankah", ["bukan", "kah"]),
        ("apapun", ["apa", "pun"]),
        ("dialah", ["dia", "lah"]),
        ("masalahnya", ["masalah", "nya"]),
        ("kuambil", ["ku", "ambil"]),
        ("kaulihat", ["kau", "lihat"]),
    ],
)
def test_clitics_split(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(
    "word",
    ["hanya", "adalah", "telah", "langkah", "meskipun", "kunjungan", "kuat", "kaum", "Kuleba"],
)
def test_stems_that_look_like_clitics_stay_whole(word: str) -> None:
    assert texts(word) == [word]


def test_every_listed_exception_stays_whole() -> None:
    for word in NOT_CLITIC:
        assert texts(word) == [word], word


def test_punctuation_and_quotation_marks_are_tokens() -> None:
    assert texts('“Saya berterimakasih,” kata Kim. "Ya" (KCNA)...') == [
        "“", "Saya", "berterimakasih", ",", "”", "kata", "Kim", ".",
        '"', "Ya", '"', "(", "KCNA", ")", "...",
    ]  # fmt: skip


def test_words_with_inner_joiners() -> None:
    assert texts("negara-negara Jong-un ke-75 17.00 11/9/2023 KOMPAS.TV") == [
        "negara-negara", "Jong-un", "ke-75", "17.00", "11/9/2023", "KOMPAS.TV",
    ]  # fmt: skip


def test_name_compounds_split_at_the_hyphen() -> None:
    assert texts("pertemuan Kim-Putin antar-Korea") == [
        "pertemuan", "Kim", "-", "Putin", "antar", "-", "Korea",
    ]  # fmt: skip


def test_non_breaking_and_zero_width_spaces_separate_tokens() -> None:
    text = "Seoul\xa0(ANTARA)\u200b-\u2009Kim\ufeffJong"
    assert tokenize(text) == [
        Token("Seoul", 0, 5),
        Token("(", 6, 7),
        Token("ANTARA", 7, 13),
        Token(")", 13, 14),
        Token("-", 15, 16),
        Token("Kim", 17, 20),
        Token("Jong", 21, 25),
    ]


def test_empty_and_blank_text() -> None:
    assert tokenize("") == []
    assert tokenize(" \n\xa0\t") == []


@given(st.text(alphabet=st.sampled_from("aknyulhpKA-.,/:'’ \xa0\n\u200b“”\"(0)9é_"), max_size=60))
def test_offsets_are_exact_and_cover_every_visible_character(text: str) -> None:
    tokens = tokenize(text)
    covered = [False] * len(text)
    previous_end = 0
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.text
        assert token.start >= previous_end
        assert not any(c.isspace() or c in "\u200b\ufeff" for c in token.text)
        for i in range(token.start, token.end):
            covered[i] = True
        previous_end = token.end
    for char, is_covered in zip(text, covered, strict=True):
        assert is_covered == (not (char.isspace() or char in "\u200b\ufeff")), repr(text)
