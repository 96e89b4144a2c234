"""The words agendas use around their times, one concept at a time, in the four languages calsync reads.

Month and weekday names are not here: they come from CLDR through babel (``dates.py``), and the grammar of a clock
time, a date or a zone label (am/pm, "du 8 au 10", "CET") is its recogniser's (``clock.py``, ``dates.py``,
``zonelabels.py``). Every other word calsync recognises lives here, the reader's and its neighbours' (a participants
file's headers, "city" around a city's name, a platform named in a location), so a new language or a missing word is a
change in one place. Each concept is a :class:`Words` with the four languages side by side;
``tests/test_reading_stages.py`` checks that every concept covers all four. Patterns are built from these lists by
:func:`alternation`, longest words first, in verbose form with a comment a line.

This module imports nothing of calsync: every layer may use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """One concept's words in English, French, Spanish and German (lower case; regex-safe plain text)."""

    en: tuple[str, ...]
    fr: tuple[str, ...]
    es: tuple[str, ...]
    de: tuple[str, ...]

    def all(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.en + self.fr + self.es + self.de))

    def only(self, *langs: str) -> Words:
        """The words of ``langs`` only, where languages put them differently ("Stadt Wien", "Mexico City")."""
        return Words(*(getattr(self, lang) if lang in langs else () for lang in ("en", "fr", "es", "de")))

    def __or__(self, other: Words) -> Words:
        """Both concepts' words, language by language (a concept made of others)."""
        return Words(
            *(tuple(dict.fromkeys(getattr(self, lang) + getattr(other, lang))) for lang in ("en", "fr", "es", "de"))
        )


def alternation(*concepts: Words) -> str:
    """A regex alternation of every word of ``concepts``, longest first, spaces matching any run of spaces; words of
    one length in the order written (never a set's order, which changes from run to run with the hash seed)."""
    words = dict.fromkeys(w for c in concepts for w in c.all())
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


# The lists are tables of words, laid out by hand several to a line (one a line, as the formatter would have them,
# is a thousand lines to scroll): the formatter leaves them alone.
# fmt: off

# --- what a line says it is ------------------------------------------------------------------------------------------

