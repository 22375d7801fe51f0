"""Analyse a corpus: cached per-article NLP records, then corpus-wide resolution.

Per article (cached): the model's mentions, issue matches, quote and phrase
candidates. Per corpus (recomputed, cheap): canonical entities, issue labels or key
phrases, quote speakers. spaCy is loaded only when some article misses the cache.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from tui.analysis import kept_state, resolved
from tui.analysis.cache import record_key
from tui.analysis.article_merge import merged_in_article
from tui.analysis.canonical import EntityResolver
from tui.analysis.chunks import chunk_spans
from tui.analysis.issues import IssueMatcher, select_issues
from tui.analysis.keyphrases import PhraseRanks, phrase_candidates, phrase_label
from tui.analysis.mentions import LABEL_TYPES, RawMention, as_a_reader_names_them, mention_from_span, people_completed
from tui.analysis.model import ArticleAnalysis, IssueMatch, Mention, Quote
from tui.analysis.name_knowledge import typed_by_what_names_are
from tui.analysis.nlp import load_nlp, model_identity
from tui.analysis.quotes import find_quotes
from tui.analysis.settings import AnalysisSettings
from tui.analysis.taxonomy import Taxonomy
from tui.corpus import Article, Paragraph, gc_paused
from tui.corpus.snapshot import wait_until_saved

if TYPE_CHECKING:
    from spacy.language import Language

Progress = Callable[[int, int], None]  # (articles done, articles in all)
BATCH_SIZE = 32
PARALLEL_MIN_CHARS = 400_000  # ~60,000 words: about 6 s on one process
PARALLEL_MAX = 4
# Bump when what goes into a record changes: old records are then not reused.
ANALYSIS_VERSION = 5  # 4: people the model missed (honorifics, names seen in the article); adjectives not groups; 5: name knowledge
# Bump when the corpus-wide resolution of the records changes: kept results are then made again.
RESOLUTION_VERSION = 3  # 2: key phrases ranked with rounded frequencies; 3: names merged within an article
_SPEAKER_TYPES = ("person", "organization")


class Analyses(list):
    """The analyses of a corpus, in article order, and ``key``: the corpus-wide state they
    were resolved from (the same key, the same results; None when nothing is cached)."""

    key: str | None = None

    def __init__(self, analyses, key: str | None) -> None:
        super().__init__(analyses)
        self.key = key


def nlp_processes(settings: AnalysisSettings, chars: int) -> int:
    """Two or more processes pay off only for a large job: each starts with a copy of
    the pipeline (fork: instant; forkserver, as in the app: about a second)."""
    if settings.processes is not None:
        return max(1, settings.processes)
    return max(1, min(PARALLEL_MAX, os.cpu_count() or 1)) if chars >= PARALLEL_MIN_CHARS else 1


def analyze_articles(
    articles: Sequence[Article],
    nlp: Language | None = None,
    progress: Progress | None = None,
    chunk_chars: int | None = None,
    settings: AnalysisSettings | None = None,
    remember: bool = True,
    only_if_unchanged: bool = False,
) -> Analyses | None:
    """One ``ArticleAnalysis`` per article, in the same order.

    ``remember``: keep the whole result for the next run on the same articles (not for
    partial batches). ``only_if_unchanged``: return that kept result, or None at once.
    """
    settings = settings or AnalysisSettings()
    if settings.cache is not None and articles:
        found = CorpusAnalysis(settings, chunk_chars).as_last_kept(articles)
        if found is not None:
            if progress:
                progress(len(articles), len(articles))
            return found  # nothing changed since the last run: no resolution either
    if only_if_unchanged:
        return None
    corpus = CorpusAnalysis(settings, chunk_chars)
    results = corpus.update(articles, nlp, progress)
    if remember:
        corpus.remember()
    return results


class CorpusAnalysis:
    """A corpus's analyses, kept to follow the corpus as it changes: ``update`` with the
    articles as they are now runs spaCy only on the new and changed ones (or reads their
    records from the cache) and redoes the corpus-wide resolution only where the change
    reaches (``EntityResolver.update``, ``PhraseRanks.update``)."""

    def __init__(self, settings: AnalysisSettings, chunk_chars: int | None = None) -> None:
        self.settings = settings
        self.chunk_chars = chunk_chars
        self.identity = model_identity(settings.model)
        self.results: Analyses = Analyses([], None)
        self.changed: set[str] = set()  # ids whose analysis the last update made anew
        self._resolver = EntityResolver(settings.rules)
        roles = settings.rules.titles | settings.rules.title_heads
        self._ranks = None if settings.taxonomy.issues else PhraseRanks(exclude=roles)
        # per article id: (record key, the analysed part, content hash, issue hits, quote candidates, mentions)
        self._held: dict[str, tuple] = {}
        self._analyses: dict[str, ArticleAnalysis] = {}
        self._phrases: dict[str, list] = {}  # read with a record for a resumed resolution, until the ranks take them
        self.previous: list[Article] | None = None  # the last run's articles, when ``resume_changed`` took it up

    def _prepare(self, articles: Sequence[Article]) -> tuple[list[Article], list[str], list[str], str | None]:
        hashes = [a.content_hash for a in articles]  # of the whole text: what results belong to
        parts = [analysed_part(a, self.settings.max_chars) for a in articles]
        keys = _record_keys(articles, parts, hashes, self.settings, self.identity)
        whole_key = None
        if self.settings.cache is not None and articles:
            extra = (f"{self.identity}|{self.settings.taxonomy.digest}|{ANALYSIS_VERSION}|{RESOLUTION_VERSION}"
                     f"|{self.settings.max_chars}")
            whole_key = resolved.corpus_key(parts, keys, self.settings.rules, extra)
        return parts, hashes, keys, whole_key

    def as_last_kept(self, articles: Sequence[Article]) -> Analyses | None:
        """The whole result kept by the last run on exactly these articles, if any (this
        object does not hold it: it cannot follow changes from there)."""
        parts, hashes, _keys, whole_key = self._prepare(articles)
        stored = self.settings.cache.get_corpus(whole_key) if whole_key else None
        with gc_paused(len(articles)):
            found = resolved.decode(stored, parts, hashes) if stored else None
        return Analyses(found, whole_key) if found is not None else None

    def resume(self, articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]) -> bool:
        """Take up the resolution the last run kept with its results on exactly these
        articles (``analyses``: those results), so that an ``update`` redoes only what its
        changes reach; False when none was kept (then ``update`` makes it from the records)."""
        if self.settings.cache is None or self._held or not articles:
            return False
        prepared = self._prepare(articles)
        data = self.settings.cache.get_state(prepared[3])
        return self._take_up(prepared, kept_state.decode(data) if data else None, analyses)

    def resume_changed(self, articles: Sequence[Article], earlier: Mapping[str, Article]) -> bool:
        """Take up the resolution the last run on this folder kept, when files were added,
        changed or removed since (while no newsreader was open): ``earlier`` holds the
        articles of the changed and removed files as that run read them. An ``update``
        with ``articles`` then redoes only what the changes reach. False when that run's
        articles cannot all be found as they were, or nothing was kept."""
        cache, scope = self.settings.cache, self.settings.scope
        if cache is None or scope is None or self._held or not articles:
            return False
        found = cache.last_state(scope)
        state = kept_state.decode(found[1]) if found else None
        if state is None:
            return False
        now = {a.id: a for a in articles}
        previous = [earlier.get(aid) or now.get(aid) for aid in state.ids]
        if not previous or any(a is None for a in previous):
            return False
        prepared = self._prepare(previous)
        stored = cache.get_corpus(prepared[3]) if prepared[3] == found[0] else None
        with gc_paused(len(previous)):
            kept = resolved.decode(stored, prepared[0], prepared[1]) if stored else None
        if kept is None or not self._take_up(prepared, state, {r.article_id: r for r in kept}):
            return False
        self.previous = previous
        return True

    def _take_up(self, prepared: tuple, state: kept_state.KeptState | None, analyses: Mapping[str, ArticleAnalysis]) -> bool:
        parts, hashes, keys, whole_key = prepared
        ids = [p.id for p in parts]
        if state is None or state.ids != ids or not all(aid in analyses for aid in ids):
            return False
        try:
            tables = state.tables
            resolver = EntityResolver.resumed(self.settings.rules, tables["resolver"], state.indexes,
                                              {p.id: p for p in parts}, lambda aids: {aid: self._loaded(aids)[aid][5] for aid in aids})
            if self._ranks is not None:
                self._ranks = PhraseRanks.resumed(self._ranks.top, self._ranks.exclude, tables["ranks"], state.indexes["phrases"],
                                                  ids, lambda aids: self._phrases_of(aids))
        except (ValueError, KeyError, TypeError):
            return False
        self._resolver = resolver
        self._held = {p.id: (k, p, h, None, None, None) for p, k, h in zip(parts, keys, hashes)}
        self._analyses = {aid: analyses[aid] for aid in ids}
        self.results = Analyses([self._analyses[aid] for aid in ids], whole_key)
        return True

    def _loaded(self, aids: Sequence[str]) -> dict[str, tuple]:
        """The held entries of these articles, their records read (once) where resuming left them out."""
        missing = [aid for aid in aids if self._held[aid][3] is None]
        if missing:
            held = [self._held[aid] for aid in missing]
            records = self._records([h[1] for h in held], [h[0] for h in held], None, None, len(held))
            for aid, (key, part, content_hash, *_), record in zip(missing, held, records):
                self._held[aid] = (key, part, content_hash, record["i"], record["q"], _raw_mentions(part, record))
                self._phrases[aid] = [tuple(k) for k in record["k"]]
        return {aid: self._held[aid] for aid in aids}

    def _phrases_of(self, aids: Sequence[str]) -> dict[str, list]:
        self._loaded(aids)
        return {aid: self._phrases.pop(aid) for aid in aids}

    def update(self, articles: Sequence[Article], nlp: Language | None = None, progress: Progress | None = None) -> Analyses:
        """The analyses of ``articles`` (in their order); ``changed`` says which are new."""
        parts, hashes, keys, whole_key = self._prepare(articles)
        todo = []
        for i, (part, key) in enumerate(zip(parts, keys)):
            held = self._held.get(part.id)
            if held is None or held[0] != key or (held[1] is not part and held[1].paragraphs != part.paragraphs):
                todo.append(i)
        present = {a.id for a in parts}
        removed = [aid for aid in self._held if aid not in present]
        leaving = removed + [parts[i].id for i in todo if parts[i].id in self._held]
        self._resolver.pull(leaving)  # (a resumed resolution: what they contributed, before it is replaced)
        if self._ranks is not None:
            self._ranks.pull(leaving)
        records = self._records([parts[i] for i in todo], [keys[i] for i in todo], nlp, progress, len(parts))
        with gc_paused(len(parts)):
            changes: dict[str, tuple | None] = dict.fromkeys(removed)
            phrases: dict[str, list | None] = dict.fromkeys(removed)
            for i, record in zip(todo, records):
                part = parts[i]
                raw = _raw_mentions(part, record)
                self._held[part.id] = (keys[i], part, hashes[i], record["i"], record["q"], raw)
                changes[part.id] = (part, raw)
                phrases[part.id] = [tuple(k) for k in record["k"]]
            for aid in removed:
                del self._held[aid]
                self._analyses.pop(aid, None)
            affected = self._resolver.update(changes)
            if self._ranks is not None:
                affected |= self._ranks.update(phrases)
            self.changed = {aid for aid in affected | changes.keys() if aid in self._held}
            self._loaded(list(self.changed))  # (at once: one query)
            self._resolver.pull(self.changed)
            if self._ranks is not None:
                self._ranks.pull(self.changed)
            for aid in self.changed:
                self._analyses[aid] = self._analysis(aid)
            self.results = Analyses([self._analyses[a.id] for a in parts], whole_key)
        return self.results

    def _records(self, parts: list[Article], keys: list[str], nlp, progress, total: int) -> list[dict]:
        """The per-article NLP records: from the cache, or from spaCy (then cached)."""
        settings = self.settings
        records: list[dict | None] = [None] * len(parts)
        if settings.cache is not None and parts:
            cached = settings.cache.get_many(keys)
            for i, (article, key) in enumerate(zip(parts, keys)):
                record = cached.get(key)
                if record is not None and _fits(record, article):
                    records[i] = record
        missing = [i for i, r in enumerate(records) if r is None]
        done = total - len(missing)
        if progress:
            progress(done, total)
        if missing:
            nlp = nlp or load_nlp(settings.model)
            limit = min(self.chunk_chars or settings.chunk_chars, nlp.max_length)
            todo = [parts[i] for i in missing]
            fresh = _run_nlp(
                todo, nlp, settings.taxonomy, limit,
                (lambda n, _total: progress(done + n, total)) if progress else None,
                nlp_processes(settings, sum(len(a.text) for a in todo)),
            )
            for i, record in zip(missing, fresh):
                records[i] = record
            if settings.cache is not None:
                settings.cache.put_many({keys[i]: records[i] for i in missing})
        return records

    def _analysis(self, aid: str) -> ArticleAnalysis:
        _key, article, content_hash, issue_hits, quote_candidates, raw = self._held[aid]
        if self._ranks is None:
            issues = _taxonomy_issues(article, issue_hits, self.settings.taxonomy)
        else:
            issues = _phrase_issues(article, self._ranks.top_of(aid))
        entities, renamed = merged_in_article(self._resolver.entities(article))
        quotes = _quotes(article, quote_candidates, raw, self._resolver)
        if renamed:
            quotes = [replace(q, speaker=renamed.get(q.speaker, q.speaker)) for q in quotes]
        return ArticleAnalysis(
            article_id=aid,
            content_hash=content_hash,
            model=self.identity,
            entities=entities,
            issues=issues,
            quotes=quotes,
        )

    def remember(self) -> None:
        """Keep the last whole result for the next start on the same articles, and what
        the resolution knows, for the first change after that start (``resume``)."""
        if self.results.key is not None and self.settings.cache is not None:
            self.settings.cache.put_corpus(self.results.key, resolved.encode(self.results), scope=self.settings.scope)
            self.settings.cache.put_state(self.results.key, kept_state.encode(self.state()), scope=self.settings.scope)

    def state(self) -> kept_state.KeptState:
        ids = [a.article_id for a in self.results]
        tables, indexes = self._resolver.state(ids)
        state = kept_state.KeptState(ids, {"resolver": tables}, dict(indexes))
        if self._ranks is not None:
            state.tables["ranks"], state.indexes["phrases"] = self._ranks.state(ids)
        return state


def _record_keys(articles, parts, hashes, settings: AnalysisSettings, identity: str) -> list[str]:
    return [
        record_key(h, identity if part is whole else f"{identity}|first{settings.max_chars}",
                   settings.taxonomy.digest, ANALYSIS_VERSION)
        for h, part, whole in zip(hashes, parts, articles)
    ]


def articles_to_analyse(articles: Sequence[Article], settings: AnalysisSettings) -> int:
    """How many of these articles spaCy would have to read (not in the cache)."""
    if settings.cache is None:
        return len(articles)
    parts = [analysed_part(a, settings.max_chars) for a in articles]
    keys = _record_keys(articles, parts, [a.content_hash for a in articles], settings, model_identity(settings.model))
    return len(set(keys) - settings.cache.present(keys))


def analysed_part(article: Article, limit: int) -> Article:
    """The article as far as analysis reads it: all of it, or its first ``limit``
    characters cut at a space (offsets stay those of the whole text)."""
    if len(article.text) <= limit:
        return article
    cut = article.text.rfind(" ", limit // 2, limit)
    cut = cut if cut > 0 else limit
    paragraphs = tuple(
        Paragraph(p.start, min(p.end, cut), p.number, p.is_heading) for p in article.paragraphs if p.start < cut
    )
    return replace(article, text=article.text[:cut], paragraphs=paragraphs)


# -- per article: the NLP pass ---------------------------------------------------


def _run_nlp(
    articles: Sequence[Article], nlp: Language, taxonomy: Taxonomy, limit: int, progress, processes: int = 1
) -> list[dict]:
    matcher = IssueMatcher(nlp, taxonomy) if taxonomy.issues else None
    mentions: list[list[RawMention]] = [[] for _ in articles]
    issue_hits: list[list] = [[] for _ in articles]
    phrases: list[list] = [[] for _ in articles]
    sentences: list[list[tuple[int, int]]] = [[] for _ in articles]
    jobs = [
        (article.text[start:end], (index, start, final))
        for index, article in enumerate(articles)
        for start, end, final in _with_last_flag(chunk_spans(article.text, article.paragraphs, limit))
    ]
    if processes > 1 and multiprocessing.get_start_method(allow_none=True) in (None, "fork"):
        wait_until_saved()  # no process forked while a thread of ours is writing a file
    done = 0
    for doc, (index, offset, final) in nlp.pipe(jobs, as_tuples=True, batch_size=BATCH_SIZE, n_process=processes):
        text = articles[index].text
        for ent in doc.ents:
            mention = mention_from_span(text, offset + ent.start_char, offset + ent.end_char, ent.label_)
            if mention is not None:
                mentions[index].append(mention)
        if matcher is not None:
            issue_hits[index].extend(matcher(doc, offset))
        else:
            phrases[index].extend(phrase_candidates(doc, offset))
        sentences[index].extend((offset + s.start_char, offset + s.end_char) for s in doc.sents)
        if final:
            done += 1
            if progress:
                progress(done, len(articles))

    records = []
    for i, article in enumerate(articles):
        cut = as_a_reader_names_them(article.text, mentions[i])
        mentions[i] = people_completed(article.text, typed_by_what_names_are(article.text, cut))
        quotes = find_quotes(article.text, article.paragraphs, sentences[i], mentions[i])
        records.append(
            {
                "m": [[m.start, m.end, m.type] for m in mentions[i]],
                "i": [list(hit) for hit in select_issues(taxonomy, issue_hits[i])] if matcher else [],
                "q": [[q.start, q.end, q.kind, [list(s) for s in q.speakers]] for q in quotes],
                "k": [list(hit) for hit in phrases[i]],
            }
        )
    return records


def _raw_mentions(part: Article, record: dict) -> list[RawMention]:
    return [RawMention(part.text[s:e], s, e, t) for s, e, t in record["m"]]


def _with_last_flag(spans):
    spans = list(spans)
    for i, (start, end) in enumerate(spans):
        yield start, end, i == len(spans) - 1


def _fits(record: dict, article: Article) -> bool:
    """A cached record must index this article's text: a damaged one is recomputed."""
    size = len(article.text)
    try:
        spans = [(m[0], m[1]) for m in record["m"]] + [(h[1], h[2]) for h in record["i"]]
        spans += [(q[0], q[1]) for q in record["q"]] + [(k[1], k[2]) for k in record["k"]]
        spans += [(s[0], s[1]) for q in record["q"] for s in q[3]]
        types_ok = all(m[2] in LABEL_TYPES.values() for m in record["m"])
    except (KeyError, IndexError, TypeError):
        return False
    return types_ok and all(isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= size for s, e in spans)


