"""One canonical entity per real-world thing, across the whole corpus.

The model's mentions are cleaned with the rules of ``aliases.toml`` (titles,
possessives, job-title fragments, names cut short, junk), mapped through its aliases,
and then resolved with corpus-wide evidence:

- a person's full name seen anywhere ("Robert Lighthizer") absorbs the shorter forms
  that end it ("Lighthizer", "Pena Nieto" for "Enrique Pena Nieto") wherever the
  model tagged them as a person or an organisation, and in any type within an
  article that names the person in full;
- spellings differing only in case or accents are one entity, shown in the form with
  accents ("Jesús Seade") and not in capitals ("Mexico City", not "MEXICO CITY");
- every other entity takes the type most of its mentions got across the corpus, with
  a cue word ("labor group Unifor") counting as strong evidence for an organisation;
- a name known in the corpus is a mention wherever it occurs, also where the model
  missed it (except a person's surname alone, which is too often a common word).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from tui.analysis.mentions import NAMED_TYPES, RawMention
from tui.analysis.model import ENTITY_TYPES, Entity, Mention
from tui.analysis.rules import EntityRules, fold
from tui.corpus import Article

_TYPE_RANK = {t: i for i, t in enumerate(ENTITY_TYPES)}
_INNER_POSSESSIVE = re.compile(r"[’']s\s")
_WORD = re.compile(r"\S+")
_CONNECTOR = re.compile(r"\s(?:to|with|and|from|for)\s")
_SPACED_DASH = re.compile(r"\s[-–—]+\s")
# Where a known name may start: a capital not glued to a preceding word. Names are
# indexed by their leading letters and digits ("Unifor" also in "Unifor—be").
_CAPITALISED = re.compile(r"(?<![\w’'\-])[A-Z][A-Za-z0-9]*")
_LEAD = re.compile(r"[A-Za-z0-9]+")
_CUE_WEIGHT = 3  # one cue outweighs a couple of model votes
_PROPAGATED_TYPES = ("organization", "place", "law")


class Resolution(NamedTuple):  # a dict key a million times over: hashed in C
    name: str
    type: str


class EntityResolver:
    """Built once per corpus from every article's raw mentions; cheap to rebuild."""

    def __init__(self, rules: EntityRules, corpus: Sequence[tuple[Article, list[RawMention]]]) -> None:
        self.rules = rules
        heads = "|".join(re.escape(h) for h in sorted(rules.law_heads)) or r"(?!)"
        self._law_tail = re.compile(rf"(?:\s+(?:and|of|for|on|&)\s+|\s+)(?:[A-Z][\w’'\-]*\s+){{0,5}}?(?i:{heads})\b")
        self._articles = {article.id: article for article, _ in corpus}
        self._surnames = {
            fold(m.text.split()[-1]) for _, ms in corpus for m in ms if m.type == "person" and len(m.text.split()) >= 2
        }
        cleaned = {
            article.id: [c for m in mentions if (c := self._clean(article, m)) is not None]
            for article, mentions in corpus
        }
        standalone = {fold(m.text) for ms in cleaned.values() for m in ms}
        self._cleaned = {aid: [self._split_possessive(m, standalone) for m in ms] for aid, ms in cleaned.items()}
        self._build_people()
        self._build_votes()
        self._propagate()
        self._counts = Counter(self.resolve(aid, m) for aid, ms in self._cleaned.items() for m in ms)

    # -- cleaning ---------------------------------------------------------------

    def _clean(self, article: Article, mention: RawMention) -> RawMention | None:
        if mention.type not in NAMED_TYPES:
            return mention
        if fold(mention.text) in self.rules.not_entities:
            return None
        if self.rules.alias(mention.text):
            return mention
        dash = _SPACED_DASH.search(mention.text)
        if dash:  # "Florian Hamm - Borussia Dortmund": a spaced dash is never inside a name
            head = mention.text[: dash.start()]
            mention = RawMention(head, mention.start, mention.start + len(head), mention.type)
        if mention.type == "person":  # not organisations: "General Motors" keeps "General"
            mention = self._strip_titles(mention)
            if mention is None:
                return None
        else:
            mention = self._cut_person_tail(mention)
            if self._followed_by_title_head(article.text, mention.end):
                return None  # "Canadian Foreign Affairs" in "… Affairs Minister Chrystia Freeland"
        mention = self._complete_law(article.text, mention)
        words = mention.text.split()
        if fold(words[-1]) in self.rules.law_heads and len(words) > 1:
            mention = RawMention(mention.text, mention.start, mention.end, "law")
        elif fold(words[0]) in self.rules.event_heads and mention.type != "person":
            mention = RawMention(mention.text, mention.start, mention.end, "event")
        if fold(mention.text) in self.rules.not_entities:
            return None
        return mention

    def _strip_titles(self, mention: RawMention) -> RawMention | None:
        words = list(_WORD.finditer(mention.text))
        drop = 0
        while drop < len(words) and fold(words[drop].group()) in self.rules.titles:
            drop += 1
        if drop == len(words):
            return None  # a lone title ("President") is not an entity
        if drop == 0:
            return mention
        offset = words[drop].start()
        return RawMention(mention.text[offset:], mention.start + offset, mention.end, mention.type)

    def _cut_person_tail(self, mention: RawMention) -> RawMention:
        """"New Democrat Coalition to Lighthizer": the model ran on into a person's name."""
        for connector in reversed(list(_CONNECTOR.finditer(mention.text))):
            tail = mention.text[connector.end() :]
            if tail[:1].isupper() and fold(tail.split()[-1]) in self._surnames:
                head = mention.text[: connector.start()]
                return RawMention(head, mention.start, mention.start + len(head), mention.type)
        return mention

    def _complete_law(self, text: str, mention: RawMention) -> RawMention:
        """"Bipartisan Trade Priorities" + " and Accountability Act": the model stopped early."""
        rest = self._law_tail.match(text, mention.end)
        if rest is None or "\n" in rest.group():
            return mention
        end = rest.end()
        return RawMention(text[mention.start : end], mention.start, end, "law")

    def _followed_by_title_head(self, text: str, end: int) -> bool:
        following = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
        return following is not None and fold(following.group()) in self.rules.title_heads

    def _split_possessive(self, mention: RawMention, standalone: set[str]) -> RawMention:
        """"Nafta’s Chapter 19" is about Nafta: keep the possessor when it is known."""
        found = _INNER_POSSESSIVE.search(mention.text)
        if not found or mention.type not in NAMED_TYPES:
            return mention
        head = mention.text[: found.start()]
        if self.rules.alias(head) or fold(head) in standalone:
            return RawMention(head, mention.start, mention.start + len(head), mention.type)
        return mention

    # -- corpus evidence --------------------------------------------------------

    def _build_people(self) -> None:
        """Full person names, their spellings, and the suffixes that stand for them.

        A multi-word name is a person's when the model tagged it so at least as often
        as anything else, or when its last word stands alone as a person in the same
        article ("Yonca Brunini" tagged ORG, then "Brunini" tagged PERSON).
        """
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        self._lone_votes: dict[str, Counter[str]] = defaultdict(Counter)
        for mentions in self._cleaned.values():
            for m in mentions:
                if m.type in NAMED_TYPES:
                    self._lone_votes[fold(m.text)][m.type] += 1
        for aid, mentions in self._cleaned.items():
            lone_people = {fold(m.text) for m in mentions if m.type == "person" and len(m.text.split()) == 1}
            for m in mentions:
                words = m.text.split()
                if len(words) < 2 or m.type not in NAMED_TYPES or self.rules.alias(m.text):
                    continue
                key = fold(m.text)
                votes[key][m.type] += 1
                if m.type not in ("person", "law", "event") and fold(words[-1]) in lone_people and _name_shaped(words):
                    votes[key]["person"] += 1
                spellings[key][" ".join(words)] += 1
        names = {key: _preferred(spellings[key]) for key, counts in votes.items() if _mostly_person(counts)}
        for name, entity_type in self.rules.aliases.values():
            if entity_type == "person":
                names[fold(name)] = name  # a user's canonical name wins
        self._person_names = names
        suffixes: dict[str, set[str]] = defaultdict(set)
        for key in self._person_names:
            words = key.split()
            for i in range(1, len(words)):
                suffixes[" ".join(words[i:])].add(key)
        self._suffixes = suffixes
        self._people_by_article = {
            aid: {fold(m.text) for m in ms if fold(m.text) in self._person_names}
            for aid, ms in self._cleaned.items()
        }

    def _person_for(self, article_id: str, mention: RawMention) -> str | None:
        key = fold(mention.text)
        if key in self._person_names:
            return key
        candidates = self._suffixes.get(key)
        if not candidates:
            return None
        local = candidates & self._people_by_article.get(article_id, set())
        if len(local) == 1:
            return next(iter(local))
        if len(candidates) == 1 and mention.type in ("person", "organization") and not local:
            # Only where the corpus itself calls this word a person at times: "Labour"
            # is an organisation in a hundred articles, whatever "Devon county Labour" is.
            if self._lone_votes[key]["person"] * 3 >= sum(self._lone_votes[key].values()):
                return next(iter(candidates))
        return None

    def _build_votes(self) -> None:
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for aid, mentions in self._cleaned.items():
            text = self._articles[aid].text
            for m in mentions:
                if m.type in NAMED_TYPES and not self.rules.alias(m.text) and self._person_for(aid, m) is None:
                    votes[fold(m.text)][m.type] += 1
                    if m.type not in ("law", "event") and self._has_organization_cue(text, m):
                        votes[fold(m.text)]["organization"] += _CUE_WEIGHT
                    forms[fold(m.text)][" ".join(m.text.split())] += 1
        self._types = {k: max(v, key=lambda t: (v[t], -_TYPE_RANK[t])) for k, v in votes.items()}
        self._names = {k: _preferred(v) for k, v in forms.items()}
        self._memo: dict[tuple[str, str], Resolution] = {}  # resolutions, once the tables above are final

    def _has_organization_cue(self, text: str, mention: RawMention) -> bool:
        before = re.search(r"(\w+)\s+$", text[max(0, mention.start - 30) : mention.start])
        if before and fold(before.group(1)) in self.rules.organization_cues:
            return True  # "labor group Unifor"
        after = re.match(r",\s([^,.;:“”\"]{0,80}?)(?:[,.;]|$)", text[mention.end : mention.end + 90])
        if after:  # "Unifor, Canada's largest private sector union representing …"
            words = [fold(w) for w in re.findall(r"[\w’']+", after.group(1))]
            return any(w in self.rules.organization_cues for w in words[:8])
        return False

    def _propagate(self) -> None:
        """Add the occurrences of known names that the model missed.

        Known forms are indexed by their first word and tried at every capitalised
        word: a regex alternation of thousands of names is far slower in ``re``.
        """
        by_first: dict[str, set[str]] = defaultdict(set)
        for aid, mentions in self._cleaned.items():
            for m in mentions:
                resolution = self.resolve(aid, m)
                long_name = len(m.text.split()) >= 2
                if (resolution.type in _PROPAGATED_TYPES or (resolution.type == "person" and long_name)) and (
                    m.text[:1].isupper() and len(m.text) >= 3 and fold(m.text) not in self.rules.not_entities
                ):
                    lead = _LEAD.match(m.text)
                    if lead:
                        by_first[lead.group()].add(m.text)
        if not by_first:
            return
        candidates = {first: sorted(forms, key=len, reverse=True) for first, forms in by_first.items()}
        for aid, mentions in self._cleaned.items():
            text = self._articles[aid].text
            covered = bytearray(len(text) + 1)
            for m in mentions:
                covered[m.start : m.end] = b"\x01" * (m.end - m.start)
            types = {m.text: m.type for m in mentions}
            added = []
            for word in _CAPITALISED.finditer(text):
                forms = candidates.get(word.group())
                if not forms or covered[word.start()]:
                    continue
                start = word.start()
                for form in forms:
                    end = start + len(form)
                    if not text.startswith(form, start) or (end < len(text) and (text[end].isalnum() or text[end] == "-")):
                        continue
                    if 1 in covered[start:end] or (" " not in form and _sentence_initial(text, start)):
                        break  # "House prices rose": a capital that only starts a sentence
                    added.append(RawMention(form, start, end, types.get(form, "organization")))
                    covered[start:end] = b"\x01" * (end - start)
                    break
            if added:
                self._cleaned[aid] = sorted(mentions + added, key=lambda m: m.start)

    # -- results ----------------------------------------------------------------

    def resolve(self, article_id: str, mention: RawMention) -> Resolution:
        """The entity a mention stands for. Asked about four times per mention: kept per
        surface form and type, except where the article decides (a surname alone)."""
        memo_key = (mention.text, mention.type)
        found = self._memo.get(memo_key)
        if found is not None:
            return found
        if mention.type not in NAMED_TYPES:
            found = Resolution(" ".join(mention.text.split()), mention.type)
        elif alias := self.rules.alias(mention.text):
            found = Resolution(*alias)
        else:
            key = fold(mention.text)
            person = self._person_for(article_id, mention)
            if person is not None:
                found = Resolution(self._person_names[person], "person")
            else:
                found = Resolution(self._names.get(key, mention.text), self._types.get(key, mention.type))
            if key not in self._person_names and key in self._suffixes:
                return found  # which person a surname is depends on the article
        self._memo[memo_key] = found
        return found

    def speaker(self, article_id: str, start: int, end: int, model_type: str) -> Resolution | None:
        """The entity a speaker span names, if it is one of the article's entities."""
        article = self._articles.get(article_id)
        if article is None:
            return None
        cleaned = self._clean(article, RawMention(article.text[start:end], start, end, model_type))
        if cleaned is None:
            return None
        resolution = self.resolve(article_id, cleaned)
        if resolution not in self._known(article_id) or _only_a_heading(article, cleaned, self._counts.get(resolution, 0)):
            return None
        return resolution

    def _known(self, article_id: str) -> set[Resolution]:
        cache = self.__dict__.setdefault("_known_cache", {})
        if article_id not in cache:
            cache[article_id] = {self.resolve(article_id, m) for m in self._cleaned.get(article_id, [])}
        return cache[article_id]

    def entities(self, article: Article) -> list[Entity]:
        """The article's entities, most mentioned first, each with its mentions in order."""
        groups: dict[Resolution, list[RawMention]] = defaultdict(list)
        for mention in self._cleaned.get(article.id, []):
            resolution = self.resolve(article.id, mention)
            if resolution.type in NAMED_TYPES and _only_a_heading(article, mention, self._counts.get(resolution, 0)):
                continue
            groups[resolution].append(mention)
        entities = [
            Entity(r.name, r.type, [Mention(m.text, m.start, m.end) for m in sorted(ms, key=lambda m: m.start)])
            for r, ms in groups.items()
        ]
        entities.sort(key=lambda e: (-len(e.mentions), e.mentions[0].start))
        return entities


