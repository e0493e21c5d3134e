"""``ofsc collaboration``: the address book and chats."""

from __future__ import annotations

from typing import Any

from ofsc_cli.cli.declare import DRY_RUN, Arg, Body, Call, Command, Group, Opt, build
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.client.api.collaboration import Collaboration

__all__ = ["GROUP", "app"]

CHAT = Arg("chat_id", "CHAT_ID", "Chat id.")
TEXT = Opt("--text", help="Message text (1-1000 characters).", to_op=False)
MESSAGE_BODY = Body(schema=True, required=False)


def _message(call: Call) -> dict[str, Any]:
    """The message body: from ``--file`` (checked) or ``--text``, not both."""
    text = call.values["text"]
    if call.file is not None and text is not None:
        raise UsageError("give either --file or --text, not both")
    if call.file is not None:
        body = call.body()
        if not isinstance(body, dict):
            raise UsageError(f"{call.file}: expected a JSON object")
        return body
    if text is None:
        raise UsageError("give the message with --text (or a body with --file)")
    return {"text": text}


def _create(call: Call) -> None:
    recipients = call.values["to"]
    if call.file is not None and recipients is not None:
        raise UsageError("give the recipients in the file or with --to, not both")
    body = _message(call)
    if call.file is None:
        if not recipients:
            raise UsageError("give the recipients with --to LOGIN[,LOGIN…]")
        body["recipients"] = recipients
    call.render(call.execute(None, body))


def _send(call: Call) -> None:
    call.render(call.execute(None, call.values["chat_id"], _message(call)))


def _invite(call: Call) -> None:
    chat_id, login = call.values["chat_id"], call.values["login"]
    result = call.execute(None, chat_id, {"login": login})
    if result is not DRY_RUN:
        call.obj.info(f"invited '{login}' into chat {chat_id}")


GROUP = Group(
    "collaboration",
    "Address book and chats.",
    (
        Command(
            "address-book",
            "Users and help desks one can chat with.",
            (
                "ofsc collaboration address-book",
                "ofsc collaboration address-book --all -o csv",
            ),
            op=Collaboration.list_address_book,
            columns=("contactId", "name", "type", "online"),
            what="contacts",
        ),
        Group(
            "chats",
            "Chats: start, read, post, invite, leave.",
            (
                Command(
                    "create",
                    "Start a chat with a first message.",
                    (
                        'ofsc collaboration chats create --to tech0005 --text "Can you call me?"',
                        "ofsc collaboration chats create --file chat.json",
                    ),
                    op=Collaboration.create_chat,
                    params=(
                        Opt(
                            "--to",
                            help="Recipient logins, comma-separated or repeated.",
                            kind="list",
                            metavar="LOGIN,…",
                            to_op=False,
                        ),
                        TEXT,
                    ),
                    body=MESSAGE_BODY,
                    run=_create,
                ),
                Command(
                    "leave",
                    "Leave a chat.",
                    "ofsc collaboration chats leave 7001",
                    op=Collaboration.leave_chat,
                    params=(CHAT,),
                    done="left chat {chat_id}",
                ),
                Command(
                    "messages",
                    "Every message of a chat.",
                    "ofsc collaboration chats messages 7001",
                    op=Collaboration.list_chat_messages,
                    params=(CHAT,),
                    columns=("sequenceNumber", "time", "author", "type", "text"),
                ),
                Command(
                    "send",
                    "Post a message to a chat.",
                    (
                        'ofsc collaboration chats send 7001 --text "On my way"',
                        "ofsc collaboration chats send 7001 --file message.json",
                    ),
                    op=Collaboration.send_chat_message,
                    params=(CHAT, TEXT),
                    body=MESSAGE_BODY,
                    run=_send,
                ),
                Command(
                    "participants",
                    "Who takes part in a chat.",
                    "ofsc collaboration chats participants 7001 --all",
                    op=Collaboration.list_chat_participants,
                    params=(CHAT,),
                    columns=("login", "name", "present", "online", "invitedBy", "leftTime"),
                    what="participants",
                ),
                Command(
                    "invite",
                    "Invite a user into a chat.",
                    "ofsc collaboration chats invite 7001 tech0012",
                    op=Collaboration.invite_chat_participant,
                    params=(
                        CHAT,
                        Arg("login", "LOGIN", "Login of the user to invite.", to_op=False),
                    ),
                    run=_invite,
                ),
            ),
        ),
    ),
)

app = build(GROUP)
