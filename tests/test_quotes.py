"""Quotes: hand-checked extraction and variant grouping (their HTML: tests/test_render.py)."""

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.text.nlp import parse_bodies
from analysis.statements.quote_variants import diff_segments, quote_variants
from analysis.statements.quotes import extract_quotes
from analysis.statements.speakers import UNKNOWN_SPEAKER
from conftest import make_docs

DATA = Path(__file__).parent / "data" / "quotes_numbers"


@pytest.fixture(scope="module")
def bridge(nlp):
    docs = make_docs({p.stem: p.read_text(encoding="utf-8").strip()
                      for p in sorted(DATA.glob("*.txt"))})
    return docs, parse_bodies(docs, nlp), json.loads((DATA / "expected.json").read_text())


def test_quotes_match_hand_annotations(bridge):
    docs, parsed, expected = bridge
    quotes = extract_quotes(docs, parsed)
    for doc_id, want in expected["quotes"].items():
        got = quotes[quotes["doc_id"] == doc_id]
        assert got["text"].tolist() == [w["text"] for w in want]
        assert got["kind"].tolist() == [w["kind"] for w in want]
        assert got["speaker"].tolist() == [w["speaker"] for w in want]
        assert got["cue"].tolist() == [w["cue"] for w in want]
        assert got["rendering"].tolist() == [w["rendering"] for w in want]


def test_negatives_are_not_quotes(bridge):
    docs, parsed, expected = bridge
    texts = extract_quotes(docs, parsed)["text"].tolist()
    for bad in expected["not_quoted"]:
        assert not any(t.startswith(bad) for t in texts), bad


def test_offsets_index_into_body(bridge):
    docs, parsed, _ = bridge
    quotes = extract_quotes(docs, parsed)
    bodies = dict(zip(docs["doc_id"], docs["body"]))
    for row in quotes.itertuples():
        piece = bodies[row.doc_id][row.start:row.end]
        assert piece.startswith(row.text[:8]) and piece.endswith(row.text[-8:])
        merged = row.text.startswith("This is,")       # interrupted by "she said"
        assert (piece == row.text) != merged
    assert list(quotes["quote_id"]) == [f"{d}-q{i:02d}" for d, n in
                                         quotes.groupby("doc_id").size().items()
                                         for i in range(1, n + 1)]


def test_nested_multi_paragraph_and_unknown(nlp):
    body = ('The report described “a so-called “peace plan” that nobody signed.”\n\n'
            '"First part of a long statement.\n\n'
            '"Second part of the same statement," the minister said.\n\n'
            'The session then ended.\n\n'
            '“Nobody claims these words at all today.”')
    docs = make_docs({"x": body})
    quotes = extract_quotes(docs, parse_bodies(docs, nlp))
    assert quotes["text"].tolist() == [
        "a so-called “peace plan” that nobody signed.",
        "First part of a long statement. Second part of the same statement,",
        "Nobody claims these words at all today.",
    ]
    assert quotes["speaker"].iloc[1] == "minister"
    assert quotes["speaker"].iloc[2] == UNKNOWN_SPEAKER and quotes["cue"].iloc[2] == ""


def test_canonicalize_is_applied(bridge):
    docs, parsed, _ = bridge
    quotes = extract_quotes(docs, parsed, canonicalize=lambda s: s.upper())
    assert "MARIA LINDQVIST" in set(quotes["speaker"])
    assert "Maria Lindqvist" not in set(quotes["speaker"])


def test_variants_expose_reworded_quote(bridge):
    docs, parsed, _ = bridge
    variants = quote_variants(extract_quotes(docs, parsed))
    assert list(variants.columns[:8]) == ["story_id", "group_id", "speaker", "doc_id", "quote_id", "text",
                                          "differs", "diff"]
    herring = variants[variants["text"].str.contains("nonsense")]
    assert herring["group_id"].nunique() == 1 and len(herring) == 2
    changed = herring[herring["differs"]]
    assert len(changed) == 1
    assert {"[-reckless-]", "{+foolish+}"} <= set(changed["diff"].iloc[0].split()) or \
           {"[-foolish-]", "{+reckless+}"} <= set(changed["diff"].iloc[0].split())
    afford = variants[variants["text"].str.startswith("We cannot afford")]
    assert len(afford) == 2 and not afford["differs"].any()   # a shorter excerpt is no alteration


def test_unrelated_quotes_are_not_grouped(nlp):
    docs = make_docs({"a": '"The harbour will reopen next spring," Ann Lee said.',
                      "b": '"Taxes on fuel must fall before the winter," Bo Chan said.'})
    assert quote_variants(extract_quotes(docs, parse_bodies(docs, nlp))).empty


