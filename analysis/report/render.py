"""Every piece of HTML the report shows, from Jinja2 templates that escape what they are given.

Article text is untrusted: a body, outlet name or speaker may hold ``<script>``,
an ``onerror`` attribute or template syntax such as ``{{ 7*7 }}``. Fragments are
therefore built from the templates in ``analysis/templates/fragments/``
rendered with autoescaping on, so every value is escaped and only markup
written in a template is HTML; the one piece of markup passed into a template
is a table from pandas' ``to_html(escape=True)``. No function here joins
article text into HTML by hand.

Each function returns a :class:`RichHTML`, which Jupyter displays and which
falls back to plain text elsewhere.
"""

from __future__ import annotations

import base64
import difflib
import functools
import math

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from analysis.corpus.cleaning import document_labels
from analysis.report.narrative import most_related_pairs
from analysis.text.words import WORD_RE, normalise_word

#: Rows a table shows before saying how many it left out.
TABLE_MAX_ROWS = 30
#: Rows of passages and aligned sentences the side-by-side view of one pair shows.
SIDE_BY_SIDE_MAX_ROWS = 30
#: Columns of the shared-passages table shown in the report (the CSV has them all).
PASSAGE_COLUMNS_SHOWN = ["doc_a", "start_a", "end_a", "doc_b", "start_b", "end_b", "n_words", "kind", "text_a"]


@functools.cache
def _environment() -> Environment:
    # autoescape=True escapes every value in every template, whatever its name;
    # StrictUndefined makes a misspelt variable an error instead of empty text.
    return Environment(loader=PackageLoader("analysis", "templates/fragments"), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=False)


def _render(template: str, **values) -> Markup:
    return Markup(_environment().get_template(template).render(**values).strip())


class RichHTML:
    """HTML for Jupyter's display machinery, with a plain-text fallback.

    The markup is shown inside a ``mathjax_ignore`` block: JupyterLab typesets
    ``$...$`` in HTML outputs as TeX, which would turn "$5 or $10" in an
    article into mathematics. (``tex2jax_ignore`` is the same switch for
    MathJax 2, as in the classic notebook.)

    Parameters
    ----------
    markup : markupsafe.Markup
        A fragment rendered by this module (plain ``str`` is escaped, never
        trusted as HTML).
    text : str
        What a plain-text display shows.
    """

    def __init__(self, markup: Markup, text: str = "") -> None:
        self.markup = Markup(markup) if isinstance(markup, Markup) else Markup.escape(markup)
        self.text = text

    def _repr_html_(self) -> str:
        return str(_render("rich.html.j2", markup=self.markup))

    def __repr__(self) -> str:
        return self.text or str(self.markup)

    def __add__(self, other: RichHTML) -> RichHTML:
        return RichHTML(self.markup + other.markup, "\n\n".join(t for t in (self.text, other.text) if t))


def note(text: str) -> RichHTML:
    """A sentence of interpretation (it may quote article text)."""
    return RichHTML(_render("note.html.j2", text=text), text)


def _format_number(x: float) -> str:
    """Whole numbers with thousands separators, others to three significant digits."""
    if not math.isfinite(x):
        return str(x)
    if x == int(x):
        return f"{x:,.0f}"
    return f"{x:.3g}" if abs(x) < 100 else f"{x:,.1f}"


def table(data: pd.DataFrame, max_rows: int = TABLE_MAX_ROWS, caption: str = "") -> RichHTML:
    """A table (first ``max_rows`` rows) under an optional caption.

    Parameters
    ----------
    data : pandas.DataFrame
        Any table; cells and column names are escaped by pandas
        (``to_html(escape=True)``), the caption by the template.
    max_rows : int
        Rows shown; a note says how many there are when some are left out.
    caption : str
        Text above the table (optional).

    Returns
    -------
    RichHTML
        ``<p class="parallax-caption">``, the ``parallax-table`` and the note;
        ``data.to_string`` as plain-text fallback.
    """
    shown = data.head(max_rows)
    markup = shown.to_html(index=False, escape=True, border=0, classes="parallax-table", na_rep="",
                           float_format=_format_number)
    return RichHTML(_render("table.html.j2", caption=caption, table_markup=Markup(markup),
                            left_out=len(data) > max_rows, shown=max_rows, total=len(data)),
                    shown.to_string(index=False))


