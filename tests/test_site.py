"""The course website (tools/build_site.py), built from the committed notebooks and read in a real
browser: Debian's Chromium driven by Playwright, as tests/test_browser.py does.

The build runs once per module into a temporary folder (`make test` builds and tests it);
a local HTTP server serves it. Every page, in the light and in the dark colour scheme:

- loads with no console error and no failed request, and asks nothing of another host;
  (the dark scheme, which changes only colours, on DARK_PAGES; pages are checked two at a
  time, SITE_JOBS, each in a browser of its own thread)
- shows every image (``naturalWidth > 0``) with alt text; figures keep a white background
  in the dark scheme;
- has an Open in Colab button and a notebook download that exists; every internal link
  resolves (the file exists, and so does the ``#fragment`` on it);
- passes axe-core (axe-playwright-python) with no violation of impact serious or critical
  (on AXE_PAGES, which hold every kind of content the pages have).

Search finds "forget gate" on the LSTM page. Screenshots of the front page and of notebook
14 at 1280 and 390 px go to test-artifacts/site/.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from browsing import chromium, fresh_folder, sync_api_or_skip

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
ARTIFACTS = ROOT / "test-artifacts" / "site"

pytestmark = [pytest.mark.browser, pytest.mark.slow]

sync_api_or_skip("site test")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

import build_site as site_builder  # noqa: E402  (tools/build_site.py)

SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    pages = site_builder.build(out, staging=tmp_path_factory.mktemp("staging"))
    return out, pages


@pytest.fixture(scope="module")
def server(built):
    out, _ = built

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def artifacts():
    return fresh_folder(ARTIFACTS)


def page_names(built) -> list[str]:
    _, pages = built
    return ["index.html"] + [p["html"] for p in pages]


IMAGES_JS = """() => [...document.images].map(i => ({
  src: i.currentSrc || i.src, alt: i.getAttribute('alt'), complete: i.complete,
  width: i.naturalWidth, figure: i.classList.contains('course-figure'),
  background: getComputedStyle(i).backgroundColor}))"""
LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"
MATH_READY_JS = """() => !document.querySelector('script[src$="mathjax-setup.js"]')
  || !!window.MathJax?.startup?.promise"""
MATH_DONE_JS = "() => window.MathJax?.startup ? MathJax.startup.promise.then(() => true) : true"
WEB = ("http", "https")
MATH_JS = "() => document.querySelectorAll('mjx-container').length"


def open_page(browser, url: str, scheme: str = "light", width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    host = urlsplit(url).netloc
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="load")
    page.wait_for_function(MATH_READY_JS)
    page.evaluate(MATH_DONE_JS)  # MathJax has typeset the page
    elsewhere = [r for r in requests if urlsplit(r).scheme in WEB and urlsplit(r).netloc != host]
    return page, problems, elsewhere


def test_build_has_every_page(built):
    out, pages = built
    assert len(pages) == 18
    for name in page_names(built):
        assert (out / name).is_file(), name
    assert (out / "search" / "search_index.json").is_file()


def test_no_asset_from_the_web(built):
    """Scripts, styles and images are all local: the site works with the network off."""
    out, _ = built
    for path in out.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        remote = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(https?:[^"]+)"', text)
        assert not remote, (path.name, remote[:5])


# axe takes 10-20 s on a notebook page (10^4 elements: code tokens, typeset maths), so it scans
# the front page and two notebook pages that hold every kind of content between them: display
# maths and tables, code, tracebacks, figures, a quiz and a widget's note (06), heat maps (14).
# All pages share one template and one stylesheet; every page gets the other checks.
AXE_PAGES = {"index.html", "06_lstm.html", "14_attention.html"}
# The dark scheme changes colours only: the front page and two notebook pages with every kind
# of output (code, tracebacks, figures, heat maps, a quiz, a widget's note) cover it.
DARK_PAGES = ["index.html", "06_lstm.html", "14_attention.html"]
JOBS = int(os.environ.get("SITE_JOBS", "2"))  # browsers at once: axe takes seconds a page


def check_pages(out: Path, server: str, names: list[str], scheme: str) -> list[str]:
    """Every check of one page, for each of ``names``, in a browser of this thread's own."""
    failures = []
    axe = axe_playwright.Axe()
    with chromium() as browser:
        for name in names:
            page, problems, elsewhere = open_page(browser, server + name, scheme)
            failures += [f"{name}: {p}" for p in problems]
            failures += [f"{name}: requested another host: {u}" for u in elsewhere]
            images = page.evaluate(IMAGES_JS)
            for image in images:
                if not (image["complete"] and image["width"] > 0):
                    failures.append(f"{name}: image did not load: {image['src'][:80]}")
                if image["figure"] and not (image["alt"] or "").startswith("Figure"):
                    failures.append(f"{name}: figure without alt text: {image['src'][:80]}")
                if image["figure"] and image["background"] != "rgb(255, 255, 255)":
                    failures.append(f"{name}: figure background {image['background']} ({scheme})")
            if name != "index.html":
                if not any(i["figure"] for i in images):
                    failures.append(f"{name}: no figure")
                if page.evaluate(MATH_JS) == 0:
                    failures.append(f"{name}: no typeset maths")
                if page.locator("a.md-button", has_text="Open in Colab").count() != 1:
                    failures.append(f"{name}: no Open in Colab button")
            failures += broken_links(out, server, name, page.evaluate(LINKS_JS))
            violations = axe.run(page).response["violations"] if name in AXE_PAGES else []
            for violation in violations:
                if violation["impact"] in SERIOUS:
                    targets = [n["target"] for n in violation["nodes"][:3]]
                    failures.append(
                        f"{name}: axe {violation['id']} ({violation['impact']}): {targets}"
                    )
            page.close()
    return failures


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_load_images_links_axe(built, server, scheme):
    out, _ = built
    names = page_names(built) if scheme == "light" else DARK_PAGES
    shares = [names[k::JOBS] for k in range(JOBS)]
    with ThreadPoolExecutor(JOBS) as pool:
        failures = sum(pool.map(lambda share: check_pages(out, server, share, scheme), shares), [])
    assert not failures, "\n".join(failures[:40])


