"""What people type in Arabic script matches however they write it: with or without harakat, any alef, tatweel,
Persian or Arabic yeh and kaf."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.matching import Grade, Option, match_choice, normalize

# Base letters only (no hamza-carrier variants): the plain form every variant folds to.
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"  # tanween, fatha, damma, kasra, shadda, sukun
TATWEEL = "\u0640"
ALEF_VARIANTS = "اأإآٱ"

words = st.text(alphabet=LETTERS, min_size=1, max_size=8)
sentences = st.lists(words, min_size=1, max_size=4).map(" ".join)


@st.composite
def decorated(draw: st.DrawFn, sentence: str) -> str:
    """The same sentence with harakat and tatweel sprinkled after letters, and alefs in any variant."""
    out = []
    for ch in sentence:
        if ch == "ا":
            ch = draw(st.sampled_from(ALEF_VARIANTS))
        out.append(ch)
        if ch != " ":
            out.append(draw(st.text(alphabet=HARAKAT + TATWEEL, max_size=2)))
    return "".join(out)


@given(st.data(), sentences)
def test_harakat_tatweel_and_alef_variants_do_not_matter(data: st.DataObject, sentence: str) -> None:
    assert normalize(data.draw(decorated(sentence))) == normalize(sentence)


@given(sentences)
def test_arabic_letters_are_kept_and_normalize_is_idempotent(sentence: str) -> None:
    once = normalize(sentence)
    assert once == sentence  # nothing to fold in plain letters: no Arabic letter is lost
    assert normalize(once) == once


@given(sentences, st.sampled_from(["؟", "!", "،", ".", "  ", "\u200f", "\u200c"]))
def test_punctuation_and_invisible_marks_are_spaces(sentence: str, mark: str) -> None:
    assert normalize(f"{mark}{sentence}{mark}") == normalize(sentence)


@given(st.text(alphabet="٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", min_size=1, max_size=6))
def test_arabic_and_persian_digits_become_ascii(digits: str) -> None:
    assert normalize(digits).isascii() and normalize(digits).isdigit()


def test_known_pairs() -> None:
    assert normalize("قليلاً") == normalize("قليلا")
    assert normalize("إعاقة") == normalize("اعاقه")
    assert normalize("شويّة") == normalize("شوية")
    assert normalize("مـــرحبا") == normalize("مرحبا")
    assert normalize("می‌دانم") == normalize("مي دانم")  # Persian yeh, zero-width non-joiner
    assert normalize("کمک") == normalize("كمك")  # Persian keheh


@given(st.data())
def test_a_decorated_arabic_answer_is_matched(data: st.DataObject) -> None:
    options = [Option("un-peu", ("قليلا", "شوية")), Option("bien", ("جيد", "مزيان")), Option("non", ("لا",))]
    typed = data.draw(decorated(data.draw(st.sampled_from(["قليلا", "شوية"]))))
    match = match_choice(typed, options)
    assert match.grade is Grade.CLEAR
    assert match.best is not None and match.best.id == "un-peu"
