"""Line classification: title, body, sub-heading, site furniture or repeated paragraph.

:func:`classify_lines` gives every line of an article a role and the rule
behind it; :func:`line_table` does so for a whole raw corpus table. Every line
kept out of the analysed body is reported with the rule that removed it
(:func:`analysis.corpus.cleaning.boilerplate_table`): the rules are general
patterns of site furniture, and a line that only half matches one stays in the
body with a flag, so nothing is dropped on a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from analysis.text.words import count_words, normalise_word, words

#: Characters removed from every line, title and outlet (see :func:`normalize_line`):
#: zero-width characters and the BOM; bidirectional marks, embeddings, overrides
#: and isolates (U+200E/F, U+061C, U+202A-E, U+2066-9); C0 and C1 control
#: characters other than tab and newline (tab becomes a space). None of them is
#: text a reader sees; bidi controls make text display in another order than
#: the one analysed, and terminal escapes rewrite a terminal showing a table.
INVISIBLE_CHARACTERS = re.compile(r"[\u200b-\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069"
                                  r"\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
#: Characters that become a plain space: non-breaking and typographic spaces,
#: tab, and the control characters Python counts as white space.
SPACE_CHARACTERS = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\x0b\x0c\x1c-\x1f\x85]")


@dataclass(frozen=True)
class BoilerplateRule:
    """A pattern of site furniture.

    A line matching ``pattern`` (case-insensitive, on the stripped line) is kept
    out of the body when it has at most ``max_words`` words; a longer match is
    likely prose that happens to start the same way, so it stays in the body
    and is flagged as uncertain.
    """

    name: str
    pattern: re.Pattern
    max_words: int


def _rule(name: str, pattern: str, max_words: int) -> BoilerplateRule:
    return BoilerplateRule(name, re.compile(pattern, re.IGNORECASE), max_words)


_SOCIAL = r"(telegram|twitter|x\.com|facebook|whatsapp|instagram|linkedin|youtube|tiktok|threads|reddit|newsletter|google news)"
_CREDIT = r"(getty|reuters|afp|\bap\b|associated press|epa|shutterstock|alamy|photo|images?|pixabay|unsplash|handout|file)"

#: Site-furniture rules, tried in order. Patterns describe kinds of lines, not
#: any one article's lines.
BOILERPLATE_RULES: tuple[BoilerplateRule, ...] = (
    _rule("audio_notice", r"(\b(voice|audio|narration)\b.*\b(ai|computer)[- ]generated\b)|"
                          r"^\W*listen to (this|the) (article|story)\b|^\W*audio (version|player)\b", 14),
    _rule("social_prompt", r"^\W*(follow|like|join|subscribe|sign up|share|find) (us|this|our|the)?\b.*" + _SOCIAL
                           + r"|^\W*(share|tweet|email|print)( this)?( article| story| page)?\W*$", 16),
    _rule("source_link", r"^\W*(source( link)?|original (article|story))\s*(:.*)?$", 6),
    _rule("comment_footer", r"^\W*(comments? (are|is) (closed|disabled)|(one|no|\d+) (thoughts?|comments?|responses?|repl(y|ies)) (on|to)\b"
                            r"|leave a (comment|reply)|post navigation|you must be logged in|view comments)", 40),
    _rule("read_also", r"^\W*(read\s*(also|more|next)|also\s*read|see also|don'?t miss|must read|you (may|might) also like"
                       r"|recommended( for you| reading)?\b|more from\b|watch\s*:)", 30),
    _rule("related", r"^\W*related(\s+(articles?|stories|posts|coverage|news|content|reading|links?|topics?))?\s*(:|$)", 30),
    _rule("similar_posts", r"^\W*(similar|more|popular|trending|latest|top)\s+(posts|stories|articles|news|reads)\s*:?\s*$", 4),
    _rule("about_author", r"^\W*about the (author|writer|reporter|contributor)s?\W*$", 5),
    _rule("image_credit", r"^\W*(\(\s*)?(top |featured |header |lead |main )?(photo|image|picture|illustration|credit|video)s?\b"
                          r"(\s*(:|via|by|courtesy|credit)).*" + _CREDIT
                          + r"|^\W*(top |featured |header |lead )?(image|photo|picture)s? (via|by|from|courtesy of)\b", 14),
    _rule("image_caption", r"\[[^\[\]]*" + _CREDIT + r"[^\[\]]*\]\s*$|\((photo|image|credit)\s*:[^()]*\)\s*$", 80),
    _rule("advertisement", r"^\W*(advertisement|sponsored( content)?|ad|story continues below( advertisement)?)\W*$", 5),
    _rule("read_more_teaser", r"\.\.\.\s*read more\s*$|…\s*read more\s*$", 60),
)

#: Characters a line may end with after which it is still a sentence.
_SENTENCE_END = ".!?:;…"
_CLOSERS = "\"'”’»)]"
_BULLETS = "-\u2013\u2014\u2022*"
#: A sub-heading has at most this many words.
HEADING_MAX_WORDS = 15
#: A first line is the headline when it has 2 to this many words (and no closing
#: full stop). Set by hand with the line rules: news headlines run to 15-20
#: words; 30 leaves room for long ones while a paragraph of prose is longer.
HEADLINE_MAX_WORDS = 30
#: Site furniture after a title separator ("... | Russia-Ukraine war News",
#: "... - Mothership.SG") is cut when it has at most this many words: section
#: and site names are a few words, the tail of a headline after a spaced dash
#: is usually longer. Set by hand on the seed pages' titles.
SITE_SUFFIX_MAX_WORDS = 5
#: Lines after an "About the author" heading are the bio when at most this many
#: are left before the end (a bio is a line or two; more is article text).
AUTHOR_BIO_MAX_LINES = 3
#: rapidfuzz ``partial_ratio`` (0-100) from which a line next to an image
#: caption is the image's alt text (a shortened copy of the caption). Set by
#: hand on the seed corpus: Al Jazeera's alt text scores 78.6 against its
#: caption, the prose lines around it 37-44.
ALT_TEXT_MIN_SIMILARITY = 75


def normalize_line(line: str) -> str:
    """Unicode NFC, non-breaking and exotic spaces as plain spaces, no invisible
    characters (:data:`INVISIBLE_CHARACTERS`: zero-width, bidi controls, C0/C1
    controls), no trailing space: what the body keeps of a line."""
    line = unicodedata.normalize("NFC", line)
    line = SPACE_CHARACTERS.sub(" ", line)
    line = INVISIBLE_CHARACTERS.sub("", line)
    return re.sub(r" {2,}", " ", line).strip()


def ends_like_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence punctuation (closing quotes ignored)."""
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_heading(text: str) -> bool:
    """Whether a body paragraph is a sub-heading rather than running text.

    Rule: a single line of at most :data:`HEADING_MAX_WORDS` words, not
    starting with a list bullet (a list item is running text), whose last
    character, ignoring closing quotes and brackets, is a letter or a digit
    (so it ends without ``. ! ? : ; ,`` or an ellipsis). textstat would
    otherwise count it as (part of) a sentence.

    Examples
    --------
    >>> is_heading("Desperation on the part of Russia")
    True
    >>> is_heading("\u2018Gossip and Speculation\u2019")
    True
    >>> is_heading("Kirby said Wagner paid for the weapons.")
    False
    """
    stripped = text.strip()
    if not stripped or "\n" in stripped:
        return False
    if count_words(stripped) > HEADING_MAX_WORDS or stripped[0] in _BULLETS:
        return False
    core = stripped.rstrip(_CLOSERS)
    return bool(core) and core[-1].isalnum()


