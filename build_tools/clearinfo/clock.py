"""The build's date: the one place Clearinfo asks what day it is for anything it writes into the site.

Reproducible builds (https://reproducible-builds.org/specs/source-date-epoch/): when the
SOURCE_DATE_EPOCH environment variable is set (a whole number of seconds since 1 January 1970,
UTC; CI usually sets it to the time of the last commit), every date Clearinfo writes comes from
it, so two builds of the same content give the same files byte for byte, on any day. MkDocs
reads the same variable for the sitemap's dates. Without it the date is today's, so two builds on
the same day still match.

A date, never a time: the pages show dates, and a made file that held the time of day could
never be found again in the cache.
"""
from __future__ import annotations

import datetime as dt
import os

from .errors import EnvironmentProblem

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def source_date() -> dt.date | None:
    """The date SOURCE_DATE_EPOCH names (in UTC, as the specification says), or None when it is not set."""
    raw = os.environ.get(SOURCE_DATE_EPOCH)
    if raw is None or not raw.strip():
        return None
    try:
        seconds = int(raw.strip())
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise EnvironmentProblem(
            f"The environment variable {SOURCE_DATE_EPOCH} is '{raw}', but it must be a whole number of seconds "
            "since 1 January 1970, like 1700000000 (for example: export SOURCE_DATE_EPOCH=$(git log -1 "
            "--format=%ct)). Set it to a number like that, or unset it to use today's date.") from None


def build_date() -> dt.date:
    """The date the build writes wherever it says "today": SOURCE_DATE_EPOCH's when it is set."""
    return source_date() or dt.date.today()
