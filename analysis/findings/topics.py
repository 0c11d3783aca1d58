"""A finding's ``topic`` holding several facts: written so that the facts can be read back.

An omission finding merges the facts one document leaves out of one sentence
(:mod:`analysis.findings.omissions`); its ``topic`` lists them ``"; "``-separated,
which reads naturally in ``findings.csv``. A fact is article text (a claim's
name, a quotation), which may hold ``"; "`` itself ("we will fight; we will
win"), so each fact is escaped first: ``\\`` is written ``\\\\`` and ``;`` is
written ``\\;``. A topic without either character is unchanged.
"""

from __future__ import annotations

import re

#: What separates the facts of one topic.
TOPIC_SEPARATOR = "; "
#: One unit of a topic: an escaped character, the separator, or any other character (a lone
#: trailing backslash, which join_topics never writes, is read as text).
_TOKEN = re.compile(r"\\(.)|(" + re.escape(TOPIC_SEPARATOR) + r")|(.)", re.DOTALL)


def join_topics(facts) -> str:
    """The facts (strings, in order) as one ``topic`` that :func:`split_topics` reads back."""
    return TOPIC_SEPARATOR.join(str(fact).replace("\\", "\\\\").replace(";", "\\;") for fact in facts)


def split_topics(topic: str) -> list[str]:
    """The facts of a ``topic`` written by :func:`join_topics`, unescaped (one fact when it has no separator)."""
    facts = [""]
    for escaped, separator, char in _TOKEN.findall(str(topic)):
        if separator:
            facts.append("")
        else:
            facts[-1] += escaped or char
    return facts
