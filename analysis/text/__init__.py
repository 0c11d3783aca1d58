"""The kit's one text layer: words, paragraphs, sentences, quotation marks, lemmas."""
