"""Bad-input corpus, class "transport": servers that answer garbage, bodies that cannot be
decoded, connections refused, unusable proxies and CA bundles.

A garbled answer (an illegal status or header line, HTTP/2 bytes, no answer at all, a body cut
short, bad chunking, a bad ``Content-Length``) or a refused connection is a network error:
exit 6 after the retries.  A well-formed answer whose body cannot be decoded (corrupt gzip or
deflate) is a bad response: exit 1, not retried.  Through every kind of command: a single GET,
a write, the OAuth2 token service, the exports (``--all``, ``api --paginate``) and ``auth
token``.  A proxy URL that is not one, or a ``ca_bundle`` that is missing, empty, not PEM or a
directory, is a configuration error: exit 3, nothing sent.  Never a traceback, one line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from bad_inputs import Case, check
from raw_servers import DECODING, PROTOCOL, RawServer, refused_port

from ofsc_cli.sandbox import ServerHandle

API, CONFIG, NETWORK = 1, 3, 6
FAST = {"OFSC_RETRY_BACKOFF": "0.001", "OFSC_MAX_RETRY_DELAY": "0.01"}
Setup = Callable[[Path], dict[str, str]]
URLS: dict[str, str] = {}
"""Server name -> base URL, filled by the module fixture before any case runs."""


@pytest.fixture(scope="module", autouse=True)
def _servers() -> Iterator[None]:
    with ExitStack() as stack:
        for name, answer in {**PROTOCOL, **DECODING}.items():
            URLS[name] = stack.enter_context(RawServer(answer)).url
        URLS["eager"] = stack.enter_context(RawServer(PROTOCOL["binary-garbage"], eager=True)).url
        port = stack.enter_context(refused_port())
        URLS["refused"] = f"http://127.0.0.1:{port}"
        yield
    URLS.clear()


def to(server: str, **env: str) -> Setup:
    """A setup pointing the command at one of the servers (``{url}`` in values too)."""

    def setup(tmp_path: Path) -> dict[str, str]:
        url = URLS[server]
        return {"OFSC_BASE_URL": url, **{k: v.format(url=url) for k, v in env.items()}}

    return setup


def zone_file(server: str) -> Setup:
    """Write a work zone body and point at the server."""

    def setup(tmp_path: Path) -> dict[str, str]:
        body = {"workZoneLabel": "Z", "workZoneName": "Z", "status": "active", "travelArea": "t"}
        (tmp_path / "zone.json").write_text(json.dumps(body))
        return {"OFSC_BASE_URL": URLS[server]}

    return setup


SINGLE = ("metadata", "work-zones", "list")
COMMANDS: dict[str, tuple[str, ...]] = {
    "get": ("core", "resources", "get", "R1"),
    "api": ("api", "GET", "/ofscCore/v1/users"),
    "all": ("core", "resources", "list", "--all", "-q"),
    "paginate": ("api", "/ofscCore/v1/users", "--paginate", "-q"),
    "export": (
        "core", "activities", "list", "--resources", "ROOT", "--date-from", "2026-11-01",
        "--date-to", "2026-11-03", "--all", "-q",
    ),
}  # fmt: skip

CASES: list[Case] = []

# Every garbled answer, for a single GET (both auth methods: the token service is hit first).
for name in PROTOCOL:
    CASES.append(Case(f"garbled-{name}", SINGLE, NETWORK, setup=to(name), env=FAST))
    CASES.append(
        Case(
            f"garbled-{name}-oauth2", SINGLE, NETWORK, setup=to(name, OFSC_AUTH="oauth2"), env=FAST
        )
    )
for name in DECODING:
    CASES.append(Case(f"undecodable-{name}", SINGLE, API, setup=to(name), env=FAST))
    CASES.append(
        Case(
            f"undecodable-{name}-oauth2", SINGLE, API, setup=to(name, OFSC_AUTH="oauth2"), env=FAST
        )
    )

# Every kind of command, against one server of each class and a refused connection.
for verb, argv in COMMANDS.items():
    for name, code in (("binary-garbage", NETWORK), ("truncated-body", NETWORK)):
        CASES.append(Case(f"{verb}-{name}", argv, code, setup=to(name), env=FAST))
    CASES.append(Case(f"{verb}-corrupt-gzip", argv, API, setup=to("corrupt-gzip"), env=FAST))
    CASES.append(Case(f"{verb}-refused", argv, NETWORK, setup=to("refused"), env=FAST))
# Without --quiet an export says on stderr how it retries: one line per retry, then the error.
for verb in ("all", "paginate", "export"):
    argv = tuple(a for a in COMMANDS[verb] if a != "-q")
    CASES.append(
        Case(
            f"{verb}-refused-retries-shown",
            argv,
            NETWORK,
            setup=to("refused"),
            env=FAST,
            one_line=False,
            stderr_has="retrying GET",
        )
    )

CASES += [
    # Writes: a POST is not resent after a broken answer; a DELETE is.
    Case(
        "create-garbled",
        ("metadata", "work-zones", "create", "--file", "zone.json"),
        NETWORK,
        setup=zone_file("bad-status-line"),
        env=FAST,
    ),
    Case(
        "create-undecodable",
        ("metadata", "work-zones", "create", "--file", "zone.json"),
        API,
        setup=zone_file("corrupt-deflate"),
        env=FAST,
    ),
    Case(
        "api-delete-no-response",
        ("api", "DELETE", "/ofscCore/v1/resources/R1/workSkills/S1"),
        NETWORK,
        setup=to("no-response"),
        env=FAST,
    ),
    # The token service directly.
    Case(
        "auth-token-garbled",
        ("auth", "token"),
        NETWORK,
        setup=to("binary-garbage", OFSC_AUTH="oauth2"),
    ),
    Case(
        "auth-token-undecodable",
        ("auth", "token"),
        API,
        setup=to("corrupt-gzip", OFSC_AUTH="oauth2"),
    ),
    Case("auth-token-refused", ("auth", "token"), NETWORK, setup=to("refused", OFSC_AUTH="oauth2")),
    # TLS spoken to a server that does not: the handshake fails.
    Case(
        "https-to-a-plain-server",
        SINGLE,
        NETWORK,
        setup=lambda tmp: {"OFSC_BASE_URL": URLS["eager"].replace("http:", "https:")},
        env=FAST,
    ),
    # Proxies: not a proxy URL (exit 3, nothing sent), a dead one, one answering garbage.
    *(
        Case(f"proxy-invalid-{n}", SINGLE, CONFIG, env={"OFSC_PROXY": url}, stderr_has="proxy")
        for n, url in (
            ("scheme", "ftp://proxy.example.com"),
            ("no-scheme", "proxy.example.com:3128"),
            ("no-host", "http://"),
            ("port", "http://proxy.example.com:99999"),
            ("spaces", "http://proxy example.com"),
        )
    ),
    Case(
        "proxy-password-not-echoed",
        SINGLE,
        CONFIG,
        env={"OFSC_PROXY": "ftp://user:pr0xy-s3cret@proxy.example.com"},
        stderr_has="proxy must be",
    ),
    Case("proxy-refused", SINGLE, NETWORK, setup=to("refused", OFSC_PROXY="{url}"), env=FAST),
    Case(
        "proxy-garbled",
        SINGLE,
        NETWORK,
        setup=lambda tmp: {"OFSC_PROXY": URLS["bad-header-line"]},
        env=FAST,
    ),
    # CA bundles.
    Case(
        "ca-bundle-missing",
        SINGLE,
        CONFIG,
        env={"OFSC_CA_BUNDLE": "no-such-ca.pem"},
        stderr_has="no-such-ca.pem",
    ),
    *(
        Case(
            f"ca-bundle-{n}",
            SINGLE,
            CONFIG,
            setup=setup,
            env={"OFSC_CA_BUNDLE": "ca.pem"},
            stderr_has="ca_bundle ca.pem",
        )
        for n, setup in (
            ("empty", lambda tmp: (tmp / "ca.pem").write_text("") and None),
            ("not-pem", lambda tmp: (tmp / "ca.pem").write_text("hello\n") and None),
            ("directory", lambda tmp: (tmp / "ca.pem").mkdir()),
            (
                "truncated-pem",
                lambda tmp: (
                    (tmp / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\nMIIB\n") and None
                ),
            ),
        )
    ),
    Case(
        "ca-bundle-and-verify-off",
        SINGLE,
        CONFIG,
        env={"OFSC_CA_BUNDLE": "ca.pem", "OFSC_VERIFY_SSL": "false"},
        stderr_has="contradict",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(
    case: Case, sandbox_server: ServerHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # relative file names (zone.json, ca.pem) are the test's
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    check(case, sandbox_server, tmp_path)


def test_the_proxy_password_never_shows(sandbox_server: ServerHandle, tmp_path: Path) -> None:
    from served_cli import Cli

    cli = Cli(sandbox_server, tmp_path, OFSC_PROXY="ftp://user:pr0xy-s3cret@proxy.example.com")
    result = cli("metadata", "work-zones", "list")
    assert result.exit_code == CONFIG and "pr0xy-s3cret" not in result.stderr + result.stdout
