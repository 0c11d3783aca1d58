"""Tests for analysis.overlap.relation_model (the any-language relation) and how overlap_pairs routes to it.

The Spanish texts are written for these tests (a fictional town, bridge and
mayor); nothing here reads benchmark data.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.overlap import relation_model
from analysis.overlap.containment import overlap_pairs
from analysis.overlap.passages import shared_passages
from analysis.overlap.relation_model import (
    CHAR_CONTAINMENT_MIN, FEATURES, model_relations, relation_features, text_profile, unquoted_words,
)

SOURCE = (
    "El ayuntamiento de Villanueva reabrió el lunes el puente de hierro sobre el río Tajuña, cerrado "
    "desde marzo por grietas en dos de sus pilares. Las obras costaron 2,4 millones de euros y duraron "
    "siete meses, según informó la alcaldesa, Carmen Roldán. Durante el cierre, los vecinos del barrio "
    "de la Vega tuvieron que dar un rodeo de doce kilómetros para llegar al centro de salud. La empresa "
    "constructora sustituyó los apoyos dañados y reforzó el tablero con vigas de acero. El tráfico de "
    "camiones de más de veinte toneladas seguirá prohibido hasta que concluyan las pruebas de carga, "
    "previstas para enero. La oposición municipal criticó el retraso de las obras y pidió una auditoría "
    "del contrato.")
#: SOURCE with two words changed and two sentences dropped (a wire copy).
COPY = (
    "El ayuntamiento de Villanueva reabrió este lunes el puente de hierro sobre el río Tajuña, cerrado "
    "desde marzo por grietas en dos de sus pilares. Las obras costaron 2,4 millones de euros y duraron "
    "siete meses, según explicó la alcaldesa, Carmen Roldán. Durante el cierre, los vecinos del barrio "
    "de la Vega tuvieron que dar un rodeo de doce kilómetros para llegar al centro de salud. El tráfico "
    "de camiones de más de veinte toneladas seguirá prohibido hasta que concluyan las pruebas de carga, "
    "previstas para enero.")
#: Another story altogether (olive harvest), same language and register.
UNRELATED = (
    "La cosecha de aceituna en la comarca de Sierra Mágina será este año un treinta por ciento menor que "
    "la anterior, según las cooperativas de la zona. La sequía del verano y las altas temperaturas de "
    "septiembre redujeron el tamaño del fruto, explicaron los técnicos agrícolas. Los precios del aceite "
    "de oliva virgen extra en origen se mantienen por encima de los siete euros por kilo, una cifra que "
    "preocupa a los envasadores. Muchos agricultores han adelantado la recogida para evitar las heladas "
    "de diciembre, y algunas almazaras ya trabajan a doble turno. El sindicato agrario pidió ayudas "
    "directas para las explotaciones familiares más afectadas por la falta de lluvia.")


def corpus(*bodies):
    ids = [f"d{k}" for k in range(len(bodies))]
    return pd.DataFrame({"doc_id": ids, "title": [""] * len(ids), "body": list(bodies)})


def one_feature_model(derived=0.5, wholly=0.9, **extra):
    """A model whose both heads are sigmoid(log_words_a), the other feature weighing nothing."""
    head = {"mean": [0.0, 0.0], "scale": [1.0, 1.0], "weights": [0.0, 1.0], "bias": 0.0}
    return {"features": list(FEATURES), "derived": head, "wholly": dict(head),
            "thresholds": {"derived": derived, "wholly": wholly}, **extra}


def features_at(logits, containment=1.0):
    """Feature rows whose one-feature-model logit is each of ``logits``."""
    return pd.DataFrame({"char_containment": containment, "log_words_a": logits})


def test_decision_rule_boundaries_are_inclusive():
    # p = sigmoid(x): x = 0 gives exactly 0.5, the derived threshold.
    model = one_feature_model(derived=0.5, wholly=0.9)
    at_wholly = float(np.log(0.9 / 0.1))
    table = model_relations(features_at([-0.01, 0.0, at_wholly - 0.01, at_wholly + 1e-6]), model)
    assert table["relation"].tolist() == ["independent", "partially_derived",
                                          "partially_derived", "wholly_derived"]
    assert table.loc[1, "derived_probability"] == 0.5


def test_wholly_head_decides_even_below_the_derived_threshold():
    model = one_feature_model(derived=0.99, wholly=0.6)
    model["wholly"]["bias"] = 5.0                           # P(wholly) high, P(derived) 0.5
    assert model_relations(features_at([0.0]), model)["relation"].tolist() == ["wholly_derived"]


def test_too_little_shared_text_is_independent_whatever_the_heads_say():
    model = one_feature_model(derived=0.5, wholly=0.9)
    floor = CHAR_CONTAINMENT_MIN
    table = model_relations(features_at([10.0, 10.0, 0.0], [floor - 1e-6, floor, floor]), model)
    assert table["relation"].tolist() == ["independent", "wholly_derived", "partially_derived"]
    assert table.loc[0, "wholly_probability"] > 0.9          # the heads are still reported


def test_features_are_clipped_to_the_range_the_model_was_fitted_on():
    model = one_feature_model(clip=[[0.0, 1.0], [3.0, 6.0]])
    table = model_relations(features_at([1.0, 3.0, 6.0, 9.0]), model)
    assert table["derived_probability"].tolist() == pytest.approx(
        [1 / (1 + np.exp(-3.0))] * 2 + [1 / (1 + np.exp(-6.0))] * 2, abs=1e-6)


def test_model_relations_rejects_missing_features():
    with pytest.raises(ValueError, match="lacks columns"):
        model_relations(pd.DataFrame({"char_containment": [0.5]}), one_feature_model())


def test_unquoted_words_leave_out_quotations():
    assert unquoted_words('Kirby said “more sanctions are coming” on Friday') == ["kirby", "said", "on", "friday"]


def test_features_of_a_copy_a_stranger_and_a_shared_quotation():
    same = relation_features(SOURCE, SOURCE)
    assert same["char_containment"] == 1.0
    assert same["log_words_a"] == pytest.approx(np.log1p(len(unquoted_words(SOURCE))), abs=1e-6)
    assert relation_features("ab cd ef gh.", "xy zw qr st.")["char_containment"] == 0.0
    # A quotation shared word for word is not evidence of copying.
    quote = "“Las obras costaron dos millones y duraron siete meses enteros”"
    shared_quote = relation_features(f"La alcaldesa dijo ayer {quote}.", f"Un vecino leyó {quote} en voz alta.")
    assert shared_quote["char_containment"] < CHAR_CONTAINMENT_MIN
    assert relation_features(text_profile(COPY), text_profile(SOURCE)) == relation_features(COPY, SOURCE)


def test_shipped_model_on_written_spanish_texts():
    features = pd.DataFrame([relation_features(a, SOURCE) for a in (COPY, UNRELATED)])
    assert model_relations(features)["relation"].tolist() == ["wholly_derived", "independent"]
    model = relation_model.load_model()
    assert model["held_out"]["derived_f1"] > model["held_out"]["baseline_all_derived_f1"]


def test_overlap_pairs_routes_non_english_pairs_to_the_model():
    docs = corpus(SOURCE, COPY, UNRELATED)
    pairs = overlap_pairs(docs, shared_passages(docs)).set_index(["doc_a", "doc_b"])
    assert (pairs["rule"] == "any_language").all()
    assert pairs["derived_probability"].between(0, 1).all()
    assert tuple(pairs.loc[("d1", "d0"), ["relation", "basis"]]) == ("wholly_derived", "shared_text")
    assert tuple(pairs.loc[("d2", "d0"), ["relation", "basis"]]) == ("independent", "none")
    english = docs.assign(language="en")
    routed = overlap_pairs(english, shared_passages(english))
    assert (routed["rule"] == "english").all() and routed["derived_probability"].isna().all()
    mixed = docs.assign(language=["en", "es", "es"])
    rules = overlap_pairs(mixed, shared_passages(mixed)).set_index(["doc_a", "doc_b"])["rule"]
    assert rules[("d0", "d1")] == rules[("d1", "d0")] == "any_language"
