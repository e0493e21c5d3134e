"""Follow an event subscription: one line per event, for N seconds or N events, or until Ctrl-C.

    python examples/event_follower.py --once                   # the sandbox: what is waiting
    python examples/event_follower.py SUBSCRIPTION -p prod --seconds 600
    python examples/event_follower.py --max-events 100 --state ./cursor.json

The library's follower (:class:`ofsc_cli.client.events.EventFollower`, what ``ofsc core
events follow`` runs) asks ``GET events`` page after page and waits ``--poll`` seconds when
it has caught up.  Each page is printed, then its cursor saved to the state file (default:
the one ``ofsc core events follow`` keeps for this profile and subscription), so the next
run starts right after the last event printed: nothing is skipped, nothing repeated.
Without SUBSCRIPTION the first subscription of the application is followed.

Each line is ``time<TAB>eventType<TAB>activityId<TAB>resourceId`` (empty when an event has
none), the time as the API sent it.  It stops after ``--seconds`` (default: never),
``--max-events`` (exactly that many are printed and committed), when caught up with
``--once``, or on Ctrl-C: the page being read is finished, printed and saved first, then it
exits 130.  Other exit statuses: 0 when a limit was reached, 1 when a request fails, 2 for
bad arguments or an unusable state file, 3 for a bad profile, 5 when there is no such
subscription.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ofsc_cli import OFSC, OFSConfigurationError, OFSError, OFSValidationError
from ofsc_cli.client.events import CursorFile, EventFollower, default_state_path

PAGE_SIZE = 100


def line_of(event: dict[str, Any]) -> str:
    """One tab-separated line for ``event``."""
    details = event.get("activityDetails") or event.get("resourceDetails") or {}
    cells = (
        event.get("time"),
        event.get("eventType"),
        details.get("activityId"),
        details.get("resourceId"),
    )
    return "\t".join("" if v is None else str(v) for v in cells)


def main(argv: list[str] | None = None) -> int:
    """Run the example with the command-line arguments ``argv``; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("subscription", nargs="?", help="default: the first subscription")
    parser.add_argument("-p", "--profile", default="sandbox", help="default: sandbox")
    parser.add_argument("--seconds", type=float, help="stop after this long")
    parser.add_argument("--max-events", type=int, help="stop after this many events")
    parser.add_argument("--once", action="store_true", help="stop when caught up")
    parser.add_argument("--poll", type=float, default=5.0, help="seconds between empty pages")
    parser.add_argument("--state", type=Path, help="the cursor file")
    args = parser.parse_args(argv)
    if args.max_events is not None and args.max_events < 1:
        parser.error("--max-events: at least 1")
    deadline = None if args.seconds is None else time.monotonic() + args.seconds
    printed = 0
    interrupted = threading.Event()

    def on_ctrl_c(signum: int, frame: Any) -> None:
        if interrupted.is_set():
            raise KeyboardInterrupt  # a second Ctrl-C: stop at once
        interrupted.set()

    def should_stop() -> bool:
        if interrupted.is_set():
            return True
        if args.max_events is not None and printed >= args.max_events:
            return True
        return deadline is not None and time.monotonic() >= deadline

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        with OFSC.from_profile(args.profile) as client:
            subscription = args.subscription
            if subscription is None:
                subscriptions = client.core.list_event_subscriptions().items
                if not subscriptions:
                    print("event_follower: this application has no subscription", file=sys.stderr)
                    return 5
                subscription = subscriptions[0].subscriptionId
            state = CursorFile(
                args.state or default_state_path(args.profile, subscription), subscription
            )
            follower = EventFollower(
                client,
                subscription,
                state=state,
                once=args.once,
                poll_interval=args.poll,
                limit=min(PAGE_SIZE, args.max_events or PAGE_SIZE),
                should_stop=should_stop,
            )
            print(f"following {subscription} (cursor: {state.path})", file=sys.stderr)
            for batch in follower:
                for event in batch.events:
                    print(line_of(event))
                sys.stdout.flush()
                follower.commit(batch)  # written: the next run starts after these
                printed += len(batch.events)
                if args.max_events is not None:  # never fetch more than is left to print
                    follower.limit = max(1, min(PAGE_SIZE, args.max_events - printed))
    except KeyboardInterrupt:  # a second Ctrl-C: at most the page being printed comes again
        print(f"event_follower: interrupted after {printed} events", file=sys.stderr)
        return 130
    except OFSValidationError as exc:  # an unusable state file (or a 400 from the server)
        print(f"event_follower: {exc}", file=sys.stderr)
        return 2 if exc.status_code is None else 1
    except OFSConfigurationError as exc:
        print(f"event_follower: {exc}", file=sys.stderr)
        return 3
    except OFSError as exc:
        print(f"event_follower: {exc}", file=sys.stderr)
        return 5 if exc.is_not_found else 1
    finally:
        signal.signal(signal.SIGINT, previous)
    print(f"{printed} events", file=sys.stderr)
    return 130 if interrupted.is_set() else 0


if __name__ == "__main__":
    sys.exit(main())
