"""The request log of the library (``ofsc_cli.client.log``): the records of each attempt, retry,
failure and token fetch over real HTTP against the served emulator (sync and async clients),
the header and body dumps, and the masking rules they follow."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from raw_servers import refused_port
from served_cli import async_client, sync_client

from ofsc_cli.client import OFSC
from ofsc_cli.client.auth import basic_auth_header
from ofsc_cli.client.log import (
    DUMP_LOGGER,
    LOGGER,
    mask_body,
    mask_headers,
    scrub,
)
from ofsc_cli.client.middleware import CallNext
from ofsc_cli.errors import OFSAPIError, OFSConnectionError, OFSRetriesExhaustedError
from ofsc_cli.sandbox import Faults, ServerHandle

ZONES_OP = "GET /rest/ofscMetadata/v1/workZones"


class Records(logging.Handler):
    """Every record of the ``ofsc_cli`` loggers while installed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def events(self, name: str) -> list[dict[str, Any]]:
        return [r.ofsc for r in self.records if getattr(r, "ofsc", {}).get("event") == name]  # type: ignore[attr-defined]


@pytest.fixture
def records() -> Iterator[Records]:
    """Capture at ``level`` (DEBUG, dumps included) on the library's loggers."""
    handler = Records()
    root = logging.getLogger("ofsc_cli")
    dump = logging.getLogger(DUMP_LOGGER)
    saved = root.level, dump.level
    root.setLevel(logging.DEBUG)
    dump.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.setLevel(saved[0])
    dump.setLevel(saved[1])


def _check_response(fields: dict[str, Any], server: ServerHandle, *, status: int = 200) -> None:
    assert fields["method"] == "GET"
    assert fields["url"].startswith(f"{server.url}/rest/ofscMetadata/v1/workZones")
    assert fields["status"] == status
    assert isinstance(fields["duration_ms"], float) and fields["duration_ms"] >= 0
    assert fields["attempt"] == 1
    assert fields["operation"] == ZONES_OP
    assert fields["profile"] == "prod-like"
    assert fields["request_id"] is None  # the emulator sends none


def test_sync_client_logs_request_and_response(
    sandbox_server: ServerHandle, records: Records
) -> None:
    with sync_client(sandbox_server, profile="prod-like") as client:
        client.metadata.list_work_zones()
    (sent,) = records.events("request")
    (answered,) = records.events("response")
    assert sent["attempt"] == 1 and sent["operation"] == ZONES_OP
    _check_response(answered, sandbox_server)
    line = next(r for r in records.records if getattr(r, "ofsc", {}).get("event") == "response")
    assert line.levelno == logging.INFO and line.name == LOGGER
    assert line.getMessage().startswith(f"GET {sandbox_server.url}/rest/ofscMetadata/v1/workZones")
    assert " → 200 OK (" in line.getMessage()
    dumps = records.events("dump")
    assert [d["direction"] for d in dumps] == ["request", "response"]
    assert dumps[0]["headers"]["authorization"] == "Basic ****"
    assert '"items"' in dumps[1]["body"]
    assert all("demo-secret" not in r.getMessage() for r in records.records)


async def test_async_client_logs_the_same_fields(
    sandbox_server: ServerHandle, records: Records
) -> None:
    async with async_client(sandbox_server, profile="prod-like") as client:
        await client.metadata.list_work_zones()
    (answered,) = records.events("response")
    _check_response(answered, sandbox_server)