@functools.cache
def _ids(path: Path) -> frozenset[str]:
    return frozenset(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


def broken_links(out: Path, server: str, name: str, hrefs: list[str]) -> list[str]:
    broken = []
    for href in hrefs:
        if not href.startswith(server):
            continue  # Colab, GitHub: another site
        parts = urlsplit(href)
        target = out / parts.path.lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{name}: link to a missing file: {href}")
        elif parts.fragment and target.suffix == ".html" and parts.fragment not in _ids(target):
            broken.append(f"{name}: link to a missing anchor: {href}")
    return broken


def test_downloads_are_the_committed_notebooks(built, server):
    out, pages = built
    for page in pages:
        download = out / "downloads" / "notebooks" / page["file"]
        assert download.read_bytes() == (ROOT / "notebooks" / page["file"]).read_bytes()
        practice = ROOT / "practice" / page["file"]
        assert (out / "downloads" / "practice" / page["file"]).exists() == practice.exists()


def test_search_finds_forget_gate_on_the_lstm_page(built, server, browser):
    page, problems, _ = open_page(browser, server + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.fill("input.md-search__input", "forget gate")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    hrefs = [urljoin(server, h) for h in results.evaluate_all("as => as.map(a => a.href)")]
    assert any("06_lstm.html" in h for h in hrefs), hrefs[:10]
    assert not problems, problems
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(built, server, browser, artifacts, width):
    for name in ["index.html", "14_attention.html"]:
        page, problems, _ = open_page(browser, server + name, width=width)
        page.screenshot(path=str(artifacts / f"{Path(name).stem}-{width}.png"))
        if name.startswith("14"):
            heat_map = page.locator("img.course-figure[alt*='against source']").first
            heat_map.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts / f"14-heatmap-{width}.png"))
            box = heat_map.bounding_box()
            assert box and box["width"] <= width, (box, width)  # no figure wider than the screen
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width + 1, f"{name} scrolls sideways at {width} px: {overflow}"
        assert not problems, problems
        page.close()
