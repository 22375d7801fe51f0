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

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set as AbstractSet
from typing import NamedTuple

from tui.analysis.kept_state import PairIndex, checked
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
    """Every article's mentions resolved with the evidence of the whole corpus, kept up to
    date article by article (``update``).

    Each corpus-wide table (surnames, names standing alone, type votes, people's names,
    propagated forms, how often each entity occurs) is a sum of the articles'
    contributions: an article added, changed or removed is subtracted and added again,
    and an entry of a table that changes sends back through the later stages only the
    articles that read it. The first ``update`` is the full build: one code path, so a
    corpus resolved bit by bit ends exactly where a corpus resolved at once does.
    """

    def __init__(self, rules: EntityRules, corpus: Sequence[tuple[Article, list[RawMention]]] = ()) -> None:
        self.rules = rules
        heads = "|".join(re.escape(h) for h in sorted(rules.law_heads)) or r"(?!)"
        self._law_tail = re.compile(rf"(?:\s+(?:and|of|for|on|&)\s+|\s+)(?:[A-Z][\w’'\-]*\s+){{0,5}}?(?i:{heads})\b")
        self._alias_people = {fold(name): name for name, kind in rules.aliases.values() if kind == "person"}
        self._articles: dict[str, Article] = {}
        self._raw: dict[str, list[RawMention]] = {}
        # 1. surnames of multi-word people, as the model tagged them (cleaning reads them)
        self._surname_n: Counter[str] = Counter()
        self._surname_reads: dict[str, set[str]] = {}
        # 2. cleaned mentions, before a possessor is split off; the names they stand alone as
        self._pre: dict[str, list[RawMention]] = {}
        self._standalone_n: Counter[str] = Counter()
        self._possessive_reads: dict[str, set[str]] = {}
        # 3. cleaned mentions (before propagation); people's names and the votes for them
        self._cleaned0: dict[str, list[RawMention]] = {}
        self._keys0: dict[str, frozenset[str]] = {}
        self._lone_votes: dict[str, Counter[str]] = defaultdict(Counter)
        self._leaning: dict[str, bool] = {}  # ``_leans_person`` of every key with lone votes
        self._person_votes: dict[str, Counter[str]] = defaultdict(Counter)
        self._spellings: dict[str, Counter[str]] = defaultdict(Counter)
        self._person_names: dict[str, str] = dict(self._alias_people)  # a user's canonical name wins
        self._suffixes: dict[str, set[str]] = defaultdict(set)
        for key in self._person_names:
            for suffix in _suffixes_of(key):
                self._suffixes[suffix].add(key)
        self._people_by_article: dict[str, frozenset[str]] = {}
        # 4. type votes and spellings of everything but people
        self._votes_of: dict[str, tuple[list, list]] = {}
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)
        self._forms: dict[str, Counter[str]] = defaultdict(Counter)
        self._types: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._memo: dict[tuple[str, str], Resolution] = {}  # resolutions, by surface form and type
        self._memo_keys: dict[str, list[tuple[str, str]]] = defaultdict(list)
        # 5. known names found where the model missed them
        self._firsts_of: dict[str, Counter[tuple[str, str]]] = {}
        self._first_n: Counter[tuple[str, str]] = Counter()
        self._by_first: dict[str, set[str]] = defaultdict(set)
        self._candidates: dict[str, list[str]] = {}
        self._capitals: dict[str, frozenset[str]] = {}
        self._cleaned: dict[str, list[RawMention]] = {}
        self._keys: dict[str, set[str]] = {}  # every surface key an article's results read
        self._speaker_keys: dict[str, set[str]] = {}
        # 6. how often each entity occurs in the corpus
        self._counts_of: dict[str, Counter[Resolution]] = {}
        self._counts: Counter[Resolution] = Counter()
        self._known_cache: dict[str, set[Resolution]] = {}
        # Resumed from a kept state (``resumed``): articles whose contributions are not made
        # yet, the resolver they are made with, and the indexes of what they read.
        self._lazy: set[str] = set()
        self._base: EntityResolver | None = None
        self._indexes: dict[str, PairIndex] = {}
        self._load: Callable[[list[str]], Mapping[str, list[RawMention]]] | None = None
        if corpus:
            self.update({article.id: (article, mentions) for article, mentions in corpus})

    def update(self, changes: Mapping[str, tuple[Article, list[RawMention]] | None]) -> set[str]:
        """Articles added or changed (id -> the article and the model's mentions) or removed
        (id -> None). Returns the ids of the articles whose entities or quote speakers may
        have changed with them: these (and only these) must be asked again."""
        everything = not self._articles
        changed = set(changes)
        self.pull(changed)
        # 1. surnames
        flipped: set[str] = set()
        for aid, item in changes.items():
            new = item[1] if item is not None else []
            flipped |= _move(self._surname_n, _surnames(self._raw.get(aid, ())), _surnames(new))
            if item is None:
                self._articles.pop(aid, None)
                self._raw.pop(aid, None)
            else:
                self._articles[aid], self._raw[aid] = item[0], list(new)
        dirty = changed if everything else changed | self._readers(self._surname_reads, flipped, "reads")
        self.pull(dirty)
        # 2. cleaning; which names stand alone
        flipped = set()
        for aid in dirty:
            old = self._pre.pop(aid, ())
            article = self._articles.get(aid)
            new = []
            if article is not None:
                reads: set[str] = set()
                new = [c for m in self._raw[aid] if (c := self._clean(article, m, reads)) is not None]
                self._pre[aid], self._surname_reads[aid] = new, reads
            else:
                self._surname_reads.pop(aid, None)
            flipped |= _move(self._standalone_n, [_fold(m.text) for m in old], [_fold(m.text) for m in new])
        if not everything:
            dirty = dirty | self._readers(self._possessive_reads, flipped, "reads")
            self.pull(dirty)
        # 3. possessors split off; the votes for people's names
        lone: set[str] = set()
        people: set[str] = set()
        for aid in dirty:
            old = self._cleaned0.pop(aid, None)
            if old is not None:
                self._count_people(old, -1, lone, people)
            pre = self._pre.get(aid)
            if pre is None:
                self._possessive_reads.pop(aid, None)
                self._keys0.pop(aid, None)
                continue
            reads = set()
            new = [self._split_possessive(m, reads) for m in pre]
            self._cleaned0[aid], self._possessive_reads[aid] = new, reads
            self._keys0[aid] = frozenset(_fold(m.text) for m in new)
            self._count_people(new, +1, lone, people)
        appeared: set[str] = set()  # people's names that appeared or disappeared
        renamed: set[str] = set()  # ... or changed their spelling
        for key in people:
            name = self._person_name(key)
            before = self._person_names.get(key)
            if name == before:
                continue
            renamed.add(key)
            if name is None:
                del self._person_names[key]
            else:
                self._person_names[key] = name
            if (name is None) != (before is None):
                appeared.add(key)
                for suffix in _suffixes_of(key):
                    group = self._suffixes[suffix]
                    group.discard(key) if name is None else group.add(key)
                    if not group:
                        del self._suffixes[suffix]
        # Keys whose resolution may differ now: a person's own name, any name ending it,
        # and a surname that now is, or no longer is, called a person often enough.
        touched = renamed | {suffix for key in renamed for suffix in _suffixes_of(key)}
        for key in lone:
            leaning = self._leans_person(key)
            if leaning != self._leaning.get(key):
                touched.add(key)
                if leaning is None:
                    del self._leaning[key]
                else:
                    self._leaning[key] = leaning
        # people named in each article (a surname alone is theirs)
        # (an article naming a name that appeared or disappeared reads it: it is in ``touched``)
        naming = dirty if everything else dirty | self._readers(self._keys0, appeared, "reads")
        self.pull(naming)
        for aid in naming:
            keys = self._keys0.get(aid)
            if keys is None:
                self._people_by_article.pop(aid, None)
            else:
                self._people_by_article[aid] = frozenset(k for k in keys if k in self._person_names)
        # 4. votes for everything else
        if not everything:
            dirty = dirty | self._readers(self._keys0, touched, "reads")
            self.pull(dirty)
        voted: set[str] = set()
        for aid in dirty:
            old = self._votes_of.pop(aid, None)
            if old is not None:
                self._count_votes(old, -1, voted)
            if aid in self._cleaned0:
                new = self._votes_in(aid)
                self._votes_of[aid] = new
                self._count_votes(new, +1, voted)
        for key in voted:
            votes, forms = self._votes.get(key), self._forms.get(key)
            entry = (max(votes, key=lambda t: (votes[t], -_TYPE_RANK[t])), _preferred(forms)) if votes else None
            if entry != (self._types.get(key), self._names.get(key)):
                touched.add(key)
                if entry is None:
                    self._types.pop(key, None)
                    self._names.pop(key, None)
                else:
                    self._types[key], self._names[key] = entry
        for key in touched:
            for memo_key in self._memo_keys.pop(key, ()):
                self._memo.pop(memo_key, None)
        if not everything:
            dirty = dirty | self._readers(self._keys, touched, "reads")
            self.pull(dirty)
        # 5. propagation: the forms known by their first word
        leads: set[str] = set()
        for aid in dirty:
            old = self._firsts_of.pop(aid, None)
            new = self._firsts_in(aid) if aid in self._cleaned0 else None
            for pair in _move(self._first_n, old or (), new or ()):
                forms = self._by_first[pair[0]]
                forms.discard(pair[1]) if pair not in self._first_n else forms.add(pair[1])
                leads.add(pair[0])
            if new is not None:
                self._firsts_of[aid] = new
        for lead in leads:
            forms = self._by_first.get(lead)
            if forms:
                self._candidates[lead] = sorted(forms, key=len, reverse=True)
            else:
                self._by_first.pop(lead, None)
                self._candidates.pop(lead, None)
        if not everything:
            dirty = dirty | self._readers(self._capitals, leads, None)
            self.pull(dirty)
        for aid in dirty:
            if aid in self._cleaned0:
                self._propagate(aid)
            else:
                for table in (self._cleaned, self._capitals, self._keys, self._speaker_keys):
                    table.pop(aid, None)
        # 6. corpus counts (an entity seen once may be a heading read as a name)
        flipped = set()
        for aid in dirty:
            old = self._counts_of.pop(aid, None)
            new = Counter(self.resolve(aid, m) for m in self._cleaned[aid]) if aid in self._cleaned else None
            flipped |= _move(self._counts, old or (), new or (), above=1)
            if new is not None:
                self._counts_of[aid] = new
            self._known_cache.pop(aid, None)
        if not everything:
            dirty = dirty | self._readers(self._counts_of, flipped, "counts")
            self.pull(dirty)
        return {aid for aid in dirty if aid in self._articles}

    # -- kept state: resuming without making every article's contribution -------------

    _PER_ARTICLE = ("_raw", "_pre", "_surname_reads", "_cleaned0", "_possessive_reads", "_keys0", "_people_by_article",
                    "_votes_of", "_firsts_of", "_cleaned", "_capitals", "_keys", "_counts_of")

    @classmethod
    def resumed(cls, rules: EntityRules, tables: dict, indexes: dict[str, PairIndex], articles: Mapping[str, Article],
                load: Callable[[list[str]], Mapping[str, list[RawMention]]]) -> EntityResolver:
        """A resolver of ``articles`` as ``state`` left it, each article's contributions
        made (from ``load``: the model's mentions) only when a change reaches it. Raise
        ValueError when ``tables`` are not what ``state`` writes."""
        live, base = cls(rules), cls(rules)
        tables = {name: checked(tables[name], shape) for name, shape in _STATE_SHAPES.items()}  # (once, for both)
        for resolver in (live, base):  # two copies: ``base`` stays as kept, to make contributions with
            resolver._restore(tables)
            resolver._articles = dict(articles)
        if not set(indexes) >= {"reads", "counts"} or not live._speaker_keys.keys() <= live._articles.keys():
            raise ValueError("not a resolver's state")
        live._lazy, live._base, live._indexes, live._load = set(articles), base, indexes, load
        return live

    def state(self, ids: list[str]) -> tuple[dict, dict[str, PairIndex]]:
        """The tables (JSON data) and indexes that ``resumed`` takes up; ``ids``: every article."""
        tables = {
            "surname_n": dict(self._surname_n), "standalone_n": dict(self._standalone_n),
            "person_names": self._person_names, "types": self._types, "names": self._names,
            "leaning": self._leaning, "candidates": self._candidates,
            **{name: {k: dict(c) for k, c in getattr(self, f"_{name}").items()}
               for name in ("lone_votes", "person_votes", "spellings", "votes", "forms")},
            "suffixes": {k: sorted(v) for k, v in self._suffixes.items()},
            "by_first": {k: sorted(v) for k, v in self._by_first.items()},
            "first_n": [[lead, form, n] for (lead, form), n in self._first_n.items()],
            "counts": [[r.name, r.type, n] for r, n in self._counts.items()],
            "speaker_keys": {aid: sorted(keys) for aid, keys in self._speaker_keys.items()},
        }
        made = self._articles.keys() - self._lazy
        reads = {aid: self._keys[aid] | self._surname_reads[aid] | self._possessive_reads[aid] for aid in made}
        counts = {aid: [_resolution_key(r) for r in self._counts_of[aid]] for aid in made}
        if not self._lazy:
            return tables, {"reads": PairIndex.of(reads, ids), "counts": PairIndex.of(counts, ids)}
        return tables, {"reads": self._indexes["reads"].merged(self._lazy, reads, ids),
                        "counts": self._indexes["counts"].merged(self._lazy, counts, ids)}

    def _restore(self, t: dict) -> None:
        """From ``t``: tables of ``_STATE_SHAPES``, checked."""
        self._surname_n, self._standalone_n = Counter(t["surname_n"]), Counter(t["standalone_n"])
        for name in ("lone_votes", "person_votes", "spellings", "votes", "forms"):
            setattr(self, f"_{name}", defaultdict(Counter, {k: _counter(c) for k, c in t[name].items()}))
        # (copies: the resolver taken up and the one it makes contributions with share ``tables``)
        self._person_names, self._types, self._names = dict(t["person_names"]), dict(t["types"]), dict(t["names"])
        self._leaning, self._candidates = dict(t["leaning"]), {k: list(v) for k, v in t["candidates"].items()}
        self._suffixes = defaultdict(set, {k: set(v) for k, v in t["suffixes"].items()})
        self._by_first = defaultdict(set, {k: set(v) for k, v in t["by_first"].items()})
        self._first_n = Counter({(lead, form): n for lead, form, n in t["first_n"]})
        self._counts = Counter({Resolution(name, kind): n for name, kind, n in t["counts"]})
        self._speaker_keys = {aid: set(keys) for aid, keys in t["speaker_keys"].items()}
        if not all(kind in _TYPE_RANK for kind in self._types.values()):
            raise ValueError("unknown entity type")

    def _readers(self, table: Mapping[str, AbstractSet], keys: set, index: str | None) -> set[str]:
        """The articles reading one of ``keys``: of those made, by their table; of the
        others, by the kept index (or, for capitalised words, by their text)."""
        found = _readers(table, keys)
        if self._lazy and keys:
            if index is None:
                found |= {aid for aid in self._lazy if any(key in self._articles[aid].text for key in keys)}
            else:
                asked = [_resolution_key(k) for k in keys] if index == "counts" else keys
                found |= self._indexes[index].readers(asked) & self._lazy
        return found

    def pull(self, aids: Iterable[str]) -> None:
        """Make the contributions of these articles (those not made yet) as the kept state
        has them: what a change must take out before it puts the new ones in."""
        wanted = [aid for aid in aids if aid in self._lazy]
        if not wanted:
            return
        base = self._base
        for aid, raw in self._load(wanted).items():
            base._make(aid, list(raw))
            for name in self._PER_ARTICLE:
                getattr(self, name)[aid] = getattr(base, name).pop(aid)
            self._lazy.discard(aid)
        if self._lazy.intersection(wanted):
            raise RuntimeError("the kept state's articles could not all be loaded")

    def _make(self, aid: str, raw: list[RawMention]) -> None:
        """An article's contributions to the tables as they stand (this resolver's tables
        are final: its own contributions are in them already)."""
        article = self._articles[aid]
        self._raw[aid] = raw
        reads: set[str] = set()
        self._pre[aid] = [c for m in raw if (c := self._clean(article, m, reads)) is not None]
        self._surname_reads[aid] = reads
        reads = set()
        cleaned0 = [self._split_possessive(m, reads) for m in self._pre[aid]]
        self._cleaned0[aid], self._possessive_reads[aid] = cleaned0, reads
        self._keys0[aid] = frozenset(_fold(m.text) for m in cleaned0)
        self._people_by_article[aid] = frozenset(k for k in self._keys0[aid] if k in self._person_names)
        self._votes_of[aid] = self._votes_in(aid)
        self._firsts_of[aid] = self._firsts_in(aid)
        self._propagate(aid)
        self._counts_of[aid] = Counter(self.resolve(aid, m) for m in self._cleaned[aid])

    def _count_people(self, mentions: list[RawMention], sign: int, lone: set[str], people: set[str]) -> None:
        """A multi-word name is a person's when the model tagged it so at least as often as
        anything else, or when its last word stands alone as a person in the same article
        ("Yonca Brunini" tagged ORG, then "Brunini" tagged PERSON)."""
        lone_people = {_fold(m.text) for m in mentions if m.type == "person" and len(m.text.split()) == 1}
        for m in mentions:
            if m.type not in NAMED_TYPES:
                continue
            key = _fold(m.text)
            _add(self._lone_votes, key, m.type, sign)
            lone.add(key)
            words = m.text.split()
            if len(words) < 2 or self.rules.alias(m.text):
                continue
            _add(self._person_votes, key, m.type, sign)
            if m.type not in ("person", "law", "event") and _fold(words[-1]) in lone_people and _name_shaped(words):
                _add(self._person_votes, key, "person", sign)
            _add(self._spellings, key, " ".join(words), sign)
            people.add(key)

    def _person_name(self, key: str) -> str | None:
        if key in self._alias_people:
            return self._alias_people[key]
        votes = self._person_votes.get(key)
        return _preferred(self._spellings[key]) if votes and _mostly_person(votes) else None

    def _votes_in(self, aid: str) -> tuple[list, list]:
        """(key, type, weight) votes and (key, spelling) forms of an article's non-people."""
        text = self._articles[aid].text
        votes, forms = [], []
        for m in self._cleaned0[aid]:
            if m.type in NAMED_TYPES and not self.rules.alias(m.text) and self._person_for(aid, m) is None:
                key = _fold(m.text)
                votes.append((key, m.type, 1))
                if m.type not in ("law", "event") and self._has_organization_cue(text, m):
                    votes.append((key, "organization", _CUE_WEIGHT))
                forms.append((key, " ".join(m.text.split())))
        return votes, forms

    def _count_votes(self, contribution: tuple[list, list], sign: int, voted: set[str]) -> None:
        votes, forms = contribution
        for key, kind, weight in votes:
            _add(self._votes, key, kind, sign * weight)
            voted.add(key)
        for key, form in forms:
            _add(self._forms, key, form, sign)

    def _firsts_in(self, aid: str) -> Counter[tuple[str, str]]:
        """(first word, form) of the article's names worth looking for elsewhere."""
        found: Counter[tuple[str, str]] = Counter()
        for m in self._cleaned0[aid]:
            resolution = self.resolve(aid, m)
            long_name = len(m.text.split()) >= 2
            if (resolution.type in _PROPAGATED_TYPES or (resolution.type == "person" and long_name)) and (
                m.text[:1].isupper() and len(m.text) >= 3 and _fold(m.text) not in self.rules.not_entities
            ):
                lead = _LEAD.match(m.text)
                if lead:
                    found[(lead.group(), m.text)] += 1
        return found

    # -- cleaning ---------------------------------------------------------------

    def _clean(self, article: Article, mention: RawMention, reads: set[str]) -> RawMention | None:
        """The mention as a reader would name it, or None; ``reads`` gets the surnames looked up."""
        if mention.type not in NAMED_TYPES:
            return mention
        if _fold(mention.text) in self.rules.not_entities:
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
            mention = self._cut_person_tail(mention, reads)
            if self._followed_by_title_head(article.text, mention.end):
                return None  # "Canadian Foreign Affairs" in "… Affairs Minister Chrystia Freeland"
        mention = self._complete_law(article.text, mention)
        words = mention.text.split()
        if _fold(words[-1]) in self.rules.law_heads and len(words) > 1:
            mention = RawMention(mention.text, mention.start, mention.end, "law")
        elif _fold(words[0]) in self.rules.event_heads and mention.type != "person":
            mention = RawMention(mention.text, mention.start, mention.end, "event")
        if _fold(mention.text) in self.rules.not_entities:
            return None
        return mention

    def _strip_titles(self, mention: RawMention) -> RawMention | None:
        words = list(_WORD.finditer(mention.text))
        drop = 0
        while drop < len(words) and _fold(words[drop].group()) in self.rules.titles:
            drop += 1
        if drop == len(words):
            return None  # a lone title ("President") is not an entity
        if drop == 0:
            return mention
        offset = words[drop].start()
        return RawMention(mention.text[offset:], mention.start + offset, mention.end, mention.type)

    def _cut_person_tail(self, mention: RawMention, reads: set[str]) -> RawMention:
        """"New Democrat Coalition to Lighthizer": the model ran on into a person's name."""
        for connector in reversed(list(_CONNECTOR.finditer(mention.text))):
            tail = mention.text[connector.end() :]
            surname = _fold(tail.split()[-1]) if tail[:1].isupper() else None
            if surname is not None:
                reads.add(surname)
            if surname is not None and surname in self._surname_n:
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
        return following is not None and _fold(following.group()) in self.rules.title_heads

    def _split_possessive(self, mention: RawMention, reads: set[str]) -> RawMention:
        """"Nafta’s Chapter 19" is about Nafta: keep the possessor when it is known."""
        found = _INNER_POSSESSIVE.search(mention.text)
        if not found or mention.type not in NAMED_TYPES:
            return mention
        head = mention.text[: found.start()]
        reads.add(_fold(head))
        if self.rules.alias(head) or _fold(head) in self._standalone_n:
            return RawMention(head, mention.start, mention.start + len(head), mention.type)
        return mention

    # -- corpus evidence --------------------------------------------------------

    def _person_for(self, article_id: str, mention: RawMention) -> str | None:
        key = _fold(mention.text)
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
            if self._leaning.get(key, True):  # (a word never tagged at all: 0 of 0 is not a minority)
                return next(iter(candidates))
        return None

    def _leans_person(self, key: str) -> bool | None:
        lone = self._lone_votes.get(key)
        return None if lone is None else lone.get("person", 0) * 3 >= sum(lone.values())

    def _has_organization_cue(self, text: str, mention: RawMention) -> bool:
        before = re.search(r"(\w+)\s+$", text[max(0, mention.start - 30) : mention.start])
        if before and _fold(before.group(1)) in self.rules.organization_cues:
            return True  # "labor group Unifor"
        after = re.match(r",\s([^,.;:“”\"]{0,80}?)(?:[,.;]|$)", text[mention.end : mention.end + 90])
        if after:  # "Unifor, Canada's largest private sector union representing …"
            words = [_fold(w) for w in re.findall(r"[\w’']+", after.group(1))]
            return any(w in self.rules.organization_cues for w in words[:8])
        return False

    def _propagate(self, aid: str) -> None:
        """Add the occurrences of known names that the model missed in one article.

        Known forms are indexed by their first word and tried at every capitalised
        word: a regex alternation of thousands of names is far slower in ``re``.
        """
        mentions = self._cleaned0[aid]
        text = self._articles[aid].text
        covered = bytearray(len(text) + 1)
        for m in mentions:
            covered[m.start : m.end] = b"\x01" * (m.end - m.start)
        types = {m.text: m.type for m in mentions}
        added = []
        capitals = set()
        for word in _CAPITALISED.finditer(text):
            capitals.add(word.group())
            forms = self._candidates.get(word.group())
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
        self._cleaned[aid] = sorted(mentions + added, key=lambda m: m.start) if added else mentions
        self._capitals[aid] = frozenset(capitals)  # a name newly known by one of these: look again
        self._keys[aid] = {_fold(m.text) for m in self._cleaned[aid]} | self._speaker_keys.get(aid, set())

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
            key = _fold(mention.text)
            person = self._person_for(article_id, mention)
            if person is not None:
                found = Resolution(self._person_names[person], "person")
            else:
                found = Resolution(self._names.get(key, mention.text), self._types.get(key, mention.type))
            if key not in self._person_names and key in self._suffixes:
                return found  # which person a surname is depends on the article
        self._memo[memo_key] = found
        self._memo_keys[_fold(mention.text)].append(memo_key)  # forgotten when that key's tables change
        return found

    def speaker(self, article_id: str, start: int, end: int, model_type: str) -> Resolution | None:
        """The entity a speaker span names, if it is one of the article's entities."""
        article = self._articles.get(article_id)
        if article is None:
            return None
        self.pull((article_id,))
        cleaned = self._clean(article, RawMention(article.text[start:end], start, end, model_type), self._surname_reads[article_id])
        if cleaned is None:
            return None
        key = _fold(cleaned.text)  # an update that changes this key's resolution asks again
        self._speaker_keys.setdefault(article_id, set()).add(key)
        self._keys[article_id].add(key)
        resolution = self.resolve(article_id, cleaned)
        if resolution not in self._known(article_id) or _only_a_heading(article, cleaned, self._counts.get(resolution, 0)):
            return None
        return resolution

    def _known(self, article_id: str) -> set[Resolution]:
        cache = self._known_cache
        if article_id not in cache:
            cache[article_id] = {self.resolve(article_id, m) for m in self._cleaned.get(article_id, [])}
        return cache[article_id]

    def entities(self, article: Article) -> list[Entity]:
        """The article's entities, most mentioned first, each with its mentions in order."""
        self.pull((article.id,))
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