# "Time: 16:00 – 18:00", "Horario: …": the meeting's hours (and often its date) follow.
TIME_KEYS = Words(
    en=("time", "times", "when", "hours"),
    fr=("heure", "heures", "horaire", "horaires", "quand"),
    es=("hora", "horario", "horas", "cuándo", "cuando"),
    de=("zeit", "uhrzeit", "wann", "zeiten"),
)
DATE_KEYS = Words(en=("date", "dates"), fr=("date",), es=("fecha", "fechas"), de=("datum", "termin"))
PLACE_KEYS = Words(
    en=("location", "venue", "place", "where", "platform"),
    fr=("lieu", "plateforme", "adresse"),
    es=("lugar", "plataforma", "sede"),
    de=("ort", "plattform", "veranstaltungsort"),
)
TITLE_KEYS = Words(en=("title", "event"), fr=("titre",), es=("título", "titulo", "evento"), de=("titel",))
# "Time zone: Europe/Berlin": the zone said outright
ZONE_KEYS = Words(
    en=("time zone", "timezone"),
    fr=("fuseau horaire", "fuseau"),
    es=("zona horaria", "huso horario", "uso horario"),
    de=("zeitzone",),
)
# Words that say a line is about the clock, so that a zone label may be near: "all times are in CAT", "heure locale"
CLOCK_WORDS = Words(
    en=("time", "times", "hours", "zone", "local"),
    fr=("heure", "heures", "horaire", "zone", "fuseau"),
    es=("hora", "horas", "horario", "horaria", "zona"),
    de=("zeit", "zeiten", "uhrzeit", "uhr", "zone"),
)
# Between clock words and a label: "times are in CAT", "les heures sont en WAT", "Zeiten sind in MEZ"
LINKING_WORDS = Words(
    en=("are", "is", "in"), fr=("sont", "est", "en"), es=("son", "es", "en"), de=("sind", "ist", "in")
)
# "hora de España", "heure de Paris", "local time Brussels", "Uhrzeit Berlin": the clock of a place named after it
PLACE_CLOCK = Words(
    en=("local time", "time"),
    fr=("heure", "heures", "horaire"),
    es=("hora", "horas", "horario"),
    de=("uhrzeit", "zeit"),
)
# Between those words and the place: "hora de", "heure d'", "time in", "hora del"
OF_PLACE = Words(en=("of", "in"), fr=("de", "d'", "d’", "en"), es=("de", "del", "en"), de=("in",))
# Headings that name the kind of document rather than the meeting ("Schedule", "Ordre du jour")
DOCUMENT_KINDS = Words(
    en=("agenda", "draft agenda", "provisional agenda", "programme", "program", "schedule", "timetable"),
    fr=("ordre du jour", "programme", "programme provisoire"),
    es=("orden del día", "orden del dia", "programa"),
    de=("tagesordnung", "programm", "ablauf", "zeitplan"),
)
# Page furniture: "Page 2 of 3", "Seite 2 von 3", "Página 2 de 3"; "p. 2", "S. 2" on a line of their own
PAGE = Words(en=("page", "pages"), fr=("page", "pages"), es=("página", "pagina"), de=("seite",))
PAGE_ABBREVIATIONS = Words(en=("p.",), fr=("p.",), es=("pág.", "pag.", "pág", "pag"), de=("s.",))
PAGE_OF = Words(en=("of",), fr=("sur", "de"), es=("de", "sobre"), de=("von",))
# "Agenda | 06 March 2013", "Last updated: …", "Distr.: Limited 13 February 2017": a date that is not the meeting's
PUBLICATION = Words(
    en=("last updated", "updated", "published", "issued", "posted", "revised", "distr", "version", "as of",
        "draft of", "deadline", "registration closes", "register by"),
    fr=("mis à jour", "mise à jour", "publié", "publié le", "version du", "révisé", "date limite", "inscription avant"),
    es=("actualizado", "actualización", "publicado", "versión", "revisado", "fecha límite", "inscripción hasta"),
    de=("stand", "aktualisiert", "veröffentlicht", "erstellt", "version vom", "anmeldeschluss", "anmeldung bis"),
)
# Words a sentence puts before its date: "the meeting on 3 May", "la réunion du 3 mai", "heute, 3. Mai"
BEFORE_A_DATE = Words(
    en=("on", "the", "today"),
    fr=("le", "ce", "du", "de", "aujourd'hui"),
    es=("el", "este", "de", "del", "hoy"),
    de=("am", "heute"),
)
# "Day 2", "Jour 2", "Tag 2", "Día 2"
DAY = Words(en=("day",), fr=("jour", "journée", "journee"), es=("día", "dia", "jornada"), de=("tag",))

# --- around a time ---------------------------------------------------------------------------------------------------

