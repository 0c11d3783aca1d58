"""Verbs that describe one transaction from either side ("sold" / "bought", "lent" / "borrowed").

The number claims compare what a sum of money was spent, received or lent
through, and the date claims what a date dates; a sale reported as "sold" by
one outlet and "bought" by another is the same fact, not a different
description or a different event.
"""

from __future__ import annotations

#: Families of verbs (lemmas) naming one transaction; written by hand from the
#: business and politics stories of tests/data/numbers13 and the BBC business set.
VERB_FAMILIES = {
    "sale": frozenset("buy sell purchase acquire auction".split()),
    "loan": frozenset("lend borrow loan raise finance fund".split()),
    "vote": frozenset("pass clear approve back".split()),
    "delivery": frozenset("deliver supply send ship provide transfer receive".split()),
    "filing": frozenset("file apply seek".split()),
    "cost": frozenset("cost put estimate value price".split()),
}
_FAMILY_OF = {verb: name for name, verbs in VERB_FAMILIES.items() for verb in verbs}


def verb_family(verb: str) -> str:
    """The family of a verb lemma (``"sale"`` for buy and sell), else the lemma itself."""
    return _FAMILY_OF.get(verb, verb)
