"""Any user text in an HTML page is text: no tag, no attribute, no entity of its own, no raw control."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings, strategies as st

from ma_cli.base.literal import visible
from ma_cli.output.html_page import esc

from html_check import Page

pieces = st.sampled_from(["<script>", "</script>", "<", ">", "&", "&amp;", "&lt;", '"', "'", "`", "=", "/",
                          "<!--", "-->", "<![CDATA[", "]]>", "\x1b[31m", "\x07", "\x00", "\u202e", "\u2028", "\r\n",
                          "javascript:", "onload=", "<svg onload=alert(1)>", "</text>", "</td>", "é", "x"])
hostile = st.lists(st.one_of(pieces, st.text(max_size=6)), min_size=1, max_size=8).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=hostile)
def test_escaped_text_reads_back_as_itself_and_nothing_else(text):
    for where in ("<p>%s</p>", '<p title="%s">x</p>', "<svg><text>%s</text></svg>", "<table><tbody><tr><td>%s</td>"):
        page = Page(where % esc(text))
        assert [t for t, _ in page.tags] == [t for t, _ in Page(where % "x").tags], where
        if "title=" in where:
            assert page.tags[0][1]["title"] == visible(text)
        else:
            assert "".join(page.text) == visible(text)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in esc(text))


def test_dates_and_nothing():
    assert esc(date(2026, 11, 23)) == "2026-11-23" and esc(None) == ""
