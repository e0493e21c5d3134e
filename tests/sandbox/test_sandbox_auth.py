"""Emulator authentication: Basic, the token service and Bearer tokens."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest

from ofsc_cli.sandbox import Emulator, EmulatorConfig, EmulatorTransport, Store

SANDBOX_AUTH = ("demo@sandbox", "demo-secret")
SANDBOX_BASE_URL = "https://sandbox.fs.ocs.oraclecloud.com"
LANGUAGES = "/rest/ofscMetadata/v1/languages"
TOKEN_V2 = "/rest/oauthTokenService/v2/token"
TOKEN_V1 = "/rest/oauthTokenService/v1/token"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(clock: FakeClock) -> httpx.Client:
    store = Store.open(":memory:", scale=0.05)
    emulator = Emulator(store, EmulatorConfig(token_ttl=2), clock=clock)
    return httpx.Client(transport=EmulatorTransport(emulator), base_url=SANDBOX_BASE_URL)


def error_detail(response: httpx.Response, status: int = 401) -> str:
    assert response.status_code == status
    body = response.json()
    assert body["status"] == str(status)
    return str(body["detail"])


def get_token(client: httpx.Client, url: str = TOKEN_V2, field: str = "access_token") -> str:
    response = client.post(url, data={"grant_type": "client_credentials"}, auth=SANDBOX_AUTH)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 2
    return str(body[field])


def test_no_credentials_is_401(client: httpx.Client) -> None:
    assert "Authentication required" in error_detail(client.get(LANGUAGES))


@pytest.mark.parametrize(
    "auth",
    [
        ("demo@sandbox", "wrong"),
        ("demo@other-instance", "demo-secret"),
        ("someone@sandbox", "demo-secret"),
        ("demo", "demo-secret"),
    ],
)
def test_wrong_basic_credentials_are_401(client: httpx.Client, auth: tuple[str, str]) -> None:
    assert "Invalid client credentials" in error_detail(client.get(LANGUAGES, auth=auth))


def test_malformed_authorization_headers_are_401(client: httpx.Client) -> None:
    error_detail(client.get(LANGUAGES, headers={"Authorization": "Basic !!!"}))
    error_detail(client.get(LANGUAGES, headers={"Authorization": "Digest abc"}))
    error_detail(client.get(LANGUAGES, headers={"Authorization": "Bearer not-a-token"}))


def test_basic_credentials_work(client: httpx.Client) -> None:
    assert client.get(LANGUAGES, auth=SANDBOX_AUTH).status_code == 200


def test_token_v2_then_bearer_until_expiry(client: httpx.Client, clock: FakeClock) -> None:
    token = get_token(client)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get(LANGUAGES, headers=bearer).status_code == 200
    clock.now += 1.9
    assert client.get(LANGUAGES, headers=bearer).status_code == 200
    clock.now += 0.2
    assert "expired" in error_detail(client.get(LANGUAGES, headers=bearer))


def test_token_v1_uses_the_token_field(client: httpx.Client) -> None:
    token = get_token(client, TOKEN_V1, "token")
    assert client.get(LANGUAGES, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_token_service_accepts_basic_only(client: httpx.Client) -> None:
    token = get_token(client)
    response = client.post(
        TOKEN_V2,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert "Basic" in error_detail(response)
    response = client.post(TOKEN_V2, data={"grant_type": "client_credentials"})
    error_detail(response)


def test_token_service_validates_the_grant(client: httpx.Client) -> None:
    assert "grant_type" in error_detail(client.post(TOKEN_V2, data={}, auth=SANDBOX_AUTH), 400)
    bad = client.post(TOKEN_V2, data={"grant_type": "password"}, auth=SANDBOX_AUTH)
    assert "Unsupported" in error_detail(bad, 400)
    jwt = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    no_assertion = client.post(TOKEN_V2, data={"grant_type": jwt}, auth=SANDBOX_AUTH)
    assert "assertion" in error_detail(no_assertion, 400)
    ok = client.post(TOKEN_V2, data={"grant_type": jwt, "assertion": "a.b.c"}, auth=SANDBOX_AUTH)
    assert ok.status_code == 200


def test_tokens_survive_a_new_emulator_on_the_same_file(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "sandbox.db"
    config = EmulatorConfig(token_ttl=2)
    first = Emulator(Store.open(path, scale=0.05), config, clock=clock)
    with httpx.Client(transport=EmulatorTransport(first), base_url=SANDBOX_BASE_URL) as c1:
        token = get_token(c1)
    second = Emulator(Store.open(path), config, clock=clock)
    with httpx.Client(transport=EmulatorTransport(second), base_url=SANDBOX_BASE_URL) as c2:
        response = c2.get(LANGUAGES, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_generated_application_secret_authenticates(sandbox_client: httpx.Client) -> None:
    url = "/rest/ofscMetadata/v1/applications/erp_sync/custom-actions/generateClientSecret"
    secret = sandbox_client.post(url).json()["clientSecret"]
    creds = base64.b64encode(f"erp_sync@sandbox:{secret}".encode()).decode()
    response = sandbox_client.get(LANGUAGES, headers={"Authorization": f"Basic {creds}"}, auth=None)
    assert response.status_code == 200
    wrong = base64.b64encode(b"erp_sync@sandbox:nope").decode()
    response = sandbox_client.get(LANGUAGES, headers={"Authorization": f"Basic {wrong}"}, auth=None)
    assert response.status_code == 401
