"""The inputs of ``fuzz_inputs.py``: one hostile case per run, drawn from a seeded random generator.

Kinds (with their share of the runs): text agendas mangled and with escapes spliced in, big realistic text agendas,
reviewed JSON and YAML with hostile values, YAML bombs, PDFs and Word files (bombs, damage), hostile option values,
participant lists, -o targets, and Google credentials (tokens, token and key files) with push and auth.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import hostile_inputs as hi  # noqa: E402

UNCLEAN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
DATA = ROOT / "tests" / "data"
EXAMPLE = ROOT / "calsync" / "examples" / "alliance87-gcm8-2020-07-22.fr.md"
KINDS = (
    ("text", 30),
    ("text-big", 2),
    ("json", 18),
    ("yaml", 10),
    ("pdf", 7),
    ("docx", 5),
    ("options", 12),
    ("participants", 5),
    ("output", 5),
    ("google", 6),
)
ESCAPES = [
    b"\x1b[31m",
    b"\x1b]0;pwned\x07",
    b"\xc2\x9b2J",
    b"\x00",
    b"\r",
    b"\r=1+1",
    b"\x0c",
    b"\xc2\x85",
    b"\x7f",
    b"\x08",
    b"\xe2\x80\xae",
    b"[z](https://zoom.us/j/9\x1b)",
    b"@x",
    b"\xff",
    b"\xed\xa0\x80",
]
TOKENS = [
    b"25:00",
    b" - ",
    b"\n16:00 - 17:00 Item\n",
    b"CEST",
    b"GMT+14",
    b"UTC+5:30",
    b"\n# ",
    b"**",
    b"|",
    b"31.02.2020",
    b"Monday, 29 February 2021\n",
    b"9999-12-31",
    b"0001-01-01",
    b"\n02:30 - 03:30 Night\n",
    b"Date: 31 December 9999\n",
    b"1 January 1 (CET)\n",
    b"(99999999999 min par pays)",
    b"https://",
    b"\t",
]
HOSTILE_STRINGS = [
    "\x1b[31mred",
    "\x1b]0;t\x07",
    "\x9b2J",
    "a\x00b",
    "a\rb",
    "=1+1",
    "\r=HYPERLINK(1)",
    "\ud800",
    "@handle",
    "javascript:alert(1)",
    "data:text/html,x",
    "https://zoom.us/j/1\x1b",
    "x" * 3000,
    "Europe/" + "A" * 300,
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00",
    "2021-03-28T02:30:00",
    "",
    " ",
    "null",
    "1e999",
    "Ｆｕｌｌ",
    "../../../etc/passwd",
    "\u202eevil",
]
COMMANDS = [
    ["parse"],
    ["parse", "-f", "yaml"],
    ["ics"],
    ["ics", "--meeting-event", "--alarm", "10"],
    ["times"],
    ["times", "-f", "csv"],
    ["times", "-f", "json"],
    ["times", "-f", "markdown"],
    ["times", "-f", "html"],
    ["times", "--tz", "Ghana,Asia/Kolkata"],
    ["ics", "--utc"],
    ["push", "--dry-run"],
]


@dataclass
class Case:
    number: int
    kind: str
    args: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    modes: dict[str, int] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    devices: tuple[str, ...] = ()
    binary_stdout: bool = False

    def write(self, folder: Path) -> None:
        for name, data in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for name, mode in self.modes.items():
            (folder / name).chmod(mode)
        for name, target in self.links.items():
            (folder / name).symlink_to(target)
        for name in self.devices:
            if os.geteuid() == 0:
                os.mknod(folder / name, stat.S_IFCHR | 0o666, os.makedev(1, 3))

    def shown_args(self) -> list[str]:
        return [repr(a)[1:-1][:60] for a in self.args]


def mangle(data: bytes, rng: random.Random, extra: list[bytes] | None = None) -> bytes:
    """A real input with bytes deleted, inserted, flipped, duplicated, cut or its lines shuffled."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.choice(["delete", "insert", "insert", "flip", "duplicate", "truncate", "lines"])
        at = rng.randint(0, max(0, len(out) - 1))
        if op == "delete":
            del out[at : at + rng.randint(1, 200)]
        elif op == "insert":
            out[at:at] = rng.choice(TOKENS + ESCAPES + (extra or []))
        elif op == "flip" and out:
            out[at] = rng.randint(0, 255)
        elif op == "duplicate":
            out[at:at] = out[at : at + rng.randint(1, 400)]
        elif op == "truncate" and rng.random() < 0.3:
            del out[at:]
        elif op == "lines":
            lines = bytes(out).split(b"\n")
            rng.shuffle(lines)
            out = bytearray(b"\n".join(lines))
    return bytes(out)


