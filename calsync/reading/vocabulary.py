"""The words agendas use around their times, one concept at a time, in the four languages calsync reads.

Month and weekday names are not here: they come from CLDR through babel (``dates.py``). Everything else the reader
recognises by its words lives here, so a new language or a missing word is a change in one place. Each concept is a
:class:`Words` with the four languages side by side; ``tests/test_reading_stages.py`` checks that every concept covers
all four. Patterns are built from these lists by :func:`alternation`, longest words first.
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


def alternation(*concepts: Words) -> str:
    """A regex alternation of every word of ``concepts``, longest first, spaces matching any run of spaces."""
    words = {w for c in concepts for w in c.all()}
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
# "Agenda | 06 March 2013", "Last updated: …", "Distr.: Limited 13 February 2017": a date that is not the meeting's
PUBLICATION = Words(
    en=("last updated", "updated", "published", "issued", "posted", "revised", "distr", "version", "as of",
        "draft of", "deadline", "registration closes", "register by"),
    fr=("mis à jour", "mise à jour", "publié", "publié le", "version du", "révisé", "date limite", "inscription avant"),
    es=("actualizado", "actualización", "publicado", "versión", "revisado", "fecha límite", "inscripción hasta"),
    de=("stand", "aktualisiert", "veröffentlicht", "erstellt", "version vom", "anmeldeschluss", "anmeldung bis"),
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

# "Session II:", "Séance 3", "TOP 2", "Punto 4": a number before the title
NUMBERED = Words(
    en=("session", "item", "part", "point", "agenda item", "module", "panel", "workshop", "track"),
    fr=("séance", "seance", "session", "partie", "point", "module", "atelier", "table ronde"),
    es=("sesión", "sesion", "parte", "punto", "módulo", "modulo", "mesa", "taller"),
    de=("sitzung", "teil", "punkt", "top", "tagesordnungspunkt", "modul", "block", "forum"),
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

# fmt: on

CONCEPTS = {name: value for name, value in globals().items() if isinstance(value, Words)}
