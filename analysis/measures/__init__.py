"""Per-document measures: readability and named entities."""
