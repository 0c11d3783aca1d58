"""Benchmark article texts for the real-pair alignment annotation (``bench/alignment_real/``).

The BBC and Reuters-21578 licences forbid committing their text, so the
annotation refers to the files in ``../shared/benchmarks`` by path (BBC) or
NEWID (Reuters) and to sentences by index in the kit's own segmentation, with
a short hash of each annotated sentence so a change of text or segmentation is
detected instead of silently scoring the wrong sentences.
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import cache
from pathlib import Path

import pandas as pd

from bench.bench_mrpc import benchmarks_dir


def sentence_hash(text: str) -> str:
    """First 8 hex digits of the SHA-256 of a sentence's text (stripped)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:8]


@cache
def reuters_bodies() -> dict[int, str]:
    """NEWID -> body text of every Reuters-21578 story with a ``<BODY>``."""
    folder = benchmarks_dir() / "reuters21578"
    out = {}
    for path in sorted(folder.glob("reut2-*.sgm")):
        raw = path.read_bytes().decode("latin-1")
        for match in re.finditer(r'<REUTERS[^>]*NEWID="(\d+)"[^>]*>(.*?)</REUTERS>', raw, re.S):
            body = re.search(r"<BODY>(.*?)</BODY>", match.group(2), re.S)
            if body:
                text = html.unescape(body.group(1)).replace("\x03", "")
                out[int(match.group(1))] = re.sub(r"\s*\bReuter\s*$", "", text.strip(), flags=re.IGNORECASE)
    return out


def document_text(reference: str) -> str:
    """Text of ``bbc/<category>/<nnn>.txt`` or ``reuters21578/<NEWID>``.

    Reuters bodies are wire text with hard line breaks: a line break inside a
    paragraph becomes a space, an indented line starts a new paragraph.
    """
    kind, _, rest = reference.partition("/")
    if kind == "bbc":
        raw = (benchmarks_dir() / "bbc" / rest).read_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:  # sport/199.txt has one Latin-1 byte (SOURCE.md)
            return raw.decode("latin-1")
    if kind == "reuters21578":
        body = reuters_bodies()[int(rest)]
        paragraphs = re.split(r"\n\s{2,}", body)
        return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
    raise ValueError(f"unknown benchmark reference {reference!r}")


def sentences_of(references: list[str]) -> pd.DataFrame:
    """The kit's sentences (``analysis.text.sentences.sentence_table``) of each referenced text; doc_id = reference."""
    from analysis.text.nlp import load_pipeline, parse_bodies
    from analysis.text.sentences import sentence_table

    docs = pd.DataFrame({"doc_id": references, "body": [document_text(r) for r in references]})
    return sentence_table(parse_bodies(docs, load_pipeline()))
