"""The quotes table: the per-article passes put together (`extract_quotes`), one row per
attributed quote, and the batch version (`extract_quotes_many`)."""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np
import pandas as pd

from analysis.extract.quotes.clauses import looks_like_clause, strip_span
from analysis.extract.quotes.cues import find_cues
from analysis.extract.quotes.frames import Row, Span, frame_sentence, introduction
from analysis.extract.quotes.marks import (
    LINE, Q_START, QBLOCK, find_quotations, mask_quotations, paragraph_parts, qblocks, sentences,
)
from analysis.extract.quotes.mentions import Mention, np_before
from analysis.extract.quotes.speakers import SOURCE_COLUMNS, Resolver, Speaker, describe_sources
from analysis.extract.quotes.words import NOT_SPEAKER_LABELS

#: The columns of the quotes table, in order (see :func:`extract_quotes`).
COLUMNS = [
    "quote", "quote_start", "quote_end", "kind",
    "attribution",
    "cue", "cue_start", "cue_end",
    "mention", "mention_start", "mention_end",
    "speaker", "speaker_title", "speaker_role", "speaker_kind",
    *SOURCE_COLUMNS,  # who the source is (speakers.describe_sources)
]
_INT_COLUMNS = ["quote_start", "quote_end", "attribution", "cue_start", "cue_end", "mention_start", "mention_end"]
_ATTRIBUTION = COLUMNS.index("attribution")
_INT_INDEX = [COLUMNS.index(c) for c in _INT_COLUMNS]

# A transcript or headline label opening a line: "Clinton: ...", "Q: ...".
_SPEAKER_LABEL = re.compile(
    r"\s*(?P<name>[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|the|de|van|von)){0,3}):[ \t]+(?=\S)(?![\x01\d])"
)
# The first line of an article (its headline) may name its source more loosely: "Clinton camp: ...",
# "EXCLUSIVE – Roger Stone: ...", "Clinton to Planned Parenthood: ...".
_HEADLINE_LABEL = re.compile(
    r"\s*(?:[A-Z]{3,}\s+[–—-]\s+)?"  # a kicker before the label: "EXCLUSIVE – Roger Stone: ..."
    r"(?P<name>[A-Z][^:.!?\n\x01]{1,60}?):[ \t]+(?=[A-Z\x01‘'])")
# A headline label that names a document or statement as the source: "IG report: ...", "WSJ
# editorial: ...", "Democrats' new warning: ..."
_DOCUMENT_LABEL = re.compile(r"(?i).*\b(?:report|editorial|warning|claim|memo)$")
_TRAILING_SENTENCE = 200  # characters: `Trump said.`, `asked the boy, who was wearing a hat and said ...`
# Three or more names separated by commas (and a final "and"): a list under a label
_NAME_LIST = re.compile(r"(?:[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}\s*,\s*){2,}(?:and\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}\.?")
_GLUED_CAPTION = re.compile(r"[a-z.](?:Image|Photo|Picture|Credit|Source|File)\b")  # "Jo JorgensenImage:"


def _table(records: list[tuple]) -> pd.DataFrame:
    """The quotes table from row tuples: text columns of dtype object (None stays None, pandas'
    string inference would turn it into NaN), offsets int64. Built as one object block, which is
    several times faster than `DataFrame.from_records` for the few rows an article has."""
    block = np.empty((len(records), len(COLUMNS)), dtype=object)
    if records:
        block[:] = records
    table = pd.DataFrame(block, columns=COLUMNS, dtype=object)
    table[_INT_COLUMNS] = block[:, _INT_INDEX].astype(np.int64)
    return table


def empty_quotes() -> pd.DataFrame:
    """An empty quotes table with the documented columns and types."""
    return _table([])


