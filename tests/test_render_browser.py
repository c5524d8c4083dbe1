"""The review pages in a real browser: headless Chromium from Debian's packages.

For every article page: no console error, as many highlighted quotes, mentions
and events as the annotations have, each highlight's text equal to its span,
the text itself byte for byte, switches that hide their layer, stance evidence
links that scroll to their span, and keyboard focus that shows the details.
Screenshots of every page go to a directory under pytest's tmp, or to
``$KIMPUTIN_SCREENSHOTS`` when set (CI keeps it as an artifact).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import chromium
from conftest import SEEDS
from kimputin_ds.corpus import load_claims, load_document, load_registry
from kimputin_ds.errors import Report
from kimputin_ds.records import document_records
from kimputin_ds.render import render_diff, render_review

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DOC_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
#: Layers whose every item is one highlighted span, counted against the annotations.
COUNTED = {"quotes": "quotes", "mentions": "mentions", "events": "events"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pages")
    result = render_review(SEEDS, out)
    assert result.report.ok, [i.format() for i in result.report]
    return out


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("KIMPUTIN_SCREENSHOTS")
    path = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


def _records(doc_id: str) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    report = Report()
    entities = load_registry(SEEDS / "entities.yaml", report)
    claims = load_claims(SEEDS / "claims.yaml", report)
    doc = load_document(SEEDS, doc_id, report)
    assert doc is not None and report.ok, [i.format() for i in report]
    return doc.text, document_records(doc, entities, claims=claims)


def _errors(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _open(driver: Any, page: Path) -> None:
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(page.as_uri())


HIGHLIGHT_TEXTS = """
const out = {};
for (const el of document.querySelectorAll('#text .hl.p[data-layer="' + arguments[0] + '"], '
    + '#text .hl.p.l-' + arguments[0] + '[data-cont]')) {
  const key = el.getAttribute('data-item');
  out[key] = (out[key] || '') + el.textContent;
}
return out;
"""

NOTE_PLACES = """
return Array.from(document.querySelectorAll('.notes .note')).map(n => {
  const span = document.getElementById(n.getAttribute('data-for')).getBoundingClientRect();
  const box = n.getBoundingClientRect();
  return [span.top, box.top, box.bottom];
});
"""

DRAWN = """
const cs = getComputedStyle(arguments[0]);
return [cs.textDecorationLine !== 'none', cs.backgroundColor !== 'rgba(0, 0, 0, 0)',
        cs.borderBottomStyle !== 'none', cs.borderTopStyle !== 'none',
        cs.borderLeftStyle !== 'none', cs.outlineStyle !== 'none'].some(Boolean);
