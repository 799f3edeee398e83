"""User text at the edge: one cleaning rule for every label, name and target, whatever surface it came from.

Labels come from share links, forms, uploaded files and the catalog. They are
kept as the user wrote them (escaping for HTML, KML, Markdown or a spreadsheet
is the job of each output), except for characters that no label needs and
that break outputs or mislead readers: C0 and C1 control characters (a NUL
byte in an HTML export), bidirectional overrides and isolates (text shown in
another order than stored), zero-width and other invisible format
characters, and lone surrogates (which no encoder accepts).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["INVISIBLE", "MAX_LABEL_CHARS", "clean_label", "clean_text", "shorten"]

#: Longest label of a point or zone, and name of a custom system, in characters (as uploads).
MAX_LABEL_CHARS: Final = 120

#: What :func:`clean_text` removes: C0/C1 controls, soft hyphen, Arabic letter
#: mark, Mongolian vowel separator, zero-width characters and bidi marks,
#: line/paragraph separators, bidi embeddings/overrides/isolates, invisible
#: operators, the byte-order mark, interlinear annotation marks, lone surrogates.
INVISIBLE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def shorten(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` characters, the last one an ellipsis when cut.

    Examples
    --------
    >>> shorten("Zaporizhzhia", 8)
    'Zaporiz…'
    >>> shorten("Sumy", 8)
    'Sumy'
    """
    return text if len(text) <= max_chars else text[: max(0, max_chars - 1)] + "…"


def clean_text(text: str, max_chars: int) -> str:
    """One line of plain text: invisible and control characters become spaces, runs of space one.

    Examples
    --------
    >>> clean_text("  Sumy\\x00\\u202e  region\\n", 60)
    'Sumy region'
    >>> clean_text("Київ", 60)
    'Київ'
    >>> clean_text("\\ud800x", 60)
    'x'
    """
    return shorten(" ".join(INVISIBLE.sub(" ", str(text)).split()), max_chars)


def clean_label(text: str) -> str:
    """A label as every surface keeps it: :func:`clean_text` to at most :data:`MAX_LABEL_CHARS`.

    Examples
    --------
    >>> clean_label(" Sumy\\x00 region\\u202e ")
    'Sumy region'
    """
    return clean_text(text, MAX_LABEL_CHARS)
