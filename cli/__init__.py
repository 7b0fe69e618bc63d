"""The ``attribution`` command line: a thin Typer layer over :mod:`attribution` and :mod:`db`."""