"""


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_article_page(doc_id: str, site: Path, shots: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    text, records = _records(doc_id)
    _open(browser, site / f"{doc_id}.html")
    assert _errors(browser) == []

    # The text, byte for byte (no-break spaces, curly quotes and all).
    shown = browser.execute_script("return document.getElementById('text').textContent")
    assert shown == text

    for layer, config in COUNTED.items():
        rows = records[config]
        texts = browser.execute_script(HIGHLIGHT_TEXTS, layer)
        assert len(texts) == len(rows), layer
        id_column = {"quotes": "quote_id", "mentions": "mention_id", "events": "event_id"}[layer]
        span_of = {"quotes": lambda r: r, "mentions": lambda r: r, "events": lambda r: r["trigger"]}
        expected = {f"{layer[0]}-{r[id_column]}": span_of[layer](r)["text"] for r in rows}
        assert texts == expected, layer

    # Each switch hides its layer's drawing, and only that layer's.
    for box in browser.find_elements(By.CSS_SELECTOR, ".toggles input[data-layer]"):
        layer = box.get_attribute("data-layer")
        marks = browser.find_elements(By.CSS_SELECTOR, f"#text .hl.p.l-{layer}")
        if not marks:
            continue
        assert any(browser.execute_script(DRAWN, m) for m in marks), layer
        browser.execute_script("arguments[0].click()", box)
        assert not any(browser.execute_script(DRAWN, m) for m in marks), layer
        if layer == "stances":
            assert not browser.find_element(By.ID, "stances").is_displayed()
        browser.execute_script("arguments[0].click()", box)
        assert any(browser.execute_script(DRAWN, m) for m in marks), layer

    browser.save_screenshot(str(shots / f"{doc_id}.png"))

    # Source notes sit in the margin beside their spans, in text order, never overlapping.
    notes = browser.execute_script(NOTE_PLACES)
    assert len(notes) == sum(1 for n in records["documents"][0]["source_notes"] if n["span"])
    for (span_top, _, bottom), (next_span_top, next_top, _) in itertools.pairwise(notes):
        assert span_top <= next_span_top and bottom <= next_top
    for span_top, top, _ in notes:
        assert top >= span_top - 1
    if notes:
        assert abs(notes[0][1] - notes[0][0]) <= 1

    # A stance's evidence link scrolls its span into view and highlights it.
    links = browser.find_elements(By.CSS_SELECTOR, "#stances a.span-link")
    assert len(links) >= sum(len(s["evidence"]) for s in records["stances"])
    for link in links[:3] + links[-2:]:
        target_id = link.get_attribute("href").split("#", 1)[1]
        browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        target = browser.find_element(By.ID, target_id)
        box = browser.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, "
            "window.innerHeight, arguments[0].classList.contains('flash')]",
            target,
        )
        assert box[0] >= 0 and box[1] <= box[2], target_id
        assert box[3], target_id
    assert _errors(browser) == []


def test_keyboard_shows_details(site: Path, shots: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, site / f"{DOC_IDS[0]}.html")
    text = browser.find_element(By.ID, "text")
    first = text.find_element(By.CSS_SELECTOR, ".hl.p[tabindex='0']")
    browser.execute_script("arguments[0].focus()", first)
    active = browser.switch_to.active_element
    active.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-card"), "Tab moves to the next annotation"
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed()
    key = focused.get_attribute("data-card")
    card_title = browser.find_element(By.ID, f"card-{key}").get_attribute("textContent")
    assert tip.get_attribute("textContent") == card_title
    # An event in focus: its card, and its arguments and time outlined with their roles.
    event = text.find_element(By.CSS_SELECTOR, ".hl.p.l-events[tabindex='0']")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", event
    )
    assert tip.is_displayed()
    assert "cameo_code" in tip.get_attribute("textContent")
    browser.save_screenshot(str(shots / f"{DOC_IDS[0]}-event-focus.png"))
    focused.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "inspector"
    assert _errors(browser) == []


def test_readable_without_javascript(site: Path, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    text, records = _records(DOC_IDS[0])
    with chromium() as driver:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        driver.get((site / f"{DOC_IDS[0]}.html").as_uri())
        shown = driver.find_element(By.ID, "text")
        assert shown.is_displayed()
        assert shown.get_attribute("textContent") == text
        # Without scripts every annotation's details are listed under the text.
        cards = driver.find_element(By.ID, "annotations")
        assert cards.is_displayed()
        assert len(cards.find_elements(By.CSS_SELECTOR, ".card.l-quotes")) == len(records["quotes"])
        driver.save_screenshot(str(shots / f"{DOC_IDS[0]}-no-js.png"))


def test_index_page(site: Path, shots: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site / "index.html")
    assert _errors(browser) == []
    links = {
        a.get_attribute("href").rsplit("/", 1)[1]
        for a in browser.find_elements(By.CSS_SELECTOR, "#articles-h + table a")
    }
    assert links == {f"{d}.html" for d in DOC_IDS}
    assert browser.find_elements(By.CSS_SELECTOR, "svg.bars rect")
    browser.save_screenshot(str(shots / "index.png"))
    # Every cross-document link leads to an event highlight on an article page.
    targets = [
        a.get_attribute("href").rsplit("/", 1)[1]
        for a in browser.find_elements(By.CSS_SELECTOR, "table.xdoc tbody a")
    ]
    assert targets
    for target in targets:
        page, anchor = target.split("#")
        assert f'id="{anchor}"' in (site / page).read_text(encoding="utf-8"), target
    for section in ("agreement-h", "xdoc-h"):
        browser.execute_script(f"document.getElementById('{section}').scrollIntoView()")
        browser.save_screenshot(str(shots / f"index-{section[:-2]}.png"))
    assert _errors(browser) == []


def test_diff_page(corpus: Path, tmp_path: Path, shots: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    reference = tmp_path / "before"
    shutil.copytree(corpus, reference)
    path = corpus / "doc_a.yaml"
    text = path.read_text(encoding="utf-8")
    assert "kind: direct" in text and "  russia: [Rusia]\n" in text and "\nstances:\n" in text
    text = text.replace("kind: direct", "kind: mixed", 1).replace("  russia: [Rusia]\n", "", 1)
    text = text.replace(
        "\nstances:\n",
        "\n  - {id: e9, type: visit, trigger: kunjungan, status: occurred}\nstances:\n",
    )
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "diff"
    assert render_diff(corpus, str(reference), out).report.ok

    _open(browser, out / "doc_a.html")
    assert _errors(browser) == []
    statuses = browser.execute_script(
        "return Array.from(document.querySelectorAll('#text .hl.p:not([data-cont])'))"
        ".filter(e => /diff-(added|removed|changed)/.test(e.className))"
        ".map(e => e.getAttribute('data-layer') + ' ' + e.className.match(/diff-\\w+/)[0]"
        " + ' ' + e.textContent)"
    )
    assert sorted(statuses) == [
        "events diff-added kunjungan",
        "mentions diff-removed Rusia",
        "quotes diff-changed Ini kunjungan penuh,",
    ]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#changes .change")) == 3
    browser.save_screenshot(str(shots / "diff-doc_a.png"))
    _open(browser, out / "index.html")
    assert _errors(browser) == []
    browser.save_screenshot(str(shots / "diff-index.png"))
