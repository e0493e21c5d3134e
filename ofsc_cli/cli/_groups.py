"""Command groups whose "no such command" error names the valid commands."""

from __future__ import annotations

from difflib import get_close_matches

from typer import _click
from typer.core import TyperGroup

__all__ = ["SuggestingGroup"]


class SuggestingGroup(TyperGroup):
    """``No such command 'work-zonez'. Did you mean work-zones?`` — or, when nothing is
    close, the list of valid commands."""

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except _click.exceptions.UsageError as e:
            if args and "Did you mean" not in e.message and "Valid commands" not in e.message:
                names = self.list_commands(ctx)
                matches = get_close_matches(args[0], names)
                hint = (
                    f"Did you mean {', '.join(matches)}?"
                    if matches
                    else f"Valid commands: {', '.join(names)}."
                )
                e.message = f"{e.message.rstrip('.')}. {hint}"
            raise
