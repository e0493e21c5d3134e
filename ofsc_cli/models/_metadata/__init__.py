"""The metadata models, one module per kind of object (see :mod:`ofsc_cli.models.metadata`,
which imports each module only when one of its names is first used)."""
