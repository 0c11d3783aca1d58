"""Which rendering of a statement is the reference, and which short quotes render one statement.

:func:`derivation_sources` reads the derivation graph
(:func:`analysis.overlap.derivation.derivation_edges`) into each document's
sources; :func:`choose_reference` picks the reference wording of a group of
renderings: the derivation source's, else the wording shared by the most
independent outlets, else the most complete, so that the outlet named as
departing from it is the one that changed the words (a spun copy), not its
source. :func:`short_quote_links` links attributed quotes of one to
:data:`analysis.statements.quotes.SCARE_MAX_WORDS` words ("false", "fake",
"groundless") that render the same statement: same speaker, and the same
sentence around them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from analysis.statements.speakers import speakers_agree
from analysis.tables import require_columns

#: rapidfuzz ``token_set_ratio`` (0-100) of the sentences around two short
#: quotes of the same speaker (each sentence without its quoted words) from
#: which they render the same statement. Chosen on tests/data/quotes13
#: (bench/bench_thresholds.py, every pair of short quotes of one speaker in
#: two documents): renderings of one statement score 73.1-87.6 (n=4:
#: "irresponsible" / "reckless" 73.1, "baseless" / "groundless" 83.8,
#: "considerable" / "sizeable" 85.3, "pure fiction" / "pure invention" 87.6),
#: other statements of the speaker 53.1-68.7 (n=10, "groundless" / "never
#: happened" 68.7); midpoint of the gap 68.7-73.1.
CONTEXT_MIN_SIMILARITY = 71

#: Words of the shorter of two short quotes' sentences (without the quotes) at
#: least, for the context comparison: shorter sentences say too little.
CONTEXT_MIN_WORDS = 4

#: ``reference_basis`` values, in the order they are tried.
BASIS_DERIVATION = "derivation source"
BASIS_MAJORITY = "most independent outlets"
BASIS_COMPLETE = "most complete"


def derivation_sources(derivation: pd.DataFrame | None) -> dict[str, set[str]]:
    """Each derived document's sources, directly or through others.

    Parameters
    ----------
    derivation : pandas.DataFrame or None
        Output of :func:`analysis.overlap.derivation.derivation_edges`
        (``source``, ``derived``, ``direction``). Edges whose direction is
        ``undetermined`` (no cue decided it) are left out.

    Returns
    -------
    dict of str to set of str
        doc_id -> the doc_ids it derives from (empty mapping without edges).
    """
    if derivation is None or derivation.empty:
        return {}
    require_columns(derivation, ("source", "derived", "direction"), "derivation")
    direct: dict[str, set[str]] = {}
    for source, derived, direction in zip(derivation["source"], derivation["derived"],
                                          derivation["direction"]):
        if direction != "undetermined":
            direct.setdefault(str(derived), set()).add(str(source))
    closed: dict[str, set[str]] = {}
    for doc in direct:
        seen, todo = set(), list(direct[doc])
        while todo:
            source = todo.pop()
            if source not in seen and source != doc:
                seen.add(source)
                todo.extend(direct.get(source, ()))
        closed[doc] = seen
    return closed


def _unit(doc: str, sources: dict[str, set[str]]) -> frozenset:
    """An independent outlet: a document's original sources (itself when underived)."""
    roots = {s for s in sources.get(doc, ()) if not sources.get(s)}
    return frozenset(roots) if roots else frozenset({doc})


