"""Reading: files, directories, standard input and JSONL article files turned into articles, and the page
furniture ("Read More", share buttons, comment forms) that is not part of an article's text.

Takes paths; gives :class:`attribution.types.Article`.
Main entry point: :func:`attribution.reading.sources.iter_articles`.
"""
