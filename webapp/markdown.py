"""Text for Streamlit's Markdown: every user or catalog string is escaped before it is shown."""

from __future__ import annotations

import html
import re

__all__ = ["md"]

#: Where GitHub-flavoured Markdown would start an automatic link: after ``scheme:`` before
#: ``//``, after ``mailto:``/``xmpp:``, between ``www`` and its dot, after an ``@``.
_AUTOLINK = re.compile(r"(?<=[A-Za-z]:)(?=//)|(?i:(?<=mailto:)|(?<=xmpp:)|(?<=www)(?=\.))|(?<=@)")
_MARKDOWN_SPECIALS = "\\`*_{}[]()#+-.!|<>~:$"


def md(text: str) -> str:
    """User or catalog text for Markdown: no HTML, no links, no formatting (issue 13).

    ``[Map outdated](https://evil.example)`` as a target rendered a link in
    the target warning; every special character is now escaped, and so are
    URL schemes that Markdown turns into links on their own.

    Examples
    --------
    >>> print(md("[x](https://e.x) *b* <i> a@b").replace("\\u2060", "|"))
    \\[x\\]\\(https\\:|//e\\.x\\) \\*b\\* &lt;i&gt; a@|b
    """
    # Streamlit's Markdown (remark-gfm) links bare URLs, ``www.`` names and e-mail addresses
    # found in the text *after* escapes are decoded, so escaping cannot stop it: a word
    # joiner (zero-width, U+2060) inside each pattern does, and reads the same.
    text = _AUTOLINK.sub("\u2060", str(text))
    escaped = html.escape(text, quote=False)
    for ch in _MARKDOWN_SPECIALS:
        escaped = escaped.replace(ch, "\\" + ch)
    return escaped
