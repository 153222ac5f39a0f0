"""Which language a text is in, and that language's common words.

The cleaner decides body text from signals every language shares; it needs a
page's language only where words matter (stop words, bylines, "read more"
links). Both resources here are maintained elsewhere rather than written by
hand: py3langid (langid.py's model, 97 languages) names the language, and
jusText's stoplists (about 100 languages, built from Wikipedia) give its
common words.

Identification is cheap on purpose: it reads a sample of a page's longest
lines (:func:`sample`), never the whole page, and the model loads once per
process, on first use.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import cache
from typing import Any

#: Characters of a sample handed to the identifier: enough for a sure answer
#: on prose, small enough to cost a fraction of a millisecond.
SAMPLE_CHARS = 150
#: Fewer letters than this and no language is named (a menu, a title alone).
_MIN_LETTERS = 40

# Scripts written without spaces between words: a line's "words" are then
# counted from its characters (see :func:`unspaced_letters`).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]")
_LETTER = re.compile(r"[^\W\d_]")

# The identifier's codes that are not ISO 639-1, folded into their macro-language.
_TO_ISO_639_1 = {"ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "hbo": "he", "grc": "el"}

# ISO 639-1 code -> jusText stoplist name, for every stoplist with such a code.
_STOPLISTS = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "an": "Aragonese", "hy": "Armenian",
    "az": "Azerbaijani", "eu": "Basque", "be": "Belarusian", "bn": "Bengali", "bs": "Bosnian",
    "br": "Breton", "bg": "Bulgarian", "ca": "Catalan", "hr": "Croatian", "cs": "Czech",
    "da": "Danish", "nl": "Dutch", "en": "English", "eo": "Esperanto", "et": "Estonian",
    "fi": "Finnish", "fr": "French", "gl": "Galician", "ka": "Georgian", "de": "German",
    "el": "Greek", "gu": "Gujarati", "ht": "Haitian", "he": "Hebrew", "hi": "Hindi",
    "hu": "Hungarian", "is": "Icelandic", "io": "Ido", "ig": "Igbo", "id": "Indonesian",
    "ga": "Irish", "it": "Italian", "jv": "Javanese", "kn": "Kannada", "kk": "Kazakh",
    "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lv": "Latvian",
    "lt": "Lithuanian", "lb": "Luxembourgish", "mk": "Macedonian", "ms": "Malay", "ml": "Malayalam",
    "mt": "Maltese", "mr": "Marathi", "ne": "Nepali", "nb": "Norwegian_Bokmal", "no": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk", "oc": "Occitan", "fa": "Persian", "pl": "Polish", "pt": "Portuguese",
    "qu": "Quechua", "ro": "Romanian", "ru": "Russian", "sr": "Serbian", "sk": "Slovak",
    "sl": "Slovenian", "es": "Spanish", "su": "Sundanese", "sw": "Swahili", "sv": "Swedish",
    "tl": "Tagalog", "ta": "Tamil", "te": "Telugu", "tr": "Turkish", "tk": "Turkmen",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "vo": "Volapuk",
    "wa": "Walloon", "cy": "Welsh", "fy": "West_Frisian", "yo": "Yoruba",
}

#: The code to clean with before the identifier is loaded (ISO 639-2 "undetermined"):
#: no stoplist, and the page furniture of every language. The reader cleans its
#: first screen this way, since loading the model takes longer than drawing it.
UNDETERMINED = "und"

_lock = threading.Lock()
_identifier: Any = None


def unspaced_letters(text: str) -> int:
    """How many characters of ``text`` belong to scripts written without spaces (Chinese, Japanese, Thai...)."""
    if text.isascii():
        return 0
    return len(_UNSPACED.findall(text))


def sample(lines: Iterable[str], limit: int = SAMPLE_CHARS) -> str:
    """The longest of ``lines`` joined, up to about ``limit`` characters: what identification reads."""
    picked, size = [], 0
    for line in sorted(lines, key=len, reverse=True):
        picked.append(line)
        size += len(line) + 1
        if size >= limit:
            break
    return " ".join(picked)[:limit]


def identify(text: str) -> str | None:
    """The ISO 639-1 code of the language of ``text``, or None when it has too few letters to tell.

    Pass a sample (see :func:`sample`), not a whole page: the cost grows
    with the length of the text.
    """
    if len(_LETTER.findall(text)) < _MIN_LETTERS:
        return None
    code = str(_model().classify(text)[0])
    code = _TO_ISO_639_1.get(code, code)
    return code if len(code) == 2 else None


def _model() -> Any:
    """py3langid's identifier, loaded on first use (it takes a good half second)."""
    global _identifier
    with _lock:
        if _identifier is None:
            # py3langid ships no type information.
            from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    return _identifier


def load() -> None:
    """Load the identifier's model now (for a program that prefers to pay its start-up cost early)."""
    _model()


def loaded() -> bool:
    """Whether the identifier's model is loaded (identification then costs a fraction of a millisecond)."""
    return _identifier is not None


@cache
def stopwords(code: str | None) -> frozenset[str]:
    """jusText's stoplist for the language ``code`` (lower case), or an empty set if it has none."""
    name = _STOPLISTS.get(code or "")
    if name is None:
        return frozenset()
    import justext  # type: ignore[import-untyped]  # jusText ships no type information

    return frozenset(str(word).casefold() for word in justext.get_stoplist(name))

