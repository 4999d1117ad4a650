"""The demo's histories replayed in time order: each project's history is a generator yielding
the time of its next step, and the earliest next step of all of them runs first, so the audit
trail, notices and e-mails come in the order real use would give them."""

import heapq


def starting(when, steps):
    """A history that begins at `when` with steps of its own (the fiche demo's)."""
    yield when
    yield from steps


def replay(clock, histories) -> None:
    """Run the histories interleaved, always the earliest next step first, so the audit trail,
    notices and e-mails come in time order as they would after real use."""
    queue = []

    def resume(index, history):
        when = next(history, None)
        if when is not None:
            heapq.heappush(queue, (when, index, history))

    for index, history in enumerate(histories):
        resume(index, history)
    while queue:
        when, index, history = heapq.heappop(queue)
        clock.set(max(when, clock.now()))
        resume(index, history)
