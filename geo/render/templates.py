"""Render folium's elements without compiling their output as Jinja templates again (issue 10).

branca's ``MacroElement.render`` renders an element's ``header``, ``html`` and
``script`` macros, then wraps each *output* in ``Element(text)``, which compiles
that text as a new Jinja template and renders it once more when the figure is
written out. That costs about 170 template compilations per rerun for the
map's layers, more than half of what drawing the map costs on the server. And
it runs user text as a template: a launch point named ``{{ 7*7 }}`` (from a
share link) was drawn as "49", one named ``{% raw %}`` raised a
TemplateSyntaxError instead of drawing the map, and Jinja's default
environment is not sandboxed.

:func:`install` replaces ``MacroElement.render`` with the same steps that keep
the macros' output as text. For output without Jinja markup that is the string
Jinja gave before (its line ends made ``\\n``, one trailing newline dropped:
Jinja's defaults); output with markup is now drawn as written.
``tests/render/test_templates.py`` holds the map and the HTML export to
branca's own output, character for character.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from branca.element import Element, Figure, MacroElement

_LINE_ENDS: Final = re.compile(r"\r\n|\r")

_upstream_render: Final = MacroElement.render


def script_json(value: Any) -> str:
    r"""JSON that is safe inside an inline ``<script>``: no ``<``, ``>`` or ``&`` left as such
    (no name can close the script or open a comment), and ASCII only (no U+2028 line ends).

    Examples
    --------
    >>> print(script_json({"name": "</script><b>Kyiv & Київ"}))
    {"name":"\u003c/script\u003e\u003cb\u003eKyiv \u0026 \u041a\u0438\u0457\u0432"}
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def jinja_literal(text: str) -> str:
    """What Jinja renders for ``text`` holding no Jinja markup (default settings).

    Examples
    --------
    >>> jinja_literal("a\\r\\nb\\n")
    'a\\nb'
    >>> jinja_literal("x\\n\\n")
    'x\\n'
    """
    text = _LINE_ENDS.sub("\n", text)
    return text[:-1] if text.endswith("\n") else text


class RenderedText(Element):
    """An element whose render is fixed text (a macro's output), not a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RenderedText"
        self._text = jinja_literal(text)

    def render(self, **kwargs: Any) -> str:
        return self._text


def _render(self: MacroElement, **kwargs: Any) -> None:
    """``MacroElement.render`` of branca 0.8.2, but its macros' output kept as text."""
    figure = self.get_root()
    assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
    module = self._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = module.get(part)
        if macro is not None:
            getattr(figure, part).add_child(RenderedText(macro(self, kwargs)), name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


def install() -> None:
    """Use the text-keeping render for every folium element (idempotent)."""
    MacroElement.render = _render  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to branca's own render (for tests comparing the two)."""
    MacroElement.render = _upstream_render  # type: ignore[method-assign]
