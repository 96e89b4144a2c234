"""Text agendas (Markdown, or text converted from PDF and Word) -> a checked :class:`Agenda`.

The reader works line by line, as a person skimming an agenda does: lines that start with a clock time open a block;
date lines (headings, short lines) set the day; what follows a block until the next one is its description, and short
bold lines under it are the names (speakers, countries). Page furniture repeated on every page is left out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..errors import AgendaError, ZoneError
from ..model import Agenda, Block, MeetingZone, Notice, block_keys, localize, meeting_key, same_instant
from .language import guess_language
from .dates import DateMention, find_dates, find_day_number, year_from_weekday
from .source import ReadOptions
from .clock import (EMBEDDED, END_MARKER, LEADING_NUMBER, Span, embedded_range, span_at_start,
                    starts_with_time)
from ..places import zone_for_place
from .zonelabels import IANA_PATTERN, REGIONS, find_label, label_disagrees, resolve_label

# --- lines ------------------------------------------------------------------------------------------------------

_BOLD = re.compile(r"(?<![\w*\\])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])")
_EMPHASIS = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_BULLET = re.compile(r"^(?:[-*+•·▪◦‣]|\d{1,2}\)|[a-z]\))\s+")
_HEADING = re.compile(r"^(#{1,6})\s+")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_PAGE = re.compile(r"(?:\b(?:page|seite|página|pagina)\s+\d+(?:\s*(?:/|of|de|sur|von)\s*\d+)?\b)|^\s*[-–]?\s*\d{1,3}\s*(?:/\s*\d{1,3})?\s*[-–]?\s*$", re.I)
_LABELLED = re.compile(r"^[^\W\d][\w &/'’.-]{0,30}\s*:\s+\S")
_URL = re.compile(r"https?://[^\s<>()\"'\]]+", re.I)
_CONFERENCE_URL = re.compile(
    r"https?://(?:[\w-]+\.)*(?:zoom\.us|zoomgov\.com|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|"
    r"webex\.com|gotomeeting\.com|meet\.jit\.si|whereby\.com|bluejeans\.com)/[^\s<>()\"'\]]*",
    re.I,
)
_PLATFORMS = [
    # a bare "Teams" is often just a word ("UN Country Teams"): only the product's name or "via/on Teams"
    ("Microsoft Teams", re.compile(r"\b(?:Microsoft|MS)\s+Teams\b|\b(?:via|on|in|en|sur|über|per|por|plataforma|"
                                   r"plateforme|Plattform)\s+(?:MS\s+)?Teams\b|\bTeams[- ](?:meeting|link|call|"
                                   r"Besprechung|Sitzung|réunion|reunión)", re.I)),
    ("Zoom", re.compile(r"\bZoom\b", re.I)),
    ("Google Meet", re.compile(r"\bGoogle\s+Meet\b", re.I)),
    ("Webex", re.compile(r"\bWebex\b", re.I)),
    ("Jitsi", re.compile(r"\bJitsi\b", re.I)),
]
_ZONE_STATED = re.compile(
    r"(?:^|[,;(|]\s*)(?:time\s*zone|timezone|zeitzone|fuseau(?:\s+horaire)?|zona\s+horaria|huso\s+horario|"
    r"uso\s+horario)\s*:\s*(?P<v>[^,;()]+)",
    re.I,
)
_META = re.compile(
    r"^(?P<key>date|datum|fecha|time|times|when|quand|wann|cuándo|cuando|heure|heures|horaire|hora|horario|zeit|"
    r"uhrzeit|location|lieu|lugar|ort|"
    r"venue|place|where|platform|plateforme|plataforma|title|titre|título|titel)\s*:\s*(?P<value>.*)$",
    re.I,
)


@dataclass
class Line:
    """One line of the agenda with its Markdown decoded and what kind of line it looks like."""

    no: int
    raw: str
    text: str
    heading: int = 0
    bold: bool = False
    bullet: bool = False
    table: bool = False
    furniture: bool = False
    urls: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()  # a table row's cells, markup decoded
    header: tuple[str, ...] = ()  # the header cells of the table this row belongs to
    italic: bool = False  # the whole line in *emphasis*
    lead_bold: bool = False  # "**Dr. Jonas Keller**, Deutscher Wetterdienst"


def _clean(raw: str) -> tuple[str, int, bool, bool, bool, tuple[str, ...]]:
    s = raw.strip()
    urls = tuple(_URL.findall(s))
    heading = 0
    m = _HEADING.match(s)
    if m:
        heading = len(m.group(1))
        s = s[m.end():].strip().rstrip("#").strip()
    table = False
    if s.startswith("|") or (s.endswith(" |") or s == "|"):
        table = True
        s = " ".join(c.strip() for c in s.strip("|").split("|") if c.strip())
    bullet = False
    m = _BULLET.match(s)
    if m and not re.match(r"^\d{1,2}\)\s*\d", s):
        bullet = True
        s = s[m.end():]
    s = _LINK.sub(lambda mm: mm.group(1) or mm.group(2), s)
    bold = bool(re.fullmatch(r"\*\*(?!\*)(.+?)(?<!\*)\*\*", s)) and "**" not in s[2:-2]
    for _ in range(2):
        s = _BOLD.sub(r"\1", s)
        s = _EMPHASIS.sub(r"\1", s)
    s = _ESCAPE.sub(r"\1", s)
    s = s.replace("\u00a0", " ").replace("\u200b", "")
    s = " ".join(s.split())
    return s, heading, bold, bullet, table, urls


def _lines(text: str) -> list[Line]:
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[Line] = []
    in_comment = False
    header: tuple[str, ...] = ()
    for no, raw in enumerate(raw_lines, 1):
        stripped = raw.strip()
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            lines.append(Line(no, raw, "", furniture=True))
            continue
        if _TABLE_RULE.match(stripped) and "-" in stripped:
            lines.append(Line(no, raw, "", furniture=True))
            if len(lines) >= 2 and lines[-2].table and not starts_with_time(lines[-2].text):
                lines[-2].furniture = True  # the table's header row ("| Zeit | Veranstaltung |"), unless it is a block
                header = lines[-2].cells
            continue
        s, heading, bold, bullet, table, urls = _clean(raw)
        cells = tuple(_clean(c)[0] for c in raw.strip().strip("|").split("|") if c.strip()) if table else ()
        if not table:
            header = ()
        body = re.sub(r"^\s*(?:[-*+•]\s+)?", "", stripped)
        italic = bool(re.fullmatch(r"(?:\*(?!\*)[^*]+\*|_(?!_)[^_]+_)[.,;]?", body))
        lead_bold = bool(re.match(r"\*\*[^*]+[^*:]\*\*\s*[,(–-]", body))
        lines.append(Line(no, raw, s, heading, bold, bullet, table, urls=urls, cells=cells, header=header,
                          italic=italic, lead_bold=lead_bold))
    _mark_furniture(lines)
    return lines


def _mark_furniture(lines: list[Line]) -> None:
    """Page headers and footers, page numbers, hashtags and handles: not part of any block."""
    counts: dict[str, int] = {}
    for line in lines:
        if line.text:
            key = line.text.lower()
            counts[key] = counts.get(key, 0) + 1
    for line in lines:
        t = line.text
        if not t:
            continue
        if (
            _PAGE.search(t)
            or re.fullmatch(r"[#@][\w.]+(\s*[#@][\w.]+)*", t)
            or re.fullmatch(r"(?:https?://|www\.)\S+", t, re.I)
            or (counts[t.lower()] >= 2 and not starts_with_time(t) and len(t) < 120 and not line.heading
                and not line.bold and not line.table and not line.bullet
                and not _LABELLED.match(t))  # "Moderator: Jane Roe" under two blocks is content, not a page header
        ):
            line.furniture = True


# --- blocks -----------------------------------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^(?:(?:Session|Sesión|Sesion|Séance|Seance|Sitzung|Part|Partie|Parte|Teil|TOP|Point|Punto|Punkt)\s+"
    r"(?P<wnum>[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})?)(?:[.)]|\s*:|\s+[-–—])?"
    r"|(?P<num>[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})?)(?:[.)]|\s*:|\s+[-–—]))\s+(?=\S)"
)
_STATED = re.compile(
    r"(?:\s*[-–—]\s*|\s+)(?:\(\s*(?P<q>\d{1,3})\s*['′’]\s*\)|"  # "(5')"
    r"\(?\s*(?P<n>\d{1,3})\s*(?:min|mins|minutes|minutos|minuti|Minuten|Min|mn)\.?\s*\)?)\s*$", re.I
)
_PER_NAME = re.compile(
    r"\(?\s*(?P<n>\d{1,3})\s*(?:min|mins|minutes|minutos|Minuten|mn)\.?\s+"
    r"(?:par|per|por|pro|each|chacun|cada|je)\b[^)\n]*\)?"
    r"|\(\s*(?:je|each|chacun|cada|jeweils)\s+(?P<n2>\d{1,3})\s*(?:min|mins|minutes|minutos|Minuten|Min|mn)\.?\s*\)",
    re.I,
)
_NAMES_LABEL = re.compile(
    r"^(?:speakers?|keynote speakers?|panel(?:lists|ists)?|presenters?|moderators?|moderated by|chairs?|chaired by|"
    r"facilitators?|intervenants?|orateurs?|oratrices?|panélistes|modérat(?:eur|rice)s?|modération|animé(?:e)? par|"
    r"ponentes?|panelistas|conferencistas?|moderador(?:a|es)?|moderación|"
    r"referent(?:en|innen)?|redner(?:innen)?|sprecher(?:innen)?|moderation|moderator(?:in|innen)?|leitung|"
    r"formateur|formatrice|formateurs|trainer(?:in)?|modera|proponent|ponencia|discussants?|respondents?)"
    r"(?:\s*:\s*|(?<=by)\s+|(?<=par)\s+)(?P<v>.*)$",  # "Speakers: …", "Moderated by …", "animé par …"
    re.I,
)
_PLACEHOLDER = re.compile(r"^(?:coming soon|tbc|tba|tbd|à confirmer|a confirmar|por confirmar|n\.?n\.?|offen)\.?$", re.I)
_DANGLING = {
    "the", "of", "on", "a", "an", "and", "or", "to", "for", "in", "at", "by", "with", "under", "from",
    "de", "la", "le", "les", "des", "du", "et", "à", "au", "aux", "en", "pour", "sur", "par", "el", "los", "las",
    "del", "y", "para", "con", "der", "die", "das", "den", "dem", "und", "für", "mit", "von", "zu", "zur", "zum",
}


@dataclass
class Draft:
    """A block as read, before its day, zone and end are settled."""

    line: int
    start: tuple[int, int]
    end: tuple[int, int] | None
    title: str
    day: date | None
    number: str | None = None
    stated: int | None = None
    approximate: bool = False
    description: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    day_end: tuple[int, int] | None = None  # "Ende ca. 20:00 Uhr" after this, the last block of its day


def _split_title(rest: str) -> tuple[str | None, str, int | None, str]:
    """Numbering, title, stated minutes and the run-on description from the text after the time."""
    text = rest.strip(" :|–—-")
    number = None
    m = _NUMBERING.match(text)
    if m:
        number = m.group("num") or m.group("wnum")
        text = text[m.end():]
    stated = None
    per_name = _PER_NAME.search(text)
    m = _STATED.search(text)
    if m and not (per_name and per_name.end() >= m.start()):
        stated = int(m.group("n") or m.group("q"))
        text = text[: m.start()].rstrip(" -–—")
    more = ""
    cut = re.search(r"\s+-(?=\s*\S)(?!\d)", text)  # "Opening of the conference - Welcome address by ..."
    if cut and cut.start() > 3:
        text, more = text[: cut.start()], text[cut.end():].strip()
    else:
        # an en or em dash is part of many titles ("… corona crisis – Cooperation in the EU"), so it only separates
        # a speaker: "Welcome – Dr. Ray Ortiz"
        dash = re.search(r"\s+[–—]\s+(?P<who>[^–—]+)$", text)
        if dash and dash.start() > 3 and _PERSON.match(dash.group("who").strip(" .")):
            text, more = text[: dash.start()], dash.group("who").strip()
    for sentence in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", text):
        # a sentence ends after a lower-case word ("... en débat. Quatre temps"), not after "Prof." or "Dr."
        word = text[: sentence.start() - 1].rsplit(" ", 1)[-1]
        if sentence.start() > 8 and len(word) >= 3 and re.fullmatch(r"[a-zà-ÿ\-]+", word):
            text, more = text[: sentence.start()], (text[sentence.end():] + (" " + more if more else "")).strip()
            break
    return number, text.strip(), stated, more


def _is_dangling(title: str) -> bool:
    words = title.split()
    return bool(words) and words[-1].lower().strip(",;") in _DANGLING


# --- the reader ---------------------------------------------------------------------------------------------------


@dataclass
class _State:
    options: ReadOptions
    warnings: list[Notice] = field(default_factory=list)
    reference_year: int | None = None
    day: date | None = None
    first_day: date | None = None  # "Day 1" of a programme whose days are numbered
    blocks_from: date | None = None  # the day of the first block, once there is one

    def warn(self, message: str, line: int | None, code: str) -> None:
        self.warnings.append(Notice(message, line, code))


def parse_text(text: str, options: ReadOptions, *, source: str = "agenda") -> Agenda:
    """Read a text agenda into a checked :class:`Agenda`; errors name the line and the remedy."""
    lines = _lines(text)
    state = _State(options)
    years = [int(y) for y in re.findall(r"(?<![\d.\-/])((?:19|20)\d{2})(?![\d])", text)]
    state.reference_year = years[0] if years else None

    title = _meeting_title(lines)
    location, conference_url = _place(lines, text)
    hours_span: tuple[Span, int] | None = None
    drafts: list[Draft] = []
    consumed: set[int] = set()
    current: Draft | None = None

    names_follow = False  # after a bare "Speakers:" line, the lines below it are names
    for i, line in enumerate(lines):
        t = line.text
        if not t or i in consumed:
            names_follow = names_follow and bool(t)
            continue
        meta = _META.match(t)
        if meta and meta.group("key").lower() in _TIME_KEYS:
            value = meta.group("value")
            span = span_at_start(value, line.no) or embedded_range(value, line.no)
            if span and hours_span is None:
                hours_span = (span, line.no)
            _date_line(state, t, line.no, heading=True)
            continue
        if meta and meta.group("key").lower() in _PLACE_KEYS:
            current = None
            continue
        extra_cells: tuple[str, ...] = ()
        if len(line.cells) >= 3:
            # | time | title | speaker (| room) |: the cells after the title are not part of it
            t, extra_cells = " ".join(line.cells[:2]), line.cells[2:]
        leading = LEADING_NUMBER.match(t)
        timed = t[leading.end():] if leading else t
        span = None if line.furniture else span_at_start(timed, line.no)
        if span is not None and any(d.start == 0 for d in find_dates(t[:12])):
            span = None  # "30.11.2020 ..." is a date, not 30:11
        if span is not None:
            names_follow = False
            if not drafts and span.end is not None and span.rest and _only_zone_words(span.rest):
                # "09:30 – 17:00 (Brussels time)" in the heading: the meeting's hours, not a block
                if hours_span is None:
                    hours_span = (span, line.no)
                continue
            if drafts and span.end is None and _CLOSING.fullmatch(span.rest.strip(" .!")):
                # "12:00 Adjourn", "17h15 Clôture": when the day ends, not a block of its own
                if drafts[-1].end is None:
                    drafts[-1].day_end = span.start
                current = None
                continue
            rest = span.rest
            if not rest:
                rest = _adjacent_title(lines, i, consumed)
            number, block_title, stated, more = _split_title(rest)
            number = leading.group("num") if leading else number
            if not block_title:
                block_title = "Session"
            current = Draft(line.no, span.start, span.end, block_title, state.day, number, stated, span.approximate)
            if more and _PERSON.match(more.strip(" .")):
                current.names.append(more.strip(" ."))  # "Welcome – Dr. Ray Ortiz": the speaker, not a description
            elif more:
                current.description.append(more)
            headers = line.header[2:]
            for k, cell in enumerate(extra_cells):
                _table_cell(current, headers[k] if k < len(headers) else "", cell)
            # a title wrapped over several lines by PDF extraction ("... on the" / "elements of a draft ...")
            j = i + 1
            while _is_dangling(current.title) or _continues(lines, j):
                k = _next_text(lines, j)
                if k is None or not _joinable(lines[k]):
                    break
                current.title = f"{current.title} {lines[k].text}"
                consumed.add(k)
                j = k + 1
            drafts.append(current)
            if state.blocks_from is None:
                state.blocks_from = state.day
            elif state.day is not None and state.day < state.blocks_from:
                state.warn(f"'{current.title}' falls on {state.day.isoformat()}, before the programme's first day "
                           f"({state.blocks_from.isoformat()}); check the date above it", line.no, "date-order")
            continue
        if line.furniture:
            continue
        embedded = _embedded_block(state, t, line.no)
        if embedded:
            drafts.append(embedded)
            current = embedded
            continue
        day_number = find_day_number(t) if (line.heading or line.bold or len(t) <= 40) else None
        if day_number is not None and state.first_day is not None:
            state.day = state.first_day + timedelta(days=day_number - 1)  # "Day 2 (Tuesday)"
            current = None
            continue
        if _date_line(state, t, line.no, heading=bool(line.heading or line.bold), inside=current is not None):
            # "Tuesday, March 3, 2026 — 9:00 AM to 11:00 AM EST": a heading's range is the meeting's hours
            header_span = embedded_range(t, line.no)
            if header_span is not None and hours_span is None:
                hours_span = (header_span, line.no)
            current = None
            continue
        end_marker = END_MARKER.match(t)
        if end_marker and drafts and drafts[-1].end is None:
            marked = span_at_start(end_marker.group("t"), line.no)
            if marked is not None:
                drafts[-1].day_end = marked.start
                current = None
                continue
        if line.heading:
            current = None
            continue
        if current is None:
            continue
        names = _NAMES_LABEL.match(t)
        if names:
            found = _split_names(names.group("v"))
            current.names.extend(found)
            names_follow = not names.group("v").strip()  # a bare "Speakers:" heads a list
            continue
        if (names_follow and (line.bullet or _looks_like_name(t))) or \
                ((line.bold or line.italic) and _looks_like_name(t)) or line.lead_bold:
            current.names.append(t.strip(" .*_"))
            continue
        names_follow = False
        current.description.append(("• " if line.bullet else "") + t)

    if not drafts:
        raise AgendaError("no session times found", file=source,
                          hint="calsync needs lines that start with times such as '16:00 – 16:30 Title'")
    return _settle(drafts, state, lines, title, location, conference_url, hours_span, source)


_TIME_KEYS = ("time", "times", "heure", "heures", "horaire", "hora", "horario", "zeit", "uhrzeit", "when", "quand",
              "wann", "cuándo", "cuando")
_PLACE_KEYS = ("location", "lieu", "lugar", "ort", "venue", "place", "where", "platform", "plateforme", "plataforma",
               "title", "titre", "título", "titel")
# A start-only time line that only says the meeting ends: "12:00 Adjourn", "17h15 Clôture", "15.00 Uhr Ende".
_CLOSING = re.compile(
    r"(?i:adjourn(?:ment)?|close(?: of (?:the )?(?:meeting|session|day))?|end(?: of (?:the )?meeting)?|"
    r"ende(?: der (?:veranstaltung|sitzung|versammlung))?|schluss|fin(?: de (?:la )?(?:réunion|séance|journée))?|"
    r"clôture|cloture|levée de (?:la )?séance|cierre|fin de la (?:reunión|sesión|jornada))"
)
_ROOM_HEADER = re.compile(r"(?i)\b(?:room|raum|saal|salle|sala|hall|hörsaal|location|ort|lieu|lugar|venue)\b")
_PEOPLE_HEADER = re.compile(
    r"(?i)\b(?:speakers?|wer|referent|redner|intervenant|orateur|ponente|moderat|chair|presenter|panel|responsable|"
    r"verantwortlich|who|qui|quién)"
)
_PERSON = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|H\.\s?E|Sr|Sra|Srta|Dña|Don|Mme|Mlle|M|Herr|Frau|Sir|Dame|Amb|Ambassador)\.?\s+)*"
    r"[A-ZÀ-Ý][\w'’.\-]+(?:\s+(?:de|da|do|dos|van|von|der|del|la|le|di|du|ten|[A-ZÀ-Ý][\w'’.\-]*)){1,4}$"
)


def _only_zone_words(rest: str) -> bool:
    """Whether what follows a time range says nothing but its zone: "(Brussels time)", "EST (New York) / 15:00 CET"."""
    text = re.sub(r"\([^)]*\)", " ", rest)
    text = EMBEDDED.sub(" ", text)
    text = re.sub(r"(?i)\b(?:time|heure|hora|zeit|uhr|local)\b", " ", text)
    label = find_label(rest)
    if label:
        text = text.replace(label, " ")
    text = re.sub(r"\b[A-Z]{2,5}\b", " ", text)
    return not re.search(r"[^\W\d_]", text)


def _split_names(value: str) -> list[str]:
    """Names from "A; B", "A, B and C", keeping "Ms. Ana Silva, UNDP" (a name with its role) together."""
    if ";" in value:
        parts = re.split(r"\s*;\s*", value)
    else:
        pieces = [p.strip() for p in re.split(r"\s*,\s*|\s+(?:and|et|y|und)\s+", value) if p.strip()]
        parts = []
        for piece in pieces:
            if parts and _PERSON.match(parts[-1].split(",")[0].strip(" .")) and not _PERSON.match(piece.strip(" .")):
                parts[-1] = f"{parts[-1]}, {piece}"  # a role or organisation belongs to the name before it
            else:
                parts.append(piece)
    return [p.strip(" .") for p in parts if p.strip(" .") and not _PLACEHOLDER.match(p.strip(" ."))]


def _table_cell(draft: Draft, header: str, cell: str) -> None:
    """A table cell after the title: a room goes to the description, people to the names."""
    if _ROOM_HEADER.search(header) or re.match(r"(?i)(?:room|raum|saal|salle|sala|hs|aula)\b", cell):
        draft.description.append(f"{header or 'Room'}: {cell}")
    elif _PEOPLE_HEADER.search(header) or (not header and _looks_like_name(cell)):
        draft.names.extend(_split_names(cell))
    else:
        draft.description.append(f"{header}: {cell}" if header else cell)


def _continues(lines: list[Line], j: int) -> bool:
    k = _next_text(lines, j)
    return k is not None and _joinable(lines[k]) and lines[k].text[:1].islower() and k - j <= 1


def _next_text(lines: list[Line], j: int) -> int | None:
    """The next line with text, skipping at most one blank line."""
    for k in range(j, min(j + 2, len(lines))):
        if lines[k].text:
            return k
    return None


def _joinable(line: Line) -> bool:
    return bool(line.text) and not (line.furniture or line.heading or line.bullet or line.bold or line.table) \
        and not starts_with_time(line.text) and not find_dates(line.text) and not _META.match(line.text)


def _adjacent_title(lines: list[Line], i: int, consumed: set[int]) -> str:
    """A time alone on its line takes its title from the line right after it, or else from the line right before."""
    for k in (i + 1, i - 1):
        if 0 <= k < len(lines) and k not in consumed:
            cand = lines[k]
            if cand.text and not cand.furniture and not cand.heading and not starts_with_time(cand.text) \
                    and not (find_dates(cand.text) and len(cand.text) < 40):
                consumed.add(k)
                return cand.text
    return ""


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and len(text) <= 60 and not text.rstrip().endswith((":", "?")) \
        and not starts_with_time(text)


def _meeting_title(lines: list[Line]) -> str:
    for level in (1, 2):
        for line in lines:
            if line.heading == level and line.text and not line.furniture and not starts_with_time(line.text):
                return line.text.strip(" :")
    for line in lines:
        if line.text and not line.furniture and len(line.text) <= 120 and not starts_with_time(line.text):
            return line.text.strip(" :")
    return "Meeting"


def _place(lines: list[Line], text: str) -> tuple[str | None, str | None]:
    conference = next((u.rstrip(".,;") for u in _CONFERENCE_URL.findall(text)), None)
    for line in lines:
        m = _META.match(line.text)
        if m and m.group("key").lower() in ("location", "lieu", "lugar", "ort", "venue", "place", "where", "platform",
                                            "plateforme", "plataforma"):
            value = _URL.sub("", m.group("value")).strip(" .,;")
            for name, pattern in _PLATFORMS:
                if pattern.search(value):
                    return name, conference
            return value or None, conference
    for name, pattern in _PLATFORMS:
        if pattern.search(text):
            return name, conference
    return None, conference


def _date_line(state: _State, t: str, no: int, heading: bool = False, inside: bool = False) -> bool:
    """Set the current day from a date line (a heading, a short line, or a "Date:" line); True if it was one.

    Under a block (``inside``) a date is far more often part of the text ("Protokoll vom 13. März 2025",
    "(resolution 79/105 of 4 December 2024)"), so there only a heading, a weekday or a line that is little more than
    the date moves the day.
    """
    mentions = find_dates(t)
    if not mentions:
        return False
    first = mentions[0]
    is_meta = bool(_META.match(t))
    if not (heading or is_meta or len(t) <= 90):
        return False
    if inside and not (heading or is_meta):
        prose = t[:1].islower() or t[:1] in "(["
        mostly_date = first.start <= 3 and len(first.text) >= 0.6 * len(t.strip(" .:"))
        if prose or not (first.weekday is not None or mostly_date):
            return False
    day = _resolve_date(state, first, no)
    if day is not None:
        state.day = day
        if state.blocks_from is None or first.last is not None:
            state.first_day = day  # the latest date before the programme, or a range ("8–10 September"): "Day 1"
    return True


def _resolve_date(state: _State, d: DateMention, no: int) -> date | None:
    year = d.year
    if year is None and state.options.date is not None:
        year = state.options.date.year  # --date given: it settles the year (and then moves the programme)
    if year is None and d.weekday is not None:
        reference = state.reference_year or (state.options.date.year if state.options.date else None) \
            or (state.options.today or date.today()).year
        year = year_from_weekday(d.day, d.month, d.weekday, reference)
        if year is not None and state.reference_year is None and not any(w.code == "year-inferred" for w in state.warnings):
            state.warn(f"the year of '{d.text}' is not written; read as {year}, the nearest year in which it falls "
                       f"on that weekday (use --date YYYY-MM-DD if that is wrong)", no, "year-inferred")
    if year is None:
        year = state.reference_year or (state.options.date.year if state.options.date else None)
    if year is None:
        return None
    try:
        day = date(year, d.month, d.day)
    except ValueError:
        raise AgendaError(f"'{d.text}' is not a date", line=no, hint="correct the date or pass --date YYYY-MM-DD") from None
    if d.ambiguous and d.weekday is not None and day.weekday() != d.weekday:
        try:
            swapped = date(year, d.day, d.month)
        except ValueError:
            swapped = None
        if swapped is not None and swapped.weekday() == d.weekday:
            day = swapped  # "Monday 05/04/2026" in the US: the weekday settles the order
    if d.ambiguous and d.weekday is None:
        state.warn(f"'{d.text}' read as day/month: {day:%d %B %Y}; pass --date {date(year, d.day, d.month).isoformat()} "
                   f"if it means month/day", no, "date-order")
    if d.weekday is not None and day.weekday() != d.weekday:
        state.warn(f"'{d.text}': {day.isoformat()} is not that weekday; using the date as written", no, "weekday")
    if d.year is not None:
        state.reference_year = d.year
    return day


def _embedded_block(state: _State, t: str, no: int) -> Draft | None:
    """A block given in prose: "el jueves, 21 de mayo de 16 h-17:15 h (hora de España)"."""
    m = EMBEDDED.search(t)
    span = embedded_range(t, no)
    if m is None or span is None:
        return None
    mentions = [d for d in find_dates(t) if d.end <= m.start()]
    if not mentions:
        return None
    lead = t[: mentions[-1].start].rstrip(" ,")
    if not re.search(r"\w", lead):
        return None  # a date-and-time heading, not a block
    words = lead.split()
    while words and words[-1].lower().strip(",") in _DANGLING | {"el", "le", "am", "on", "the", "ce", "este"}:
        words.pop()
    title = " ".join(words) or "Session"
    day = _resolve_date(state, mentions[-1], no) or state.day
    return Draft(no, span.start, span.end, title, day)


# --- settling: days, zone, ends, checks ------------------------------------------------------------------------


def _settle(
    drafts: list[Draft],
    state: _State,
    lines: list[Line],
    title: str,
    location: str | None,
    conference_url: str | None,
    hours_span: tuple[Span, int] | None,
    source: str,
) -> Agenda:
    options = state.options
    days = [d.day for d in drafts]
    first_known = next((d for d in days if d is not None), None)
    if first_known is None and options.date is None:
        raise AgendaError(
            "the agenda gives no date (or no year) for its sessions", file=source, line=drafts[0].line,
            hint="pass --date YYYY-MM-DD",
        )
    for d in drafts:
        if d.day is None:
            d.day = first_known or options.date
    if options.date is not None:
        shift = options.date - drafts[0].day  # type: ignore[operator]
        for d in drafts:
            d.day = d.day + shift  # type: ignore[operator]

    _roll_past_midnight(drafts, hours_span, state)
    zone, as_written, note, label_line = _meeting_zone(lines, drafts, options, source)
    tz = ZoneInfo(zone)

    hours_end = None
    if hours_span is not None and hours_span[0].end is not None and hours_span[0].end > hours_span[0].start:
        hours_end = hours_span[0].end
    starts_by_day: dict[date | None, list[tuple[int, int]]] = {}
    for d in drafts:
        starts_by_day.setdefault(d.day, []).append(d.start)
    for starts in starts_by_day.values():
        starts.sort()
    blocks: list[Block] = []
    for d in drafts:
        assert d.day is not None
        start = localize(_wall(d.day, d.start), tz, d.line)  # type: ignore[arg-type]
        end_inferred = False
        if d.end is not None:
            end_naive = _wall(d.day, d.end)  # type: ignore[arg-type]
            if d.end < d.start:
                if d.start[0] >= 18 and d.end[0] < 8:
                    end_naive += timedelta(days=1)
                    state.warn(f"'{d.title}' ends after midnight, on {end_naive.date().isoformat()}", d.line, "midnight")
                else:
                    state.warn(f"'{d.title}' ends ({d.end[0]:02d}:{d.end[1]:02d}) before it starts "
                               f"({d.start[0]:02d}:{d.start[1]:02d}); the end was ignored", d.line, "end-before-start")
                    end_naive = None  # type: ignore[assignment]
            elif d.end == d.start:
                end_naive = None  # type: ignore[assignment]
            end = localize(end_naive, tz, d.line) if end_naive is not None else None
        else:
            end = None
        if end is None:
            end_inferred = True
            end = _inferred_end(starts_by_day, d, start, tz, options, hours_end)
        blocks.append(
            Block(
                key="",
                title=d.title,
                start=start,
                end=end,
                number=d.number,
                end_inferred=end_inferred,
                duration_minutes=d.stated,
                description="\n".join(d.description).strip(),
                names=tuple(d.names),
                minutes_per_name=_minutes_per_name(d),
                line=d.line,
            )
        )
    blocks = [replace(b, key=k) for b, k in zip(blocks, block_keys(blocks))]

    hours = None
    if hours_span is not None:
        span, _ = hours_span
        day = blocks[0].start.date()
        if span.end is not None and span.start < (24, 0):
            h0 = localize(_wall(day, span.start), tz, hours_span[1])
            end_day = day + timedelta(days=1) if span.end <= span.start else day  # "20:00 – 02:00"
            h1 = localize(_wall(end_day, span.end), tz, hours_span[1])  # 24:00 is the next day's 00:00
            hours = (h0, h1)

    if note and label_disagrees(note):
        state.warn(note, label_line, "zone-label")
    _check(blocks, hours, state)
    return Agenda(
        title=title,
        timezone=MeetingZone(zone=zone, as_written=as_written, note=note),
        blocks=tuple(blocks),
        key=meeting_key(title, blocks[0].start.date()),
        location=location,
        conference_url=conference_url,
        hours=hours,
        warnings=tuple(sorted(state.warnings, key=lambda w: (w.line or 0, w.code))),
        source=source,
        language=guess_language("\n".join(line.text for line in lines)),
    )


def _wall(day: date, hm: tuple[int, int]) -> datetime:
    """The naive wall-clock time ``hm`` on ``day``; "24:00" is midnight at the end of the day."""
    return datetime.combine(day, time()) + timedelta(hours=hm[0], minutes=hm[1])


def _roll_past_midnight(drafts: list[Draft], hours_span: tuple[Span, int] | None, state: _State) -> None:
    """Blocks after midnight in an evening programme belong to the next day ("23:30 – 00:15", then "00:15 – 01:30").

    A day's programme has gone past midnight once a block has run over it, or started late in the evening, or the
    announced hours wrap ("20:00 – 02:00"); the morning-hour blocks listed after that are on the next day.
    """
    wraps_at = None
    if hours_span is not None and hours_span[0].end is not None and hours_span[0].end < hours_span[0].start:
        wraps_at = hours_span[0].start
    past_midnight: dict[date | None, bool] = {}
    evening: dict[date | None, bool] = {}
    for d in drafts:
        day = d.day
        if past_midnight.get(day) and d.start < (12, 0):
            d.day = day + timedelta(days=1)  # type: ignore[operator]
            state.warn(f"'{d.title}' ({d.start[0]:02d}:{d.start[1]:02d}) is read as after midnight, on "
                       f"{d.day.isoformat()}", d.line, "midnight")  # type: ignore[union-attr]
            continue
        if evening.get(day) and d.start < (6, 0):
            past_midnight[day] = True
            d.day = day + timedelta(days=1)  # type: ignore[operator]
            state.warn(f"'{d.title}' ({d.start[0]:02d}:{d.start[1]:02d}) is read as after midnight, on "
                       f"{d.day.isoformat()}", d.line, "midnight")  # type: ignore[union-attr]
            continue
        if d.end is not None and d.end < d.start and d.start >= (18, 0) and d.end <= (8, 0):
            past_midnight[day] = True
        if d.start >= (20, 0) or (wraps_at is not None and d.start >= wraps_at):
            evening[day] = True


def _minutes_per_name(d: Draft) -> int | None:
    for text in (d.title, *d.description):
        m = _PER_NAME.search(text)
        if m:
            return int(m.group("n") or m.group("n2"))
    return None


def _inferred_end(starts_by_day: dict[date | None, list[tuple[int, int]]], d: Draft, start: datetime, tz: ZoneInfo,
                  options: ReadOptions, hours_end: tuple[int, int] | None) -> datetime:
    """An end the agenda does not give: the stated duration, else the next block's start that day, else a default."""
    if d.stated:
        return _after(start, d.stated)
    if d.day_end is not None and d.day_end > d.start:
        return localize(_wall(d.day, d.day_end), tz, d.line)  # type: ignore[arg-type]
    day_starts = starts_by_day.get(d.day, [])
    following = bisect.bisect_right(day_starts, d.start)
    if following < len(day_starts):
        return localize(_wall(d.day, day_starts[following]), tz, d.line)  # type: ignore[arg-type]
    if hours_end is not None and hours_end > d.start:
        # the last item of the day runs until the announced end of the meeting
        return localize(_wall(d.day, hours_end), tz, d.line)  # type: ignore[arg-type]
    return _after(start, options.default_minutes)