_fold = functools.lru_cache(maxsize=1 << 18)(fold)  # the same few thousand names, asked a million times


def _resolution_key(resolution: Resolution) -> str:
    return f"{resolution.name}\x1f{resolution.type}"


_COUNTS = ("map", int)
_VOTES = ("map", ("map", int))
_STATE_SHAPES = {
    "surname_n": _COUNTS, "standalone_n": _COUNTS, "person_names": ("map", str), "types": ("map", str),
    "names": ("map", str), "leaning": ("map", bool), "candidates": ("map", ("list", str)),
    "lone_votes": _VOTES, "person_votes": _VOTES, "spellings": _VOTES, "votes": _VOTES, "forms": _VOTES,
    "suffixes": ("map", ("list", str)), "by_first": ("map", ("list", str)),
    "first_n": ("list", ("tuple", str, str, int)), "counts": ("list", ("tuple", str, str, int)),
    "speaker_keys": ("map", ("list", str)),
}


def _counter(counts: dict) -> Counter:
    """``Counter(counts)`` for a plain dict, without Counter's per-call checks (a resumed
    resolution makes a hundred thousand)."""
    made = Counter.__new__(Counter)  # (an empty dict: Counter's __init__ only fills it)
    dict.update(made, counts)
    return made


def _surnames(mentions) -> list[str]:
    return [_fold(m.text.split()[-1]) for m in mentions if m.type == "person" and len(m.text.split()) >= 2]


