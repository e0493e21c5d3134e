"""Collaboration API operations (``/rest/ofscCollaboration``): address book and chats."""

from __future__ import annotations

from typing import Any

from ofsc_cli.client._endpoint import Args, Namespace, NoContent, X, endpoint, paged
from ofsc_cli.models.collaboration import (
    Contact,
    MessageList,
    Participant,
    SendMessageResponse,
    StartChatResponse,
)

__all__ = ["Collaboration"]

V1 = "/rest/ofscCollaboration/v1"


class Collaboration(Namespace[X]):
    """The Collaboration API (``client.collaboration``)."""

    namespace = "collaboration"

    @paged("GET", f"{V1}/addressBook", item=Contact)
    def list_address_book(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Users and help desks one can chat with, one page (``.iter()`` for all)."""
        return Args(query={"offset": offset, "limit": limit})

    @endpoint("POST", f"{V1}/chats", response=StartChatResponse)
    def create_chat(self, body: Any) -> Args:
        """Start a chat with a first message (``recipients``, ``text``)."""
        return Args(json=body)

    @endpoint("POST", f"{V1}/chats/{{chatId}}/leave", response=NoContent)
    def leave_chat(self, chat_id: int | str) -> Args:
        """Leave a chat."""
        return Args(path={"chatId": chat_id})

    @endpoint("GET", f"{V1}/chats/{{chatId}}/messages", response=MessageList)
    def list_chat_messages(self, chat_id: int | str) -> Args:
        """Every message of a chat."""
        return Args(path={"chatId": chat_id})

    @endpoint("POST", f"{V1}/chats/{{chatId}}/messages", response=SendMessageResponse)
    def send_chat_message(self, chat_id: int | str, body: Any) -> Args:
        """Post a message (``text`` and/or ``attachment``) to a chat."""
        return Args(path={"chatId": chat_id}, json=body)

    @paged("GET", f"{V1}/chats/{{chatId}}/participants", item=Participant)
    def list_chat_participants(
        self, chat_id: int | str, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """Who takes part in a chat, one page (``.iter(chat_id)`` for all)."""
        return Args(path={"chatId": chat_id}, query={"offset": offset, "limit": limit})

    @endpoint("POST", f"{V1}/chats/{{chatId}}/participants/invite", response=NoContent)
    def invite_chat_participant(self, chat_id: int | str, body: Any) -> Args:
        """Invite a user (``{"login": ...}``) into a chat."""
        return Args(path={"chatId": chat_id}, json=body)