def test_diff_segments_split_the_compact_diff():
    assert diff_segments("a [-b-] {+c+}") == [("same", "a "), ("removed", "b"), ("same", " "), ("added", "c")]
    assert diff_segments("… [-said-]{+told+} reporters …") == [
        ("same", "… "), ("removed", "said"), ("added", "told"), ("same", " reporters …")]
    assert diff_segments("") == []


def test_bad_input_raises_value_error(nlp):
    with pytest.raises(ValueError, match="body"):
        extract_quotes(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ValueError, match="missing"):
        quote_variants(pd.DataFrame({"doc_id": ["a"]}))


def test_deterministic_csv(bridge):
    docs, parsed, _ = bridge
    first = extract_quotes(docs, parsed)
    again = extract_quotes(docs, parsed)
    assert first.to_csv(index=False) == again.to_csv(index=False)
    assert quote_variants(first).to_csv(index=False) == quote_variants(again).to_csv(index=False)


def test_more_than_99_variant_groups_stay_in_group_order():
    # group ids are strings: sorted as text, "qv100" would land between "qv10" and "qv11"
    quotes = pd.DataFrame([
        {"doc_id": doc, "quote_id": f"{doc}-q{n:03d}", "text": f"alpha{n} bravo{n} charlie{n}",
         "speaker": "Ann Lee", "kind": "quote", "label": doc.upper()}
        for doc in ("a", "b") for n in range(101)])
    variants = quote_variants(quotes)
    order = list(dict.fromkeys(variants["group_id"]))
    assert order == [f"qv{n:02d}" for n in range(1, 102)]
    assert variants.loc[variants["group_id"] == "qv100", "text"].tolist() == ["alpha99 bravo99 charlie99"] * 2


def test_blank_speaker_is_unknown_not_a_crash():
    from analysis.statements.speakers import speakers_agree
    assert speakers_agree(" ", "John Kirby") is None
    assert speakers_agree("Kirby", "John Kirby") is True


@pytest.mark.parametrize("body, quoted", [
    # quotes' own scanner read “ as an opening mark: " Dann ging er." came out
    ("Er sagte: „Das ist eine absurde Lüge.“ Dann ging er.", ["Das ist eine absurde Lüge."]),
    ("Il a dit : « C’est une rumeur absurde et dangereuse. » Puis il est parti.",
     ["C’est une rumeur absurde et dangereuse."]),
    ("Han sa: »Det er en absurd løgn fra start til slutt.« Så gikk han.",
     ["Det er en absurd løgn fra start til slutt."]),
    ("He said: ‹This is a plain lie from start to end.› Then he left.",
     ["This is a plain lie from start to end."]),
])
def test_every_quotation_mark_style_is_read(nlp, body, quoted):
    docs = make_docs({"x": body})
    assert extract_quotes(docs, parse_bodies(docs, nlp))["text"].tolist() == quoted


def test_quotes_and_overlap_see_the_same_quotation_marks(nlp):
    """One scanner: every quotation the quotes table lists lies inside the spans
    the overlap section sets apart as quoted, and the other way round."""
    from analysis.text.quotation_marks import quoted_spans

    bodies = {p.stem: p.read_text(encoding="utf-8").strip() for p in sorted(DATA.glob("*.txt"))}
    bodies["german"] = "Er sagte: „Das ist eine absurde Lüge.“ Dann ging er."
    bodies["inch"] = ('Fans bought a 27" television for the lounge and watched it all night.\n\n'
                      '“We loved it,” one fan said.')
    docs = make_docs(bodies)
    quotes = extract_quotes(docs, parse_bodies(docs, nlp))
    for doc_id, body in bodies.items():
        spans = quoted_spans(body)
        found = quotes[quotes["doc_id"] == doc_id]
        for start, end in zip(found["start"], found["end"]):   # an interrupted one: two spans
            assert any(s <= start < e for s, e in spans), (doc_id, body[start:end])
            assert any(s < end <= e for s, e in spans), (doc_id, body[start:end])
        for s, e in spans:
            assert any(start <= s and e <= end for start, end in zip(found["start"], found["end"])
                       ) or "Bridges of the North" in body[s:e], (doc_id, body[s:e])


def test_connected_groups_join_through_links():
    from analysis.statements.quote_variants import connected_groups

    groups = connected_groups(5, [(0, 3), (3, 1)])
    assert groups[0] == groups[1] == groups[3]
    assert len({groups[0], groups[2], groups[4]}) == 3
    assert len(set(connected_groups(2, []))) == 2