def _kind_of_content(masked: str, start: int, end: int, blocks: list[tuple[int, int]]) -> str:
    """`direct` (only quotations), `mixed` (quotations and other words) or `indirect` (none)."""
    if not blocks:
        return "indirect"
    if len(blocks) == 1 and blocks[0][0] <= start + 1 and blocks[0][1] >= end - 1:
        return "direct"
    outside = QBLOCK.sub("", masked[start:end])
    return "direct" if not re.search(r"\w", outside) else "mixed"


def extract_quotes(text: str) -> pd.DataFrame:
    """Quotations and reported speech in `text`, one row per attributed quote, in text order.

    Columns: `quote`, `quote_start`, `quote_end` (the content, offsets into `text`, end exclusive;
    for a direct quote the words inside the marks), `kind` (`direct`, `mixed`, `indirect`),
    `attribution` (the row number of the attribution's first fragment: the fragments of one
    attribution, `“A,” she said. “B.”`, share it), `cue`,
    `cue_start`, `cue_end` (the reporting expression; None and -1 for a follow-on quote),
    `mention`, `mention_start`, `mention_end` (the source phrase at the cue; None and -1 where
    there is none), `speaker` (the resolved canonical speaker), `speaker_title` (`Army Col.`),
    `speaker_role` (`a Southcom spokeswoman`) and `speaker_kind` (`named`, `anonymous`,
    `organization`, `pronoun`, `unknown`).
    """
    return _table(_quote_records(text))


def extract_quotes_many(texts: Sequence[str]) -> tuple[pd.DataFrame, list[int]]:
    """:func:`extract_quotes` of each text, as one table: (the rows of every text, in order, and
    each text's number of rows).

    The table is exactly the per-text tables concatenated (``pd.concat(..., ignore_index=True)``)
    but built once: building a table costs more than finding the quotes of a short article.
    """
    parts = [_quote_records(text) for text in texts]
    return _table([record for part in parts for record in part]), [len(part) for part in parts]


def _quote_records(text: str) -> list[tuple]:
    """The rows of :func:`extract_quotes` as tuples in its column order, in text order."""
    if not isinstance(text, str) or not text.strip():
        return []
    article = _Article(text)
    for p_index, line in enumerate(LINE.finditer(article.masked)):
        if not article.transcript_line(p_index, line):
            article.paragraph(p_index, line)
    rows = _with_attribution_ids(article.records, article.group_of)
    return describe_sources(text, rows, COLUMNS[:-len(SOURCE_COLUMNS)])


def _with_attribution_ids(records: list[tuple | None], group_of: dict[int, int]) -> list[tuple]:
    """The records that stand (not replaced), in text order, each with its attribution id put in
    at the `attribution` column: the row number of the attribution's first fragment. A record's
    attribution is `group_of[its index]` (a record index), or its own index when not listed."""
    kept = sorted((i for i, r in enumerate(records) if r is not None), key=lambda i: records[i][1])
    first_row: dict[int, int] = {}
    for position, i in enumerate(kept):
        first_row.setdefault(group_of.get(i, i), position)
    return [records[i][:_ATTRIBUTION] + (first_row[group_of.get(i, i)],) + records[i][_ATTRIBUTION:] for i in kept]


