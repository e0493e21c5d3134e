"""Metadata API: plugins (``plugins/custom-actions/import``, ``plugins/{pluginLabel}/
custom-actions/install``).

An import takes a multipart body with a ``pluginFile`` XML file and stores every
``<plugin label="...">`` in it (existing labels are updated); an install takes one of the
:data:`STANDARD_PLUGINS` (404 otherwise) once (409 ``LABEL_NOT_UNIQUE`` for a label that
exists).
"""

from __future__ import annotations

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    conflict,
    not_found,
)
from ofsc_cli.sandbox.handlers.metadata import PREFIX
from ofsc_cli.sandbox.router import Call, route

__all__ = ["STANDARD_PLUGINS"]


#: Plugins the sandbox offers to ``POST plugins/{pluginLabel}/custom-actions/install``.
STANDARD_PLUGINS = ("barcode_scanner", "route_summary", "signature_pad", "parts_lookup")


def _multipart_file(call: Call, field: str) -> bytes:
    from email import policy
    from email.parser import BytesParser

    content_type = call.request.header("content-type", "") or ""
    if (
        not content_type.lower().startswith("multipart/form-data")
        or "boundary=" not in content_type
    ):
        raise OFSHTTPError(415, None, "Expected a multipart/form-data body with a boundary.")
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + call.request.body
    )
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == field:
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    raise bad_request(f"The multipart body has no '{field}' file.")


@route("POST", f"{PREFIX}/plugins/custom-actions/import")
def import_plugins(call: Call) -> Response:
    """Store every ``<plugin label="…">`` of the uploaded XML (existing labels are updated)."""
    import xml.etree.ElementTree as ET

    data = _multipart_file(call, "pluginFile")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise bad_request(f"The plugin file is not valid XML: {exc}.") from None
    labels = [
        el.get("label") for el in root.iter() if el.tag.endswith("plugin") and el.get("label")
    ]
    if not labels:
        raise bad_request("The plugin file holds no <plugin label=...> element.")
    with call.store.transaction():
        for label in labels:
            call.store.put("plugins", str(label), {"label": label, "source": "import"})
    return Response.no_content()


@route("POST", f"{PREFIX}/plugins/{{pluginLabel}}/custom-actions/install")
def install_plugin(call: Call) -> Response:
    label = call.param("pluginLabel")
    if label not in STANDARD_PLUGINS:
        raise not_found("standard plugin", label)
    with call.store.transaction():
        if call.store.get("plugins", label) is not None:
            raise conflict(
                f"A plugin labelled '{label}' already exists.",
                **{"o:errorCode": "LABEL_NOT_UNIQUE"},
            )
        call.store.put("plugins", label, {"label": label, "source": "standard"})
    return Response.no_content()
