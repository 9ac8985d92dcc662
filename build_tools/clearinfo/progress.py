"""Progress people can follow on long work (the gate's pages, the PDFs, the audio).

On a terminal: a progress bar with the count and the time left (tqdm). Elsewhere (a CI log, a
file): a plain line every 10 % or every 30 seconds, whichever comes first, and one at the end,
so a log never goes quiet for minutes and never fills with bars.
"""
from __future__ import annotations

import sys
import threading
import time

PLAIN_EVERY_SECONDS = 30
PLAIN_EVERY_FRACTION = 0.10


def _seconds(s: float) -> str:
    s = round(s)
    return f"{s} s" if s < 90 else f"{s // 60} min {s % 60:02d} s"


class Progress:
    """`with Progress("Checking pages", 30) as p: ... p.advance()`. Safe to advance from threads."""

    def __init__(self, label: str, total: int, unit: str = "page", stream=None, clock=time.monotonic):
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream if stream is not None else sys.stderr
        self.clock, self.started = clock, clock()
        self.done = 0
        self._lock = threading.Lock()
        self._said_at, self._said_done = self.started, 0
        self._bar, self._closed = None, False
        if total and _is_terminal(self.stream):
            from tqdm import tqdm
            self._bar = tqdm(total=total, desc=label, unit=unit, file=self.stream, leave=True,
                             bar_format="{desc}: {bar} {n_fmt}/{total_fmt} {unit}s, {elapsed} gone, about {remaining} left")

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            if self._bar is not None:
                self._bar.update(n)
                return
            now = self.clock()
            step = max(1, int(self.total * PLAIN_EVERY_FRACTION))
            if self.done < self.total and (self.done - self._said_done >= step
                                           or now - self._said_at >= PLAIN_EVERY_SECONDS):
                self._say_line(now)

    def _say_line(self, now: float) -> None:
        gone = now - self.started
        left = gone / self.done * (self.total - self.done) if self.done else 0
        plural = self.unit if self.total == 1 else self.unit + "s"
        print(f"  {self.label}: {self.done} of {self.total} {plural} ({100 * self.done // max(1, self.total)} %), "
              f"{_seconds(gone)} gone, about {_seconds(left)} left", file=self.stream, flush=True)
        self._said_at, self._said_done = now, self.done

    def close(self) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.close()
                self._bar = None
            elif self.total and not self._closed:
                gone = self.clock() - self.started
                plural = self.unit if self.total == 1 else self.unit + "s"
                print(f"  {self.label}: {self.done} of {self.total} {plural} in {_seconds(gone)}",
                      file=self.stream, flush=True)
                self._closed = True

    @property
    def seconds(self) -> float:
        return self.clock() - self.started


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def time_table(rows: list[tuple[str, float, str]]) -> str:
    """'Time taken:' and a line for each (step, seconds, what it made), the times lined up: the end
    of a build and of the gate."""
    width = max(len(name) for name, _, _ in rows)
    return "\n".join(["Time taken:"] + [f"  {name:<{width}}  {seconds:7.1f} s  {what}".rstrip()
                                         for name, seconds, what in rows])
