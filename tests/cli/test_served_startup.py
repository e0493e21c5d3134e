"""A one-page list through a served (``http://127.0.0.1``) profile, run as a user runs it (a
fresh interpreter), pays only for what it uses: no CA certificates are read (no TLS
connection is made), the catalog is not built (the request reads its own operation), only
the work zone models are imported and the only page model built is the one it shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from served_cli import cli_env

from ofsc_cli.sandbox import ServerHandle

RUN = """
import json, ssl, sys
reads = []
original = ssl.SSLContext.load_verify_locations
def recording(self, *args, **kwargs):
    reads.append(repr(args or kwargs))
    return original(self, *args, **kwargs)
ssl.SSLContext.load_verify_locations = recording
from ofsc_cli.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    assert not done.code, done.code
from ofsc_cli.catalog import load_catalog
from ofsc_cli.models import Page
facts = {
    "ca_reads": reads,
    "catalog_built": load_catalog.cache_info().currsize,
    "pages": sorted(c.__name__ for c in Page.__subclasses__()),
    "family_models": sorted(m for m in sys.modules if m.startswith("ofsc_cli.models.")),
}
print(json.dumps(facts), file=sys.stderr)
"""


def _run(server: ServerHandle, tmp_path: Path, *args: str) -> tuple[str, dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFSC_")}
    env |= {k: v for k, v in cli_env(server, tmp_path).items() if v is not None}
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_a_served_one_page_list_pays_only_for_what_it_uses(
    sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    stdout, facts = _run(sandbox_server, tmp_path, "metadata", "work-zones", "list", "-o", "json")
    labels = [zone["workZoneLabel"] for zone in json.loads(stdout)]
    assert labels and len(labels) == len(set(labels))
    assert facts["ca_reads"] == []
    assert facts["catalog_built"] == 0
    assert facts["pages"] == ["Page[WorkZone]"]
    # Of the models, the work zone ones only (not the other metadata ones, nor other families).
    assert facts["family_models"] == [
        "ofsc_cli.models._base",
        "ofsc_cli.models._metadata",
        "ofsc_cli.models._metadata._common",
        "ofsc_cli.models._metadata.work_zones",
        "ofsc_cli.models._responses",
        "ofsc_cli.models.metadata",
        "ofsc_cli.models.refs",
    ]
