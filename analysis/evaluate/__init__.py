"""`python -m analysis evaluate {quotes,timex,sentiment,speakers,targets} PATH`: score an analysis on annotated data.

Each analysis module keeps its own scorer (`analysis.evaluate.quotes`, `analysis.evaluate.timex`,
`analysis.evaluate.sentiment`, `analysis.evaluate.speakers`, `analysis.evaluate.targets`), with two
functions: `add_arguments(parser)` and `run(args) -> int`.
"""

from __future__ import annotations

from importlib import import_module

SCORERS = {
    "quotes": ("analysis.evaluate.quotes", "quote attribution against brat standoff files (PolNeAR)"),
    "timex": ("analysis.evaluate.timex", "temporal expressions against TimeML .tml files (TimeBank, AQUAINT)"),
    "sentiment": ("analysis.evaluate.sentiment", "sentiment against a TSV of (id, mean rating, text)"),
    "speakers": ("analysis.evaluate.speakers", "named speakers' coverage, gender and role against a gold CSV"),
    "targets": ("analysis.evaluate.targets", "tone toward a person against NewsMTSC JSON lines"),
}


def add_subcommands(sub) -> None:
    parser = sub.add_parser("evaluate", help="score an analysis against annotated news")
    kinds = parser.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True
    for kind, (module_name, help_text) in SCORERS.items():
        kind_parser = kinds.add_parser(kind, help=help_text)
        module = import_module(module_name)
        module.add_arguments(kind_parser)
        kind_parser.set_defaults(func=module.run)
