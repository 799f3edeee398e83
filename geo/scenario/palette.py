"""The colours systems are drawn in: one colour-blind-safe palette for every output.

The map, the KML export and the legend all take a system's colour from here,
by the system's position in the user's list, so the same system has the same
colour everywhere.

The palette is Okabe and Ito's eight colours, chosen to stay distinguishable
for people with the common forms of colour-vision deficiency (protanopia,
deuteranopia, tritanopia). Source: Masataka Okabe and Kei Ito, "Color
Universal Design (CUD): How to make figures and presentations that are
friendly to colorblind people", J*FLY, 2002, revised 2008,
https://jfly.uni-koeln.de/color/ (its RGB values for the eight colours).
"""

from __future__ import annotations

import re
from typing import Final

from geo.errors import InputError

__all__ = ["OKABE_ITO", "REVERSE_COLOR", "check_hex_color", "color_for", "kml_color"]

#: Reverse reach ("from where can it be fired?") is drawn apart from the rings, dashed,
#: in a colour no system takes: the map, the HTML export, the image and the KML alike.
REVERSE_COLOR: Final = "#5b2a86"

#: Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish
#: green, yellow, blue, vermillion, reddish purple, black.
OKABE_ITO: Final[tuple[str, ...]] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)

_HEX_RGB: Final = re.compile(r"^#([0-9a-fA-F]{6})$")


def color_for(index: int) -> str:
    """The palette colour for the system at position ``index`` (0-based), as ``#RRGGBB``.

    After eight systems the palette starts again.

    Raises
    ------
    InputError
        For a negative index.

    Examples
    --------
    >>> color_for(0), color_for(1)
    ('#E69F00', '#56B4E9')
    >>> color_for(8) == color_for(0)
    True
    """
    if index < 0:
        raise InputError(f"expected a colour index >= 0, got {index}")
    return OKABE_ITO[index % len(OKABE_ITO)]


def check_hex_color(hex_rgb: str) -> str:
    """Validate a ``#rrggbb`` colour and return it in upper case.

    Raises
    ------
    InputError
        Showing the value and the expected form.

    Examples
    --------
    >>> check_hex_color("#e69f00")
    '#E69F00'
    >>> check_hex_color("red")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: expected a colour as #rrggbb (e.g. #E69F00), got 'red'
    """
    if not isinstance(hex_rgb, str) or not _HEX_RGB.match(hex_rgb):
        raise InputError(f"expected a colour as #rrggbb (e.g. #E69F00), got {hex_rgb!r}")
    return hex_rgb.upper()


def kml_color(hex_rgb: str, alpha: float = 1.0) -> str:
    """A ``#rrggbb`` colour in KML's byte order, ``aabbggrr`` (lower-case hex).

    KML writes the alpha first and blue before red, the reverse of CSS
    (KML 2.2 reference, ``<color>``: "The order of expression is aabbggrr").

    Parameters
    ----------
    hex_rgb : str
        The colour as ``#rrggbb``.
    alpha : float, optional
        Opacity from 0 (transparent) to 1 (opaque); rounded to the nearest of
        KML's 256 steps.

    Raises
    ------
    InputError
        For a malformed colour or an opacity outside 0…1.

    Examples
    --------
    >>> kml_color("#E69F00")  # Okabe-Ito orange, opaque
    'ff009fe6'
    >>> kml_color("#0072B2", 0.25)
    '40b27200'
    """
    rgb = check_hex_color(hex_rgb)
    if not isinstance(alpha, int | float) or not 0.0 <= alpha <= 1.0:
        raise InputError(f"expected an opacity between 0 and 1, got {alpha!r}")
    red, green, blue = rgb[1:3], rgb[3:5], rgb[5:7]
    return f"{round(alpha * 255):02x}{blue}{green}{red}".lower()
