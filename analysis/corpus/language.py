"""Which language each document is in, so that English-only analyses leave the others out.

The readability formulas, the spaCy English pipeline's named entities, the
quotation attribution and the number reader all assume English: run on a
Russian article they produce junk ("США о" as an organisation) that would be
counted with the rest. Each document's language is detected offline with
Google's Compact Language Detector 2 (the ``pycld2`` package; nothing is
downloaded): :func:`detect_language` gives its ISO 639 code, or ``"und"``
(undetermined) when the text is too short or the detector is unsure.

The English-only stages analyse :func:`english_documents`: English ones and
undetermined ones (a short English text is more likely than not in an English
corpus, and nothing is lost by trying). Every section that leaves documents
out says so in the same sentence, :func:`not_english_note`.

Measured before choosing pycld2 0.42 (2-core development machine; 37
hand-labelled passages in ``tests/data/language/``, the 2,225 English BBC
News articles and the 1,200 Urdu COUNTER articles of ``../shared/benchmarks``):

============================  =========  =======  ==========  ===========  =======  =======
detector                      installed  import   per BBC     passages     BBC en   COUNTER
                                                  article     right/und/   right    ur right
                                                              wrong
============================  =========  =======  ==========  ===========  =======  =======
pycld2 0.42                   14 MB      4 ms     1.7 ms      35/1/1       2224     1200
langdetect 1.0.9              2.7 MB     3.7 s*   55 ms       34/3/0       2225     1200
py3langid 0.4.0               4.5 MB     2.3 s    7.2 ms      28/9/0       2225     1200
lingua 2.1.1 (low accuracy)   96 MB      0.9 s*   30 ms       33/0/4       2225     1200
============================  =========  =======  ==========  ===========  =======  =======

(* loads its model on the first call.) pycld2's one wrong passage is a
six-word Russian sentence called Macedonian: still "not English", which is
the decision that matters here. langdetect is as accurate but 30 times
slower, ships no wheel, and is random unless seeded.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pycld2

#: ISO 639-2 code for "undetermined": too little text, or the detector unsure.
UNDETERMINED = "und"
ENGLISH = "en"

#: Fewest letters for a verdict on a text mostly in the Latin script; shorter
#: ones are :data:`UNDETERMINED`. Chosen on the 12,860 non-empty lines of the
#: BBC News corpus (English): under 80 letters cld2 called 48 of 3,167 lines
#: another language with confidence (team sheets, place names, headlines:
#: "Lansdowne Road, Dublin" as Polish); from 80 letters on, none of 9,693.
MIN_LETTERS = 80
#: Fewest letters for a verdict on a text mostly in another script (which
#: cannot be English, so a short one can be told apart). Chosen on the 9,583
#: sentences of the COUNTER corpus (Urdu): under 10 letters cld2 called 5 of 763
#: another language (Pashto) and 718 undetermined; from 10 letters on, it
#: called 8,816 of 8,820 Urdu and none another language.
MIN_SCRIPT_LETTERS = 10
#: A text is "mostly in the Latin script" when at least this share of its
#: letters is (:func:`latin_share`).
LATIN_SCRIPT_SHARE = 0.5
#: cld2 flags a guess as unreliable when the text mixes languages; its top
#: language is still taken when it covers at least this percentage of the
#: text. On the BBC lines and articles this turned no English text into another
#: language and one article (67 % English, 33 % Italian names) from
#: undetermined into English; a Russian report full of Latin-script names
#: (73 % Russian, ``ru_latin_names`` in the test data) is Russian.
MIN_TOP_PERCENT = 60

#: What pycld2 cannot take: it refuses control characters, surrogates and
#: non-characters ("invalid UTF-8"), so they become spaces before detection.
_UNDETECTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
                           r"|[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0010fffe\U0010ffff]")
#: cld2's codes that are older or longer forms of an ISO 639-1 code.
_CLD2_CODES = {"iw": "he", "jw": "jv", "zh-Hant": "zh", "sr-ME": "sr"}


def latin_share(text: str) -> float:
    """Share of the letters of ``text`` that are in the Latin script (1.0 when it has none).

    Parameters
    ----------
    text : str

    Returns
    -------
    float
        From 0 (no Latin letter: Urdu, Arabic, Chinese ...) to 1.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    return latin / len(letters)