def is_headline(text: str, max_words: int = HEADLINE_MAX_WORDS) -> bool:
    """Whether the first line of an article reads as its headline.

    A headline has 2 to ``max_words`` words and does not end with a full stop
    (question and exclamation marks are allowed): a first line that is a
    sentence of prose is body, and the article has no headline.
    """
    n_words = count_words(text)
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return 2 <= n_words <= max_words and not stripped.endswith((".", ":", ";", ","))


_SITE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014-]\s+")


def strip_site_suffix(title: str, outlet: str = "", max_words: int = SITE_SUFFIX_MAX_WORDS) -> str:
    """A headline without the site furniture pages append to it.

    ``"N Korea denies arms | Russia-Ukraine war News"`` and ``"... to Russia -
    Mothership.SG"`` lose their last segment when it is short (at most
    ``max_words`` words) and is either behind a ``|`` (a section or site name),
    names the outlet, or looks like a domain. A dash inside a headline
    ("Russia-Ukraine") has no spaces around it and is left alone.
    """
    parts = _SITE_SEPARATOR.split(title)
    separators = _SITE_SEPARATOR.findall(title)
    while len(parts) > 1:
        last, separator = parts[-1].strip(), separators[-1].strip()
        site_like = (separator == "|" or "." in last
                     or (outlet and last.casefold() == outlet.casefold()))
        if not site_like or count_words(last) > max_words:
            break
        parts, separators = parts[:-1], separators[:-1]
    head = parts[0]
    for part, separator in zip(parts[1:], separators):
        head += separator + part
    return head


def _match_rule(text: str) -> tuple[str, str] | None:
    """(rule name, 'certain'|'uncertain') of the first boilerplate rule matching."""
    n_words = count_words(text)
    for rule in BOILERPLATE_RULES:
        if rule.pattern.search(text):
            return rule.name, "certain" if n_words <= rule.max_words else "uncertain"
    return None


