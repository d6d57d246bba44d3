"""What respondents read beside the questions explains them, and never says how an answer is scored
or judged: a respondent who knows which answer raises a flag can steer the result."""

from __future__ import annotations

import re

import pytest

from assessment.definitions.loader import load_directory
from tests.conftest import QUESTIONNAIRES

SCORING_WORDS = {
    "en": [
        r"\bscor",  # score, scored, scoring
        r"\bbarrier point",
        r"\bmarks\b",
        r"\brisk",  # risk, risky; "highest-risk" too
        r"\bcounts\b",
        r"\bweigh",  # weight, weighted, weighs
        r"\bpoints?\b",
        r"\bred flag",
        r"\bknock-out",
        r"\bor (?:lower|higher|below|above)\b",  # "neutral or lower"
        r"\bdiffer(?:ing)? (?:answers|widely)|answers differ",  # how disagreement between respondents is read
        r"\bon purpose\b",
        r"\boverrun",
    ],
    "fa": [
        "امتیاز",
        "نقطه مانع",
        "ریسک",  # ریسک، پرریسک‌ترین
        "وزن",
        "زنگ خطر",
        "معیار حذفی",
        "پایین‌تر",  # «نظری ندارم» یا پایین‌تر
        "بالاتر",
        "تفاوت زیادی",  # پاسخ‌هایی که تفاوت زیادی با هم دارند
        "عمداً",
        "فراتر از بودجه",
        "نسبت به بودجه",
    ],
}


def respondent_texts() -> list[tuple[str, str, str]]:
    """Every help text and area introduction of the shipped questionnaires: (where, language, text)."""
    texts = []
    for questionnaire in load_directory(QUESTIONNAIRES).questionnaires:
        shown = [(f"{questionnaire.id} intro", questionnaire.intro)]
        shown += [(f"{questionnaire.id}.{q.id}", q.help) for q in questionnaire.questions]
        for where, text in shown:
            if text is not None:
                texts += [(where, language, words) for language, words in text.translations.items()]
    return texts


def scoring_words_in(language: str, text: str) -> list[str]:
    return [pattern for pattern in SCORING_WORDS[language] if re.search(pattern, text, re.IGNORECASE)]


def test_every_help_text_is_written_in_english_and_persian() -> None:
    help_texts = [(where, language) for where, language, _text in respondent_texts() if "intro" not in where]
    assert help_texts
    assert {language for _where, language in help_texts} == set(SCORING_WORDS)


@pytest.mark.parametrize(("where", "language", "text"), respondent_texts())
def test_no_help_text_says_how_an_answer_is_scored(where: str, language: str, text: str) -> None:
    assert scoring_words_in(language, text) == [], where


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", 'Awareness. An answer of "neutral" or lower marks the barrier point for this group.'),
        ("en", "A large change in an organisation that resists change is the highest-risk combination."),
        ("en", "Asked of every respondent; widely differing answers mean the strategy is not shared."),
        (
            "en",
            "This question is asked of every respondent on purpose. When answers differ widely, the goals are not shared.",
        ),
        ("en", "Each year beyond the first adds roughly 15 % to the expected cost overrun of a large IT project."),
        ("fa", "آگاهی. پاسخ «نظری ندارم» یا پایین‌تر از آن، نقطه مانع را برای این گروه مشخص می‌کند."),
        ("fa", "تغییری بزرگ در سازمانی که در برابر تغییر مقاومت می‌کند، پرریسک‌ترین ترکیب ممکن است."),
        ("fa", "اگر پاسخ‌ها تفاوت زیادی با هم داشته باشند، یعنی استراتژی میان همه مشترک نیست."),
        ("fa", "هر سال بیش از سال اول، حدود ۱۵ درصد به افزایش هزینه مورد انتظار نسبت به بودجه می‌افزاید."),
    ],
)
def test_the_help_texts_that_gave_scoring_away_would_be_caught(language: str, text: str) -> None:
    assert scoring_words_in(language, text)