def _after(start: datetime, minutes: int) -> datetime:
    """``minutes`` of elapsed time after ``start`` (not wall-clock arithmetic, which a DST change would skew)."""
    return (start.astimezone(ZoneInfo("UTC")) + timedelta(minutes=minutes)).astimezone(start.tzinfo)


def _meeting_zone(
    lines: list[Line], drafts: list[Draft], options: ReadOptions, source: str
) -> tuple[str, str | None, str | None, int | None]:
    """The meeting's IANA zone, the label as written, the reading note and the line of the label."""
    first_day = drafts[0].day
    assert first_day is not None
    at = datetime.combine(first_day, time(*min(drafts[0].start, (23, 59))))
    if options.meeting_tz:
        try:
            zone, note = resolve_label(options.meeting_tz, first_day, literal=options.literal_offsets, at=at)
        except ZoneError as e:
            raise ZoneError(f"--meeting-tz: {e.message}", hint=e.hint) from None
        return zone, options.meeting_tz, note, None

    def resolve(label: str, no: int) -> tuple[str, str | None, str | None, int | None]:
        try:
            zone, note = resolve_label(label, first_day, literal=options.literal_offsets, at=at)
        except ZoneError as e:
            raise ZoneError(e.message, file=source, line=no, hint=e.hint) from None
        # "CET" names a region: a place the header names on that clock ("Genève") gives its own zone, same instants.
        held = zone_for_place([h.text for h in lines if h.no < drafts[0].line and not h.furniture], zone, first_day) \
            if zone in {r.zone for r in REGIONS.values()} and not IANA_PATTERN.search(label) else None
        if held:
            zone, note = held[0], f"{note}; {held[1]}, named in the agenda, is on that clock: {held[0]}"
        return zone, label, note, no

    # "Time zone: Europe/Berlin", "Zeitzone: Berlin", "Zona horaria: America/Mexico_City": said outright, it wins,
    # and a name calsync does not know is an error that names it rather than "no zone given".
    for line in lines:
        stated = _ZONE_STATED.search(line.text) if line.text and not line.furniture else None
        if stated:
            named = IANA_PATTERN.search(line.text)  # "Time zone: CET (Europe/Amsterdam)": the IANA name is exact
            value = named.group(0) if named else stated.group("v").strip(" .;")
            try:
                return resolve(value, line.no)
            except ZoneError:
                # "Geneva time (CEST)": a place calsync has no zone for, but a label beside it that it knows
                other = find_label(line.text[stated.start("v"):])
                if other is None or other == value:
                    raise
                return resolve(other, line.no)
    # An IANA name anywhere ("Monday, 2 March 2026 (Europe/Berlin)") says it exactly; one calsync does not know is
    # reported as such if nothing else names the zone, rather than as a missing zone.
    unknown: ZoneError | None = None
    for line in lines:
        named = IANA_PATTERN.search(line.text) if line.text and not line.furniture else None
        if named:
            try:
                return resolve(named.group(0), line.no)
            except ZoneError as e:
                unknown = unknown or e
    keywords = re.compile(
        r"\b(?:time|times|heure|heures|horaire|hora|horario|horaria|zeit|zeiten|uhr|zone|fuseau)\b", re.I)
    for line in lines:
        if line.furniture or not line.text:
            continue
        if not (keywords.search(line.text) or _META.match(line.text) or starts_with_time(line.text)
                or re.search(r"\d[:.h]\d\d", line.text)):
            continue
        label = find_label(line.text)
        if not label and starts_with_time(line.text):
            try:
                span = span_at_start(line.text, line.no)
            except AgendaError:
                span = None
            label = span.zone if span else None  # "9:00 AM – 5:00 PM ET": two-letter labels only next to a time
        if label:
            return resolve(label, line.no)
    if unknown is not None:
        raise unknown
    raise ZoneError(
        "the agenda does not say which time zone its times are in", file=source,
        hint="pass --meeting-tz, e.g. --meeting-tz Europe/Paris (calsync never writes floating times)",
    )


