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
import functools
import math
import re

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from analysis.corpus.cleaning import document_labels
from analysis.figures.layout import detailed

#: Rows a table shows before saying how many it left out.
TABLE_MAX_ROWS = 30
#: Altered renderings :func:`altered_quotes` lists (quote_variants.csv has them all).
#: Set by hand: 50 rows with their word differences are about 30 kB of HTML.
ALTERED_QUOTES_MAX = 50
#: A line break inside a cell, shown by :func:`reader_table` as a pilcrow.
PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")
#: Columns holding a doc_id, shown as the document's label by :func:`reader_table`.
DOCUMENT_ID_COLUMNS = ("doc_id", "doc_a", "doc_b", "source", "derived")


@functools.cache
def _environment() -> Environment:
    # autoescape=True escapes every value in every template, whatever its name;
    # StrictUndefined makes a misspelt variable an error instead of empty text.
    return Environment(loader=PackageLoader("analysis", "templates/fragments"), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=False)


def _render(template: str, **values) -> Markup:
    return Markup(_environment().get_template(template).render(**values).strip())


def render_fragment(template: str, **values) -> Markup:
    """A fragment of ``analysis/templates/fragments/`` rendered with autoescaping (for sibling modules)."""
    return _render(template, **values)


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


def altered_quotes(variants: pd.DataFrame, max_rows: int = ALTERED_QUOTES_MAX) -> RichHTML:
    """The altered quotations, differences marked.

    Parameters
    ----------
    variants : pandas.DataFrame
        Output of :func:`analysis.statements.quote_variants.quote_variants`.
    max_rows : int
        Renderings listed (in table order); a line counts the others.

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
    altered = variants[differs]
    for _, row in altered.head(max_rows).iterrows():
        reference = references.loc[row["group_id"]] if row["group_id"] in references.index else None
        rows.append({"group_id": str(row["group_id"]), "speaker": str(row["speaker"]),
                     "label": str(row[label_col]),
                     "reference_text": "" if reference is None else str(reference["text"]),
                     "reference_label": "" if reference is None else str(reference[label_col]),
                     "segments": diff_segments(str(row["diff"]))})
    text = f"{len(altered)} altered quotation(s)" if rows else "No altered quotations."
    return RichHTML(_render("altered_quotes.html.j2", rows=rows, more=len(altered) - len(rows)), text)


def reader_table(data: pd.DataFrame, shown: dict[str, str], caption: str = "",
                 labels: dict[str, str] | None = None, max_rows: int = TABLE_MAX_ROWS) -> RichHTML:
    """:func:`table` of the columns a reader needs, under readable headings (the CSV keeps them all).

    Parameters
    ----------
    data : pandas.DataFrame
        Any table.
    shown : dict of str to str
        Column -> heading, in the order shown (:mod:`analysis.report.columns`);
        columns the table lacks are skipped.
    caption : str
        Text above the table.
    labels : dict of str to str, optional
        doc_id -> label: the document columns (:data:`DOCUMENT_ID_COLUMNS`)
        show labels instead of ids.
    max_rows : int
        Rows shown.
    """
    kept = data[[c for c in shown if c in data.columns]].copy()
    for column in kept.columns:  # pandas shows a line break as "\n": mark paragraphs
        kept[column] = kept[column].map(lambda v: PARAGRAPH_BREAK.sub(" \u00b6 ", v) if isinstance(v, str) else v)
    if "flags" in kept.columns:  # "a=1;b" flags may wrap after each ";"
        kept["flags"] = kept["flags"].map(lambda v: v.replace(";", "; ") if isinstance(v, str) else v)
    if labels:
        for column in DOCUMENT_ID_COLUMNS:
            if column in kept.columns:
                kept[column] = kept[column].map(lambda doc_id: labels.get(str(doc_id), doc_id))
    return table(kept.rename(columns=shown), max_rows=max_rows, caption=caption)


def overlap_details(result: dict[str, pd.DataFrame], docs: pd.DataFrame,
                    reuse: pd.DataFrame | None = None) -> RichHTML | None:
    """The overlap section's tables: related pairs, links to the reuse viewer, passages counted as reuse.

    Parameters
    ----------
    result : dict of str to pandas.DataFrame
        :func:`analysis.report.pipeline.overlap_tables` output (empty when the section
        was skipped).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``).
    reuse : pandas.DataFrame, optional
        Outlet x outlet reuse, listed first above
        :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents
        (:func:`analysis.report.scaled_tables.outlet_reuse_table`).

    Returns
    -------
    RichHTML or None
        None when the section was skipped; else the pairs that are not
        independent (:data:`analysis.report.columns.OVERLAP_PAIRS_SHOWN`),
        the links to the reuse viewer (:func:`analysis.report.viewer.pair_index`)
        and the shared passages that count as reuse
        (:data:`analysis.report.columns.PASSAGES_SHOWN`, longest first).
    """
    from analysis.report.columns import OVERLAP_PAIRS_SHOWN, PASSAGES_SHOWN
    from analysis.report.viewer import pair_index

    if not result:
        return None
    labels = document_labels(docs)
    summary = result["overlap_pairs"]
    related = summary[summary["relation"] != "independent"]
    caption = f"Related pairs ({len(related)} of {len(summary)} ordered pairs; all are in tables/overlap_pairs.csv)"
    large = not detailed(len(docs))
    if large:  # outlets first, then the most related pairs (a top-N list, not one row per document)
        from analysis.report.scaled_tables import most_related_first, outlet_reuse_table

        related = most_related_first(related)
        caption = (f"The most related pairs ({len(related):,} related of {len(summary):,} ordered pairs compared; "
                   "all are in tables/overlap_pairs.csv)")
    shown = reader_table(related, OVERLAP_PAIRS_SHOWN, labels=labels, caption=caption)
    if large:
        shown = outlet_reuse_table(result, docs, reuse) + shown
    shown += pair_index(result, docs)
    passages = result["passages"]
    reuse = passages[passages["reuse"]] if "reuse" in passages.columns else passages
    reuse = reuse.sort_values("n_words", ascending=False, kind="stable")
    return shown + reader_table(reuse, PASSAGES_SHOWN, labels=labels,
                                caption=f"Shared passages counted as reuse ({len(reuse)} of {len(passages)}; "
                                        "tables/passages.csv has them all, and says why the others are not)")


def safe_link(address: str) -> str | None:
    """``address`` stripped when it is an http(s) URL with a host (:data:`analysis.report.columns.LINK_SCHEMES`), else None.

    ``javascript:``, ``data:``, relative and malformed addresses are never
    links; the report shows them as text.
    """
    from urllib.parse import urlsplit

    from analysis.report.columns import LINK_SCHEMES

    address = str(address).strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in address):
        return None
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    return address if parts.scheme.lower() in LINK_SCHEMES and parts.hostname else None


def document_list(documents: pd.DataFrame, docs: pd.DataFrame, max_rows: int = TABLE_MAX_ROWS) -> RichHTML:
    """The report's list of documents: label, headline, date and link, language, size, flags.

    Parameters
    ----------
    documents : pandas.DataFrame
        ``documents.csv`` (:func:`analysis.corpus.cleaning.document_table`), with
        the ``sources.csv`` columns; the first of
        :data:`analysis.report.columns.DATE_COLUMNS` and of ``URL_COLUMNS`` found is shown.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``).
    max_rows : int
        Rows shown.

    Returns
    -------
    RichHTML
        A ``parallax-table``: a URL is a link (showing its host) only when
        :func:`safe_link` accepts it, else plain text; every value escaped.
    """
    from urllib.parse import urlsplit

    from analysis.report.columns import DATE_COLUMNS, DOCUMENTS_SHOWN, URL_COLUMNS

    labels = document_labels(docs)
    date_column = next((c for c in DATE_COLUMNS if c in documents.columns), None)
    url_column = next((c for c in URL_COLUMNS if c in documents.columns), None)
    rows = []
    for record in documents.head(max_rows).to_dict("records"):
        address = "" if url_column is None else str(record[url_column] or "").strip()
        link = safe_link(address) if address else None
        rows.append({"cells": [labels.get(str(record["doc_id"]), str(record["doc_id"])) if c == "label"
                               else _format_cell(record.get(c, "")) for c in DOCUMENTS_SHOWN],
                     "date": "" if date_column is None else str(record[date_column] or ""),
                     "address": address, "link": link, "host": urlsplit(link).hostname if link else ""})
    headings = list(DOCUMENTS_SHOWN.values())
    return RichHTML(_render("documents.html.j2", headings=headings, rows=rows, has_date=date_column is not None,
                            has_url=url_column is not None, left_out=len(documents) > max_rows,
                            shown=max_rows, total=len(documents)),
                    f"{len(documents)} documents")


def _format_cell(value) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else _format_number(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _format_number(value)
    return "" if value is None or value is pd.NA else str(value)
