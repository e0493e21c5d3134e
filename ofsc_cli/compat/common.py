"""pyOFSC 2.x's ``ofsc.common`` constants: the ``response_type`` values of the sync client.

``TEXT_RESPONSE`` (the body as text), ``FULL_RESPONSE`` (the HTTP response),
``OBJ_RESPONSE`` (the default: a model, a 2.x list, or the JSON body), ``FILE_RESPONSE``
(the body's bytes).
"""

from __future__ import annotations

from ofsc_cli.compat._delegate import FILE_RESPONSE, FULL_RESPONSE, OBJ_RESPONSE, TEXT_RESPONSE

__all__ = ["FILE_RESPONSE", "FULL_RESPONSE", "OBJ_RESPONSE", "TEXT_RESPONSE"]