def _suffixes_of(key: str) -> list[str]:
    """"pena nieto" and "nieto" of "enrique pena nieto"."""
    words = key.split()
    return [" ".join(words[i:]) for i in range(1, len(words))]


def _add(table: dict[str, Counter[str]], key: str, item: str, amount: int) -> None:
    counts = table[key]
    counts[item] += amount
    if counts[item] <= 0:
        del counts[item]
        if not counts:
            del table[key]


def _move(counts: Counter, old: Iterable, new: Iterable, above: int = 0) -> set:
    """Take ``old`` out of ``counts`` and put ``new`` in; the keys whose count crossed
    ``above`` (appeared or disappeared, with 0) on the way."""
    delta = Counter(new)
    delta.subtract(Counter(old))
    crossed = set()
    for key, change in delta.items():
        if not change:
            continue
        before = counts.get(key, 0)
        after = before + change
        if after > 0:
            counts[key] = after
        else:
            counts.pop(key, None)
        if (before > above) != (after > above):
            crossed.add(key)
    return crossed


def _readers(reads: Mapping[str, AbstractSet], keys: set) -> set[str]:
    """The articles whose ``reads`` include one of ``keys``."""
    if not keys:
        return set()
    return {aid for aid, read in reads.items() if not keys.isdisjoint(read)}


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