def detect_language(text: str) -> str:
    """The language of ``text`` as an ISO 639 code (``"en"``, ``"ru"``, ``"zh"`` ...).

    Parameters
    ----------
    text : str
        Any text; characters the detector cannot take are ignored.

    Returns
    -------
    str
        The ISO 639-1 code of the language most of the text is in (ISO
        639-2/3 where it has none, as ``"sco"``), or :data:`UNDETERMINED`
        (``"und"``): for a text mostly in the Latin script with fewer than
        :data:`MIN_LETTERS` letters, any text with fewer than
        :data:`MIN_SCRIPT_LETTERS`, or when cld2 calls its guess unreliable
        and the top language covers less than :data:`MIN_TOP_PERCENT` % of it.
    """
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_SCRIPT_LETTERS or (letters < MIN_LETTERS and latin_share(text) >= LATIN_SCRIPT_SHARE):
        return UNDETERMINED
    try:
        reliable, _, details = pycld2.detect(_UNDETECTABLE.sub(" ", text))
    except (pycld2.error, UnicodeError):
        return UNDETERMINED
    _, code, percent, _ = details[0]
    if not (reliable or percent >= MIN_TOP_PERCENT) or code in ("un", "xxx") or code.startswith(("xx-", "zz")):
        return UNDETERMINED  # "xx-Cyrl" is a script, "zzp" cld2's joke Pig Latin
    return _CLD2_CODES.get(code, code)


#: A language given by the user: an ISO 639 code, optionally with a region or
#: script subtag as in a BCP 47 tag ("en", "EN-gb", "zh-Hant", "und").
_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*")


def language_code(tag: str) -> str | None:
    """The ISO 639 code of a language tag given by the user, or None when it is not one.

    ``"EN-gb"`` gives ``"en"``, ``"und"`` gives ``"und"``; ``"English"`` is not
    a tag (None).
    """
    match = _LANGUAGE_TAG.fullmatch(tag.strip())
    return _CLD2_CODES.get(match.group(1).lower(), match.group(1).lower()) if match else None


def document_languages(docs: pd.DataFrame) -> pd.Series:
    """The language of each document of a corpus table, from its title and body.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``body`` (and ``title``, when present). A
        ``language`` column, when present, is used as it is.

    Returns
    -------
    pandas.Series
        One :func:`detect_language` code per row, with ``docs``' index.
    """
    if "language" in docs.columns:
        return docs["language"]
    titles = docs["title"] if "title" in docs.columns else pd.Series("", index=docs.index)
    return pd.Series([detect_language(f"{title}\n\n{body}") for title, body in zip(titles, docs["body"])],
                     index=docs.index, dtype=object)


def is_english(language: str) -> bool:
    """Whether the English-only stages analyse a document in ``language`` (English or undetermined)."""
    return language in (ENGLISH, UNDETERMINED)


def english_documents(docs: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``docs`` that the English-only stages analyse (see :func:`is_english`).

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``body``, optional ``title`` and ``language``).

    Returns
    -------
    pandas.DataFrame
        The English and undetermined documents, in corpus order, index kept.
    """
    return docs[document_languages(docs).map(is_english)]


def not_english_note(languages, n_documents: int | None = None) -> str:
    """The one sentence every English-only section uses for the documents it leaves out.

    Parameters
    ----------
    languages : pandas.DataFrame or iterable of str
        A corpus table (its languages are :func:`document_languages`), or the
        language code of every document.
    n_documents : int, optional
        Documents in the corpus, when ``languages`` lists only some of them
        (default: as many as ``languages`` holds).

    Returns
    -------
    str
        E.g. "1 of 2 documents is not in English (ru), so the English-only
        analyses (readability, entities, quotations, numbers) leave it out.",
        or "" when every document is English or undetermined.
    """
    if isinstance(languages, pd.DataFrame):
        languages = document_languages(languages)
    languages = list(languages)
    total = len(languages) if n_documents is None else n_documents
    others = [code for code in languages if not is_english(code)]
    if not others:
        return ""
    one = len(others) == 1
    return (f"{len(others)} of {total} document{'' if total == 1 else 's'} {'is' if one else 'are'} not in "
            f"English ({', '.join(sorted(set(others)))}), so the English-only analyses (readability, "
            f"entities, quotations, numbers) leave {'it' if one else 'them'} out.")