def _name_shaped(words: list[str]) -> bool:
    """"Yonca Brunini", "Jean-Claude Juncker", "Ursula von der Leyen" — not "Devon county Labour"."""
    particles = {"de", "da", "del", "der", "den", "di", "du", "la", "le", "van", "von", "bin", "al", "y"}
    return words[0][:1].isupper() and all(w[:1].isupper() or w in particles for w in words)


def _mostly_person(counts: Counter[str]) -> bool:
    others = max((n for t, n in counts.items() if t != "person"), default=0)
    return counts["person"] > 0 and counts["person"] >= others


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start]
    return start == 0 or before.endswith("\n") or bool(re.search(r"[.!?][”’\"']?\s$", before))


def _only_a_heading(article: Article, mention: RawMention, corpus_count: int) -> bool:
    """A section heading the model read as a name ("Broad Support"), seen nowhere else."""
    if corpus_count > 1:
        return False
    return any(p.is_heading and p.start == mention.start and p.end == mention.end for p in article.paragraphs)


def _preferred(forms: Counter[str]) -> str:
    """The spelling to show: with accents over without, not in capitals, most used."""

    def score(form: str) -> tuple:
        accents = sum(1 for ch in form if ord(ch) > 127 and ch.isalpha())
        return (not _shouting(form), accents > 0, forms[form], len(form), form)

    best = max(forms, key=score)
    return best.title() if _shouting(best) else best


def _shouting(form: str) -> bool:
    """"MEXICO CITY" from a dateline; acronyms ("NAFTA", "USMCA") are not shouting."""
    return form.isupper() and (" " in form or len(form.replace(".", "")) > 6)
