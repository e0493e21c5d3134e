"""Binary transfers: file properties (upload with a media type, download to disk), daily
extract downloads, resuming partial downloads, restarting stale ones, a full disk and an
unusable download directory."""

from __future__ import annotations

import base64
import errno
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from served_cli import Cli, make_cli, sync_client

import ofsc_cli.client.download as download_module
from ofsc_cli.client import OFSC
from ofsc_cli.client.api.core_activities import CoreActivities
from ofsc_cli.client.download import DownloadError, download, part_path
from ofsc_cli.sandbox import Faults, ServerHandle
from ofsc_cli.sandbox.handlers.daily_extract import extract_content

DAY = "2026-11-02"
ACTIVITY = "4200017"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    return make_sandbox_server()


@pytest.fixture
def cli(server: ServerHandle, tmp_path: Path) -> Cli:
    return make_cli(server, tmp_path)


# -- file properties -----------------------------------------------------------------------------


def test_file_property_upload_download_info_delete(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "signature.png"
    source.write_bytes(PNG)
    stored = cli.ok(
        "core", "activities", "file", "set", ACTIVITY, "cust_signature", "--file", str(source)
    )
    assert "image/png" in stored.stderr
    target = tmp_path / "out" / "sign.png"
    target.parent.mkdir()
    cli.ok(
        "core",
        "activities",
        "file",
        "get",
        ACTIVITY,
        "cust_signature",
        "--output-file",
        str(target),
    )
    assert target.read_bytes() == PNG
    assert not part_path(target).exists()
    info = json.loads(
        cli.ok(
            "core", "activities", "file", "info", ACTIVITY, "cust_signature", "-o", "json"
        ).stdout
    )
    assert info == {
        "name": "cust_signature",
        "mediaType": "image/png",
        "size": len(PNG),
        "fileName": "signature.png",
    }
    cli.ok("core", "activities", "file", "delete", ACTIVITY, "cust_signature", "--yes")
    gone = cli(
        "core",
        "activities",
        "file",
        "get",
        ACTIVITY,
        "cust_signature",
        "--output-file",
        str(target),
    )
    assert gone.exit_code == 5


def test_upload_with_an_explicit_media_type(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "scan.bin"
    source.write_bytes(b"%PDF-1.7 ...")
    cli.ok(
        "core",
        "activities",
        "file",
        "set",
        ACTIVITY,
        "cust_photo_after",
        "--file",
        str(source),
        "--content-type",
        "application/pdf",
    )
    info = json.loads(
        cli.ok(
            "core", "activities", "file", "info", ACTIVITY, "cust_photo_after", "-o", "json"
        ).stdout
    )
    assert info["mediaType"] == "application/pdf"


@pytest.mark.parametrize(
    ("activity", "label"),
    [("1", "cust_signature"), (ACTIVITY, "no_such_property"), (ACTIVITY, "cust_tier")],
)
def test_unknown_activity_or_property_exits_5(
    cli: Cli, tmp_path: Path, activity: str, label: str
) -> None:
    result = cli(
        "core", "activities", "file", "get", activity, label, "--output-file", str(tmp_path / "x")
    )
    assert result.exit_code == 5, result.stderr


# -- daily extract ------------------------------------------------------------------------------


def test_daily_extract_listing_and_download_all(cli: Cli, tmp_path: Path) -> None:
    dates = json.loads(cli.ok("core", "daily-extract", "dates", "-o", "json").stdout)
    assert DAY in [d["name"] for d in dates]
    files = json.loads(cli.ok("core", "daily-extract", "files", DAY, "-o", "json").stdout)
    names = [f["name"] for f in files]
    assert "activities.zip" in names
    target = tmp_path / "extract"
    report = json.loads(
        cli.ok("core", "daily-extract", "download", DAY, "--dir", str(target), "-o", "json").stdout
    )
    assert [r["status"] for r in report] == ["downloaded"] * len(names)
    for name in names:
        assert (target / name).read_bytes() == extract_content(DAY, name)
    again = json.loads(
        cli.ok("core", "daily-extract", "download", DAY, "--dir", str(target), "-o", "json").stdout
    )
    assert [r["status"] for r in again] == ["already there"] * len(names)


def test_daily_extract_errors(cli: Cli, tmp_path: Path) -> None:
    assert cli("core", "daily-extract", "files", "2020-01-01").exit_code == 5
    assert cli("core", "daily-extract", "files", "yesterday").exit_code == 2
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = cli(
        "core", "daily-extract", "download", DAY, "resources.zip", "--dir", str(blocker / "sub")
    )
    assert result.exit_code == 2
    assert "cannot create the directory" in result.stderr
    missing = cli("core", "daily-extract", "download", DAY, "nope.zip", "--dir", str(tmp_path))
    assert missing.exit_code == 5


def _extract(client: OFSC, dest: Path, **kwargs: Any) -> Any:
    return download(
        client, CoreActivities.get_daily_extract_file, DAY, "activities.zip", dest=dest, **kwargs
    )


def test_a_partial_download_is_resumed_with_a_range(server: ServerHandle, tmp_path: Path) -> None:
    content = extract_content(DAY, "activities.zip")
    dest = tmp_path / "activities.zip"
    with sync_client(server) as client:
        first = client.request(
            "GET",
            f"/rest/ofscCore/v1/folders/dailyExtract/folders/{DAY}/files/activities.zip",
            headers={"Accept": "application/octet-stream", "Range": "bytes=0-0"},
        )
        etag = first.headers["ETag"]
        part_path(dest).write_bytes(content[:100_000])
        dest.with_name(dest.name + ".part.json").write_text(json.dumps({"validator": etag}))
        result = _extract(client, dest)
    assert result.resumed_from == 100_000 and not result.restarted
    assert dest.read_bytes() == content


def test_a_stale_partial_download_is_restarted_cleanly(
    server: ServerHandle, tmp_path: Path
) -> None:
    content = extract_content(DAY, "activities.zip")
    dest = tmp_path / "activities.zip"
    part_path(dest).write_bytes(b"old bytes of another file" * 100)
    dest.with_name(dest.name + ".part.json").write_text(json.dumps({"validator": '"stale"'}))
    with sync_client(server) as client:
        result = _extract(client, dest)
    assert result.restarted and result.resumed_from == 0
    assert dest.read_bytes() == content


def test_connections_dropped_mid_body_are_resumed(
    make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    server = make_sandbox_server(faults=Faults(drop_rate=0.5, seed=11))
    dest = tmp_path / "activities.zip"
    with sync_client(server) as client:
        result = _extract(client, dest, attempts=20)
    assert dest.read_bytes() == extract_content(DAY, "activities.zip")
    assert result.size == len(extract_content(DAY, "activities.zip"))
    key = "GET /rest/ofscCore/v1/folders/dailyExtract/folders/{dailyExtractDate}/files/"
    assert server.emulator.request_counts[key + "{dailyExtractFilename}"] > 1  # it did drop


def test_a_full_disk_keeps_the_resumable_part_and_says_so(
    server: ServerHandle, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[int] = []
    real_write = download_module._write_chunk

    def fill_up(fh: Any, chunk: bytes) -> None:
        if sum(written) > 150_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(len(chunk))
        real_write(fh, chunk)

    monkeypatch.setattr(download_module, "_write_chunk", fill_up)
    dest = tmp_path / "extract"
    result = cli("core", "daily-extract", "download", DAY, "activities.zip", "--dir", str(dest))
    assert result.exit_code == 1
    assert "the disk is full" in result.stderr and "is kept in" in result.stderr
    part = part_path(dest / "activities.zip")
    assert part.stat().st_size == sum(written)
    monkeypatch.setattr(download_module, "_write_chunk", real_write)
    report = json.loads(
        cli.ok(
            "core",
            "daily-extract",
            "download",
            DAY,
            "activities.zip",
            "--dir",
            str(dest),
            "-o",
            "json",
        ).stdout
    )
    assert report[0]["status"] == "resumed"
    assert (dest / "activities.zip").read_bytes() == extract_content(DAY, "activities.zip")


def test_a_full_disk_without_range_support_removes_the_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_ranges(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 300_000)  # no Accept-Ranges

    def full(fh: Any, chunk: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(download_module, "_write_chunk", full)
    dest = tmp_path / "f.zip"
    with (
        OFSC("acme", "id", "secret", transport=httpx.MockTransport(no_ranges)) as client,
        pytest.raises(DownloadError) as caught,
    ):
        _extract(client, dest)
    assert "partial file was removed" in str(caught.value)
    assert caught.value.partial is None
    assert not part_path(dest).exists() and not dest.exists()


# -- service requests -----------------------------------------------------------------------------


def test_service_request_create_get_and_file(cli: Cli, tmp_path: Path) -> None:
    body = tmp_path / "sr.json"
    body.write_text(
        json.dumps(
            {
                "activityId": int(ACTIVITY),
                "requestType": "SR",
                "sr_photo": {"mediaType": "image/png", "content": base64.b64encode(PNG).decode()},
            }
        )
    )
    created = json.loads(
        cli.ok("core", "service-requests", "create", "--file", str(body), "-o", "json").stdout
    )
    request_id = str(created["requestId"])
    got = json.loads(cli.ok("core", "service-requests", "get", request_id, "-o", "json").stdout)
    assert got["activityId"] == int(ACTIVITY) and got["requestType"] == "SR"
    target = tmp_path / "photo.png"
    cli.ok(
        "core",
        "service-requests",
        "file",
        "get",
        request_id,
        "sr_photo",
        "--output-file",
        str(target),
    )
    assert target.read_bytes() == PNG
    assert cli("core", "service-requests", "get", "999999").exit_code == 5


def test_service_request_needs_exactly_one_target(cli: Cli, tmp_path: Path) -> None:
    body = tmp_path / "sr.json"
    body.write_text(json.dumps({"activityId": int(ACTIVITY), "resourceId": "TECH-0001"}))
    result = cli("core", "service-requests", "create", "--file", str(body))
    assert result.exit_code == 2
    assert "exactly one" in result.stderr
