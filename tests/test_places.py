"""Places → zones from data: countries by where most people live, GeoNames towns in four languages, a meeting's
place."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from calsync.placenames import suggestions, zone_for_place
from calsync.places import cities_named, find_place, load_gazetteer, main_zone, same_clock
from calsync.zones import resolve_zone

# A country is the zone where most of its people live (its most populous town's zone in GeoNames), not tzdata's
# first row: Brazil was America/Noronha, Canada St John's, Russia Kaliningrad, Australia Lord Howe Island.
COUNTRIES = [
    # English
    ("Brazil", "America/Sao_Paulo"),
    ("Canada", "America/Toronto"),
    ("Russia", "Europe/Moscow"),
    ("Australia", "Australia/Sydney"),
    ("USA", "America/New_York"),
    ("United States", "America/New_York"),
    ("Mexico", "America/Mexico_City"),
    ("Indonesia", "Asia/Jakarta"),
    ("DR Congo", "Africa/Kinshasa"),
    ("Democratic Republic of the Congo", "Africa/Kinshasa"),
    ("Kazakhstan", "Asia/Almaty"),
    ("Malaysia", "Asia/Kuala_Lumpur"),
    ("China", "Asia/Shanghai"),
    ("Argentina", "America/Argentina/Buenos_Aires"),
    ("Spain", "Europe/Madrid"),
    ("Portugal", "Europe/Lisbon"),
    ("Chile", "America/Santiago"),
    ("Germany", "Europe/Berlin"),
    ("Turkey", "Europe/Istanbul"),
    ("BR", "America/Sao_Paulo"),
    # French
    ("Brésil", "America/Sao_Paulo"),
    ("Russie", "Europe/Moscow"),
    ("Australie", "Australia/Sydney"),
    ("États-Unis", "America/New_York"),
    ("Mexique", "America/Mexico_City"),
    ("Indonésie", "Asia/Jakarta"),
    ("République démocratique du Congo", "Africa/Kinshasa"),
    ("RDC", "Africa/Kinshasa"),
    ("Malaisie", "Asia/Kuala_Lumpur"),
    ("Chine", "Asia/Shanghai"),
    ("Allemagne", "Europe/Berlin"),
    # Spanish
    ("Brasil", "America/Sao_Paulo"),
    ("Canadá", "America/Toronto"),
    ("Rusia", "Europe/Moscow"),
    ("Estados Unidos", "America/New_York"),
    ("México", "America/Mexico_City"),
    ("República Democrática del Congo", "Africa/Kinshasa"),
    ("Kazajistán", "Asia/Almaty"),
    ("Malasia", "Asia/Kuala_Lumpur"),
    # German
    ("Brasilien", "America/Sao_Paulo"),
    ("Kanada", "America/Toronto"),
    ("Russland", "Europe/Moscow"),
    ("Australien", "Australia/Sydney"),
    ("Vereinigte Staaten", "America/New_York"),
    ("Mexiko", "America/Mexico_City"),
    ("Indonesien", "Asia/Jakarta"),
    ("Kongo-Kinshasa", "Africa/Kinshasa"),
    ("Demokratische Republik Kongo", "Africa/Kinshasa"),
    ("Kasachstan", "Asia/Almaty"),
    ("Deutschland", "Europe/Berlin"),
]

# Towns of 15,000 people or more, by their names in English, French, Spanish and German and common alternates.
CITIES = [
    # English
    ("Delhi", "Asia/Kolkata"),
    ("New Delhi", "Asia/Kolkata"),
    ("Mumbai", "Asia/Kolkata"),
    ("Bombay", "Asia/Kolkata"),
    ("Bangalore", "Asia/Kolkata"),
    ("Bengaluru", "Asia/Kolkata"),
    ("Beijing", "Asia/Shanghai"),
    ("Washington", "America/New_York"),
    ("Washington DC", "America/New_York"),
    ("Washington, D.C.", "America/New_York"),
    ("San Francisco", "America/Los_Angeles"),
    ("Boston", "America/New_York"),
    ("Seattle", "America/Los_Angeles"),
    ("Geneva", "Europe/Zurich"),
    ("Munich", "Europe/Berlin"),
    ("Barcelona", "Europe/Madrid"),
    ("Cape Town", "Africa/Johannesburg"),
    ("Sao Paulo", "America/Sao_Paulo"),
    ("Saint Petersburg", "Europe/Moscow"),
    ("Quebec City", "America/Toronto"),
    ("cape town", "Africa/Johannesburg"),
    # French
    ("Genève", "Europe/Zurich"),
    ("Pékin", "Asia/Shanghai"),
    ("Londres", "Europe/London"),
    ("Le Cap", "Africa/Johannesburg"),
    ("Moscou", "Europe/Moscow"),
    ("Varsovie", "Europe/Warsaw"),
    ("Saint-Pétersbourg", "Europe/Moscow"),
    ("Nouvelle-Orléans", "America/Chicago"),
    ("Montréal", "America/Toronto"),
    # Spanish
    ("Ginebra", "Europe/Zurich"),
    ("Pekín", "Asia/Shanghai"),
    ("Múnich", "Europe/Berlin"),
    ("Nueva York", "America/New_York"),
    ("Ciudad del Cabo", "Africa/Johannesburg"),
    ("Nueva Delhi", "Asia/Kolkata"),
    ("Moscú", "Europe/Moscow"),
    ("Los Ángeles", "America/Los_Angeles"),
    ("San Petersburgo", "Europe/Moscow"),
    # German
    ("Genf", "Europe/Zurich"),
    ("Peking", "Asia/Shanghai"),
    ("München", "Europe/Berlin"),
    ("Kapstadt", "Africa/Johannesburg"),
    ("Neu-Delhi", "Asia/Kolkata"),
    ("Moskau", "Europe/Moscow"),
    ("Warschau", "Europe/Warsaw"),
    ("Köln", "Europe/Berlin"),
    ("Frankfurt am Main", "Europe/Berlin"),
    # "City, Country" picks among places of one name
    ("Geneva, United States", "America/Chicago"),
    ("Barcelona, Venezuela", "America/Caracas"),
]


@pytest.mark.parametrize("name, zone", COUNTRIES)
def test_a_country_is_the_zone_where_most_of_its_people_live(name: str, zone: str) -> None:
    assert resolve_zone(name).zone == zone


@pytest.mark.parametrize("name, zone", CITIES)
def test_towns_by_their_names_in_four_languages(name: str, zone: str) -> None:
    assert resolve_zone(name).zone == zone


def test_a_country_with_one_zone_needs_no_population() -> None:
    assert main_zone("GH") == "Africa/Accra"  # tzdata's own name, as calendar clients know it
    assert main_zone("CM") == "Africa/Douala"


@pytest.mark.parametrize(
    "name, took, other",
    [
        ("Geneva", "Geneva, Switzerland (Europe/Zurich)", "Geneva, United States (America/Chicago)"),
        ("Barcelona", "Barcelona, Spain (Europe/Madrid)", "Barcelona, Venezuela (America/Caracas)"),
        ("Boston", "Boston, United States (America/New_York)", "Boston, United Kingdom (Europe/London)"),
    ],
)
def test_an_ambiguous_town_takes_the_most_populous_and_says_which(name: str, took: str, other: str) -> None:
    place = find_place(name)
    assert place is not None and place.city is not None and place.city.describe() == took
    assert other in [o.describe() for o in place.others]
    hint = resolve_zone(name).hint
    assert hint is not None and hint.startswith(f"{name} → {took}; for {other} write '")


def test_namesakes_on_the_same_clock_are_not_ambiguous() -> None:
    halle = find_place("Halle")  # in Germany and in Belgium: the same clock, nothing to say
    assert halle is not None and halle.zone == "Europe/Berlin" and halle.others == ()
    assert len(cities_named("Halle")) >= 2


@pytest.mark.parametrize(
    "typo, expected",
    [
        ("Guatamala", "Guatemala"),
        ("Genevaa", "Geneva"),
        ("Bogata", "Bogota"),
        ("Berln", "Berlin"),
        ("Hondoras", "Honduras"),
    ],
)
def test_suggestions_come_from_the_same_names(typo: str, expected: str) -> None:
    found = suggestions(typo)
    assert found[0] == expected and len(found) == len(set(found)) <= 4


@pytest.mark.parametrize(
    "text, region, on, expected",
    [
        ("Réunion à Genève", "Europe/Brussels", date(2026, 3, 12), ("Europe/Zurich", "Genève")),
        ("Genève, 12 mars 2026", "Europe/Brussels", date(2026, 3, 12), ("Europe/Zurich", "Genève")),
        ("Ort: Berlin, Rathaus", "Europe/Brussels", date(2026, 7, 1), ("Europe/Berlin", "Berlin")),
        ("Lugar: Madrid", "Europe/Brussels", date(2026, 7, 1), ("Europe/Madrid", "Madrid")),
        ("Workshop in Frankfurt am Main", "Europe/Brussels", date(2026, 7, 1), ("Europe/Berlin", "Frankfurt am Main")),
        ("Sitzung (München)", "Europe/Brussels", date(2026, 7, 1), ("Europe/Berlin", "München")),
        ("Ort: Im Rathaus, München", "Europe/Brussels", date(2026, 7, 1), ("Europe/Berlin", "München")),
        ("Meeting in St. Gallen", "Europe/Brussels", date(2026, 7, 1), ("Europe/Zurich", "St. Gallen")),
        ("Session in Phoenix", "America/Denver", date(2026, 1, 15), ("America/Phoenix", "Phoenix")),
        # not on the region's clock at that date: Phoenix keeps MST in July, Lisbon is not Central Europe
        ("Session in Phoenix", "America/Denver", date(2026, 7, 15), None),
        ("Meeting in Lisbon", "Europe/Brussels", date(2026, 3, 12), None),
        # a capitalised word that is a town elsewhere than where places are written (Time, Norway)
        ("Time: 16:00 – 18:00 (CET)", "Europe/Brussels", date(2020, 7, 22), None),
        ("Réunion virtuelle, 22 juillet 2020", "Europe/Brussels", date(2020, 7, 22), None),
        ("Meeting in IT security", "Europe/Brussels", date(2020, 7, 22), None),  # upper case: an acronym, not Italy
        # prose tells of other meetings: "lors de sa 6e réunion à Paris"
        (
            "Lors de sa 6e réunion du Groupe mondial de coordination à Paris, le 12 novembre 2020, l'Alliance 8.7 a "
            "adopté une procédure modifiée.",
            "Europe/Brussels",
            date(2020, 7, 22),
            None,
        ),
    ],
)
def test_zone_for_place(text: str, region: str, on: date, expected: tuple[str, str] | None) -> None:
    assert zone_for_place(text, region, on) == expected


def test_zone_for_place_takes_the_first_place_in_order() -> None:
    lines = ["Conférence à Genève", "Lieu : Berlin"]
    assert zone_for_place(lines, "Europe/Brussels", date(2026, 3, 12)) == ("Europe/Zurich", "Genève")


def test_same_clock_compares_every_hour_around_the_date() -> None:
    assert same_clock("Europe/Paris", "Europe/Berlin", date(2026, 3, 29))  # the day clocks change, together
    assert same_clock("Europe/London", "Europe/Lisbon")  # no date: a winter and a summer day
    assert not same_clock("America/Phoenix", "America/Denver")
    # Chile moved its clocks on 5 April 2026, Paraguay kept UTC-3: a week before they agree, a week after they do not
    assert not same_clock("America/Santiago", "America/Asuncion", date(2026, 3, 30))


def test_the_index_is_cached_and_a_broken_cache_is_built_again(tmp_path: Path) -> None:
    source = tmp_path / "cities.json"
    source.write_text(
        json.dumps(
            {
                "1": {
                    "name": "Geneva",
                    "countrycode": "CH",
                    "population": 201741,
                    "timezone": "Europe/Zurich",
                    "alternatenames": ["Genève", "Genf", "GVA", "ri nei wa", "Женева"],
                },
                "2": {
                    "name": "Geneva",
                    "countrycode": "US",
                    "population": 21806,
                    "timezone": "America/Chicago",
                    "alternatenames": [],
                },
            }
        ),
        encoding="utf-8",
    )
    cache = tmp_path / "cache" / "geonames.sqlite"
    built = load_gazetteer(source, cache)
    assert cache.exists() and not list(cache.parent.glob("*.tmp"))

    def names(g) -> set[str]:
        return {key for (key,) in g.db.execute("SELECT key FROM names")}

    # the names people write, not codes, transliterations or other scripts
    assert names(built) == {"geneva", "genève", "genf"}
    assert [(c.country, c.zone) for c in built.towns("geneva")] == [("CH", "Europe/Zurich"), ("US", "America/Chicago")]
    assert built.towns("genf")[0].zone == "Europe/Zurich" and built.largest_zone("US") == "America/Chicago"
    assert built.people_by_zone() == {"Europe/Zurich": 201741, "America/Chicago": 21806}
    source.write_text("{}", encoding="utf-8")  # read from the cache now, not from the JSON
    assert names(load_gazetteer(source, cache)) == {"geneva", "genève", "genf"}
    cache.write_bytes(b"\x00 not an index")
    source.write_text(
        json.dumps(
            {
                "1": {
                    "name": "Bern",
                    "countrycode": "CH",
                    "population": 134794,
                    "timezone": "Europe/Zurich",
                    "alternatenames": [],
                }
            }
        ),
        encoding="utf-8",
    )
    assert names(load_gazetteer(source, cache)) == {"bern"}  # a broken cache is built again
    assert names(load_gazetteer(source, cache)) == {"bern"}  # and written whole