# Before a time at the start of a line: "A las 11:00 horas", "Ab 18 Uhr", "From 9:00", "À partir de 14h", "Um 10 Uhr"
TIME_LEAD_IN = Words(
    en=("from", "at", "starting at", "starts at", "beginning at", "doors open at", "doors open"),
    fr=("à partir de", "a partir de", "dès", "à", "de", "vers", "début à", "début"),
    es=("a las", "a partir de las", "a partir de", "desde las", "desde", "de", "hacia las", "a la"),
    de=("ab", "um", "von", "gegen", "beginn um", "beginn", "start um", "start"),
)
APPROXIMATE = Words(
    en=("ca.", "approx.", "approximately", "around", "about"),
    fr=("env.", "environ", "vers"),
    es=("aprox.", "aproximadamente", "hacia", "sobre las"),
    de=("ca.", "circa", "gegen", "etwa"),
)
# After a start time that has no end: "07.30 onwards", "ab 18 Uhr", "16h en continu"
ONWARDS = Words(
    en=("onwards", "onward", "on", "and after", "till late", "until late", "open end"),
    fr=("et après", "en continu", "jusqu'à la fin"),
    es=("en adelante", "hasta el final"),
    de=("open end", "offen", "ende offen", "bis open end"),
)
# Words that only say "hours" after a clock time: "11:00 horas", "10.00 hrs", "18 Uhr"
HOURS_WORDS = Words(en=("hrs", "hr", "hours", "h"), fr=("h", "heures"), es=("horas", "hrs", "hs", "h"), de=("uhr", "h"))
# A start-only line that only says the meeting ends: "12:00 Adjourn", "17h15 Clôture", "15.00 Uhr Ende"
CLOSING = Words(
    en=("adjourn", "adjourned", "adjournment", "close", "close of meeting", "close of the meeting", "close of day",
        "close of the day", "end", "end of meeting", "end of the meeting", "end of day", "meeting ends", "closing",
        "end of programme", "end of program", "end of the day", "finish"),
    fr=("fin", "fin de la réunion", "fin de la séance", "fin de la journée", "clôture", "cloture", "levée de séance",
        "levée de la séance", "fin des travaux"),
    es=("cierre", "fin", "fin de la reunión", "fin de la sesión", "fin de la jornada", "clausura", "término"),
    de=("ende", "ende der veranstaltung", "ende der sitzung", "ende der versammlung", "schluss", "tagungsende",
        "veranstaltungsende", "sitzungsende", "schluss der sitzung"),
)
# A block's length as stated: "(8 min)", "(5 Min.)", "30 minutos"
MINUTES = Words(
    en=("min", "mins", "minutes", "minute"),
    fr=("min", "minutes", "mn"),
    es=("min", "minutos"),
    de=("min", "minuten"),
)
# "(5 min. par pays)", "(je 5 Min.)": a time per name
PER_NAME = Words(
    en=("per", "each", "for each"),
    fr=("par", "chacun", "chacune", "pour chaque"),
    es=("por", "cada", "para cada"),
    de=("pro", "je", "jeweils"),
)

# --- titles and numbering -------------------------------------------------------------------------------------------

# Words that only number agenda items: "Item 3", "Point 2", "TOP 4" (unlike "Session", "Panel", which also name them)
ITEM_WORDS = Words(
    en=("item", "agenda item", "point"),
    fr=("point",),
    es=("punto",),
    de=("punkt", "top", "tagesordnungspunkt"),
)
# "Session II:", "Séance 3", "TOP 2", "Punto 4": a number before the title
NUMBERED = ITEM_WORDS | Words(
    en=("session", "part", "module", "panel", "workshop", "track"),
    fr=("séance", "seance", "session", "partie", "module", "atelier", "table ronde"),
    es=("sesión", "sesion", "parte", "módulo", "modulo", "mesa", "taller"),
    de=("sitzung", "teil", "modul", "block", "forum"),
)
# Before a number that is no time: "Room 10", "Nr. 12", "Art. 5" (besides pages and numbered items)
NUMBER_WORDS = Words(
    en=("no", "nr", "n°", "n", "art"), fr=("n°", "no", "n", "art"), es=("n°", "no", "n", "art"), de=("nr", "art")
)
# Words that cannot end a title: a title ending on one was wrapped onto the next line
DANGLING = Words(
    en=("the", "of", "on", "a", "an", "and", "or", "to", "for", "in", "at", "by", "with", "under", "from"),
    fr=("de", "la", "le", "les", "des", "du", "et", "à", "au", "aux", "en", "pour", "sur", "par", "d'", "l'"),
    es=("de", "la", "el", "los", "las", "del", "y", "para", "con", "en", "por", "al"),
    de=("der", "die", "das", "den", "dem", "und", "für", "mit", "von", "zu", "zur", "zum", "im", "am"),
)
PLACEHOLDER = Words(
    en=("coming soon", "tbc", "tba", "tbd", "to be confirmed", "to be announced"),
    fr=("à confirmer", "a confirmer", "à venir", "à préciser"),
    es=("a confirmar", "por confirmar", "por definir", "próximamente"),
    de=("n.n.", "nn", "offen", "folgt", "wird bekannt gegeben"),
)