def figure(png: bytes, fig_id: str, caption: str, alt: str, citation: str) -> RichHTML:
    """The display block of a figure: ``<figure>`` anchored by its id, image, caption, citation.

    Parameters
    ----------
    png : bytes
        The image, embedded as a data URI.
    fig_id, caption, alt, citation : str
        As saved with the figure (:class:`analysis.report.publish.Publisher`).

    Returns
    -------
    RichHTML
        Plain-text fallback ``"Figure <fig_id>. <caption>"``.
    """
    return RichHTML(_render("figure.html.j2", fig_id=fig_id, caption=caption, alt=alt, citation=citation,
                            png_base64=base64.b64encode(png).decode("ascii")),
                    f"Figure {fig_id}. {caption}")


def altered_quotes(variants: pd.DataFrame) -> RichHTML:
    """The altered quotations, differences marked.

    Parameters
    ----------
    variants : pandas.DataFrame
        Output of :func:`analysis.statements.quote_variants.quote_variants`.

    Returns
    -------
    RichHTML
        A ``<table class="altered-quotes">`` with one row per rendering that
        differs from its group's reference (group, speaker, outlet label,
        reference wording and its outlet, this rendering's diff with ``<del>``
        for the reference's words and ``<ins>`` for this outlet's); a short
        paragraph when nothing differs.

    Raises
    ------
    ValueError
        If ``variants`` lacks a column it needs.
    """
    from analysis.statements.quote_variants import diff_segments

    needed = ["group_id", "speaker", "doc_id", "text", "differs", "diff"]
    missing = [c for c in needed if c not in variants.columns]
    if missing:
        raise ValueError(f"variants table is missing column(s): {', '.join(missing)}")
    label_col = "label" if "label" in variants.columns else "doc_id"
    differs = variants["differs"].astype(bool)
    if "reference_quote_id" in variants.columns and "quote_id" in variants.columns:
        references = variants[variants["quote_id"] == variants["reference_quote_id"]]
    else:
        references = variants[~differs]
    references = references.drop_duplicates("group_id").set_index("group_id")
    rows = []
    for _, row in variants[differs].iterrows():
        reference = references.loc[row["group_id"]] if row["group_id"] in references.index else None
        rows.append({"group_id": str(row["group_id"]), "speaker": str(row["speaker"]),
                     "label": str(row[label_col]),
                     "reference_text": "" if reference is None else str(reference["text"]),
                     "reference_label": "" if reference is None else str(reference[label_col]),
                     "segments": diff_segments(str(row["diff"]))})
    text = f"{len(rows)} altered quotation(s)" if rows else "No altered quotations."
    return RichHTML(_render("altered_quotes.html.j2", rows=rows), text)