def test_a_404_is_a_warning_and_the_request_id_is_read(
    sandbox_server: ServerHandle, records: Records
) -> None:
    def stamp(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        response = call_next(request)
        response.headers["X-Request-ID"] = "req-42"
        return response

    with sync_client(sandbox_server, middleware=[stamp]) as client, pytest.raises(OFSAPIError):
        client.metadata.get_work_zone("NO_SUCH_ZONE")
    (answered,) = records.events("response")
    assert answered["status"] == 404 and answered["request_id"] == "req-42"
    assert answered["operation"] == "GET /rest/ofscMetadata/v1/workZones/{label}"
    record = next(r for r in records.records if getattr(r, "ofsc", {}).get("event") == "response")
    assert record.levelno == logging.WARNING


def test_retries_are_logged_with_their_attempt_numbers(
    make_sandbox_server: Any, records: Records
) -> None:
    # Every second request is refused with a 429 (Retry-After 0): the 2nd call is retried.
    server = make_sandbox_server(
        faults=Faults(rate_limit_every=2, rate_limit_burst=1, retry_after=0)
    )
    with sync_client(server, sleep=lambda s: None) as client:
        client.metadata.list_work_zones()
        client.metadata.list_work_zones()
    answers = records.events("response")
    assert [(a["status"], a["attempt"]) for a in answers] == [(200, 1), (429, 1), (200, 2)]
    (retry,) = records.events("retry")
    assert retry["attempt"] == 2 and retry["max_attempts"] == 4
    assert retry["reason"] == "HTTP 429 Too Many Requests" and retry["delay_s"] == 0
    assert retry["operation"] == ZONES_OP and retry["method"] == "GET"
    assert [d["attempt"] for d in records.events("dump")] == [1, 1, 1, 1, 2, 2]


def test_connection_failures_are_logged_and_raised(records: Records) -> None:
    with (
        refused_port() as port,
        OFSC(
            "sandbox",
            "demo",
            "demo-secret",
            base_url=f"http://127.0.0.1:{port}",
            max_retries=1,
            retry_backoff=0,
        ) as client,
        pytest.raises(OFSRetriesExhaustedError) as raised,
    ):
        client.metadata.list_work_zones()
    assert isinstance(raised.value.last_error, OFSConnectionError)
    errors = records.events("error")
    assert [e["attempt"] for e in errors] == [1, 2]
    assert {e["error_type"] for e in errors} == {"ConnectError"}
    assert all(e["url"].startswith(f"http://127.0.0.1:{port}/rest/") for e in errors)
    assert records.events("retry")[0]["reason"].startswith("cannot connect")
    assert records.events("response") == []


def test_an_oauth2_token_fetch_is_logged_inside_the_attempt(
    sandbox_server: ServerHandle, records: Records
) -> None:
    with sync_client(sandbox_server, auth="oauth2", profile="prod-like") as client:
        client.metadata.list_work_zones()
        token = client.auth._token.access_token  # type: ignore[attr-defined]
    (fetched,) = records.events("token")
    assert fetched["status"] == 200 and fetched["method"] == "POST"
    assert fetched["url"] == f"{sandbox_server.url}/rest/oauthTokenService/v2/token"
    assert fetched["operation"] == ZONES_OP and fetched["profile"] == "prod-like"
    texts = [r.getMessage() for r in records.records] + [repr(r.__dict__) for r in records.records]
    assert not any(token in text for text in texts)
    bodies = [d["body"] for d in records.events("dump")]
    assert '"access_token": "****"' in bodies[1]  # the token answer
    sent = [d for d in records.events("dump") if d["direction"] == "request"]
    assert [d["headers"]["authorization"] for d in sent] == [
        "Basic ****",
        "Bearer ****",
    ]


def test_nothing_is_recorded_below_the_level_and_the_library_adds_no_output(
    sandbox_server: ServerHandle, records: Records
) -> None:
    logging.getLogger("ofsc_cli").setLevel(logging.WARNING)
    logging.getLogger(DUMP_LOGGER).setLevel(logging.WARNING)
    with sync_client(sandbox_server) as client:
        client.metadata.list_work_zones()
        assert records.records == []
        with pytest.raises(OFSAPIError):
            client.metadata.get_work_zone("NO_SUCH_ZONE")
    assert [r.ofsc["status"] for r in records.records] == [404]  # type: ignore[attr-defined]
    # Python's last-resort handler (stderr) is never used: the logger has a handler.
    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger(LOGGER).handlers)


# -- masking ----------------------------------------------------------------------------


def test_mask_headers_keeps_the_scheme_only() -> None:
    headers = httpx.Headers(
        {
            "Authorization": basic_auth_header("id", "inst", "pw-123456"),
            "Cookie": "session=abcdef",
            "X-Echo": "the pw-123456 again",
            "Accept": "application/json",
        }
    )
    masked = mask_headers(headers, ["pw-123456"])
    assert masked == {
        "authorization": "Basic ****",
        "cookie": "****",
        "x-echo": "the **** again",
        "accept": "application/json",
    }


@pytest.mark.parametrize(
    ("content", "content_type", "shown"),
    [
        (
            b'{"access_token": "tok-1", "nested": [{"client_secret": "s"}], "ok": 1}',
            "application/json",
            '{"access_token": "****", "nested": [{"client_secret": "****"}], "ok": 1}',
        ),
        (
            b"grant_type=client_credentials&assertion=eyJ.x.y&password=p",
            "application/x-www-form-urlencoded",
            "grant_type=client_credentials&assertion=%2A%2A%2A%2A&password=%2A%2A%2A%2A",
        ),
        (b'oops {"token": "abc\\"def" and password=hunter2', "text/plain", None),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png", "<108 bytes of image/png>"),
        (b"", "application/json", ""),
    ],
    ids=["json", "form", "loose-text", "binary", "empty"],
)
def test_mask_body(content: bytes, content_type: str, shown: str | None) -> None:
    text = mask_body(content, content_type)
    if shown is not None:
        assert text == shown
    else:
        assert text == 'oops {"token": "****" and password=****'


def test_mask_body_cuts_long_bodies_after_scrubbing() -> None:
    secret = "s3cret-" * 3
    body = ("x" * 1995 + secret + "y" * 5000).encode()
    text = mask_body(body, "text/plain", [secret])
    assert secret not in text and text.endswith(f"… ({len(body)} bytes)")
    assert len(text) < 2100


def test_scrub_replaces_longest_first_and_ignores_short_strings() -> None:
    assert scrub("abcdef and abc", ["abcdef", "abc"]) == "**** and ****"
    assert mask_headers({"X": "a b c"}, ["a"]) == {"X": "a b c"}  # too short to scrub
