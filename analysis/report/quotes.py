"""Quotes in an article as HTML: quotes, cues and source mentions highlighted."""

from __future__ import annotations

import html

import pandas as pd

__all__ = ["highlight_quotes"]

_KIND_COLORS = {"direct": "#fde68a", "mixed": "#fed7aa", "indirect": "#dbeafe"}


def highlight_quotes(text: str, quotes: pd.DataFrame) -> str:
    """HTML for one article with its quotes, cues and source mentions marked; all text escaped.

    Quotes are `<mark class="quote {kind}">` (with the speaker as a tooltip), cues `<b class="cue">`,
    source mentions `<u class="mention">`. Overlapping spans are cut so the HTML stays well formed.
    """
    events: list[tuple[int, int, str, str]] = []
    for row in quotes.itertuples(index=False):
        color = _KIND_COLORS.get(row.kind, "#eeeeee")
        tooltip = html.escape(f"{row.speaker} ({row.speaker_kind}, {row.kind})", quote=True)
        events.append((int(row.quote_start), int(row.quote_end),
                       f'<mark class="quote {html.escape(str(row.kind))}" style="background:{color}" title="{tooltip}">', "</mark>"))
        if int(row.cue_start) >= 0:
            events.append((int(row.cue_start), int(row.cue_end), '<b class="cue" style="color:#b91c1c">', "</b>"))
        if int(row.mention_start) >= 0:
            events.append((int(row.mention_start), int(row.mention_end), '<u class="mention" style="color:#1d4ed8">', "</u>"))
    events.sort(key=lambda ev: (ev[0], -(ev[1] - ev[0])))
    out = []
    pos = 0
    for start, end, open_tag, close_tag in events:
        if start < pos or end <= start or end > len(text):
            continue  # overlaps a span already written: skip rather than nest badly
        out.append(html.escape(text[pos:start]))
        out.append(open_tag + html.escape(text[start:end]) + close_tag)
        pos = end
    out.append(html.escape(text[pos:]))
    body = "".join(out).replace("\n\n", "</p><p>").replace("\n", "<br>")
    return f'<div class="article-quotes"><p>{body}</p></div>'

