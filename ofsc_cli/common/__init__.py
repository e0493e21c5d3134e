"""Small helpers shared by the library and the configuration, below both of them.

Standard library only, and nothing else of ``ofsc_cli``: every layer may import them
(``tests/test_import_rules.py`` keeps it so).

* :mod:`ofsc_cli.common.urls` — where a client may connect: the one check of a base URL or
  proxy URL, used by the client constructors and by the configuration.
* :mod:`ofsc_cli.common.fs` — private (0700) folders for the token cache and the config file.
"""
