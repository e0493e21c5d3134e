"""``ofsc parts-catalog``, ``ofsc collaboration`` and ``ofsc auth token-v1|v2`` over the
served emulator: each command's happy path and its main error path."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import STRICT
from served_cli import cli_env
from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.sandbox import Emulator, EmulatorConfig, ServerHandle, Store, serve
from ofsc_cli.sandbox.handlers.parts_catalog import CATALOGS, items_collection

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def server(_seeded_store: Store) -> Iterator[ServerHandle]:
    with serve(Emulator(_seeded_store.clone(), EmulatorConfig(strict=STRICT))) as handle:
        yield handle


@pytest.fixture(scope="module")
def ofsc(server: ServerHandle, tmp_path_factory: pytest.TempPathFactory) -> Run:
    env = cli_env(server, tmp_path_factory.mktemp("cfg"))

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(build_app(), list(args), env=env, input=input)

    return run


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def ok(result: Result) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else None


# ----------------------------------------------------------------------------- parts catalog

CATALOG = {
    "name": "Main parts",
    "fieldSchemas": [{"label": "desc", "name": "Description", "searchable": True}],
    "typeSchemas": [{"itemType": "part", "inventoryType": "FILTER"}],
}
ITEM = {"type": "part", "fields": [{"label": "desc", "value": "Air filter"}], "tags": ["hvac"]}


def test_parts_catalog_put_item_put_and_delete(
    ofsc: Run, server: ServerHandle, tmp_path: Path
) -> None:
    store = server.emulator.store
    ok(ofsc("parts-catalog", "put", "MAIN", "en", "--file", write(tmp_path, "c.json", CATALOG)))
    assert store.get(CATALOGS, "MAIN|en") == CATALOG
    ok(
        ofsc(
            "parts-catalog",
            "item",
            "put",
            "MAIN",
            "en",
            "FLT-200",
            "--file",
            write(tmp_path, "i.json", ITEM),
        )
    )
    assert store.get(items_collection("MAIN", "en"), "FLT-200") == ITEM
    deleted = ofsc("parts-catalog", "item", "delete", "MAIN", "en", "FLT-200", "--yes")
    assert deleted.exit_code == 0 and "deleted item 'FLT-200'" in deleted.stderr
    assert store.get(items_collection("MAIN", "en"), "FLT-200") is None
    again = ofsc("parts-catalog", "item", "delete", "MAIN", "en", "FLT-200", "--yes")
    assert again.exit_code == 5


def test_parts_catalog_errors(ofsc: Run, server: ServerHandle, tmp_path: Path) -> None:
    no_catalog = ofsc(
        "parts-catalog", "item", "put", "NONE", "en", "X", "--file", write(tmp_path, "i.json", ITEM)
    )
    assert no_catalog.exit_code == 5
    writes = len(server.emulator.write_log)
    missing = ofsc(
        "parts-catalog",
        "item",
        "put",
        "MAIN",
        "en",
        "X",
        "--file",
        write(tmp_path, "bad.json", {"type": "part"}),
    )
    assert missing.exit_code == 2 and "missing required field 'fields'" in missing.stderr
    unconfirmed = ofsc("parts-catalog", "item", "delete", "MAIN", "en", "X")
    assert unconfirmed.exit_code == 2 and "--yes" in unconfirmed.stderr
    assert len(server.emulator.write_log) == writes


# ----------------------------------------------------------------------------- collaboration


def test_address_book_pages_and_all(ofsc: Run, server: ServerHandle) -> None:
    first = ofsc("collaboration", "address-book", "-o", "json")
    page = ok(first)
    assert len(page) == 10  # the API's default page size
    assert "--all" in first.stderr
    every = ok(ofsc("collaboration", "address-book", "--all", "-o", "json"))
    users = server.emulator.store.count("users")
    assert len(every) == users - 1 + 2  # every user but oneself, and two help desks
    assert every[:10] == page
    assert {c["type"] for c in every} == {"user", "helpdesk"}
    assert len(ok(ofsc("collaboration", "address-book", "--limit", "3", "-o", "json"))) == 3


def test_chat_lifecycle(ofsc: Run, tmp_path: Path) -> None:
    started = ok(
        ofsc("collaboration", "chats", "create", "--to", "tech0005", "--text", "Hi", "-o", "json")
    )
    chat = str(started["chatId"])
    assert started["type"] == "normal" and started["startedBy"] == "admin"
    sent = ok(ofsc("collaboration", "chats", "send", chat, "--text", "On my way", "-o", "json"))
    assert sent["text"] == "On my way" and sent["sequenceNumber"] == 2
    body = write(tmp_path, "m.json", {"text": "From a file"})
    ok(ofsc("collaboration", "chats", "send", chat, "--file", body, "-o", "json"))
    invited = ofsc("collaboration", "chats", "invite", chat, "tech0012")
    assert invited.exit_code == 0, invited.stderr
    people = ok(ofsc("collaboration", "chats", "participants", chat, "--all", "-o", "json"))
    assert [p["login"] for p in people] == ["admin", "tech0005", "tech0012"]
    messages = ok(ofsc("collaboration", "chats", "messages", chat, "-o", "json"))
    assert [m["text"] for m in messages] == [
        "Hi",
        "On my way",
        "From a file",
        "admin invited tech0012",
    ]
    left = ofsc("collaboration", "chats", "leave", chat)
    assert left.exit_code == 0
    twice = ofsc("collaboration", "chats", "leave", chat)
    assert twice.exit_code == 1 and "HTTP 409" in twice.stderr
    after = ofsc("collaboration", "chats", "send", chat, "--text", "still here?")
    assert after.exit_code == 4  # no longer a participant: 403


def test_chat_errors(ofsc: Run, server: ServerHandle, tmp_path: Path) -> None:
    assert ofsc("collaboration", "chats", "messages", "999999").exit_code == 5
    assert ofsc("collaboration", "chats", "create", "--to", "nobody", "--text", "x").exit_code == 5
    started = ok(
        ofsc("collaboration", "chats", "create", "--to", "tech0005", "--text", "Hi", "-o", "json")
    )
    unknown = ofsc("collaboration", "chats", "invite", str(started["chatId"]), "nobody")
    assert unknown.exit_code == 5
    writes = len(server.emulator.write_log)
    no_text = ofsc("collaboration", "chats", "send", str(started["chatId"]))
    assert no_text.exit_code == 2 and "--text" in no_text.stderr
    no_one = ofsc("collaboration", "chats", "create", "--text", "x")
    assert no_one.exit_code == 2
    long_text = write(tmp_path, "long.json", {"text": "x" * 1001})
    too_long = ofsc("collaboration", "chats", "send", str(started["chatId"]), "--file", long_text)
    assert too_long.exit_code == 2 and "longer than 1000" in too_long.stderr
    assert len(server.emulator.write_log) == writes


# ----------------------------------------------------------------------------- token service


@pytest.mark.parametrize(
    ("command", "field"), [("token-v2", "access_token"), ("token-v1", "token")]
)
def test_token_commands_print_the_answer_as_json(ofsc: Run, command: str, field: str) -> None:
    result = ofsc("auth", command)
    answer = ok(result)
    assert answer[field] and answer["token_type"] == "bearer" and answer["expires_in"] > 0
    assert answer[field] not in result.stderr


def test_token_command_bad_input(ofsc: Run, server: ServerHandle) -> None:
    before = server.emulator.stats["requests"]
    bad = ofsc("auth", "token-v2", "--grant-type", "password")
    assert bad.exit_code == 2 and "client_credentials" in bad.stderr
    jwt = ofsc("auth", "token-v2", "--grant-type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
    assert jwt.exit_code == 2 and "--assertion" in jwt.stderr
    assert server.emulator.stats["requests"] == before


# ----------------------------------------------------------------------------- dry runs


def test_item_delete_dry_run_asks_nothing_and_sends_nothing(
    ofsc: Run, server: ServerHandle
) -> None:
    before = server.emulator.stats["requests"]
    result = ofsc("parts-catalog", "item", "delete", "MAIN", "en", "FLT-200", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("DELETE ") and "/catalogs/MAIN/en/FLT-200" in result.stdout
    assert "deleted" not in result.stderr
    assert server.emulator.stats["requests"] == before


def test_chat_create_recipients_accumulate(ofsc: Run, server: ServerHandle) -> None:
    before = server.emulator.stats["requests"]
    result = ofsc(
        "collaboration", "chats", "create", "--to", "tech0005", "--to", "tech0012,tech0013",
        "--text", "Hi", "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout.split("\n\n", 1)[1])
    assert body == {"text": "Hi", "recipients": ["tech0005", "tech0012", "tech0013"]}
    both = ofsc("collaboration", "chats", "send", "1", "--text", "x", "--file", "-", input="{}")
    assert both.exit_code == 2 and "not both" in both.stderr
    assert server.emulator.stats["requests"] == before


def test_token_dry_run_sends_nothing_and_shows_no_secret(ofsc: Run, server: ServerHandle) -> None:
    before = server.emulator.stats["requests"]
    result = ofsc("auth", "token-v2", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("POST ") and "/oauthTokenService/v2/token" in result.stdout
    assert "demo-secret" not in result.stdout + result.stderr
    assert server.emulator.stats["requests"] == before
