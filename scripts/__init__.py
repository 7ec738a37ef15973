"""Command-line entry points of brainlike-gym (installed as ``brainlike.scripts``)."""