def _paragraph_key(text: str) -> str:
    return " ".join(normalise_word(word) for word in words(text))


def classify_lines(text: str, given_title: str = "") -> pd.DataFrame:
    """Classify every line of one article.

    Parameters
    ----------
    text : str
        The decoded article (``\\n`` line ends).
    given_title : str
        A title supplied by tabular input; then no line is taken as title.

    Returns
    -------
    pandas.DataFrame
        One row per line: ``line`` (1-based), ``text`` (normalised), ``role``
        (``title``, ``body``, ``heading``, ``boilerplate``, ``duplicate`` or
        ``blank``), ``rule`` (why a line is not plain body: the boilerplate rule,
        ``repeated_paragraph``, ``caption_alt_text``, ``author_bio``,
        ``headline`` ...; empty for plain body) and ``flag`` (``uncertain:<rule>``
        for a line kept in the body that half matches a rule).
    """
    lines, roles, rules, flags = _line_roles(text, given_title)
    return pd.DataFrame({"line": range(1, len(lines) + 1), "text": lines,
                         "role": roles, "rule": rules, "flag": flags})


def _line_roles(text: str, given_title: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """The columns ``text``, ``role``, ``rule`` and ``flag`` of :func:`classify_lines`, as lists."""
    lines = [normalize_line(line) for line in text.split("\n")]
    roles = ["blank" if not line else "" for line in lines]
    rules = [""] * len(lines)
    flags = [""] * len(lines)

    for i, line in enumerate(lines):
        if roles[i]:
            continue
        match = _match_rule(line)
        if match is None:
            continue
        name, certainty = match
        if certainty == "certain":
            roles[i], rules[i] = "boilerplate", name
        else:
            flags[i] = f"uncertain:{name}"
        if name == "about_author" and certainty == "certain":
            _mark_author_bio(lines, roles, rules, i)

    _mark_caption_alt_text(lines, roles, rules)

    content = [i for i, line in enumerate(lines) if not roles[i]]
    if content and not given_title:
        first = content[0]
        if is_headline(lines[first]):
            roles[first], rules[first] = "title", "headline"

    seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        if roles[i]:
            continue
        key = _paragraph_key(line)
        if key in seen:
            roles[i], rules[i] = "duplicate", "repeated_paragraph"
            flags[i] = f"repeats line {seen[key] + 1}"
        else:
            seen[key] = i
            roles[i] = "heading" if is_heading(line) else "body"
            if roles[i] == "heading":
                rules[i] = "heading"
    return lines, roles, rules, flags


def _mark_author_bio(lines: list[str], roles: list[str], rules: list[str], heading: int) -> None:
    """Lines after an "About the author" heading are the bio, up to :data:`AUTHOR_BIO_MAX_LINES`."""
    rest = [j for j in range(heading + 1, len(lines)) if lines[j]]
    if len(rest) <= AUTHOR_BIO_MAX_LINES:
        for j in rest:
            roles[j], rules[j] = "boilerplate", "author_bio"


def _mark_caption_alt_text(lines: list[str], roles: list[str], rules: list[str]) -> None:
    """A line that repeats the next/previous image caption is the image's alt text.

    Pages often carry an image's short description and then its caption with
    the credit; only the caption matches a credit rule, so its neighbour is
    matched by similarity.
    """
    from rapidfuzz import fuzz

    captions = [i for i, rule in enumerate(rules) if rule in {"image_caption", "image_credit"}]
    for i in captions:
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and not roles[j] and lines[j]:
                if not ends_like_sentence(lines[j]) and fuzz.partial_ratio(lines[j], lines[i]) >= ALT_TEXT_MIN_SIMILARITY:
                    roles[j], rules[j] = "boilerplate", "caption_alt_text"


def line_table(raw: pd.DataFrame) -> pd.DataFrame:
    """Classify the lines of every document of a raw corpus table.

    Returns
    -------
    pandas.DataFrame
        :func:`classify_lines` columns with ``doc_id`` first, in corpus order.
    """
    if raw.empty:
        return pd.concat([], ignore_index=True)   # nothing to classify: an error, as before
    columns: dict[str, list] = {"doc_id": [], "line": [], "text": [], "role": [], "rule": [], "flag": []}
    # one table for the corpus: a table per document and their concatenation cost more than the rules
    for doc_id, text, given_title in raw[["doc_id", "text", "given_title"]].itertuples(index=False):
        lines, roles, rules, flags = _line_roles(text, given_title)
        columns["doc_id"].extend([doc_id] * len(lines))
        columns["line"].extend(range(1, len(lines) + 1))
        for name, values in (("text", lines), ("role", roles), ("rule", rules), ("flag", flags)):
            columns[name].extend(values)
    return pd.DataFrame(columns)
