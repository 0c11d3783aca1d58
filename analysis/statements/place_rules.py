"""The ``changed_place`` rule of :mod:`analysis.statements.change_rules`: places compared by role.

A place is compared as the place it names (the alias table's keys: "America" and
"the US", a capital and its country, a name and its adjective), in the role it
holds in its sentence (where, where to or from, or the place standing for an actor).
"""

from __future__ import annotations

from analysis.statements.speakers import SPEECH_VERBS
from analysis.statements.statement_facts import PLACE_LABELS, SentenceFacts, place_key
from analysis.statements.time_anchors import is_time_word
from analysis.text.lemmas import lemma
from analysis.text.words import WORD_RE, normalise_word

#: Shortest place name whose adjective is recognised by its stem ("korea" ->
#: "korean"): below it, names too short to tell apart by spelling ("iran" / "iraq").
PLACE_STEM_MIN_CHARS = 5


def _proper_runs(tokens) -> list:
    """Runs of consecutive proper nouns among ``tokens`` (a slice of a parse)."""
    runs, current = [], []
    for tok in tokens:
        if tok.pos_ == "PROPN":
            current.append(tok)
        elif current:
            runs.append(current)
            current = []
    return runs + ([current] if current else [])


def _run_role(run) -> tuple[str, str]:
    """Dependency and head of a run's root, the head read as its lemma ("to" of "diverted to X")."""
    root = next((t for t in run if t.head not in run or t.head is t), run[-1])
    return root.dep_, lemma(root.head).lower()


def _is_speaker_role(dep: str, head: str) -> bool:
    return dep in ("nsubj", "nsubjpass") and head in SPEECH_VERBS


def _mentions(facts: SentenceFacts, text: str) -> bool:
    """Whether the words of ``text`` occur, in order, in the sentence (whatever the parser tagged them)."""
    words = [normalise_word(w) for w in WORD_RE.findall(text)]
    sentence = [normalise_word(w) for w in WORD_RE.findall(facts.text)]
    n = len(words)
    return n > 0 and any(sentence[i:i + n] == words for i in range(len(sentence) - n + 1))


def _names_place(facts: SentenceFacts, text: str) -> bool:
    """Whether the sentence names ``text``: its words, or a proper-noun run of the same place
    (:func:`same_place` of the alias table's keys: "America" names "the US")."""
    if _mentions(facts, text):
        return True
    key = place_key(text, facts.aliases)
    return any(same_place(key, place_key(" ".join(t.text for t in run), facts.aliases))
               for run in _proper_runs(facts.span))


def _runs_by_role(facts: SentenceFacts) -> dict:
    """Proper-noun runs of a sentence by role (dependency, head lemma), roles held by one run only."""
    found: dict = {}
    for run in _proper_runs(facts.span):
        role = _run_role(run)
        if _is_speaker_role(*role) or _is_according_to(run):
            continue
        found.setdefault(role, []).append(run)
    return {role: runs[0] for role, runs in found.items() if len(runs) == 1}


def _replaced_places(a: SentenceFacts, b: SentenceFacts) -> tuple[str, str] | None:
    """A place of a replaced in b by another proper noun in the same role ("in Seville" -> "in Bilbao").

    Proper-noun runs holding the same role in both sentences (the same
    dependency on the same head word: "from" in "sailed from Odesa", the
    subject of "introduced") are compared; a pair of different names, one
    of them tagged a place, is a changed place (the parser may tag the
    other a person or an organisation) unless each name also occurs
    elsewhere in the other sentence, which is the case of two places
    trading roles ("from Odesa to Egypt" -> "from Egypt to Odesa"),
    reported as such when two or more roles trade.
    """
    if a.span is None or b.span is None:
        return None
    roles_a, roles_b = _runs_by_role(a), _runs_by_role(b)
    differing = []
    for role in sorted(roles_a.keys() & roles_b.keys()):
        run_a, run_b = roles_a[role], roles_b[role]
        if not any(t.ent_type_ in PLACE_LABELS for t in (*run_a, *run_b)) or any(
                is_time_word(t.text) for t in (*run_a, *run_b)):
            continue
        text_a = " ".join(t.text for t in run_a)
        text_b = " ".join(t.text for t in run_b)
        if not same_place(place_key(text_a, a.aliases), place_key(text_b, b.aliases)):
            differing.append((role, text_a, text_b))
    for role, text_a, text_b in differing:
        if not _names_place(b, text_a) or not _names_place(a, text_b):
            return text_a, text_b
    if len(differing) >= 2:
        return (", ".join(f"{head} {ta}" for (_, head), ta, _ in differing),
                ", ".join(f"{head} {tb}" for (_, head), _, tb in differing))
    return None


def _is_according_to(run) -> bool:
    head = run[-1].head
    return head.lower_ == "to" and head.head.lower_ == "according"


def same_place(x: str, y: str) -> bool:
    """Whether two place keys name one place: equal, one inside the other ("ukraine" in
    "eastern ukraine"), or a name and its adjective ("ukraine"/"ukrainian", "russia"/"russian":
    the shorter, but for its last letter, begins the longer, and is at least
    :data:`PLACE_STEM_MIN_CHARS` long)."""
    if x == y:
        return True
    wx, wy = set(x.split()), set(y.split())
    if wx <= wy or wy <= wx:
        return True
    short, long_ = sorted((x, y), key=len)
    stem = short[:-1] if len(short) > PLACE_STEM_MIN_CHARS else short
    return len(stem) >= PLACE_STEM_MIN_CHARS - 1 and long_.startswith(stem) and " " not in short


def changed_places(a: SentenceFacts, b: SentenceFacts) -> tuple[str, str] | None:
    """The places of a changed place (a's words, b's words): a place replaced by another, or two
    places swapping roles (from X to Y -> from Y to X); None when no place changed.

    Replaced: each side has a place in a prepositional phrase that the other
    neither names (:func:`same_place`) nor mentions, or a place is replaced
    by another proper noun in the same role (:func:`_replaced_places`).
    """
    only_a = [t for k, _, t in a.places
              if not any(same_place(k, kb) for kb, _, _ in b.places) and not _mentions(b, t)]
    only_b = [t for k, _, t in b.places
              if not any(same_place(k, ka) for ka, _, _ in a.places) and not _mentions(a, t)]
    if only_a and only_b:
        return ", ".join(dict.fromkeys(only_a)), ", ".join(dict.fromkeys(only_b))
    replaced = _replaced_places(a, b)
    if replaced:
        return replaced
    roles_a = {k: (r, t) for k, r, t in a.places if r}
    roles_b = {k: (r, t) for k, r, t in b.places if r}
    swapped = [k for k in sorted(roles_a.keys() & roles_b.keys()) if roles_a[k][0] != roles_b[k][0]]
    if len(swapped) >= 2:      # one place changing role alone is a turn of phrase ("turn to", "seek from")
        text_a = ", ".join(f"{roles_a[k][0]} {roles_a[k][1]}" for k in swapped)
        text_b = ", ".join(f"{roles_b[k][0]} {roles_b[k][1]}" for k in swapped)
        return text_a, text_b
    return None
