"""Who copied whom: candidate pairs, shared passages, embeddings, paraphrase, sentence alignment, derivation."""