def _check(blocks: list[Block], hours: tuple[datetime, datetime] | None, state: _State) -> None:
    """Warnings an organiser wants: durations, overlaps, gaps, hours, numbering."""
    for b in blocks:
        if b.duration_minutes is not None and not b.end_inferred and b.duration_minutes != b.minutes:
            state.warn(f"'{b.label}' says {b.duration_minutes} min but runs {b.start:%H:%M}–{b.end:%H:%M} "
                       f"({b.minutes} min)", b.line, "duration")
        if hours and not _within_hours(b, hours):
            state.warn(f"'{b.label}' ({b.start:%H:%M}–{b.end:%H:%M}) is outside the announced meeting hours "
                       f"{hours[0]:%H:%M}–{hours[1]:%H:%M}", b.line, "hours")
    utc = ZoneInfo("UTC")
    ordered = sorted(blocks, key=lambda b: (b.start.astimezone(utc), b.end.astimezone(utc)))
    gaps: dict[date, list[tuple[Block, Block]]] = {}
    for prev, nxt in zip(ordered, ordered[1:]):
        if prev.start.date() != nxt.start.date() or prev.end_inferred:
            continue
        prev_end, next_start = prev.end.astimezone(utc), nxt.start.astimezone(utc)
        if next_start < prev_end and not same_instant(prev.start, nxt.start):  # parallel sessions start together
            state.warn(f"'{nxt.label}' ({nxt.start:%H:%M}) starts before '{prev.label}' ends ({prev.end:%H:%M})",
                       nxt.line, "overlap")
        elif next_start > prev_end:
            gaps.setdefault(nxt.start.date(), []).append((prev, nxt))
    for day, pairs in gaps.items():
        # one line a day: unlisted breaks are common, so they are listed for checking rather than each flagged
        spans = ", ".join(f"{p.end:%H:%M}–{n.start:%H:%M}" for p, n in pairs)
        state.warn(f"nothing is scheduled on {day.isoformat()} at {spans}; add the breaks if they are missing",
                   pairs[0][1].line, "gap")
    seen: dict[str, Block] = {}
    for b in blocks:
        if not b.number:
            continue
        if b.number in seen:
            first = seen[b.number]
            state.warn(f"two blocks are numbered {b.number}: '{first.title}' (line {first.line}) and '{b.title}'; "
                       f"the second is probably {_next_number(b.number)}", b.line, "numbering")
        else:
            seen[b.number] = b


def _within_hours(block: Block, hours: tuple[datetime, datetime]) -> bool:
    """Whether the block lies within the announced hours of its own day (or of the day before, past midnight)."""
    tz = hours[0].tzinfo
    start, end = block.start.replace(tzinfo=None), block.end.astimezone(tz).replace(tzinfo=None)
    h0, h1 = hours[0].replace(tzinfo=None), hours[1].astimezone(tz).replace(tzinfo=None)
    for back in (0, 1):
        shift = datetime.combine(start.date(), time()) - datetime.combine(h0.date(), time()) - timedelta(days=back)
        if h0 + shift <= start and end <= h1 + shift:
            return True
    return False


def _next_number(number: str) -> str:
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
    if number in romans and romans.index(number) + 1 < len(romans):
        return romans[romans.index(number) + 1]
    if number.isdigit():
        return str(int(number) + 1)
    return "a different number"
