"""Who said what: direct quotes and "according to" reported speech, with speakers.

Works on the article text, its sentences and the model's name mentions. A speaker is
stored as candidate mention spans (nearest first); the corpus-wide resolver later
takes the first that is a person or an organisation, so "he said" goes to the last
named person even where the model mistyped that person's surname.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tui.analysis.mentions import HONORIFICS, RawMention
from tui.corpus import Paragraph

_MARKS = re.compile(r"“|”|‘‘|’’|``|''|\"")
_OPENERS = {"“", "‘‘", "``"}
_CLOSERS = {"”", "’’", "''"}
_VERBS = (
    r"said|says|say|told|tells|added|adds|asked|asks|stated|states|noted|notes|wrote|writes|"
    r"explained|insisted|argued|warned|continued|replied|tweeted|declared|remarked|stressed|"
    r"acknowledged|conceded|predicted|cautioned|urged|suggested|commented|announced|recalled|"
    r"explains|argues|warns|insists|admitted|admits|claimed|claims|revealed|reveals|confirmed|confirms|"
    r"described|branded|dubbed|labelled|labeled|termed|called|joked|responded|concluded|"
    r"according to"
)
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_VERB_AFTER = re.compile(rf"(?:,[^,.“”\"]{{0,80}},)?\s+(?:also\s+|then\s+|later\s+)?(?:{_VERBS})\b")
_PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
_ATTRIBUTION_REACH = 200  # characters on either side of a quote searched for its speaker
_PRONOUN_CANDIDATES = 20
# Between a subject and its verb: an abbreviation in brackets, an apposition between commas.
_APPOSED_TO_VERB = re.compile(r"(?:\s*\([^()“”\"]{1,30}\))?(?:\s*,[^,“”\"]{1,100},)?\s*(?:has |had |also |then )?$")
_TITLE = rf"(?:{HONORIFICS}|Lord|Lady)"  # ("Lord Falconer said": a peer's title names a person here)
_HONORIFIC = re.compile(rf"\s+{_TITLE}\.?\s+")
_RECENT_REACH = 600  # characters: "he" refers to someone named in about the last two paragraphs
# What may stand between a sentence's start and its subject's name.
_SUBJECT = re.compile(
    r"(?:^|[.!?][\"”’]?\s+|\n\s*)(?:(?:But|And|However,|Meanwhile,|So|Yet|Now|Then)\s+)?"
    rf"(?:{_TITLE}\.?\s+)?$"
)
# Model types that can name a speaker (a mistyped surname is often ORG or GPE, never NORP).
_SPEAKER_MODEL_TYPES = ("person", "organization", "place")


@dataclass(slots=True)
class QuoteCandidate:
    start: int
    end: int
    speakers: list[tuple[int, int]] = field(default_factory=list)  # mention spans, best first
    kind: str = "direct"  # or "reported"


def find_quotes(
    text: str,
    paragraphs: Sequence[Paragraph],
    sentences: Sequence[tuple[int, int]],
    mentions: Sequence[RawMention],
) -> list[QuoteCandidate]:
    spans = {p: list(_quoted_spans(text, p)) for p in paragraphs}
    inside = [(start, end) for found in spans.values() for start, end, _, _ in found]
    # A name inside a quotation is what was said, never who said it.
    names = sorted(
        (m for m in mentions if m.type in _SPEAKER_MODEL_TYPES and not any(s <= m.start < e for s, e in inside)),
        key=lambda m: m.start,
    )
    starts = [m.start for m in names]
    sentence_starts = [s for s, _ in sentences]
    found: list[QuoteCandidate] = []
    recent: QuoteCandidate | None = None  # the last quote given a speaker, for "he said"
    for paragraph in paragraphs:
        previous: QuoteCandidate | None = None
        run_on: list[QuoteCandidate] = []  # quotes left open by the next quote's opening mark
        if recent is not None and recent.start < paragraph.start - _RECENT_REACH:
            recent = None
        last_close = paragraph.start
        for start, end, open_at, close_at in spans[paragraph]:
            quote = QuoteCandidate(start, end)
            sentence = _sentence_at(sentences, sentence_starts, close_at - 1)
            after = text[close_at : min(max(sentence[1], close_at + 40), close_at + _ATTRIBUTION_REACH)]
            opening = _sentence_at(sentences, sentence_starts, open_at)
            # never reach back past the previous quote: its attribution is its own
            before_start = max(opening[0], open_at - _ATTRIBUTION_REACH, last_close)
            last_close = close_at
            quote.speakers = (
                ([] if _ends_sentence(text, end, close_at) else _speaker_after(after, close_at, names, starts, text, recent))
                or _speaker_before(text[before_start:open_at], before_start, names, starts, text, recent)
            )
            if not quote.speakers and previous is not None and previous.speakers:
                quote.speakers = list(previous.speakers)  # “A,” he said. “B.”
            if not quote.speakers:  # "Dias told reporters … . The U.S. wants …, and “…”"
                quote.speakers = _paragraph_speaker(text, paragraph.start, open_at, names, starts)
            if not quote.speakers and previous is None and recent is not None and open_at == _first_mark(text, paragraph):
                quote.speakers = list(recent.speakers)  # a paragraph that opens with a quote goes on with the last speaker
            if quote.speakers:
                found.append(quote)
                recent = quote
                for earlier in run_on:  # "“A. “B,” X added": A ran on into B, both X's
                    earlier.speakers = list(quote.speakers)
                    found.append(earlier)
                run_on = []
            elif close_at < paragraph.end and text[close_at - 1] not in "”\"'’":
                run_on.append(quote)
            else:
                run_on = []
            previous = quote
    found.sort(key=lambda q: q.start)
    found.extend(_reported_speech(text, sentences, names, starts, found))
    return found


def _quoted_spans(text: str, paragraph: Paragraph):
    """(content start, content end, opening mark start, closing mark end) per quote.

    A straight quote opens after a space or a bracket and closes after a letter or
    punctuation, as typesetters decide it; only when that says nothing does it toggle.
    So an unbalanced paragraph (a quote running on to the next one) does not pair the
    closing mark of one quote with the opening mark of the next.
    """
    open_at = None
    content_start = None
    for mark in _MARKS.finditer(text, paragraph.start, paragraph.end):
        symbol = mark.group()
        if symbol == '"':
            before = text[mark.start() - 1] if mark.start() > paragraph.start else " "
            after = text[mark.end()] if mark.end() < paragraph.end else " "
            opens = before.isspace() or before in "([{—–-" if not after.isspace() else False
            closes = not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-")
            if opens == closes:  # no clue from the neighbours
                opens = open_at is None
        else:
            opens = symbol in _OPENERS
        if opens:
            if open_at is not None:  # "… over ID cards. "The Tories …": the first ran on unclosed
                span = _trimmed(text, content_start, mark.start())
                if span:
                    yield span[0], span[1], open_at, mark.start()
            open_at, content_start = mark.start(), mark.end()
        elif open_at is not None:
            span = _trimmed(text, content_start, mark.start())
            if span:
                yield span[0], span[1], open_at, mark.end()
            open_at = None
    if open_at is not None:  # the quote runs on past the paragraph's end
        span = _trimmed(text, content_start, paragraph.end)
        if span:
            yield span[0], span[1], open_at, paragraph.end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] in ",.":  # the comma or stop before the closing mark
        end -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 2 or not any(ch.isalpha() for ch in text[start:end]):
        return None
    return start, end


def _sentence_at(sentences, sentence_starts, position: int) -> tuple[int, int]:
    index = bisect.bisect_right(sentence_starts, position) - 1
    if 0 <= index < len(sentences):
        return sentences[index]
    return (max(0, position - _ATTRIBUTION_REACH), position + _ATTRIBUTION_REACH)


_ROLE = re.compile(r"\b[Tt]he ((?:[a-z]+ ){0,2}[a-z]{4,})\s*$")
_ADVERBS = re.compile(r"(?:,?\s+(?:meanwhile|also|later|earlier|today|yesterday|then|however|[a-z]+ly),?)+\s*$")


def _role_holder(text: str, before_verb: str, names, starts, position: int) -> list[tuple[int, int]]:
    """"The foreign secretary said": the person the article named with that role
    ("Foreign Secretary Jack Straw"), the last before ``position``."""
    role = _ROLE.search(_ADVERBS.sub(" ", before_verb))
    if role is None:
        return []
    words = role.group(1).split()
    titled = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\s+$", re.IGNORECASE)
    for mention in reversed(_mentions_in(names, starts, 0, position)):
        if mention.type == "person" and titled.search(text, max(0, mention.start - 60), mention.start):
            return [_span(mention)]
    return []


def _first_mark(text: str, paragraph: Paragraph) -> int:
    mark = _MARKS.search(text, paragraph.start, paragraph.end)
    return mark.start() if mark and not text[paragraph.start : mark.start()].strip() else -1


def _ends_sentence(text: str, end: int, close_at: int) -> bool:
    """The quotation ends its sentence (`… to spare". He said` / `… excess." Sir Digby
    added`): what follows it attributes the next one, not this one."""
    after = text[close_at : close_at + 3]
    if re.match(r"\s*[.!?]", after):
        return True
    return re.search(r"[.!?]", text[end:close_at]) is not None and re.match(r"\s+[A-Z]", after) is not None


def _speaker_after(window: str, offset: int, names, starts, text: str, recent) -> list[tuple[int, int]]:
    """`,” Lighthizer said` / `,” said Adam Austen` / `,” he told reporters` /
    `," Jerry Dias, head of Unifor, …, said` / `,” according to a letter from … Coalition`."""
    lead = _mentions_starting(names, starts, offset, offset + 4)
    if lead:  # a name right after the quote, then (perhaps an apposition and) a verb
        rest = window[lead[0].end - offset :]
        if re.match(rf"(?:,[^“”\"]{{0,160}}?,)?\s+(?:{_VERBS})\b", rest):
            return [_span(lead[0])]
    verb = _VERB.search(window)
    if not verb or window[: verb.start()].count(" ") > 6 or re.search(r"[“”\"]", window[: verb.start()]):
        return []
    named = _mentions_in(names, starts, offset, offset + verb.start())
    if named:
        return [_span(named[-1])]
    if _PRONOUN.search(window[: verb.start()]):
        return _preceding_names(names, starts, offset, text, recent)
    holder = _role_holder(text, window[: verb.start()], names, starts, offset)
    if holder:
        return holder
    if verb.start() <= 3:  # "said Adam Austen, a spokesman …", "according to a letter from X"
        reach = 3 if verb.group() != "according to" else 70
        honorific = _HONORIFIC.match(window, verb.end())  # "said Mr Gerolami"
        if honorific:
            reach = honorific.end() - verb.end() + 1
        following = _mentions_starting(names, starts, offset + verb.end(), offset + verb.end() + reach)
        if following:
            # "said HVB analyst Peter-Thilo Halser": the person after the job, not the firm
            nearby = _mentions_starting(names, starts, following[0].start, following[0].start + 40)
            person = next((m for m in nearby if m.type == "person"), None)
            if person is not None and not re.search(r"[,.;“”\"]", window[following[0].start - offset : person.start - offset]):
                return [_span(person)]
            return [_span(following[0])]
    return []


def _speaker_before(window: str, offset: int, names, starts, text: str, recent) -> list[tuple[int, int]]:
    """`Freeland said Thursday they’ve made “…` / `Seade said: “…`."""
    verbs = list(_VERB.finditer(window))
    if not verbs:
        return []
    verb = verbs[-1]
    subject_from = offset + max(0, verb.start() - 40)
    named = _mentions_in(names, starts, subject_from, offset + verb.start())
    if not named:  # "The Conseil Superieur de l'Audiovisuel (CSA), the French regulator, said:"
        named = [m for m in _mentions_in(names, starts, offset, offset + verb.start())
                 if _APPOSED_TO_VERB.match(text[m.end : offset + verb.start()])][-1:]
    if named:
        last = named[-1]
        if last.type != "person" and re.match(r"\s+[a-z]", text[last.end : last.end + 2]):
            # "Mr Balls, … to stand as a Labour candidate …, had suggested": a name used as a
            # modifier is not the subject; the person the sentence opens with is
            subject = next((m for m in _mentions_in(names, starts, offset, offset + verb.start())
                            if m.type == "person" and _is_subject(text, m)), None)
            if subject is not None:
                return [_span(subject)]
        return [_span(last)]
    if _PRONOUN.search(window[max(0, verb.start() - 12) : verb.start()]):
        return _preceding_names(names, starts, offset + verb.start(), text, recent)
    holder = _role_holder(text, window[max(0, verb.start() - 50) : verb.start()], names, starts, offset + verb.start())
    if holder:
        return holder
    if verb.group() == "according to":
        following = _mentions_in(names, starts, offset + verb.end(), offset + len(window))
        if following:
            return [_span(following[0])]
    return []


def _paragraph_speaker(text: str, start: int, end: int, names, starts) -> list[tuple[int, int]]:
    """The last "NAME said/told" earlier in the paragraph, outside quotation marks."""
    for verb in reversed(list(_VERB.finditer(text, start, end))):
        named = _mentions_in(names, starts, max(start, verb.start() - 40), verb.start())
        if named and not re.search(r"[“”\"]", text[named[-1].end : verb.start()]):
            return [_span(named[-1])]
    return []


def _reported_speech(text, sentences, names, starts, direct) -> list[QuoteCandidate]:
    """`…, according to Jerry Dias` with no quotation marks: the clause is the quote."""
    quoted = [(q.start, q.end) for q in direct]
    found = []
    for start, end in sentences:
        sentence = text[start:end]
        hit = re.search(r",\s+according to\s+", sentence)
        if not hit or any(start <= s < end for s, _ in quoted):
            continue
        source = _mentions_starting(names, starts, start + hit.end(), start + hit.end() + 3)
        if not source:
            continue
        span = _trimmed(text, start, start + hit.start() + 1)
        if span:
            found.append(QuoteCandidate(span[0], span[1], [_span(source[0])], kind="reported"))
    return found


def _mentions_in(names, starts, begin: int, end: int) -> list[RawMention]:
    i = bisect.bisect_left(starts, begin)
    result = []
    while i < len(names) and names[i].start < end:
        if names[i].end <= end:
            result.append(names[i])
        i += 1
    return result


def _mentions_starting(names, starts, begin: int, end: int) -> list[RawMention]:
    return names[bisect.bisect_left(starts, begin) : bisect.bisect_left(starts, end)]


def _preceding_names(names, starts, position: int, text: str, recent: QuoteCandidate | None) -> list[tuple[int, int]]:
    """Who "he" or "she" is, best first: a person who became the subject of a sentence
    after the last quote (the name opens the sentence, or a speech verb follows it: "…,
    Dias told reporters"); else the last quote's speaker; else an earlier subject nearby;
    else the nearest names. "He" is rarely whoever was named last in passing."""
    i = bisect.bisect_left(starts, position)
    nearest = list(reversed(names[max(0, i - _PRONOUN_CANDIDATES) : i]))
    subjects = [m for m in nearest if m.type == "person" and position - m.start <= _RECENT_REACH and _is_subject(text, m)]
    since = recent.end if recent is not None else -1
    order = [_span(m) for m in subjects if m.start > since]
    if recent is not None and recent.speakers:
        order.append(recent.speakers[0])
    order += [_span(m) for m in subjects if m.start <= since]
    order += [_span(m) for m in nearest]
    return list(dict.fromkeys(order))


def _is_subject(text: str, mention: RawMention) -> bool:
    return (_SUBJECT.search(text, max(0, mention.start - 30), mention.start) is not None
            or _VERB_AFTER.match(text, mention.end) is not None)


def _span(mention: RawMention) -> tuple[int, int]:
    return (mention.start, mention.end)