# -- per corpus: resolution --------------------------------------------------------


def _taxonomy_issues(article: Article, hits: list, taxonomy: Taxonomy) -> list[IssueMatch]:
    by_id: dict[str, IssueMatch] = {}
    for issue_id, start, end in hits:
        match = by_id.setdefault(issue_id, IssueMatch(issue_id, taxonomy.label(issue_id)))
        match.mentions.append(Mention(article.text[start:end], start, end))
    return sorted(by_id.values(), key=lambda m: (-len(m.mentions), m.mentions[0].start))


def _phrase_issues(article: Article, hits: list) -> list[IssueMatch]:
    by_key: dict[str, list[tuple[int, int]]] = {}
    for key, start, end in hits:
        by_key.setdefault(key, []).append((start, end))
    issues = []
    for key, spans in by_key.items():
        label = phrase_label(key, [article.text[s:e] for s, e in spans])
        issues.append(
            IssueMatch(f"kp:{key.replace(' ', '_')}", label, [Mention(article.text[s:e], s, e) for s, e in sorted(spans)])
        )
    return sorted(issues, key=lambda m: (-len(m.mentions), m.mentions[0].start))


def _quotes(article: Article, candidates: list, mentions: list[RawMention], resolver: EntityResolver) -> list[Quote]:
    """The first candidate that names one of the article's people (or, when named
    directly, an organisation) is the speaker; pronoun candidates must be people."""
    types = {(m.start, m.end): m.type for m in mentions}
    quotes = []
    for start, end, _kind, speakers in candidates:
        for speaker_start, speaker_end in speakers:
            model_type = types.get((speaker_start, speaker_end), "person")
            resolution = resolver.speaker(article.id, speaker_start, speaker_end, model_type)
            if resolution is None:
                continue
            if resolution.type == "person" or (resolution.type in _SPEAKER_TYPES and len(speakers) == 1):
                quotes.append(Quote(resolution.name, article.text[start:end], start, end))
                break
    return sorted(quotes, key=lambda q: q.start)
