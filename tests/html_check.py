"""Helpers for the HTML page tests: the page's structure (html.parser) and a real browser (Chromium).

`browse(page, tmp_path)` loads a page in headless Chromium with two small scripts added to a copy
of it: one at the top that records every script error, one at the end that measures every label
(getBoundingClientRect) and writes what it found into the DOM, which --dump-dom reads back:
the credential lanes, the label pairs that overlap, labels that overlap another stretch's box or
spill out of their own, the table rows, and the errors. `act`, a script of the test's own, runs
after the page's scripts and before the measuring; what it puts in `window.__seen` comes back
as "seen".
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); "
                                                            "the page-structure tests still run")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


class Page(HTMLParser):
    """Tags, attributes and text of a page; `rows` the <tr> of each <tbody>, as lists of cell texts."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self.scripts: list[str] = []
        self._in_body_table = 0
        self._cell: list[str] | None = None
        self._in_script = False
        self._in_cell = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tbody":
            self._in_body_table += 1
        elif tag == "tr" and self._in_body_table:
            self.rows.append([])
        elif tag in ("td", "th") and self._in_body_table and self.rows:
            self.rows[-1].append("")
            self._in_cell = True
        elif tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th", "tr", "tbody"):
            self._in_cell = False
        if tag == "tbody":
            self._in_body_table -= 1
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
            return
        self.text.append(data)
        if self._in_cell and self._in_body_table and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data

    def all(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def self_contained(text: str) -> None:
    """No network: nothing loaded from anywhere (links to sources are fine: they are only followed if clicked)."""
    page = Page(text)
    assert not page.all("link") and not page.all("iframe") and not page.all("img")
    assert not [a for t, a in page.tags if "src" in a], "something is loaded from outside"
    assert "@import" not in text and "url(http" not in text and "@font-face" not in text
    for a in page.all("a"):
        assert a["href"].startswith(("https://", "http://", "#")), a


CHECK_HEAD = "<script>window.__errors=[];addEventListener('error',function(e){__errors.push(String(e.message))});</script>"
CHECK_TAIL = """<script>(function(){
var r={errors:window.__errors,seen:window.__seen===undefined?null:window.__seen,lanes:[],overlaps:[],spills:[],
rows:document.querySelectorAll('tbody tr').length,labels:0,width:document.documentElement.scrollWidth};
document.querySelectorAll('.lane').forEach(function(g){r.lanes.push(g.getAttribute('data-credential'))});
function box(e){return e.getBoundingClientRect()}
function hit(a,b){return a.left<b.right-0.5&&b.left<a.right-0.5&&a.top<b.bottom-0.5&&b.top<a.bottom-0.5}
var L=[].slice.call(document.querySelectorAll('svg .lbl')).map(function(e){return [e,box(e)]});
var S=[].slice.call(document.querySelectorAll('svg .seg')).map(function(e){return [e,box(e)]});
r.labels=L.length;
for(var i=0;i<L.length;i++){
 for(var j=i+1;j<L.length;j++){if(hit(L[i][1],L[j][1]))r.overlaps.push(L[i][0].textContent+' / '+L[j][0].textContent)}
 var own=L[i][0].getAttribute('data-in');
 for(var k=0;k<S.length;k++){
  if(S[k][0].id===own){if(L[i][1].right>S[k][1].right+0.5||L[i][1].left<S[k][1].left-0.5)r.spills.push(L[i][0].textContent)}
  else if(hit(L[i][1],S[k][1]))r.overlaps.push(L[i][0].textContent+' on '+S[k][0].id)}}
var p=document.createElement('pre');p.id='layout-check';p.textContent=JSON.stringify(r);document.body.appendChild(p)})();</script>"""


def _run(args: list[str], tmp_path: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=timeout)


def browse(page: Path, tmp_path: Path, width: int = 1280, act: str = "") -> dict:
    """The page after load (and after `act`, a script), as the check script saw it in Chromium."""
    text = page.read_text(encoding="utf-8")
    checked = tmp_path / f"checked-{page.name}"
    text = text.replace("<head>", "<head>" + CHECK_HEAD, 1)
    # a script error in `act` is recorded like the page's own (the error listener), not lost
    tail = (f"<script>{act}</script>" if act else "") + CHECK_TAIL
    checked.write_text(text.replace("</body>", tail + "</body>", 1), encoding="utf-8")
    proc = _run([f"--window-size={width},900", "--enable-logging=stderr", "--v=0", "--dump-dom",
                 checked.as_uri()], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = Page(proc.stdout)
    found = [t for t in dom.text if t.startswith('{"errors"')]
    assert found, "the check script did not run:\n" + proc.stderr[-2000:]
    result = json.loads(found[-1])
    result["console_errors"] = [line for line in proc.stderr.splitlines()
                                if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]
    return result


def screenshot(page: Path, tmp_path: Path, out: Path, width: int = 1280, height: int = 900) -> tuple[int, int]:
    proc = _run([f"--window-size={width},{height}", f"--screenshot={out}", page.as_uri()], tmp_path)
    assert proc.returncode == 0 and out.exists(), proc.stderr[-2000:]
    head = out.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def print_pdf(page: Path, tmp_path: Path, out: Path, paper: str) -> bytes:
    """The page printed to PDF on `paper` (A4 or letter): a copy whose @page names the size."""
    sized = tmp_path / f"{paper}-{page.name}"
    sized.write_text(page.read_text(encoding="utf-8").replace("</style>", "@page{size:%s}</style>" % paper, 1),
                     encoding="utf-8")
    proc = _run(["--no-pdf-header-footer", f"--print-to-pdf={out}", sized.as_uri()], tmp_path)
    assert proc.returncode == 0 and out.exists(), proc.stderr[-2000:]
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    return data