# --- what is numbered -------------------------------------------------------------------------------------------------

# After one of these words a number is that thing's: "Session 3 - 10 March" is 10 March, "Panel 2 - 3:30 pm" starts at
# 3:30 pm. Items, rooms, pages, days (below) and the parts of a document or a programme.
NUMBERED_PARTS = Words(
    en=("items", "chapter", "article", "section", "annex", "table", "group", "round", "week", "level", "floor", "step",
        "phase"),
    fr=("article", "section", "annexe", "groupe", "semaine", "phase"),
    es=("anexo", "grupo", "semana"),
    de=("anlage", "gruppe", "woche", "phase"),
)

# --- people -----------------------------------------------------------------------------------------------------------

# A label whose value is one person ("Speaker: Maria Gonzalez, Program Director, Civic Data Lab")
ONE_PERSON_LABELS = Words(
    en=("speaker", "keynote speaker", "presenter", "moderator", "chair", "facilitator", "host", "discussant",
        "respondent", "trainer", "lecturer", "instructor"),
    fr=("intervenant", "intervenante", "orateur", "oratrice", "modérateur", "modératrice", "animateur", "animatrice",
        "président de séance", "présidente de séance", "formateur", "formatrice", "conférencier", "conférencière"),
    es=("ponente", "moderador", "moderadora", "conferencista", "conferenciante", "presentador", "presentadora",
        "facilitador", "facilitadora", "relator", "relatora"),
    de=("referent", "referentin", "redner", "rednerin", "sprecher", "sprecherin", "moderator", "moderatorin",
        "leitung", "trainer", "trainerin", "vortragende", "vortragender", "dozent", "dozentin"),
)
# A label whose value is a list of people
PEOPLE_LABELS = Words(
    en=("speakers", "keynote speakers", "panel", "panelists", "panellists", "presenters", "moderators", "chairs",
        "facilitators", "hosts", "discussants", "respondents", "trainers", "with", "featuring", "participants",
        "invited speakers"),
    fr=("intervenants", "intervenantes", "orateurs", "panélistes", "panelistes", "modérateurs", "modération",
        "animation", "avec", "formateurs", "conférenciers", "participants"),
    es=("ponentes", "panelistas", "moderadores", "moderación", "conferencistas", "presentadores", "con", "participan",
        "intervienen", "facilitadores"),
    de=("referenten", "referentinnen", "redner", "rednerinnen", "sprecher", "moderation", "podium", "mit",
        "vortragende", "dozenten", "diskutanten", "gäste"),
)
# "Moderated by …", "animé par …", "moderado por …", "moderiert von …"
BY_LABELS = Words(
    en=("moderated by", "chaired by", "presented by", "facilitated by", "hosted by", "led by", "by"),
    fr=("animé par", "animée par", "modéré par", "modérée par", "présidé par", "présidée par", "présenté par",
        "présentée par", "par"),
    es=("moderado por", "moderada por", "presentado por", "presentada por", "a cargo de", "por"),
    de=("moderiert von", "geleitet von", "präsentiert von", "mit", "von"),
)
# Words of a role or an organisation: after a name they belong to it ("Ms. Ana Silva, UNDP")
ROLE_WORDS = Words(
    en=("director", "president", "vice", "chair", "chairman", "chairperson", "professor", "minister", "secretary",
        "ceo", "cfo", "cto", "head", "manager", "officer", "coordinator", "lead", "founder", "co-founder", "advisor",
        "adviser", "ambassador", "representative", "member", "fellow", "researcher", "lecturer", "editor", "dean",
        "university", "institute", "ministry", "department", "agency", "foundation", "association", "council",
        "commission", "committee", "centre", "center", "lab", "laboratory", "school", "college", "office", "bank",
        "organisation", "organization", "programme", "program", "network", "group", "inc", "ltd", "llc", "gmbh",
        "senior", "deputy", "executive", "chief", "general", "regional", "national", "international"),
    fr=("directeur", "directrice", "président", "présidente", "professeur", "professeure", "ministre", "secrétaire",
        "chargé", "chargée", "responsable", "délégué", "déléguée", "conseiller", "conseillère", "université",
        "institut", "ministère", "agence", "fondation", "association", "conseil", "commission", "comité", "centre",
        "laboratoire", "école", "maire", "adjoint", "adjointe", "chercheur", "chercheuse"),
    es=("director", "directora", "presidente", "presidenta", "profesor", "profesora", "ministro", "ministra",
        "secretario", "secretaria", "coordinador", "coordinadora", "jefe", "jefa", "universidad", "instituto",
        "ministerio", "agencia", "fundación", "asociación", "consejo", "comisión", "comité", "centro", "escuela",
        "alcalde", "alcaldesa", "investigador", "investigadora", "asesor", "asesora", "embajador", "embajadora"),
    de=("direktor", "direktorin", "präsident", "präsidentin", "professor", "professorin", "minister", "ministerin",
        "geschäftsführer", "geschäftsführerin", "leiter", "leiterin", "vorsitzender", "vorsitzende", "referent",
        "universität", "institut", "ministerium", "bundesamt", "stiftung", "verband", "verein", "rat", "kommission",
        "ausschuss", "zentrum", "hochschule", "bürgermeister", "bürgermeisterin", "staatssekretär", "abteilung",
        "landrat", "landrätin", "gmbh", "e.v."),
)
# Honorifics before a name
HONORIFICS = Words(
    en=("mr", "mrs", "ms", "mx", "dr", "prof", "sir", "dame", "h.e", "hon", "amb", "ambassador", "rev"),
    fr=("m", "mme", "mlle", "me", "pr", "dr", "prof", "s.e"),
    es=("sr", "sra", "srta", "dña", "don", "dr", "dra", "lic", "ing", "prof", "excmo", "excma"),
    de=("herr", "frau", "dr", "prof", "dipl.-ing", "mdb", "mdl"),
)


