"""Collaboration API models (``/rest/ofscCollaboration``): address book and chats."""

from __future__ import annotations

from ofsc_cli.models._base import Link, OFSModel

__all__ = [
    "Attachment",
    "Contact",
    "InviteChatRequest",
    "Message",
    "MessageList",
    "Participant",
    "SendMessageRequest",
    "SendMessageResponse",
    "StartChatRequest",
    "StartChatResponse",
]


class Attachment(OFSModel):
    """Something attached to a chat message (its ``type``, id and content)."""

    type: str
    id: str | None = None
    content: dict[str, str] | None = None


class Contact(OFSModel):
    """An entry of the collaboration address book (a user, a group or a helpdesk)."""

    contactId: str | None = None
    name: str | None = None
    type: str | None = None
    online: bool | None = None


class Participant(OFSModel):
    """A participant of a chat, and whether they are online."""

    login: str | None = None
    name: str | None = None
    online: bool | None = None
    present: bool | None = None
    invitedBy: str | None = None
    invitedTime: str | None = None
    leftTime: str | None = None


class Message(OFSModel):
    """One message of a chat."""

    messageId: int | None = None
    sequenceNumber: int | None = None
    type: str | None = None
    author: str | None = None
    text: str | None = None
    time: str | None = None
    attachment: Attachment | None = None


class MessageList(OFSModel):
    """``GET chats/{chatId}/messages`` (every message, no paging parameters)."""

    items: list[Message] = []
    totalResults: int | None = None
    offset: int | None = None
    limit: int | None = None
    direction: str | None = None
    links: list[Link] | None = None


class StartChatRequest(OFSModel):
    """Body of ``POST chats``: the first message and who receives it."""

    documented_values_only = True

    recipients: list[str] | None = None
    text: str | None = None
    helpdesk: int | None = None
    attachment: Attachment | None = None


class StartChatResponse(OFSModel):
    """The chat a ``POST chats`` started."""

    chatId: int | None = None
    type: str | None = None
    startedBy: str | None = None
    startedTime: str | None = None
    participants: list[Link] | None = None


class SendMessageRequest(OFSModel):
    """Body of ``POST chats/{chatId}/messages``: the text to send."""

    documented_values_only = True

    text: str | None = None
    attachment: Attachment | None = None


class SendMessageResponse(OFSModel):
    """The message a ``POST chats/{chatId}/messages`` added."""

    chatId: int | None = None
    messageId: int | None = None
    sequenceNumber: int | None = None
    author: str | None = None
    text: str | None = None
    time: str | None = None


class InviteChatRequest(OFSModel):
    """Body of an invitation to a chat: the ``login`` to invite."""

    documented_values_only = True

    login: str
