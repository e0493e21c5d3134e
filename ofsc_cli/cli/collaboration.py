"""``ofsc collaboration``: the address book and chats."""

from __future__ import annotations

from itertools import islice
from typing import Annotated, Any

import typer

from ofsc_cli.cli._resource import (
    DRY_RUN,
    AllOpt,
    DryRunOpt,
    LimitOpt,
    OffsetOpt,
    execute,
    render_result,
)
from ofsc_cli.cli.api_cmd import read_checked_body
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.context import app as get_app
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.client.api.collaboration import Collaboration

__all__ = ["COMMANDS", "app"]

V1 = "/rest/ofscCollaboration/v1"

COMMANDS: dict[str, str] = {
    f"GET {V1}/addressBook": "ofsc collaboration address-book",
    f"POST {V1}/chats": "ofsc collaboration chats create",
    f"POST {V1}/chats/{{chatId}}/leave": "ofsc collaboration chats leave",
    f"GET {V1}/chats/{{chatId}}/messages": "ofsc collaboration chats messages",
    f"POST {V1}/chats/{{chatId}}/messages": "ofsc collaboration chats send",
    f"GET {V1}/chats/{{chatId}}/participants": "ofsc collaboration chats participants",
    f"POST {V1}/chats/{{chatId}}/participants/invite": "ofsc collaboration chats invite",
}
"""Operation key -> the command that runs it (read by ``ofsc api catalog --coverage``)."""

ChatArg = Annotated[str, typer.Argument(metavar="CHAT_ID", help="Chat id.")]
TextOpt = Annotated[str | None, typer.Option("--text", help="Message text (1-1000 characters).")]
BodyFileOpt = Annotated[
    str | None, typer.Option("--file", "-F", help="Body as JSON or YAML; '-' reads stdin.")
]

app = typer.Typer(help="Address book and chats.", no_args_is_help=True, add_completion=False)
chats_app = typer.Typer(help="Chats: start, read, post, invite, leave.", no_args_is_help=True)
app.add_typer(chats_app, name="chats")


def _list_pages(
    obj: AppContext,
    declared: Any,
    args: tuple[Any, ...],
    *,
    all_: bool,
    limit: int | None,
    offset: int,
    columns: tuple[str, ...],
) -> None:
    """One page, or every item with --all / up to --limit (offset/limit paging)."""
    from ofsc_cli.models import dump

    renderer = obj.renderer(columns)
    if all_ or limit:
        bound = getattr(getattr(obj.client(), declared.spec.namespace), declared.spec.name)
        count = renderer.write_items(
            dump(i) for i in islice(bound.iter(*args, offset=offset), limit)
        )
    else:
        page = execute(obj, declared, *args, offset=offset)
        count = renderer.write_items(dump(i) for i in page.items)
        total = page.totalResults
        if total is not None and offset + count < total:
            obj.info(f"Showing {count} of {total}; use --all for every item or --limit N.")
    if count == 0 and obj.stderr_tty:
        obj.info("no results")


@app.command("address-book")
def address_book_cmd(
    ctx: typer.Context, all_: AllOpt = False, limit: LimitOpt = None, offset: OffsetOpt = 0
) -> None:
    """Users and help desks one can chat with.

    Example: ofsc collaboration address-book --all
    """
    _list_pages(
        get_app(ctx),
        Collaboration.list_address_book,
        (),
        all_=all_,
        limit=limit,
        offset=offset,
        columns=("contactId", "name", "type", "online"),
    )


def _message_body(file: str | None, text: str | None, declared: Any) -> dict[str, Any]:
    if file is not None and text is not None:
        raise UsageError("give either --file or --text, not both")
    if file is not None:
        body = read_checked_body(file, declared)
        if not isinstance(body, dict):
            raise UsageError(f"{file}: expected a JSON object")
        return body
    if text is None:
        raise UsageError("give the message with --text (or a body with --file)")
    return {"text": text}


@chats_app.command("create")
def create_cmd(
    ctx: typer.Context,
    to: Annotated[
        str | None, typer.Option("--to", help="Recipient logins, comma-separated.")
    ] = None,
    text: TextOpt = None,
    file: BodyFileOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Start a chat with a first message.

    Example: ofsc collaboration chats create --to tech0005 --text "Can you call me?"
    """
    from ofsc_cli.cli.capacity import csv_option

    obj = get_app(ctx)
    if file is not None and to is not None:
        raise UsageError("give the recipients in the file or with --to, not both")
    body = _message_body(file, text, Collaboration.create_chat)
    if file is None:
        recipients = csv_option(to, "--to")
        if not recipients:
            raise UsageError("give the recipients with --to LOGIN[,LOGIN…]")
        body["recipients"] = recipients
    render_result(obj, execute(obj, Collaboration.create_chat, body, dry_run=dry_run))


@chats_app.command("leave")
def leave_cmd(ctx: typer.Context, chat_id: ChatArg, dry_run: DryRunOpt = False) -> None:
    """Leave a chat.

    Example: ofsc collaboration chats leave 7001
    """
    obj = get_app(ctx)
    if execute(obj, Collaboration.leave_chat, chat_id, dry_run=dry_run) is not DRY_RUN:
        obj.info(f"left chat {chat_id}")


@chats_app.command("messages")
def messages_cmd(ctx: typer.Context, chat_id: ChatArg) -> None:
    """Every message of a chat.

    Example: ofsc collaboration chats messages 7001
    """
    from ofsc_cli.models import dump

    obj = get_app(ctx)
    result = execute(obj, Collaboration.list_chat_messages, chat_id)
    columns = ("sequenceNumber", "time", "author", "type", "text")
    obj.renderer(columns).write_items(dump(m) for m in result.items)


@chats_app.command("send")
def send_cmd(
    ctx: typer.Context,
    chat_id: ChatArg,
    text: TextOpt = None,
    file: BodyFileOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Post a message to a chat.

    Example: ofsc collaboration chats send 7001 --text "On my way"
    """
    obj = get_app(ctx)
    body = _message_body(file, text, Collaboration.send_chat_message)
    render_result(
        obj, execute(obj, Collaboration.send_chat_message, chat_id, body, dry_run=dry_run)
    )


@chats_app.command("participants")
def participants_cmd(
    ctx: typer.Context,
    chat_id: ChatArg,
    all_: AllOpt = False,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
) -> None:
    """Who takes part in a chat.

    Example: ofsc collaboration chats participants 7001 --all
    """
    _list_pages(
        get_app(ctx),
        Collaboration.list_chat_participants,
        (chat_id,),
        all_=all_,
        limit=limit,
        offset=offset,
        columns=("login", "name", "present", "online", "invitedBy", "leftTime"),
    )


@chats_app.command("invite")
def invite_cmd(
    ctx: typer.Context,
    chat_id: ChatArg,
    login: Annotated[str, typer.Argument(metavar="LOGIN", help="Login of the user to invite.")],
    dry_run: DryRunOpt = False,
) -> None:
    """Invite a user into a chat.

    Example: ofsc collaboration chats invite 7001 tech0012
    """
    obj = get_app(ctx)
    body = {"login": login}
    result = execute(obj, Collaboration.invite_chat_participant, chat_id, body, dry_run=dry_run)
    if result is not DRY_RUN:
        obj.info(f"invited '{login}' into chat {chat_id}")