# --- table headers: what a column holds -------------------------------------------------------------------------------

TIME_HEADER = Words(
    en=("time", "times", "when", "start", "from", "slot", "hour"),
    fr=("heure", "heures", "horaire", "horaires", "créneau", "créneaux", "début", "quand"),
    es=("hora", "horas", "horario", "inicio", "cuándo", "cuando"),
    de=("zeit", "uhrzeit", "beginn", "start", "von", "wann"),
)
END_HEADER = Words(en=("end", "until", "to"), fr=("fin", "jusqu'à"), es=("fin", "término", "hasta"), de=("ende", "bis"))
DATE_HEADER = Words(en=("date", "day"), fr=("date", "jour"), es=("fecha", "día", "dia"), de=("datum", "tag"))
TITLE_HEADER = Words(
    en=("title", "session", "activity", "programme", "program", "topic", "description", "event", "item", "talk",
        "agenda", "what", "subject"),
    fr=("titre", "séance", "session", "activité", "activités", "programme", "thème", "sujet", "description",
        "intitulé", "événement", "quoi", "contenu"),
    es=("título", "titulo", "sesión", "actividad", "actividades", "programa", "tema", "descripción", "evento", "qué",
        "contenido"),
    de=("titel", "programmpunkt", "programm", "thema", "veranstaltung", "beschreibung", "inhalt", "was",
        "tagesordnungspunkt", "ablauf"),
)
PEOPLE_HEADER = Words(
    en=("speaker", "speakers", "presenter", "presenters", "who", "chair", "moderator", "responsible", "lead", "host",
        "panelists"),
    fr=("intervenant", "intervenants", "orateur", "orateurs", "qui", "responsable", "animateur", "animation",
        "modérateur"),
    es=("ponente", "ponentes", "quién", "quien", "responsable", "moderador", "presentador"),
    de=("referent", "referenten", "referentin", "wer", "verantwortlich", "leitung", "moderation", "sprecher"),
)
ROOM_HEADER = Words(
    en=("room", "location", "venue", "where", "place", "hall"),
    fr=("salle", "lieu", "où", "endroit"),
    es=("sala", "lugar", "dónde", "donde", "aula"),
    de=("raum", "ort", "saal", "wo", "hörsaal"),
)

