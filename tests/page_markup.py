"""Reading a page calsync wrote: its markup without the language marks, and its data."""

from __future__ import annotations

import json
import re
from typing import Any


def unmarked(page: str) -> str:
    """The page as if its texts were not marked for the script's change of language: ``<span data-t="3">night</span>``
    is ``night``, and ``data-t…="3"`` attributes are gone."""
    page = re.sub(r'<span data-t="\d+">(.*?)</span>', r"\1", page)
    return re.sub(r' data-t(?:-[a-z-]+)?="\d+"', "", page)


def data(page: str) -> dict[str, Any]:
    """The page's data (what its script reads)."""
    found = re.search(r'<script type="application/json" id="calsync-data">(.*?)</script>', page, re.S)
    assert found is not None, "no data in the page"
    return json.loads(found.group(1))


def body(page: str) -> str:
    """The page's markup people read: from <body> to the data (no CSS, script or JSON)."""
    return page.split("<body", 1)[1].split('id="calsync-data"', 1)[0]