def choose_reference(members: list[int], docs: list[str], same: Callable[[int, int], bool],
                     length: Callable[[int], int], sources: dict[str, set[str]]) -> tuple[int, str]:
    """The reference rendering of a group and why it was chosen.

    Parameters
    ----------
    members : list of int
        Row numbers of the group's renderings.
    docs : list of str
        doc_id of every row (indexed by row number).
    same : callable
        ``same(i, j)``: renderings i and j have the same wording where they overlap.
    length : callable
        Number of words of a rendering.
    sources : dict
        Output of :func:`derivation_sources`.

    Returns
    -------
    (int, str)
        The reference's row number and its basis: :data:`BASIS_DERIVATION`
        (renderings in documents derived from another member's document are
        no candidates), :data:`BASIS_MAJORITY` (the wording shared with the
        most independent outlets, a document and its copies counting once) or
        :data:`BASIS_COMPLETE` (no wording shared: the longest).
    """
    member_docs = {docs[i] for i in members}
    candidates = [i for i in members if not (sources.get(docs[i], set()) & member_docs)]
    derived = bool(candidates) and len(candidates) < len(members)
    pool = candidates if derived else members

    def agreements(i: int) -> int:
        own = _unit(docs[i], sources)
        return len({_unit(docs[j], sources) for j in members
                    if docs[j] != docs[i] and _unit(docs[j], sources) != own and same(i, j)})

    best = max(pool, key=lambda i: (agreements(i), length(i), -i))
    if derived:
        return best, BASIS_DERIVATION
    return best, BASIS_MAJORITY if agreements(best) > 0 else BASIS_COMPLETE


def _context(body: str, row) -> str:
    sentence = body[int(row.sentence_start):int(row.sentence_end)]
    inner_start, inner_end = int(row.start) - int(row.sentence_start), int(row.end) - int(row.sentence_start)
    return sentence[:max(inner_start, 0)] + " " + sentence[max(inner_end, 0):]


def short_quote_links(quotes: pd.DataFrame, bodies: Mapping[str, str], short: list[int],
                      anchors: dict[int, set[int]]) -> list[tuple[int, int]]:
    """Pairs of short attributed quotes that render the same statement.

    Two short quotes of different documents are linked when their speakers
    agree (``canonical_speaker`` when present) and either their sentences
    hold renderings of one same longer quotation (``anchors``: "“false” and
    the “most absurd red herring”" / "“fake” and the “most stupid red
    herring”") or the sentences around them, quoted words left out, are
    alike (:data:`CONTEXT_MIN_SIMILARITY`) and each is the other's most
    alike in its document (so one quote never links two of one document).

    Parameters
    ----------
    quotes : pandas.DataFrame
        The quotes table, with ``sentence_start``/``sentence_end``; indexed 0..n-1.
    bodies : mapping of str to str
        ``doc_id`` -> body of (at least) the documents of the short quotes.
    short : list of int
        Row numbers of the short quotes to compare.
    anchors : dict of int to set of int
        Row number of a short quote -> numbers of the variant groups of the
        longer quotations in its sentence.

    Returns
    -------
    list of (int, int)
        Linked row numbers, ``i < j``.
    """
    from rapidfuzz import fuzz

    from analysis.text.words import words

    require_columns(quotes, ("sentence_start", "sentence_end", "start", "end"), "quotes")
    speaker = "canonical_speaker" if "canonical_speaker" in quotes.columns else "speaker"
    context = {i: _context(bodies.get(str(quotes.at[i, "doc_id"]), ""), quotes.loc[i]) for i in short}
    scores: dict[tuple[int, int], float] = {}
    links = []
    for a, i in enumerate(short):
        for j in short[a + 1:]:
            if quotes.at[i, "doc_id"] == quotes.at[j, "doc_id"]:
                continue
            if not speakers_agree(str(quotes.at[i, speaker]), str(quotes.at[j, speaker])):
                continue
            if anchors.get(i, set()) & anchors.get(j, set()):
                links.append((i, j))
                continue
            if min(len(words(context[i])), len(words(context[j]))) < CONTEXT_MIN_WORDS:
                continue
            score = fuzz.token_set_ratio(context[i].lower(), context[j].lower())
            if score >= CONTEXT_MIN_SIMILARITY:
                scores[(i, j)] = scores[(j, i)] = score

    def best(i: int, doc: str) -> int | None:
        """i's best-scoring partner in ``doc`` (ties: the first)."""
        pool = [j for (a, j) in scores if a == i and quotes.at[j, "doc_id"] == doc]
        return max(pool, key=lambda j: (scores[(i, j)], -j)) if pool else None

    for (i, j) in sorted(scores):
        if i < j and best(i, quotes.at[j, "doc_id"]) == j and best(j, quotes.at[i, "doc_id"]) == i:
            links.append((i, j))
    return links

