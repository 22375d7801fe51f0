"""The Whoosh schema: one document per article, one word field and one exact field
per facet. Nothing of the text is stored: passages and facet values come from the
corpus and its analysis in memory, which the index was built from (a third of the
disk, and no stored fields to read when a searcher opens).

- ``body`` / ``title``: stemmed and accent-folded (``tariff`` finds "tariffs", ``Jesus``
  finds "Jesús").
- (the words folded but not stemmed, which "did you mean" suggests from, are a word
  list beside the index: tui/index/vocabulary.py)
- ``person`` … ``source``: the canonical names as folded words, so ``person:lighthizer``
  finds Robert Lighthizer; ``f_person`` …: the exact folded names, for filters.
- ``issue``: issue ids, exact. ``date``: YYYYMMDD as a number (ranges, months, years).
"""

from __future__ import annotations

import re

from whoosh import fields
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.support.charset import accent_map

from tui.index.model import ENTITY_FACETS, FACETS, FIELD_ALIASES, QUERY_FIELDS, SCHEMA_VERSION  # noqa: F401

# Plain runs of letters and digits: "intellectual-property", "Toronto-based" and
# "Blair's" are found by each part ("property", "Toronto", "Blair"); a phrase query
# finds the whole ("U.S.-Mexico-Canada" as "u s mexico canada").
_WORDS = r"\w+"
WORD = re.compile(_WORDS)  # the same tokens, for code that scans text without the analyzer


def folding_analyzer():
    return RegexTokenizer(_WORDS) | LowercaseFilter() | CharsetFilter(accent_map)


def stemming_analyzer():
    return folding_analyzer() | StemFilter()


def build_schema() -> fields.Schema:
    text = stemming_analyzer()
    words = folding_analyzer()
    schema = fields.Schema(
        uid=fields.ID(stored=True, unique=True),  # the article id
        digest=fields.ID(stored=True),  # what the document was built from
        title=fields.TEXT(analyzer=text, stored=True, field_boost=2.0),
        body=fields.TEXT(analyzer=text, phrase=True),
        issue=fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        date=fields.NUMERIC(int, signed=False),
    )
    for facet in (*ENTITY_FACETS, "source"):
        schema.add(facet, fields.TEXT(analyzer=words, phrase=True))
        schema.add(f"f_{facet}", fields.KEYWORD(commas=True, lowercase=False))
    return schema
