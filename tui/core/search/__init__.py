"""Full-text search over a corpus: ``index`` (words, phrases, prefixes) and ``corpus`` (the reader's index, in source offsets)."""