# --- places -----------------------------------------------------------------------------------------------------------

# A room or hall: "Salle 3", "Aula Magna", "Hörsaal 1", "Foyer"
ROOMS = Words(
    en=("room", "hall", "auditorium", "foyer"),
    fr=("salle", "amphi", "amphithéâtre", "auditorium", "foyer"),
    es=("sala", "aula", "auditorium"),
    de=("raum", "saal", "hörsaal", "aula", "mensa", "foyer"),
)
# The word "street" of an address, before or after its number: "12 rue de la Paix", "Calle Mayor 3", "Kantstr. 5"
STREET_WORDS = Words(
    en=("street", "avenue"), fr=("rue", "avenue"), es=("calle", "avenida"), de=("straße", "strasse", "str.")
)
# Streets and squares whose number follows them: "Platz der Demokratie 2", "Bd. Haussmann 3", "Main Road 5"
STREETS = STREET_WORDS | Words(
    en=("road", "st.", "square"),
    fr=("av.", "boulevard", "bd", "bd."),
    es=("plaza",),
    de=("platz", "markt", "weg", "allee", "gasse", "ufer"),
)
# A line that says where the meeting is held (for the place's zone): "Location: Geneva", "Ort: Berlin"
VENUE_KEYS = Words(
    en=("location", "venue", "place", "where", "address"),
    fr=("lieu", "adresse"),
    es=("lugar", "sede", "dirección", "direccion"),
    de=("ort", "veranstaltungsort", "tagungsort"),
)
# Before a place's name in a header: "Réunion à Genève", "Meeting in Geneva", "Tagung bei Berlin", "Reunión en Lima"
HELD_IN = Words(
    en=("in", "at"),
    fr=("à", "au", "en", "de", "d'", "d’"),
    es=("en", "a", "de"),
    de=("in", "zu", "bei", "nach", "aus"),
)
# Everything a number may be the number of (see NUMBERED_PARTS)
NUMBERED_THINGS = NUMBERED | ROOMS | PAGE | NUMBER_WORDS | DAY | NUMBERED_PARTS
# The word "city" around a city's name: "Mexico City", "Ciudad de México", "Ville de Québec", "Stadt Wien"
CITY = Words(en=("city",), fr=("ville", "cité", "cite"), es=("ciudad",), de=("stadt",))

# --- a participants file: what a column holds -------------------------------------------------------------------------

PARTICIPANT_NAME_HEADER = Words(
    en=("name", "participant", "person", "full name"),
    fr=("nom", "participant"),
    es=("nombre", "participante"),
    de=("name", "teilnehmer", "teilnehmerin"),
)
EMAIL_HEADER = Words(en=("email", "e-mail", "mail"), fr=("courriel", "e-mail"), es=("correo", "e-mail"), de=("e-mail",))
ZONE_HEADER = ZONE_KEYS | Words(en=("zone", "tz", "iana"), fr=("fuseau",), es=("zona horaria",), de=("zeitzone",))
PLACE_HEADER = CITY | Words(
    en=("country", "place", "location"),
    fr=("pays", "ville"),
    es=("país", "ciudad"),
    de=("land", "stadt"),
)

# --- video platforms named in a location ------------------------------------------------------------------------------

# "via Teams", "sur Teams", "über Teams", "plataforma Teams": "Teams" then names the product, not a team
ON_PLATFORM = Words(
    en=("via", "on", "in"),
    fr=("via", "sur", "en", "plateforme"),
    es=("por", "en", "plataforma"),
    de=("über", "per", "plattform"),
)
# "Teams meeting", "Teams-Besprechung", "réunion Teams"
MEETING_WORDS = Words(
    en=("meeting", "link", "call"),
    fr=("réunion",),
    es=("reunión",),
    de=("besprechung", "sitzung"),
)

# fmt: on

CONCEPTS = {name: value for name, value in globals().items() if isinstance(value, Words)}