class _Article:
    """One article's passes: its quotations, masked text and speakers so far, and the records
    found (a per-call object, so `extract_quotes` stays a pure function)."""

    def __init__(self, text: str):
        self.text = text
        quotes = find_quotations(text)
        self.inner = {q[0]: (q[1], q[2]) for q in quotes}
        self.part_of = paragraph_parts(text, quotes)
        self.emitted: dict[int, int] = {}  # quotation (opening offset) -> index of its record
        self.masked = mask_quotations(text, quotes)
        self.resolver = Resolver(text)
        self.records: list[tuple | None] = []
        self.last: tuple[int, Speaker, Mention | None] | None = None  # (paragraph, speaker, mention)
        self.pending_colon: tuple[Span, Mention] | None = None  # a paragraph that ends "X said:"
        # record index -> the index of its attribution's first record (the fragments of one
        # attribution: a quotation split by its cue, follow-on quotes, quotes of one cue)
        self.group_of: dict[int, int] = {}
        self.p_index = 0  # the paragraph being read
        self.line_start = 0  # where it starts
        self.last_group: tuple[int, int] | None = None  # (paragraph, attribution) a follow-on continues
        self.cue_group: dict[int, int] = {}  # cue start -> its attribution

    def transcript_line(self, p_index: int, line: re.Match) -> bool:
        """"Clinton: I support D.C. statehood." / "A: I came home from school ...": a transcript or
        headline line, whose whole text is what the labelled speaker said. False for other lines."""
        masked, text = self.masked, self.text
        labelled = _SPEAKER_LABEL.match(masked, line.start(), line.end())
        if not labelled and p_index == 0:
            labelled = _HEADLINE_LABEL.match(masked, line.start(), line.end())  # "Clinton camp: Trump’s ..."
            document = labelled and _DOCUMENT_LABEL.fullmatch(labelled.group("name"))
            if labelled and not document and ("," in labelled.group("name")
                                              or next(find_cues(masked, labelled.start("name"), labelled.end("name")), None)):
                return False  # "Mayor Linda Okafor said: “...”", "He left, with Trump yelling: “...”"
        else:
            document = None
        if not labelled:
            return False
        label_words = labelled.group("name").lower().split()
        if not document and {label_words[0].strip(".’'"), label_words[-1].strip(".’'")} & NOT_SPEAKER_LABELS \
                or _GLUED_CAPTION.search(labelled.group("name")):
            return False
        mention = Mention(labelled.start("name"), labelled.end("name"))
        speaker = self.resolver.resolve(text[mention.start:mention.end], mention.start, None)
        self.resolver.remember(mention.start, speaker)
        c_start, c_end = labelled.end("name"), labelled.end("name") + 1
        start, end = strip_span(masked, labelled.end(), line.end())
        if _NAME_LIST.fullmatch(masked, start, end):
            return False  # "Iowa: Tim Albrecht, Brad Anderson, Rob Barron, ...": a list, not words said
        blocks = qblocks(masked, start, end)
        kind = _kind_of_content(masked, start, end, blocks)
        if kind == "direct":
            start, end = _inner_of(text, blocks[0], self.inner, self.part_of)
        if end > start:
            self.last_group = (p_index, len(self.records))
            self.records.append((text[start:end], start, end, kind, ":", c_start, c_end,
                                 text[mention.start:mention.end], mention.start, mention.end,
                                 speaker.name, speaker.title, speaker.role, speaker.kind))
            self.last = (p_index, speaker, mention)
        return True

    def paragraph(self, p_index: int, line: re.Match) -> None:
        """The attributions of each sentence of one paragraph, recorded."""
        masked = self.masked
        self.p_index, self.line_start = p_index, line.start()
        introduced, self.pending_colon = self.pending_colon, None
        sentence_spans = self._join_trailing_attributions(sentences(masked, self.text, line.start(), line.end()))
        for s, e in sentence_spans:
            if not masked[s:e].strip():
                continue
            rows = frame_sentence(masked, self.text, s, e, self.inner)
            if not rows:
                rows, introduced = self._uncued_rows(p_index, line, s, e, introduced)
            for row in rows:
                speaker, mention = self._speaker_of(row, s)
                if row.mention is not None or row.follow_on:
                    self.last = (p_index, speaker, mention)
                self._record(row, speaker, mention)
        if sentence_spans and masked[line.start():line.end()].rstrip().endswith(":"):
            self.pending_colon = introduction(masked, *sentence_spans[-1])

    def _join_trailing_attributions(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The sentences with a short one that only attributes the quotation before it (`“We
        won.” Trump said.`, `“...!” she told reporters on Monday.`) joined to that quotation."""
        masked, joined = self.masked, []
        for s, e in spans:
            if joined and e - s <= _TRAILING_SENTENCE and masked[s] != Q_START \
                    and not re.search(r"\w", QBLOCK.sub("", masked[joined[-1][0]:joined[-1][1]])):
                start = joined[-1][0]
                rows = frame_sentence(masked, self.text, start, e, self.inner)
                cue = rows[0].cue if rows else None
                if cue is not None and rows[0].end <= s and cue[0] >= s and not looks_like_clause(masked[cue[1]:e]):
                    joined[-1] = (start, e)
                    continue
            joined.append((s, e))
        return joined

    def _uncued_rows(self, p_index: int, line: re.Match, s: int, e: int,
                     introduced: tuple[Span, Mention] | None) -> tuple[list[Row], tuple[Span, Mention] | None]:
        """(rows, what still introduces) for a sentence without a cue: a quotation introduced by
        the paragraph before ("Dr. Ward stated:"), a block quotation after "Wallnau wrote:", or a
        follow-on quotation of the previous speaker (quoted in this or the previous paragraph)."""
        masked = self.masked
        blocks = qblocks(masked, s, e)
        only_quotes = blocks and not re.search(r"\w", QBLOCK.sub("", masked[s:e]))
        if only_quotes and introduced is not None and s == line.start():
            # 'Dr. Ward stated:' at the end of the paragraph before introduces this quotation
            return [Row(blocks[0][0], blocks[-1][1], introduced[0], introduced[1], blocks)], introduced
        if introduced is not None and s == line.start() and not blocks:
            # 'Wallnau wrote:' before a paragraph quoted without marks (a block quotation)
            start, stop = strip_span(masked, line.start(), line.end())
            if stop - start >= 12:
                return [Row(start, stop, introduced[0], introduced[1], [])], None
            return [], introduced
        if only_quotes and self.last is not None and p_index - self.last[0] <= 1:
            return [Row(blocks[0][0], blocks[-1][1], None, None, blocks, follow_on=True)], introduced
        if blocks and self.last is not None and p_index == self.last[0] and self._opens_with_quoted_words(s, blocks[0]):
            # "''We could win enough delegates ...,'' which votes June 7.": the quotation that opens
            # the sentence goes on for the speaker of the sentence before
            return [Row(blocks[0][0], blocks[0][1], None, None, blocks[:1], follow_on=True)], introduced
        return [], introduced

    def _opens_with_quoted_words(self, s: int, block: tuple[int, int]) -> bool:
        """Whether the sentence from `s` opens with the quotation `block` and that quotation reads
        as words said (three words or more, ending in punctuation), not a title (`“Hamilton” is ...`)."""
        if self.masked[s:block[0]].strip():
            return False
        inner = self.text[block[0]:block[1]].strip(" “”\"'‘’`")
        return len(inner.split()) >= 3 and inner[-1:] in ",.!?"

    def _speaker_of(self, row: Row, s: int) -> tuple[Speaker, Mention | None]:
        """(speaker, source phrase) of a row: the previous speaker for a follow-on quote, an
        unknown one without a source ("when asked whether ..."), else the resolved source."""
        if row.follow_on:
            return self.last[1], None
        if row.mention is None:
            return Speaker("unknown", None, None, "unknown"), None
        masked, text, mention = self.masked, self.text, row.mention
        mention_text = text[mention.start:mention.end]
        position = mention.start
        if mention_text.lower() == "who":
            head = np_before(masked, s, masked.rfind(",", s, mention.start) if "," in masked[s:mention.start] else mention.start)
            speaker = self.resolver.resolve(text[head.start:head.end] if head else mention_text, position, mention.role)
        elif mention.name:
            speaker = self.resolver.resolve(text[mention.name[0]:mention.name[1]], position, mention.role)
        else:
            speaker = self.resolver.resolve(mention_text, position, mention.role)
        self.resolver.remember(position, speaker)
        return speaker, mention

    def _record(self, row: Row, speaker: Speaker, mention: Mention | None) -> None:
        """The records of one row: one per quotation for direct content (a quotation over several
        paragraphs is one record; a cued attribution replaces a follow-on one), else one."""
        text, records = self.text, self.records
        kind = row.kind or _kind_of_content(self.masked, row.start, row.end, row.blocks)
        if kind == "direct":
            segments = [(_inner_of(text, b, self.inner, self.part_of), self.part_of.get(b[0], b[0])) for b in row.blocks]
        else:
            segments = [(piece, None) for piece in row.pieces or [(row.start, row.end)]]
        cue = row.cue
        group = self._continued_attribution(row)
        for (q_start, q_end), quotation in segments:
            if q_end <= q_start:
                continue
            if quotation is not None and quotation in self.emitted:
                previous = self.emitted[quotation]
                if records[previous][4] is None and cue is not None:
                    records[previous] = None
                else:
                    continue
            if quotation is not None:
                self.emitted[quotation] = len(records)
            if row.pieces and quotation is None:
                piece_blocks = [b for b in row.blocks if q_start <= b[0] < q_end]
                kind = _kind_of_content(self.masked, q_start, q_end, piece_blocks)
                if kind == "direct":  # a piece that is one quotation: its words inside the marks
                    q_start, q_end = _inner_of(text, piece_blocks[0], self.inner, self.part_of)
            if group is None:
                group = len(records)
            else:
                self.group_of[len(records)] = group
            records.append((
                text[q_start:q_end], q_start, q_end, kind,
                text[cue[0]:cue[1]] if cue else None, cue[0] if cue else -1, cue[1] if cue else -1,
                text[mention.start:mention.end] if mention else None,
                mention.start if mention else -1, mention.end if mention else -1,
                speaker.name, speaker.title, speaker.role, speaker.kind,
            ))
        if group is not None:
            if cue is not None:
                self.cue_group[cue[0]] = group
            if row.mention is not None or row.follow_on:
                self.last_group = (self.p_index, group)

    def _continued_attribution(self, row: Row) -> int | None:
        """The attribution that `row` continues: the previous speaker's for a follow-on quote in
        the same or the next paragraph (`“A,” he said. “B.”`; a paragraph that is only a quotation
        after `“A,” he said.`: the quotation opens its paragraph), the one of the same cue for another quotation it frames; else None
        (a new attribution). PolNeAR's annotators join a next-paragraph follow-on only about one
        time in three, but a wrong join costs one gold match where a wrong split costs a false
        positive and often the match at overlap 0.8 too: joining measured better on both halves."""
        if row.follow_on and self.last_group is not None and (
                self.last_group[0] == self.p_index
                or (self.last_group[0] == self.p_index - 1 and not self.masked[self.line_start:row.start].strip())):
            return self.last_group[1]
        if row.cue is not None:
            return self.cue_group.get(row.cue[0])
        return None


def _inner_of(text: str, block: tuple[int, int], inner: dict[int, tuple[int, int]],
              part_of: dict[int, int]) -> tuple[int, int]:
    """The words inside the quotation whose masked block is `block`. A quotation over several
    paragraphs is masked as one block per paragraph; any of them stands for the whole quotation."""
    start, end = block
    start = part_of.get(start, start)
    if start in inner:
        q_start, q_end = inner[start]
        q_start, q_end = _strip_inner(text, q_start, q_end)
        return q_start, q_end
    # a continuation block: the quotation's words in this paragraph
    s = start + 1 if text[start] in "“”\"„«»" else start + (2 if text[start:start + 2] in ("``", "''") else 0)
    return _strip_inner(text, s, end)


def _strip_inner(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without surrounding spaces and leftover quote marks."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "“”\"„«»"):
        end -= 1
    if text[end - 2:end] in ("''", "``"):
        end -= 2
    return start, end
