"""Where the project keeps its inputs and outputs.

Every path comes from here, resolved from this file's location, so a notebook started by
JupyterLab, nbconvert or the pipeline finds the same folders whatever its working directory.
Each folder can be overridden by an environment variable (how `python -m analysis run` hands the
corpus and output folders to the notebooks it executes) or by an explicit argument.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Environment variables that override the defaults below.
ENV_CORPUS = "ANALYSIS_CORPUS"
ENV_FIGURES = "ANALYSIS_FIGURES"
ENV_CACHE = "ANALYSIS_CACHE"
ENV_NLTK_DATA = "ANALYSIS_NLTK_DATA"
#: Set by `python -m analysis run` for the notebooks it executes, naming the corpus and cache it
#: has just built, so that their `load_tables` reads them without checking every file again.
ENV_BUILT = "ANALYSIS_BUILT"


def _resolve(explicit: str | os.PathLike | None, env_name: str, default: Path) -> Path:
    if explicit is not None:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(env_name)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return default


def seeds_dir(path: str | os.PathLike | None = None) -> Path:
    """The corpus folder: `path`, else $ANALYSIS_CORPUS, else the project's `seeds/`."""
    return _resolve(path, ENV_CORPUS, PROJECT_ROOT / "seeds")


def figures_dir(path: str | os.PathLike | None = None) -> Path:
    """Where figures and their CSVs go: `path`, else $ANALYSIS_FIGURES, else `figures/`."""
    return _resolve(path, ENV_FIGURES, PROJECT_ROOT / "figures")


def cache_dir(path: str | os.PathLike | None = None) -> Path:
    """The pipeline's table cache: `path`, else $ANALYSIS_CACHE, else `.cache/`."""
    return _resolve(path, ENV_CACHE, PROJECT_ROOT / ".cache")


def nltk_data_dir(path: str | os.PathLike | None = None) -> Path:
    """The project-local NLTK data folder the offline resources are written into."""
    return _resolve(path, ENV_NLTK_DATA, PROJECT_ROOT / ".nltk_data")


def notebooks_dir() -> Path:
    return PROJECT_ROOT / "notebooks"


def report_dir() -> Path:
    """Where `python -m analysis run` writes the HTML report of the executed notebooks."""
    return PROJECT_ROOT / "report"
