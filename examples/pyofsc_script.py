"""A pyOFSC 2.x script running unchanged through the compatibility layer ``ofsc_cli.compat``.

    python examples/pyofsc_script.py                          # the sandbox
    python examples/pyofsc_script.py -p prod --resource TECH1
    OFSC_CLIENT_SECRET=... python examples/pyofsc_script.py --company acme --client-id ofsc-cli

:func:`report` and :func:`connect` are written as for pyOFSC 2.x: ``OFSC(clientID=...,
secret=..., companyName=..., baseUrl=...)``, ``metadata.get_workzones(offset=..., limit=...,
response_type=OBJ_RESPONSE)`` paged by hand, ``core.get_resource(...)`` giving a ``dict``
(``response_type=FULL_RESPONSE``: the HTTP response), and 2.x's exception names; only the
import line changed (``from ofsc import ...`` became ``from ofsc_cli.compat import ...``).
Each 2.x method warns once (a ``DeprecationWarning`` on stderr) naming the ofsc method to
move to.

With ``--company`` the client is made the 2.x way, from ``--client-id``, ``--company``,
``--base-url`` and ``OFSC_CLIENT_SECRET``; otherwise from the profile (``--profile``, default
``sandbox``), by wrapping the ofsc client of that profile (``client=``).

Output: one line per work zone (``label<TAB>status``), then ``resource ID: STATUS NAME``.
Exit status: 0; 5 when the resource does not exist; 1 for another API error; 3 for a bad
profile or a missing secret.
"""

from __future__ import annotations

import argparse
import os
import sys

from ofsc_cli import OFSC as Client
from ofsc_cli import OFSConfigurationError
from ofsc_cli.compat import FULL_RESPONSE, OBJ_RESPONSE, OFSC, OFSAPIException, OFSCNotFoundError


def report(instance: OFSC, resource_id: str) -> None:
    """The 2.x part: every work zone, page by page, then one resource's HTTP answer."""
    offset, limit = 0, 100
    while True:
        zones = instance.metadata.get_workzones(
            offset=offset, limit=limit, response_type=OBJ_RESPONSE
        )
        for zone in zones.items:
            print(f"{zone.workZoneLabel}\t{zone.status}")
        offset += len(zones.items)
        if not zones.items or offset >= (zones.totalResults or 0):
            break
    resource = instance.core.get_resource(resource_id)  # a dict; OFSCNotFoundError on a 404
    response = instance.core.get_resource(resource_id, response_type=FULL_RESPONSE)
    print(f"resource {resource_id}: {response.status_code} {resource['name']}")


def connect(args: argparse.Namespace) -> OFSC:
    """The 2.x client: made as 2.x made it, or around the profile's ofsc client."""
    if args.company:
        secret = os.environ.get("OFSC_CLIENT_SECRET")
        if not secret:
            raise OFSConfigurationError("set OFSC_CLIENT_SECRET (the application's secret)")
        return OFSC(
            clientID=args.client_id, secret=secret, companyName=args.company, baseUrl=args.base_url
        )
    client = Client.from_profile(args.profile)
    return OFSC(
        clientID=client.client_id or "", secret="", companyName=client.instance, client=client
    )


def main(argv: list[str] | None = None) -> int:
    """Run the example with the command-line arguments ``argv``; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-p", "--profile", default="sandbox", help="default: sandbox")
    parser.add_argument("--resource", default="TECH-0001", help="default: TECH-0001")
    parser.add_argument("--company", help="2.x's companyName (then no profile is used)")
    parser.add_argument("--client-id", default="ofsc-cli", help="2.x's clientID")
    parser.add_argument("--base-url", help="2.x's baseUrl (default: the company's)")
    args = parser.parse_args(argv)
    try:
        with connect(args) as instance:
            report(instance, args.resource)
    except OFSConfigurationError as exc:
        print(f"pyofsc_script: {exc}", file=sys.stderr)
        return 3
    except OFSCNotFoundError as exc:  # 2.x's names still catch what they caught
        print(f"pyofsc_script: not found: {exc}", file=sys.stderr)
        return 5
    except OFSAPIException as exc:
        print(f"pyofsc_script: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
