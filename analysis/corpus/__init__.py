"""Reading a corpus folder and cleaning it into the corpus table."""
