"""Scale: many articles at once: a pool of worker processes, or a Ray cluster, each worker with its own
Stanza pipeline; the output is the same as one article at a time.

Takes articles; gives :class:`attribution.types.ExtractionResult` objects in input order.
Main entry points: :class:`attribution.scale.pool.WorkerPool`, :mod:`attribution.scale.ray_engine`.
"""