def word_diff(text_a: str, text_b: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Both texts cut into segments, the words that differ apart (the text layer's words, compared normalised).

    Returns
    -------
    tuple of two lists of (str, str)
        ``(kind, text)`` segments of ``text_a`` (kind ``"removed"`` for its
        differing words, else ``"same"``) and of ``text_b`` (``"added"``).
    """
    words_a, words_b = list(WORD_RE.finditer(text_a)), list(WORD_RE.finditer(text_b))
    matcher = difflib.SequenceMatcher(a=[normalise_word(m.group()) for m in words_a],
                                      b=[normalise_word(m.group()) for m in words_b], autojunk=False)
    differing_a, differing_b = set(), set()
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            differing_a.update(range(a0, a1))
            differing_b.update(range(b0, b1))

    def segments(text, words, differing, kind):
        out, cursor = [], 0
        for k, match in enumerate(words):
            if k in differing:
                out += [("same", text[cursor:match.start()]), (kind, match.group())]
                cursor = match.end()
        out.append(("same", text[cursor:]))
        return [segment for segment in out if segment[1]]

    return segments(text_a, words_a, differing_a, "removed"), segments(text_b, words_b, differing_b, "added")


def side_by_side(docs: pd.DataFrame, passages: pd.DataFrame, alignment: pd.DataFrame | None,
                 pair: tuple[str, str], max_rows: int = SIDE_BY_SIDE_MAX_ROWS) -> RichHTML:
    """The passages and aligned sentences one pair shares, side by side, differing words marked.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``).
    passages : pandas.DataFrame
        Output of :func:`analysis.overlap.passages.shared_passages`.
    alignment : pandas.DataFrame or None
        Sentence alignment (doc_a, sent_a, text_a, doc_b, text_b, kind); rows
        of kind ``none`` are skipped.
    pair : tuple of str
        ``(doc_a, doc_b)`` doc_ids.
    max_rows : int
        Largest number of rows shown (passages first, longest first).

    Returns
    -------
    RichHTML
        A ``<div class="pxo">`` with an inline ``<style>`` (no scripts) and a
        table: one row per passage or aligned sentence (match kind, text of a
        with ``<del>`` on the words that differ, text of b with ``<ins>``).

    Raises
    ------
    ValueError
        If ``pair`` names a document not in ``docs``.
    """
    labels = document_labels(docs)
    doc_a, doc_b = pair
    for doc_id in pair:
        if doc_id not in labels:
            raise ValueError(f"pair names a document not in docs: {doc_id!r}")
    columns = ["start_a", "text_a", "text_b", "kind", "n_words"]
    forward = passages[(passages["doc_a"] == doc_a) & (passages["doc_b"] == doc_b)]
    backward = passages[(passages["doc_a"] == doc_b) & (passages["doc_b"] == doc_a)]
    shown = pd.concat([forward[columns],
                       backward.rename(columns={"text_a": "text_b", "text_b": "text_a",
                                                "start_a": "start_b", "start_b": "start_a"})[columns]])
    shown = shown.sort_values(["n_words", "start_a"], ascending=[False, True], kind="stable")
    rows = [(f"passage ({item.kind})", item.text_a, item.text_b) for item in shown.itertuples(index=False)]
    if alignment is not None and len(alignment):
        aligned = alignment[(alignment["doc_a"] == doc_a) & (alignment["doc_b"] == doc_b)
                            & (alignment["kind"] != "none")].sort_values("sent_a", kind="stable")
        rows += [(f"sentence ({item.kind.replace('_', ' ')})", item.text_a, item.text_b)
                 for item in aligned.itertuples(index=False)]
    marked = []
    for kind, text_a, text_b in rows[:max_rows]:
        segments_a, segments_b = word_diff(str(text_a), str(text_b))
        marked.append({"kind": kind, "segments_a": segments_a, "segments_b": segments_b})
    return RichHTML(_render("side_by_side.html.j2", rows=marked, label_a=labels[doc_a], label_b=labels[doc_b],
                            more=len(rows) - max_rows),
                    f"{labels[doc_a]} vs {labels[doc_b]}: {len(rows)} shared passages and aligned sentences")


def overlap_details(result: dict[str, pd.DataFrame], docs: pd.DataFrame) -> RichHTML | None:
    """The overlap section's tables: pairwise summary, the closest pairs side by side, shared passages.

    Parameters
    ----------
    result : dict of str to pandas.DataFrame
        :func:`analysis.report.pipeline.overlap_tables` output (empty when the section
        was skipped).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``).

    Returns
    -------
    RichHTML or None
        None when the section was skipped; else the ``overlap_pairs`` table,
        :func:`side_by_side` for each of :func:`analysis.report.narrative.most_related_pairs`
        and the shared passages (offsets into the cleaned bodies).
    """
    if not result:
        return None
    summary = result["overlap_pairs"]
    shown = table(summary, caption="Pairwise overlap (one row per ordered pair)")
    for pair in most_related_pairs(summary):
        shown += side_by_side(docs, result["passages"], result["sentence_alignment"], pair)
    return shown + table(result["passages"][PASSAGE_COLUMNS_SHOWN],
                         caption="Shared passages (offsets index the cleaned bodies)")
