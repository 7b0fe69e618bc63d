"""Writing: extraction results into the store, idempotently (the same article twice is one article), from
one process, a worker pool or Ray.

Takes articles and an extractor; gives an :class:`db.write.ingest.IngestReport`.
Main entry point: :func:`db.write.ingest.ingest`.
"""
