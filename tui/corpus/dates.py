"""Dates as sources give them, normalised to ISO 8601 (``YYYY-MM-DD``)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d",
    "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y",
    "%d %B %Y", "%d %b %Y", "%A, %B %d, %Y", "%a, %b %d, %Y",
)
_EPOCH_RANGE = (0, 4_102_444_800)  # 1970 .. 2100, in seconds


def parse_date(value: object) -> str | None:
    """ISO date for a string, epoch number or date object; None if it is not a date."""
    parsed = _parse(value)
    if parsed is None or not 1800 <= parsed.year <= 2200:
        return None
    return parsed.isoformat()


def _parse(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > _EPOCH_RANGE[1] else value  # milliseconds too
        if _EPOCH_RANGE[0] < seconds < _EPOCH_RANGE[1]:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).date()
        return None
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())[:80]
    if not text:
        return None
    iso = re.sub(r"Z$", "+00:00", text)
    try:
        return datetime.fromisoformat(iso).date()
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime  # (10 ms to import: only for a date that needs it)

        return parsedate_to_datetime(text).date()  # RFC 2822, as in RSS
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text).replace("Sept.", "Sep.").replace(".", "")
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None
