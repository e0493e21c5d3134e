"""Collaboration API: the address book (users and help desks) and chats.

The sandbox acts as the user ``admin`` (the seed's administrator): it starts chats, sends
messages and leaves.  Chats are stored in ``chats`` (with their participants) and messages
in the sub-collection ``chatMessages:<chatId>``.  Address book and participants page with
``offset``/``limit`` (default 10, at most 100).
"""

from __future__ import annotations

import zlib
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers._common import bad_request, conflict, not_found, paged
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.seed import today_of
from ofsc_cli.sandbox.store import sub

__all__ = ["ACTOR", "HELPDESKS"]

V1 = "/rest/ofscCollaboration/v1"
ACTOR = "admin"
CHATS = "chats"
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_TEXT = 1000
HELPDESKS = (
    {"contactId": "HD_DISPATCH", "name": "Dispatch help desk", "type": "helpdesk", "online": True},
    {
        "contactId": "HD_WAREHOUSE",
        "name": "Warehouse help desk",
        "type": "helpdesk",
        "online": False,
    },
)


def _now(call: Call) -> str:
    count = call.store.next_id("chatClock")
    minutes = 9 * 60 + count
    return f"{today_of(call.store).isoformat()} {minutes // 60 % 24:02d}:{minutes % 60:02d}:00"


def _online(login: str) -> bool:
    return zlib.crc32(login.encode()) % 3 == 0


def _page_args(call: Call) -> tuple[int, int]:
    offset = call.int_arg("offset", 0) or 0
    limit = call.int_arg("limit") or DEFAULT_LIMIT
    return offset, min(limit, MAX_LIMIT)


def _page(call: Call, docs: list[dict[str, Any]]) -> Response:
    offset, limit = _page_args(call)
    return paged(call, docs[offset : offset + limit], len(docs), offset, limit)


@route("GET", f"{V1}/addressBook")
def get_address_book(call: Call) -> Response:
    contacts: list[dict[str, Any]] = [
        {
            "contactId": u["login"],
            "name": u.get("name"),
            "type": "user",
            "online": _online(u["login"]),
        }
        for u in call.store.items("users")
        if u.get("login") != ACTOR and u.get("status", "active") == "active"
    ]
    contacts.extend(dict(h) for h in HELPDESKS)
    return _page(call, contacts)


def _user(call: Call, login: Any) -> dict[str, Any]:
    if not isinstance(login, str) or not login:
        raise bad_request("A user login is required.")
    doc = call.store.get("users", login)
    if doc is None:
        raise not_found("user", login)
    return dict(doc)


def _participant(call: Call, login: str, invited_by: str | None, when: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "login": login,
        "name": _user(call, login).get("name"),
        "online": _online(login),
        "present": True,
        "invitedTime": when,
    }
    if invited_by:
        entry["invitedBy"] = invited_by
    return entry


def _text(body: dict[str, Any], required: bool) -> str | None:
    text = body.get("text")
    if text is None:
        if required:
            raise bad_request("'text' is required.")
        return None
    if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
        raise bad_request(f"'text' must be 1 to {MAX_TEXT} characters.")
    return text


def _chat(call: Call) -> dict[str, Any]:
    chat = call.store.get(CHATS, call.param("chatId"))
    if chat is None:
        raise not_found("chat", call.param("chatId"))
    return dict(chat)


def _require_present(chat: dict[str, Any]) -> None:
    me = next((p for p in chat["participants"] if p["login"] == ACTOR), None)
    if me is None or not me.get("present"):
        raise OFSHTTPError(403, "Forbidden", f"'{ACTOR}' is not a participant of this chat.")


def _add_message(
    call: Call, chat_id: int, text: str | None, attachment: Any, kind: str = "message"
) -> dict[str, Any]:
    message_id = call.store.next_id("chatMessageId")
    collection = sub("chatMessages", chat_id)
    message: dict[str, Any] = {
        "messageId": message_id,
        "sequenceNumber": call.store.count(collection) + 1,
        "type": kind,
        "author": ACTOR,
        "time": _now(call),
    }
    if text is not None:
        message["text"] = text
    if attachment is not None:
        message["attachment"] = attachment
    call.store.put(collection, message_id, message)
    return message


