"""Clause splitting and the pair checks behind partial and distorted links (hand-written sentences)."""

import numpy as np

from analysis.overlap.alignment_labels import is_partial, relation_of
from analysis.overlap.clauses import clause_spans, segments
from analysis.overlap.pair_checks import (names_conflict, numbers_conflict, roles_swapped, speaker_conflict,
                                          speaker_phrases, speakers_in_context)

LONG = ("The Ostrava Group \u2013 staffed by former soldiers and volunteers recruited abroad \u2013 has worked in "
        "Chad, Niger and Sudan, among other countries, and has been accused of smuggling gold.")


def test_segments_cut_at_dashes_and_clause_openers():
    parts = [LONG[s:e] for s, e in segments(LONG)]
    assert parts == ["The Ostrava Group", "staffed by former soldiers and volunteers recruited abroad",
                     "has worked in Chad, Niger and Sudan", "among other countries",
                     "and has been accused of smuggling gold."]


def test_clauses_are_runs_of_segments_short_of_the_whole_sentence():
    clauses = [LONG[s:e] for s, e in clause_spans(LONG)]
    assert "has worked in Chad, Niger and Sudan" in clauses
    assert "and has been accused of smuggling gold." in clauses
    assert LONG not in clauses
    assert "among other countries" not in clauses  # under CLAUSE_MIN_WORDS alone
    assert clause_spans("A short sentence, and another one.") == []  # not a long sentence


def test_coordinated_verb_phrases_and_participles_are_boundaries():
    text = ("The chief executive, Mara Lind, said the company was sorry about the spill and had invested "
            "heavily in new tanks, hoping to avoid another fine.")
    assert [text[s:e] for s, e in segments(text)] == [
        "The chief executive, Mara Lind, said the company was sorry about the spill",
        "and had invested heavily in new tanks", "hoping to avoid another fine."]


def test_speakers_named_role_and_pronoun():
    assert speaker_phrases("More sanctions are coming, said Anna Berg.") == {(frozenset({"anna", "berg"}), True)}
    assert speaker_phrases("Tolls will rise, Berg said.") == {(frozenset({"berg"}), True)}
    assert speaker_phrases("The official said tolls would rise.") == set()  # a role noun: unresolvable
    assert speaker_phrases("He said tolls would rise.") == set()


def test_speaker_conflict_needs_a_name_and_no_shared_word():
    assert speaker_conflict("The club's chairman, Tom Reed, condemned the attack.", "Police condemned the attack.")
    assert not speaker_conflict("Minister Dana Holt said exports would fall.", "Holt warned exports would fall.")
    assert not speaker_conflict("Emergency services said 40 were rescued.", "Rescue teams stated 40 were saved.")
    assert not speaker_conflict("He said exports would fall.", "Holt said exports would fall.")


def test_names_and_numbers_must_match():
    assert names_conflict("Talks were held in Oslo on Monday.", "Talks were held in Bergen on Monday.")
    assert not names_conflict("Ruth Hale, head of Tarn Water, apologised.", "Tarn Water's head, Ruth Hale, apologised.")
    assert numbers_conflict("12 people were arrested.", "21 people were arrested.")


def test_roles_swapped_but_not_by_the_passive_or_reordered_attribution():
    assert roles_swapped("Home fans accused the visiting supporters of starting it.",
                         "Visiting supporters accused the home fans of starting it.")
    assert not roles_swapped("Home fans accused the visiting supporters of starting it.",
                             "The visiting supporters were accused by home fans of starting it.")
    assert not roles_swapped("Holt said the port would close.", "The port would close, Holt said.")


def test_partial_and_the_relation_of_a_link():
    source = "The firm has denied selling equipment to the army."
    added = "The firm has repeatedly denied selling equipment to the army, calling the claims politically motivated."
    assert is_partial(added, source) and is_partial(source, added)
    assert not is_partial("The firm denied selling arms to the army.", source)
    assert relation_of(added, source, "sentence", "paraphrase", "classifier") == ("partial", "classifier+content")
    assert relation_of("It cost 5m.", "It cost 7m.", "sentence", "near_copy", "lexical") == \
        ("distorted", "lexical+numbers")
    assert relation_of("The firm denied it.", "The firm denied it", "clause", "copy", "lexical") == \
        ("partial", "lexical+clause")


def test_he_said_is_resolved_to_the_last_named_speaker():
    source = "Tolls will rise next year, he said."
    before = ("The agency expects traffic to fall, Anna Berg said.", "It gave no figure.")
    spun = "According to the ferry company, tolls will rise next year."
    assert speakers_in_context(source, before) == {(frozenset({"anna", "berg"}), True)}
    assert speaker_conflict(spun, source, (), before)
    assert not speaker_conflict(spun, source)  # without the context "he" is unresolved
    assert not speaker_conflict("Berg said tolls will rise next year.", source, (), before)


def test_the_role_check_parses_with_the_runs_spacy_model(monkeypatch, tmp_path):
    """``spacy_model`` reaches the parse from the alignment stage down (not the default pipeline)."""
    import pandas as pd

    from analysis.overlap import alignment_labels, pair_checks
    from analysis.report.stages import align_by_story
    from analysis.text import nlp as nlp_module

    loaded = []
    real = nlp_module.load_pipeline

    def recording(model="auto", *args, **kwargs):
        loaded.append(model)
        return real("auto", *args, **kwargs)

    monkeypatch.setattr(nlp_module, "load_pipeline", recording)
    monkeypatch.setenv("PARALLAX_CACHE", str(tmp_path))  # clauses encoded (if any) stay out of the user's cache
    pair_checks.verb_roles.cache_clear()
    a = "Home fans accused the visiting supporters of starting it."
    b = "Visiting supporters accused the home fans of starting it."
    assert roles_swapped(a, b, spacy_model="en_other_pipeline")
    assert set(loaded) == {"en_other_pipeline"}
    pair_checks.verb_roles.cache_clear()

    asked = []
    monkeypatch.setattr(alignment_labels, "roles_swapped",
                        lambda text_a, text_b, spacy_model="auto": asked.append(spacy_model) or False)
    sentences = pd.DataFrame({"doc_id": ["a", "b"], "sent": [0, 0], "start": [0, 0],
                              "end": [len(a), len(b)], "text": [a, b]})
    vectors = np.array([[1.0, 0.0], [1.0, 0.0]])  # identical: every sentence is linked and checked

    class Here:
        def map(self, function, items, **kwargs):
            return [function(item, **kwargs) for item in items]

    pairs = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "story_id": [0]})
    align_by_story(sentences, vectors, pairs, "numpy", Here(), spacy_model="en_other_pipeline")
    assert asked and set(asked) == {"en_other_pipeline"}
