"""Emulator rules for the part-A operations, checked in-process with plain httpx requests."""

from __future__ import annotations

import httpx

from ofsc_cli.sandbox import Emulator

CORE = "/rest/ofscCore/v1"
BULK = f"{CORE}/activities/custom-actions/bulkUpdate"
PENDING = 4200017
COMPLETED = 4200001


def bulk(
    client: httpx.Client, mode: str, items: list[dict[str, object]], **params: object
) -> list[dict[str, object]]:
    body = {"updateParameters": {"ifInFinalStatusThen": mode, **params}, "activities": items}
    response = client.post(BULK, json=body)
    assert response.status_code == 200, response.text
    results: list[dict[str, object]] = response.json()["results"]
    return results


def test_bulk_update_identifies_by_appointment_and_honours_final_status(
    sandbox_client: httpx.Client,
) -> None:
    done = sandbox_client.get(f"{CORE}/activities/{COMPLETED}").json()
    nothing = bulk(
        sandbox_client,
        "doNothing",
        [{"apptNumber": done["apptNumber"], "job_notes": "a"}],
        identifyActivityBy="apptNumber",
    )
    assert nothing[0]["operationsPerformed"] == [] and nothing[0]["warnings"]
    updated = bulk(
        sandbox_client,
        "updateExisting",
        [{"apptNumber": done["apptNumber"], "job_notes": "b"}],
        identifyActivityBy="apptNumber",
    )
    assert updated[0]["operationsPerformed"] == ["update"]
    assert sandbox_client.get(f"{CORE}/activities/{COMPLETED}").json()["job_notes"] == "b"
    created = bulk(
        sandbox_client,
        "createNew",
        [{"apptNumber": done["apptNumber"], "job_notes": "c"}],
        identifyActivityBy="apptNumber",
    )
    assert created[0]["operationsPerformed"] == ["create"]
    assert created[0]["activityKeys"]["activityId"] != str(COMPLETED)  # type: ignore[index]


def test_bulk_update_moves_and_rejects_bad_requests(sandbox_client: httpx.Client) -> None:
    moved = bulk(sandbox_client, "doNothing", [{"activityId": PENDING, "date": "2026-11-29"}])
    assert moved[0]["operationsPerformed"] == ["update", "move"]
    assert sandbox_client.get(f"{CORE}/activities/{PENDING}").json()["date"] == "2026-11-29"
    assert sandbox_client.post(BULK, json={"activities": []}).status_code == 400
    huge = {
        "updateParameters": {"ifInFinalStatusThen": "doNothing"},
        "activities": [{"x": "y" * 5_000_001}],
    }
    assert sandbox_client.post(BULK, json=huge).status_code == 413


def test_patch_refuses_what_actions_change(sandbox_client: httpx.Client) -> None:
    response = sandbox_client.patch(f"{CORE}/activities/{PENDING}", json={"status": "completed"})
    assert response.status_code == 400 and "status" in response.json()["detail"]


def test_file_property_accept_rules_and_ranges(sandbox_client: httpx.Client) -> None:
    url = f"{CORE}/activities/{PENDING}/cust_signature"
    put = sandbox_client.put(url, content=b"0123456789", headers={"Content-Type": "image/png"})
    assert put.status_code == 204
    request = sandbox_client.build_request("GET", url)
    del request.headers["Accept"]  # no Accept header: JSON metadata
    meta = sandbox_client.send(request)
    assert meta.headers["content-type"] == "application/json" and meta.json()["size"] == 10
    whole = sandbox_client.get(url, headers={"Accept": "image/png"})
    assert whole.content == b"0123456789" and whole.headers["accept-ranges"] == "bytes"
    part = sandbox_client.get(
        url, headers={"Accept": "application/octet-stream", "Range": "bytes=4-"}
    )
    assert part.status_code == 206 and part.content == b"456789"
    assert part.headers["content-range"] == "bytes 4-9/10"
    stale = sandbox_client.get(
        url, headers={"Accept": "image/png", "Range": "bytes=4-", "If-Range": '"x"'}
    )
    assert stale.status_code == 200 and stale.content == b"0123456789"
    beyond = sandbox_client.get(url, headers={"Accept": "image/png", "Range": "bytes=99-"})
    assert beyond.status_code == 416
    assert sandbox_client.get(url, headers={"Accept": "text/plain"}).status_code == 406
    assert (
        sandbox_client.put(url, content=b"", headers={"Content-Type": "image/png"}).status_code
        == 400
    )


def test_events_cursor_replay_and_subscription_limit(
    sandbox_client: httpx.Client, emulator: Emulator
) -> None:
    sid = sandbox_client.get(f"{CORE}/events/subscriptions").json()["items"][0]["subscriptionId"]
    first = sandbox_client.get(f"{CORE}/events", params={"subscriptionId": sid, "limit": 5}).json()
    assert len(first["items"]) == 5 and first["found"] is True
    second = sandbox_client.get(
        f"{CORE}/events", params={"subscriptionId": sid, "page": first["nextPage"], "limit": 5}
    ).json()
    replay = sandbox_client.get(
        f"{CORE}/events", params={"subscriptionId": sid, "page": "lastRequested", "limit": 5}
    ).json()
    assert replay["items"] == second["items"] != first["items"]
    bad = sandbox_client.get(f"{CORE}/events", params={"subscriptionId": sid, "page": "zzz"})
    assert bad.status_code == 400
    both = sandbox_client.get(
        f"{CORE}/events",
        params={"subscriptionId": sid, "page": first["nextPage"], "since": "2026-11-01 00:00:00"},
    )
    assert both.status_code == 400
    for n in range(99):
        created = sandbox_client.post(
            f"{CORE}/events/subscriptions", json={"events": ["activityMoved"]}
        )
        assert created.status_code == 200, n
    full = sandbox_client.post(f"{CORE}/events/subscriptions", json={"events": ["activityMoved"]})
    assert full.status_code == 503 and "Found 100" in full.json()["detail"]


def test_daily_extract_shapes(sandbox_client: httpx.Client) -> None:
    folders = sandbox_client.get(f"{CORE}/folders/dailyExtract/folders").json()
    assert folders["name"] == "folders" and folders["folders"]["items"][0]["name"] == "2026-11-01"
    files = sandbox_client.get(f"{CORE}/folders/dailyExtract/folders/2026-11-01/files").json()
    assert {f["name"] for f in files["files"]["items"]} >= {"activities.zip"}


def test_delete_refuses_a_past_activity(sandbox_client: httpx.Client) -> None:
    past_pending = {"activityType": "REPAIR", "resourceId": "TECH-0001", "date": "2026-11-02"}
    created = sandbox_client.post(f"{CORE}/activities", json=past_pending).json()
    response = sandbox_client.delete(f"{CORE}/activities/{created['activityId']}")
    assert response.status_code == 409 and "Past" in response.json()["detail"]