def hostile_value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(HOSTILE_STRINGS)
    if roll < 0.5:
        return rng.choice([None, True, False, 0, -1, 2**70, 1.5, float("inf"), float("nan"), 10**30])
    if roll < 0.6 and depth < 3:
        return [hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if roll < 0.7 and depth < 3:
        return {rng.choice(["a", "", "\x1b", "title", "zone"]): hostile_value(rng, depth + 1)}
    return "".join(
        chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0x2FFF), 0x1B, 0x9B, 0xD800]))
        for _ in range(rng.randint(0, 12))
    )


def edit(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    data = json.loads(json.dumps(data))
    for _ in range(rng.randint(1, 4)):
        blocks = data.get("blocks")
        target: Any = data
        if rng.random() < 0.6 and isinstance(blocks, list) and blocks:
            target = rng.choice(blocks)
            if not isinstance(target, dict):
                continue
        name = rng.choice(list(target) + ["extra", "zone"])
        if rng.random() < 0.15:
            target.pop(name, None)
        else:
            target[name] = hostile_value(rng)
    return data


class Corpus:
    """Everything the cases are drawn from, built once before the runs."""

    def __init__(self, rng: random.Random) -> None:
        from calsync.reading import ReadOptions, read_agenda
        from calsync.reading.structured import dump_structured

        self.rng = rng
        self.texts = [p.read_bytes() for p in sorted(DATA.glob("[0-9][0-9]-*.md"))] + [EXAMPLE.read_bytes()]
        self.structured: list[dict[str, Any]] = [json.loads((DATA / "seed.hand.json").read_text(encoding="utf-8"))]
        for path in sorted(DATA.glob("[0-9][0-9]-*.md")):
            with contextlib.suppress(Exception):
                agenda = read_agenda(path, ReadOptions(today=date(2026, 1, 1)))
                self.structured.append(json.loads(dump_structured(agenda, "json")))
        self.documents = self._documents()
        self.bombs = self._bombs()

    def _documents(self) -> list[tuple[str, bytes]]:
        docs = [
            (
                "agenda.pdf",
                hi.text_pdf(
                    ["Meeting", "Date: 22 July 2020 (CET)", "16:00 - 17:00 Opening", "17:00 - 18:00 Discussion"]
                ),
            )
        ]
        with contextlib.suppress(BaseException):  # fpdf2 and the DejaVu fonts may be missing: the helpers above remain
            from documents_builder import agenda_docx, agenda_pdf

            for text in self.texts[:4]:
                markdown = text.decode("utf-8")
                docs.append(("agenda.docx", agenda_docx(markdown)))
                docs.append(("agenda.pdf", agenda_pdf(markdown)))
        return docs

    def _bombs(self) -> list[tuple[str, bytes]]:
        from documents_builder import encrypted_pdf

        mib = hi.MiB
        bombs = [
            ("bomb.pdf", hi.pdf_bomb(1024 * mib)),
            ("lzw.pdf", hi.one_page_pdf(hi.lzw_bomb(), b"/Filter /LZWDecode")),
            ("rl.pdf", hi.one_page_pdf(hi.run_length_bomb(), b"/Filter /RunLengthDecode")),
            ("picture.pdf", hi.pdf_bomb(256 * mib, b"/Subtype /Image /Filter /FlateDecode")),
            ("escaped.pdf", hi.pdf_bomb(128 * mib, b"/Filter /Fl#61teDecode")),
            (
                "near.pdf",
                hi.one_page_pdf(zlib.compress(b"BT /F1 10 Tf 100 700 Td (Hi) Tj ET\n" * 12_000)),
            ),  # under the page limit
            ("bomb.docx", hi.docx_bomb(1024 * mib)),
            ("lying.docx", hi.docx_lying_sizes(256 * mib)),
        ]
        with contextlib.suppress(Exception):
            bombs.append(("locked.pdf", encrypted_pdf(hi.pdf_bomb(96 * mib), password="")))
        return bombs

    @contextlib.contextmanager
    def google(self) -> Iterator[str]:
        from fake_google import FakeGoogleCalendar

        with FakeGoogleCalendar() as server:
            yield server.root

    # --- one case --------------------------------------------------------------------------------------------------

    def case(self, number: int, endpoint: str) -> Case:
        rng = random.Random(self.rng.random())
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        case = getattr(self, "_" + kind.replace("-", "_"))(rng, number, endpoint)
        case.kind = kind
        return case

    def _command(
        self, rng: random.Random, name: str, endpoint: str, number: int, kind: str, files: dict[str, bytes]
    ) -> Case:
        command = list(rng.choice(COMMANDS))
        env: dict[str, str] = {}
        if command[0] == "push":
            env = {"GOOGLE_OAUTH_ACCESS_TOKEN": "x", "CALSYNC_GOOGLE_API_ENDPOINT": endpoint}
        if rng.random() < 0.3:
            command.append("-q")
        if rng.random() < 0.15:
            ext = {
                "parse": ".json",
                "ics": ".ics",
                "times": rng.choice([".csv", ".html", ".md", ".json", ".txt"]),
                "push": "",
            }[command[0]]
            if ext:
                command += ["-o", f"out{ext}"]
        # Most of the real agendas name no zone, some no year: supply them as a person would, so most runs go on to
        # every output instead of stopping at the first question.
        if kind in ("text", "pdf", "docx") and rng.random() < 0.8:
            command += ["--meeting-tz", rng.choice(["Europe/Paris", "America/Bogota", "CET", "UTC+5:30"])]
            if rng.random() < 0.7:
                command += ["--date", rng.choice(["2024-03-05", "2021-03-28", "2020-10-25", "2026-07-22"])]
        return Case(number, kind, [command[0], name, *command[1:]], files=files, env=env)

    def _text(self, rng: random.Random, number: int, endpoint: str) -> Case:
        data = rng.choice(self.texts)
        if rng.random() < 0.5:  # escapes alone, so that most of these are read and reach every output
            spliced = bytearray(data)
            for _ in range(rng.randint(1, 5)):
                at = rng.randint(0, len(spliced))
                spliced[at:at] = rng.choice([e for e in ESCAPES if e not in (b"\x00", b"\xff", b"\xed\xa0\x80")])
            data = bytes(spliced)
        else:
            data = mangle(data, rng)
        return self._command(rng, "agenda.md", endpoint, number, "text", {"agenda.md": data})

    def _text_big(self, rng: random.Random, number: int, endpoint: str) -> Case:
        from bench_reader_scaling import agenda_text

        text = agenda_text(rng.choice(["programme", "joined"]), rng.choice([2_000, 5_000, 10_000, 20_000]))
        return self._command(rng, "big.md", endpoint, number, "text-big", {"big.md": text.encode()})

    def _json(self, rng: random.Random, number: int, endpoint: str) -> Case:
        roll = rng.random()
        if roll < 0.08:
            text = rng.choice(
                [
                    hi.deep_json(rng.choice([40, 1000, 100_000])),
                    json.dumps({"timezone": "UTC", "blocks": [{}] * rng.choice([10_001, 300_000])}),
                    '{"title": "x", "blocks": [], "timezone": "UTC", "n": ' + "9" * 5000 + "}",
                ]
            )
            data = text.encode()
        else:
            edited = edit(rng.choice(self.structured), rng)
            data = json.dumps(edited, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
            if rng.random() < 0.2:
                data = mangle(data, rng, [b"\\ud800", b"1e999", b"{", b"]"])
        return self._command(rng, "agenda.json", endpoint, number, "json", {"agenda.json": data})

    def _yaml(self, rng: random.Random, number: int, endpoint: str) -> Case:
        roll = rng.random()
        if roll < 0.15:
            text = rng.choice(
                [
                    hi.yaml_alias_bomb(rng.randint(3, 12)),
                    hi.deep_yaml(rng.choice([40, 1000])),
                    "title: &t [1, *t]\n",
                    "title: !!python/object/apply:os.system ['true']\n",
                    "start: 2020-13-45 16:00:00\n",
                    "a: &a {x: 1}\nb:\n  <<: *a\n" * 3,
                    "n: " + "9" * 5000 + "\n",
                    "--- a\n--- b\n",
                ]
            )
            data = text.encode()
        else:
            edited = edit(rng.choice(self.structured), rng)
            data = yaml.safe_dump(edited, allow_unicode=rng.random() < 0.5).encode("utf-8", "surrogatepass")
            if rng.random() < 0.2:
                data = mangle(data, rng, [b"&a ", b"*a", b"!!binary x", b"? [a]\n: b\n"])
        return self._command(rng, "agenda.yaml", endpoint, number, "yaml", {"agenda.yaml": data})

    def _pdf(self, rng: random.Random, number: int, endpoint: str) -> Case:
        if rng.random() < 0.4:
            name, data = rng.choice([b for b in self.bombs if b[0].endswith(".pdf")])
        else:
            name, data = rng.choice([d for d in self.documents if d[0].endswith(".pdf")])
            data = mangle(data, rng, [b"stream\n", b"/Filter /LZWDecode", b"%%EOF", b"/Encrypt"])
        return self._command(rng, name, endpoint, number, "pdf", {name: data})

    def _docx(self, rng: random.Random, number: int, endpoint: str) -> Case:
        if rng.random() < 0.4:
            name, data = rng.choice([b for b in self.bombs if b[0].endswith(".docx")])
        elif rng.random() < 0.1:
            name, data = "many.docx", _many_members(rng.choice([100, 20_000]))
        else:
            docx = [d for d in self.documents if d[0].endswith(".docx")] or [("agenda.docx", b"PK\x03\x04")]
            name, data = rng.choice(docx)
            data = mangle(data, rng)
        return self._command(rng, name, endpoint, number, "docx", {name: data})

    def _options(self, rng: random.Random, number: int, endpoint: str) -> Case:
        command = rng.choice([["parse"], ["ics"], ["times"], ["times", "-f", "html"]])
        option = rng.choice(
            [
                "--encoding",
                "--date",
                "--meeting-tz",
                "--tz",
                "--zoom-url",
                "--meeting-key",
                "--work-hours",
                "--alarm",
                "SOURCE_DATE_EPOCH",
            ]
        )
        values = {
            "--encoding": [
                "rot13",
                "zlib",
                "punycode",
                "idna",
                "unicode_escape",
                "raw_unicode_escape",
                "utf-7",
                "utf-32",
                "cp1252",
                "latin-1",
                "utf-16",
                "x" * 300,
                "utf\x00",
                "base64",
                "hex",
                "undefined",
            ],
            "--date": [
                "9999-12-31",
                "0001-01-01",
                "1899-12-31",
                "3000-01-01",
                "2020-02-30",
                "2021-03-28",
                "1900-01-01",
                "2999-12-31",
                "x",
            ],
            "--meeting-tz": HOSTILE_STRINGS + ["UTC+99", "Etc/GMT+13", "CET", "Europe/Paris\x00"],
            "--tz": HOSTILE_STRINGS + ["Ghana," * 200, "GH,,,", "UTC-12", "Pacific/Kiritimati"],
            "--zoom-url": HOSTILE_STRINGS + ["https://zoom.us/j/1", "http://[::1", "https://" + "a" * 5000],
            "--meeting-key": HOSTILE_STRINGS + ["ok-key", "-bad"],
            "--work-hours": ["25:00-26:00", "00:00-24:00", "x", "9-5", "23:59-24:00"],
            "--alarm": ["-1", "99999999999999999999", "10", "x"],
            "SOURCE_DATE_EPOCH": ["99999999999999", "-99999999999", "1e9", "x", "0"],
        }[option]
        value = rng.choice(values)
        if "\x00" in value:
            value = value.replace("\x00", "")  # no argv or environment can hold a NUL
        if option == "--meeting-key" and command[0] == "times":
            command = ["ics"]
        if option == "--alarm" or (option == "--zoom-url" and command[0] != "ics"):
            command = ["ics"]
        if option == "--work-hours":
            command = ["times"]
        env = {"SOURCE_DATE_EPOCH": value} if option == "SOURCE_DATE_EPOCH" else {}
        args = [*command, "agenda.md"] + ([] if env else [option, value])
        text = rng.choice(self.texts)
        if option == "--encoding" and rng.random() < 0.5:
            text = text.decode("utf-8").encode(rng.choice(["utf-32", "utf-16", "utf-8-sig", "cp1252"]), "replace")
        return Case(number, "options", args, files={"agenda.md": text}, env=env)

    def _participants(self, rng: random.Random, number: int, endpoint: str) -> Case:
        rows = ["name,email,country"]
        for _ in range(rng.randint(1, 6)):
            name = rng.choice(["@kwame", "Ana", "\x1b[31mEve", "  @ ", "=cmd()", "Ｆｕｌｌ", "", "a@b.org", "x" * 500])
            place = rng.choice(["Ghana", "Bogotá", "Europe/" + "A" * 300, "\x1b[2J", "Atlantis", "CI", ""])
            rows.append(f"{name},{name}@example.org,{place}")
        data = "\n".join(rows).encode("utf-8", "replace")
        roll = rng.random()
        if roll < 0.1:
            data = b"name,zone\n" + b"a" * 200_000 + b",Ghana\n"
        elif roll < 0.2:
            data = "\n".join(rows).encode("utf-16")
        elif roll < 0.3:
            data = mangle(data, rng)
        fmt = rng.choice(["table", "csv", "json", "markdown", "html"])
        return Case(
            number, "participants", ["times", "--participants", "people.csv", "-f", fmt], files={"people.csv": data}
        )

    def _output(self, rng: random.Random, number: int, endpoint: str) -> Case:
        command = rng.choice([["ics"], ["times", "-f", "csv"], ["parse"]])
        target = rng.choice(
            [
                "folder",
                "/sys/x.ics",
                "link.ics",
                "dangling.ics",
                "private.ics",
                "/dev/full",
                "missing/x.ics",
                "out\x1b[31m.ics",
                "dev-null",
                "readonly.ics",
            ]
        )
        case = Case(
            number,
            "output",
            [*command, "-o", target],
            files={"folder/keep": b"", "private.ics": b"old", "real.ics": b"old", "readonly.ics": b"old"},
        )
        case.modes = {"private.ics": 0o600, "readonly.ics": 0o444}
        case.links = {"link.ics": "real.ics", "dangling.ics": "nowhere/x.ics"}
        case.devices = ("dev-null",)
        return case

    def _google(self, rng: random.Random, number: int, endpoint: str) -> Case:
        token = rng.choice(
            [
                "ya29.FUZZSECRETone\r\nya29.FUZZSECRETtwo",
                "ya29.FUZZSECRET token",
                "ya29.FUZZSECRETé",
                "x",
                "ya29.FUZZSECRET\x1b[31m",
            ]
        )
        env = {"CALSYNC_GOOGLE_API_ENDPOINT": endpoint}
        files: dict[str, bytes] = {}
        args = ["push", "--dry-run", rng.choice(["agenda.md", "agenda.json"])]
        files["agenda.md"] = mangle(rng.choice(self.texts), rng) if rng.random() < 0.5 else rng.choice(self.texts)
        files["agenda.json"] = json.dumps(edit(rng.choice(self.structured), rng)).encode("utf-8", "surrogatepass")
        roll = rng.random()
        if roll < 0.4:
            env["GOOGLE_OAUTH_ACCESS_TOKEN"] = token
        elif roll < 0.7:
            expiry = "2099-01-01T00:00:00Z"
            body = rng.choice(
                [
                    json.dumps(
                        {
                            "token": token,
                            "refresh_token": "1//FUZZSECRETrefresh",
                            "client_id": "i",
                            "client_secret": "FUZZSECRETclient",
                            "expiry": expiry,
                        }
                    ),
                    hi.deep_json(rng.choice([40, 5000])),
                    '{"token": ',
                    "[]",
                    "\x00\xff",
                ]
            )
            files["cfg/calsync/token.json"] = body.encode("utf-8", "surrogatepass")
            env["XDG_CONFIG_HOME"] = "cfg"
        elif roll < 0.85:
            files["key.json"] = rng.choice(
                [
                    hi.deep_json(2000),
                    '{"type": "service_account"}',
                    "[",
                    json.dumps(
                        {
                            "type": "service_account",
                            "client_email": "a@b",
                            "private_key": "FUZZSECRETkey",
                            "token_uri": "http://x",
                        }
                    ),
                ]
            ).encode()
            args += ["--service-account", "key.json"]
        else:
            files["client.json"] = rng.choice([hi.deep_json(2000), '{"web": {}}', "{", "[1]"]).encode()
            args = ["auth", "--credentials", "client.json"]  # never a valid client: that would open a browser
        if rng.random() < 0.1:
            # (not an unreachable server: the backend retries a refused connection for half a minute, by design)
            args += ["--api-endpoint", rng.choice(["ftp://x", "http://[::1", "http://", "https://"])]
        case = Case(number, "google", args, files=files, env=env, secrets=("FUZZSECRET",))
        if "cfg/calsync/token.json" in files:
            case.modes = {"cfg/calsync/token.json": rng.choice([0o600, 0o644])}
        return case


def _many_members(count: int) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(count):
            archive.writestr(f"x/{i}", b"")
    return buffer.getvalue()
