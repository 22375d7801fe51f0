"""The query language: Whoosh's, checked strictly, with dates and filters of our own.

Whoosh forgives everything (``foo:bar`` silently becomes two words, ``"open`` a term),
so a query is checked first: unknown fields, unbalanced quotes, brackets or
parentheses and dangling operators are errors with a message, not surprises. Dates
are numbers (YYYYMMDD) and ``date:2018``, ``date:2018-04``, ``date:2018-04-26`` and
``date:[2018-04-01 to 2018-05-01]`` are rewritten to numeric ranges here, because
Whoosh's own date parser reads such ranges as whole years.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable

from whoosh import qparser
from whoosh.query import And, FuzzyTerm, NullQuery, NumericRange, Or, Query, Term

from tui.analysis.rules import fold
from tui.index.model import ENTITY_FACETS, FACETS, FIELD_ALIASES, QUERY_FIELDS, QueryError


_QUOTED = re.compile(r'"[^"]*"')
_FIELD = re.compile(r"(?<![\w\-.:])([^\W\d][\w]*):")  # "issue:kp:x": kp is the value
_DATE_TERM = re.compile(r"(?<![\w\-.])date:(\[[^\]]*\]|\{[^}]*\}|\(|[^\s()]+)", re.IGNORECASE)
_EMPTY_FIELD = re.compile(r"(?<![\w\-.:])([^\W\d]\w*):(?=\s|\)|$)")
_LEADING_WILDCARD = re.compile(r"(?:^|[\s(:])[*?]")
_BOOST = re.compile(r"\^([^\s()]*)")
_SIGN = re.compile(r"(?:^|[\s(])[+\-](?=[\w\"(])")
MAX_FUZZY_DISTANCE = 2
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_FIRST_YEAR, _LAST_YEAR = 1000, 2999
_OPERATOR = re.compile(r"^(AND|OR|NOT|ANDNOT|ANDMAYBE)$")


def canonical_field(name: str) -> str:
    lowered = name.lower()
    return FIELD_ALIASES.get(lowered, lowered)


def parse_query(text: str, schema) -> Query:
    """A Whoosh query for ``text`` over titles and bodies; QueryError when it cannot be run."""
    text = " ".join(text.split())
    if not text:
        raise QueryError("the query is empty")
    _check_balance(text)
    _check_terms(text)
    rewritten = _rewrite_fields(_rewrite_dates(text))
    _check_operators(rewritten)
    parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.PlusMinusPlugin)  # "-" is a hyphen in news ("U.S.-Mexico")
    try:
        query = parser.parse(rewritten)
    except Exception as exc:  # noqa: BLE001 - Whoosh's parser fails in many ways on odd input
        raise QueryError(f"cannot read this query ({type(exc).__name__})") from None
    if query is None or query is NullQuery:
        raise QueryError(f"nothing to search for in {text!r}")
    return query.accept(_bounded_fuzziness)


def _bounded_fuzziness(query: Query) -> Query:
    """``word~9`` would match the whole vocabulary and take minutes: at most 2 edits,
    and the first letter must match ("goverment~" must not find "over")."""
    if isinstance(query, FuzzyTerm):
        query.maxdist = min(query.maxdist, MAX_FUZZY_DISTANCE)
        query.prefixlength = max(query.prefixlength, 1)
    return query


def _check_terms(text: str) -> None:
    """What Whoosh would accept but answer wrongly or slowly."""
    outside = _QUOTED.sub("Q", text)  # a phrase is a value: person:"jesus seade"
    empty = _EMPTY_FIELD.search(outside)
    if empty:
        raise QueryError(f"{empty.group(1)}: needs a value, e.g. {empty.group(1)}:word")
    if _LEADING_WILDCARD.search(outside):
        raise QueryError("a word cannot start with * or ? (it would search every word): type a few letters first")
    for boost in _BOOST.finditer(outside):
        try:
            value = float(boost.group(1))
        except ValueError:
            raise QueryError(f"^{boost.group(1)[:12]}: a boost is a number, e.g. word^2") from None
        if not 0 < value <= 100:
            raise QueryError(f"^{boost.group(1)[:12]}: a boost must be above 0 and at most 100")
    if re.search(r"(?<!\w)NOT\s+NOT(?!\w)", outside):
        raise QueryError("NOT NOT: say it once")
    if _SIGN.search(outside):
        raise QueryError("+word and -word are not supported: use AND and NOT")


def _check_balance(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError('a quotation mark (") is not closed')
    outside = _QUOTED.sub(" ", text)
    for opening, closing, name in (("(", ")", "parenthesis"), ("[", "]", "bracket"), ("{", "}", "brace")):
        depth = 0
        for ch in outside:
            depth += (ch == opening) - (ch == closing)
            if depth < 0:
                raise QueryError(f"a closing {name} {closing!r} has no opening one")
        if depth:
            raise QueryError(f"an opening {name} {opening!r} is not closed")


def _rewrite_fields(text: str) -> str:
    """Check every ``field:`` outside quotes and replace aliases (``org:``) by names."""
    pieces = []
    last = 0
    for quoted in list(_QUOTED.finditer(text)) + [None]:
        end = quoted.start() if quoted else len(text)
        pieces.append(_FIELD.sub(_field_name, text[last:end]))
        if quoted:
            pieces.append(quoted.group())
            last = quoted.end()
    return "".join(pieces)


def _field_name(match: re.Match) -> str:
    field = canonical_field(match.group(1))
    if field not in QUERY_FIELDS:
        known = ", ".join(sorted({*QUERY_FIELDS, *FIELD_ALIASES}))
        raise QueryError(f"unknown field {match.group(1)!r} (fields: {known}); quote a word with a colon in it")
    return f"{field}:"


def _check_operators(text: str) -> None:
    words = _QUOTED.sub(" x ", text).replace("(", " ( ").replace(")", " ) ").split()
    for i, word in enumerate(words):
        if not _OPERATOR.match(word):
            continue
        before = words[i - 1] if i else None
        after = words[i + 1] if i + 1 < len(words) else None
        if after is None or after == ")" or _OPERATOR.match(after) and after != "NOT":
            raise QueryError(f"{word} needs something after it")
        if word != "NOT" and (before is None or before == "(" or _OPERATOR.match(before)):
            raise QueryError(f"{word} needs something before it")


def _rewrite_dates(text: str) -> str:
    def rewrite(match: re.Match) -> str:
        value = match.group(1)
        if value == "(":
            raise QueryError("date:( … ) is not supported: write date:2018 OR date:2019, or a range date:[2018 to 2019]")
        if value.startswith("{"):  # braces keep their meaning: the ends are excluded
            return f"date:{{{_date_range(value)}}}"
        return f"date:[{_date_range(value)}]"

    return _DATE_TERM.sub(rewrite, text)


def _date_range(value: str) -> str:
    value = value.strip()
    if value[:1] in "[{" and value[-1:] in "]}":
        inner = value[1:-1]
        parts = re.split(r"\s+to\s+", inner.strip(), flags=re.IGNORECASE)
        if len(parts) != 2:
            if inner.strip().endswith(("to", "TO")):
                parts = [inner.strip()[:-2], ""]
            elif inner.strip().lower().startswith("to "):
                parts = ["", inner.strip()[3:]]
            else:
                raise QueryError(f"bad date range {value!r}: write date:[2018-04-01 to 2018-05-01]")
        # Whoosh's parser takes no empty numeric bound, and its numeric ranges go wrong
        # near 2**32 (a high bound of 99991231 matches everything): an open end is
        # the first or last day of the years a date can have.
        low = _date_bounds(parts[0])[0] if parts[0].strip() else f"{_FIRST_YEAR}0101"
        high = _date_bounds(parts[1])[1] if parts[1].strip() else f"{_LAST_YEAR}1231"
        if int(low) > int(high):
            raise QueryError(f"bad date range {value!r}: it ends before it starts")
        return f"{low} TO {high}"
    low, high = _date_bounds(value)
    return f"{low} TO {high}"


def _date_bounds(value: str) -> tuple[str, str]:
    """First and last day (YYYYMMDD) of a year, a month or a day."""
    found = _DATE.match(value.strip().strip('"'))
    if not found:
        raise QueryError(f"bad date {value.strip()!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(found.group(1))
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise QueryError(f"bad date {value.strip()!r}: the year must be between {_FIRST_YEAR} and {_LAST_YEAR}")
    month = int(found.group(2)) if found.group(2) else None
    day = int(found.group(3)) if found.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise QueryError(f"bad date {value.strip()!r}: there is no month {month}")
    if month is None:
        return f"{year}0101", f"{year}1231"
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return f"{year}{month:02}01", f"{year}{month:02}{last:02}"
    if not 1 <= day <= last:
        raise QueryError(f"bad date {value.strip()!r}: that day does not exist")
    return (f"{year}{month:02}{day:02}",) * 2


def parse_filters(filters: Iterable[str]) -> tuple[Query | None, dict[str, list[str]]]:
    """``FIELD:VALUE`` drill-downs: OR within a field, AND across fields.

    Returns the Whoosh filter (None if no filters) and the filters by facet, as given.
    """
    by_field: dict[str, list[str]] = defaultdict(list)
    for item in filters:
        field, sep, value = item.partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].strip()  # only a matching pair: 'BBC "News"' keeps its quotes
        if not sep or not field.strip() or not value:
            raise QueryError(f"bad filter {item!r}: write FIELD:VALUE, e.g. person:\"Robert Lighthizer\"")
        facet = canonical_field(field.strip())
        if facet not in FACETS:
            raise QueryError(f"unknown filter field {field.strip()!r} (fields: {', '.join(FACETS)})")
        if value not in by_field[facet]:
            by_field[facet].append(value)
    clauses = [Or([_filter_term(facet, v) for v in values]) for facet, values in by_field.items()]
    if not clauses:
        return None, {}
    return (clauses[0] if len(clauses) == 1 else And(clauses)), dict(by_field)


def _filter_term(facet: str, value: str) -> Query:
    if facet == "date":
        low, high = _date_bounds(value)
        return NumericRange("date", int(low), int(high))
    if facet == "issue":
        return Term("issue", value.lower())
    if facet in (*ENTITY_FACETS, "source"):
        return Term(f"f_{facet}", fold(value).replace(",", " "))
    raise QueryError(f"cannot filter on {facet!r}")