def _attachment(body: dict[str, Any]) -> Any:
    attachment = body.get("attachment")
    if attachment is not None and (
        not isinstance(attachment, dict)
        or attachment.get("type") not in ("activity", "resource", "inventory", "image")
    ):
        raise bad_request("'attachment.type' must be activity, resource, inventory or image.")
    return attachment


@route("POST", f"{V1}/chats")
def start_chat(call: Call) -> Response:
    body = call.json_object()
    recipients = body.get("recipients")
    if not isinstance(recipients, list) or not recipients:
        raise bad_request("'recipients' must list at least one login.")
    attachment = _attachment(body)
    text = _text(body, required=attachment is None)
    with call.store.transaction():
        when = _now(call)
        people = [_participant(call, ACTOR, None, when)]
        people += [
            _participant(call, str(login), ACTOR, when) for login in dict.fromkeys(recipients)
        ]
        chat_id = call.store.next_id("chatId", start=7001)
        chat = {
            "chatId": chat_id,
            "type": "normal" if len(people) == 2 else "conference",
            "startedBy": ACTOR,
            "startedTime": when,
            "participants": people,
        }
        call.store.put(CHATS, chat_id, chat)
        _add_message(call, chat_id, text, attachment)
    base = call.request.base_url.rstrip("/")
    answer = {k: v for k, v in chat.items() if k != "participants"}
    answer["participants"] = [
        {"rel": "related", "href": f"{base}{V1}/chats/{chat_id}/participants"}
    ]
    return Response.json(answer, status=201)


@route("POST", f"{V1}/chats/{{chatId}}/leave")
def leave_chat(call: Call) -> Response:
    with call.store.transaction():
        chat = _chat(call)
        me = next((p for p in chat["participants"] if p["login"] == ACTOR), None)
        if me is None or not me.get("present"):
            raise conflict(f"'{ACTOR}' has already left this chat.")
        me["present"] = False
        me["leftTime"] = _now(call)
        call.store.put(CHATS, chat["chatId"], chat)
    return Response.no_content()


@route("GET", f"{V1}/chats/{{chatId}}/messages")
def get_messages(call: Call) -> Response:
    chat = _chat(call)
    messages = call.store.items(sub("chatMessages", chat["chatId"]))
    return Response.json(
        {
            "items": messages,
            "totalResults": len(messages),
            "offset": 0,
            "limit": len(messages),
            "direction": "asc",
        }
    )


@route("POST", f"{V1}/chats/{{chatId}}/messages")
def send_message(call: Call) -> Response:
    body = call.json_object()
    attachment = _attachment(body)
    text = _text(body, required=attachment is None)
    with call.store.transaction():
        chat = _chat(call)
        _require_present(chat)
        message = _add_message(call, chat["chatId"], text, attachment)
    answer = {"chatId": chat["chatId"], **{k: v for k, v in message.items() if k != "type"}}
    return Response.json(answer, status=201)


@route("GET", f"{V1}/chats/{{chatId}}/participants")
def get_participants(call: Call) -> Response:
    return _page(call, list(_chat(call)["participants"]))


@route("POST", f"{V1}/chats/{{chatId}}/participants/invite")
def invite(call: Call) -> Response:
    body = call.json_object()
    login = body.get("login")
    with call.store.transaction():
        chat = _chat(call)
        _require_present(chat)
        _user(call, login)
        existing = next((p for p in chat["participants"] if p["login"] == login), None)
        if existing is not None and existing.get("present"):
            raise conflict(f"'{login}' already takes part in this chat.")
        when = _now(call)
        entry = _participant(call, str(login), ACTOR, when)
        if existing is not None:
            chat["participants"].remove(existing)
        chat["participants"].append(entry)
        chat["type"] = "conference" if len(chat["participants"]) > 2 else chat["type"]
        call.store.put(CHATS, chat["chatId"], chat)
        _add_message(call, chat["chatId"], f"{ACTOR} invited {login}", None, "notification")
    return Response.no_content()
