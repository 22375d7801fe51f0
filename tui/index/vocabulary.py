"""The words of the corpus as typed (folded, not stemmed): what "did you mean" suggests.

Kept as a sorted word list beside the index segments rather than as an index field: a
field holds a posting per word per article (30 % of the index and of its build time)
where suggestions need each word once. Words are added as articles are indexed and
not removed when an article goes; a suggestion is offered only if the index still
finds it, so a word left behind is never suggested. Each word has the number of
articles it was seen in, to prefer the common word among equally close ones (an
approximate count: a re-indexed article counts again).
"""

from __future__ import annotations

from collections import Counter

from whoosh.filedb.filestore import Storage

from tui.corpus import Article
from tui.index.schema import WORD, folding_analyzer

FILE_NAME = "vocabulary.txt"


def words_of(article: Article) -> set[str]:
    """The article's words, folded as the index folds them."""
    distinct = set(WORD.findall(article.title)) | set(WORD.findall(article.text))
    return {token.text for token in folding_analyzer()(" ".join(distinct))}


def read_vocabulary(storage: Storage) -> dict[str, int]:
    """Word -> articles seen in; empty when there is none yet or it cannot be read."""
    try:
        if not storage.file_exists(FILE_NAME):
            return {}
        handle = storage.open_file(FILE_NAME)
        try:
            data = handle.read()
        finally:
            handle.close()
        found = {}
        for line in data.decode("utf-8", "replace").split("\n"):
            word, _, count = line.partition(" ")
            if word:
                found[word] = int(count) if count.isdigit() else 1
        return found
    except Exception:  # noqa: BLE001 - a damaged list only costs suggestions
        return {}


def add_words(storage: Storage, words: Counter[str]) -> None:
    """Add these counts to the stored list (written aside, then renamed into place)."""
    if not words:
        return
    counts = Counter(read_vocabulary(storage))
    counts.update(words)
    temporary = f"{FILE_NAME}.new"
    handle = storage.create_file(temporary)
    try:
        handle.write("\n".join(f"{w} {n}" for w, n in sorted(counts.items())).encode("utf-8", "surrogatepass"))
    finally:
        handle.close()
    storage.rename_file(temporary, FILE_NAME, safe=False)
