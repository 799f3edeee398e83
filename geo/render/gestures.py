"""Two-finger maps: a one-finger swipe on a map scrolls the page around it (issue 10).

The files live in ``geo/render/assets/`` (package data, so that ``pip install .`` and the
standalone HTML export have them): ``leaflet-gesture-handling`` 1.2.2, vendored unchanged
(version, licence, tarball, integrity and hashes in ``assets/VENDORED.md``), and
``wrm-gestures.js``, which says where it is on and fixes what it gets wrong with Leaflet 1.9.

- The app's map loads them from ``/app/static/leaflet/`` (:func:`install`, run at start-up
  with Leaflet's own files, so the map works offline) and turns them on on a touch screen.
- The standalone HTML export inlines them (:func:`inline_assets`) and turns them on when the
  page is embedded in another page's ``<iframe>``; the app's small multiples (the Compare
  tab) inline them too and turn them on on a touch screen, as the app's map.
"""

from __future__ import annotations

import filecmp
import functools
import re
import shutil
from pathlib import Path
from typing import Final

ASSETS_DIR: Final = Path(__file__).resolve().parent / "assets"
PLUGIN_JS: Final = "leaflet-gesture-handling.min.js"
PLUGIN_CSS: Final = "leaflet-gesture-handling.min.css"
WRM_JS: Final = "wrm-gestures.js"
FILES: Final = (PLUGIN_JS, PLUGIN_CSS, WRM_JS)

#: ``window.WRM_GESTURES`` values read by ``wrm-gestures.js``: on when the page is inside
#: another page's ``<iframe>`` (touch and wheel), or only on a touch screen.
EMBEDDED: Final = "embedded"
TOUCH: Final = "touch"

#: A source-map comment (``//# sourceMappingURL=…``): dropped when a file is inlined or bundled.
SOURCE_MAP_RE: Final = re.compile(r"^\s*/[/*]# sourceMappingURL=.*$", re.MULTILINE)


def install(target: Path) -> Path:
    """Copy the gesture files into ``target`` (a folder Streamlit serves), where they differ.

    Cheap when they are already there; returns ``target``.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        source, copy = ASSETS_DIR / name, target / name
        if not copy.exists() or not filecmp.cmp(source, copy, shallow=False):
            shutil.copy2(source, copy)
    return target


@functools.cache
def inline_assets(mode: str = EMBEDDED) -> tuple[str, str]:
    """The gesture JavaScript and CSS, ready to inline into a page (after Leaflet's).

    ``mode`` is :data:`EMBEDDED` (the standalone export: on inside another page's
    ``<iframe>``) or :data:`TOUCH` (the app's small multiples: on a touch screen only).

    The plugin's source-map comment is dropped (a browser's developer tools would
    fetch the map file, which is not shipped).

    Examples
    --------
    >>> js, css = inline_assets()
    >>> 'window.WRM_GESTURES = "embedded"' in js, "gestureHandling" in js, "sourceMappingURL" in js
    (True, True, False)
    >>> "leaflet-gesture-handling-touch-warning" in css
    True
    """
    if mode not in (EMBEDDED, TOUCH):
        raise ValueError(f"gesture mode: expected {EMBEDDED!r} or {TOUCH!r}, got {mode!r}")
    plugin = SOURCE_MAP_RE.sub("", (ASSETS_DIR / PLUGIN_JS).read_text(encoding="utf-8")).rstrip()
    ours = (ASSETS_DIR / WRM_JS).read_text(encoding="utf-8")
    js = f'window.WRM_GESTURES = "{mode}";\n{plugin}\n{ours}'
    css = SOURCE_MAP_RE.sub("", (ASSETS_DIR / PLUGIN_CSS).read_text(encoding="utf-8")).rstrip() + "\n"
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("the gesture files cannot be inlined: they contain a closing </script> or </style>")
    return js, css
