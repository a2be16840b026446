"""The journeys of issue 10, one per test so that a failure says where: first start to the plan
timeline, advice confirmed and declined and the delta, an import error named by its line, the
calendar link, and a live update. Every test runs on the desktop and the phone window (but the
live update, desktop only), each on a fresh server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import (
    WORKER_TIMEOUT_MS,
    Browsing,
    add_service,
    add_show,
    expect_layout,
    expect_one_result,
    make_plan,
    section,
    wait_for_plan,
)

# Three shows of the demo catalog: Stranger Things on Netflix (which releases whole seasons at
# once, so watching it as it airs raises a binge recommendation), The Bear on Hulu (no end
# known: a date question), Severance on Apple TV+.
SHOWS = (
    ("Stranger Things", "As episodes air"),
    ("The Bear", "All at once, after the season ends"),
    ("Severance", "As episodes air"),
)


def test_first_start_to_the_plan(page: Page, shoot) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Pick your first shows")).to_be_visible()
    expect_layout(page, current="Home")
    shoot(page, "first-home-empty")

    page.get_by_role("link", name="Browse the catalog").click()
    expect(page).to_have_url(re.compile(r"/catalog$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalog")
    shoot(page, "first-catalog")

    for number, (title, mode) in enumerate(SHOWS, start=1):
        search = page.get_by_role("search")
        search.get_by_label("Title").fill(title)
        search.get_by_role("button", name="Search").click()
        expect_one_result(page, title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        follow = section(page, "My Shows")
        follow.get_by_label(mode).check()
        follow.get_by_role("button", name="Add to My Shows").click()
        expect(follow.get_by_text("Added to My Shows.")).to_be_visible()
        expect(follow.get_by_text(f"In My Shows: {mode}.")).to_be_visible()
        if number == 1:
            shoot(page, "first-show-added")
        page.goto("/catalog")

    page.goto("/my-shows")
    expect(page.get_by_role("heading", level=1)).to_have_text("My Shows")
    expect_layout(page, current="My Shows")
    shows = page.locator("ul.show-list > li")
    expect(shows).to_have_count(len(SHOWS))
    for title, mode in SHOWS:
        entry = shows.filter(has=page.get_by_role("link", name=title, exact=True))
        expect(entry).to_contain_text(mode)
        expect(entry.get_by_role("link", name=f"Change {title}")).to_be_visible()
        expect(entry.get_by_role("button", name=f"Remove {title}")).to_be_visible()
    shoot(page, "first-my-shows")

    add_service(page, "Netflix", permanent=True, price="17.99", currency="USD", cycle_days="30")
    expect_layout(page, current="My Services")
    shoot(page, "first-my-services")

    make_plan(page)
    expect_layout(page, current="Plan")
    totals = section(page, "What it costs").get_by_role("table")
    for column in ("This plan", "Without planning"):
        expect(totals.get_by_role("columnheader", name=column)).to_be_visible()
    expect(totals.get_by_role("rowheader").first).to_be_visible()
    # Netflix is kept all the time, so Stranger Things is covered without a step.
    expect(section(page, "Covered by services you keep")).to_contain_text("Stranger Things")
    shoot(page, "first-plan")

    anchor = follow_first_bar_by_keyboard(page)
    step = section(page, "Step by step").locator(anchor)
    expect(step).to_be_visible()
    expect(step.get_by_role("heading", level=3)).to_have_text(re.compile(r"Subscribe to|Cancel"))
    shoot(page, "first-plan-step")


def follow_first_bar_by_keyboard(page: Page) -> str:
    """Tab from the timeline's scroll region lands on the first bar (a link named by what it
    is), and Enter follows it to its step; the step's anchor (`#ev-…`)."""
    bars = page.locator("svg.timeline a.tl-bar")
    expect(bars.first).to_be_attached()
    # The worker's own re-plan may still arrive and swap the plan region in place (a live
    # update), which takes the focus with it: then the keys are pressed again.
    for attempt in range(3):
        anchor = bars.first.get_attribute("href")
        assert anchor and re.fullmatch(r"#ev-[A-Za-z0-9_-]+", anchor), anchor
        assert bars.first.get_attribute("aria-label"), "a timeline bar has no accessible name"
        page.get_by_role("region", name=re.compile(r"^Timeline \(scrolls")).focus()
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement?.getAttribute('href')")
        if focused == anchor:
            page.keyboard.press("Enter")
            if page.evaluate("window.location.hash") == anchor:
                break
        if attempt == 2:
            expect(bars.first).to_be_focused()
    expect(page).to_have_url(re.compile(re.escape(anchor) + "$"))
    return anchor


def test_advice_and_the_delta(page: Page, shoot) -> None:
    add_show(page, "Stranger Things", "As episodes air")
    add_show(page, "The Bear", "As episodes air")

    binge = re.compile(r"^Watch Stranger Things after the season is out")
    question = re.compile(r"^When does the current season of The Bear end\?")
    items = page.locator("ul.advice-list > li")
    page.goto("/advice")
    for _ in range(WORKER_TIMEOUT_MS // 1000):
        if (
            items.filter(has=page.get_by_role("heading", name=binge)).count() == 1
            and items.filter(has=page.get_by_role("heading", name=question)).count() == 1
        ):
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(items.filter(has=page.get_by_role("heading", name=binge))).to_have_count(1)
    expect(items.filter(has=page.get_by_role("heading", name=question))).to_have_count(1)
    assert items.count() >= 2, f"{items.count()} advice items"
    expect_layout(page, current="Advice")
    shoot(page, "advice-inbox")

    recommendation = items.filter(has=page.get_by_role("heading", name=binge))
    recommendation.get_by_role("button", name=re.compile(r"^Confirm")).click()
    notice = page.locator("p.notice")
    expect(notice).to_contain_text("Confirmed: the change is made and your plan is updated.")
    expect(notice.get_by_role("link", name="See what changed in your plan")).to_be_visible()
    shoot(page, "advice-confirmed")

    asked = items.filter(has=page.get_by_role("heading", name=question))
    asked.get_by_role("button", name=re.compile(r"^Decline")).click()
    expect(notice).to_contain_text("Declined: nothing was changed.")
    expect(items.filter(has=page.get_by_role("heading", name=question))).to_have_count(0)
    shoot(page, "advice-declined")

    page.get_by_role("link", name="Declined", exact=True).click()
    expect(items.filter(has=page.get_by_role("heading", name=question))).to_have_count(1)
    page.get_by_role("link", name="Confirmed", exact=True).click()
    expect(items.filter(has=page.get_by_role("heading", name=binge))).to_have_count(1)

    page.goto("/my-shows")
    expect(
        page.locator("ul.show-list > li").filter(
            has=page.get_by_role("link", name="Stranger Things", exact=True)
        )
    ).to_contain_text("All at once, after the season ends")

    page.goto("/plan/delta")
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed in your plan")
    expect(page.get_by_text(re.compile(r"^Compared with the plan made for"))).to_be_visible()
    expect(page.get_by_text("Nothing changed.")).to_have_count(0)
    changes = page.locator("main h2").filter(
        has_text=re.compile(r"^(Moved|New steps|Steps no longer needed)$")
    )
    expect(changes.first).to_be_visible()
    expect(page.get_by_role("main").get_by_role("table")).to_be_visible()
    shoot(page, "advice-delta")


# Header, a good line (2), a line with a date that is not one (3).
BAD_CSV = (
    "title,year,service_id,country,available_from,available_until,monetization,confidence,"
    "source_ref\n"
    "Tidewater,2025,netflix,US,2026-01-01,,flatrate,0.8,tide-1\n"
    "Tidewater,2025,max,US,2026-13-45,,flatrate,0.8,tide-2\n"
)
GOOD_CSV = (
    "title,year,service_id,country,available_from,available_until,monetization,confidence,"
    "source_ref\n"
    "Tidewater,2025,netflix,US,2026-01-01,,flatrate,0.8,tide-1\n"
    "Tidewater,2025,max,US,2026-03-01,2026-06-30,flatrate,0.8,tide-2\n"
)


def upload(page: Page, name: str, text: str, source: str = "") -> None:
    page.get_by_label("File").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_label("Source name (optional)").fill(source)
    page.get_by_role("button", name="Import").click()


def test_import_error_named_by_line(browsing: Browsing, page: Page, shoot) -> None:
    # A refused file comes back as the form with its problems, status 422.
    browsing.allow_status(page, 422, "/import")
    page.goto("/import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import")
    expect_layout(page, current="Import")
    shoot(page, "import-form")

    upload(page, "tidewater.csv", BAD_CSV, "my_list")
    refused = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="Nothing was imported")
    )
    expect(refused).to_be_visible()
    table = refused.get_by_role("table")
    for column in ("Where", "Field", "Problem"):
        expect(table.get_by_role("columnheader", name=column)).to_be_visible()
    problems = table.locator("tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first.locator("td").nth(0)).to_have_text("line 3")
    expect(problems.first.locator("td").nth(1)).to_have_text("available_from")
    expect(problems.first.locator("td").nth(2)).not_to_be_empty()
    shoot(page, "import-error")

    upload(page, "tidewater.csv", GOOD_CSV, "my_list")
    summary = section(page, re.compile(r"^Imported from"))
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_contain_text("my_list")
    expect(page.get_by_role("heading", name="Nothing was imported")).to_have_count(0)
    shoot(page, "import-summary")

    page.goto("/catalog?q=Tidewater")
    expect_one_result(page, "Tidewater")


def test_calendar_link(page: Page, shoot) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/settings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    expect_layout(page, current="Settings")
    shoot(page, "calendar-settings")

    page.get_by_role("button", name="Create a calendar link").click()
    field = page.get_by_label(re.compile(r"^Your calendar link"))
    expect(field).to_be_visible()
    expect(field).to_have_attribute("readonly", "")
    expect(field).to_have_value(re.compile(r"^https?://[^ ]+\.ics$"))
    url = field.input_value()
    copy = page.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.get_by_text("Copied.", exact=True)).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    expect(page.get_by_role("button", name="Replace this link")).to_be_visible()
    shoot(page, "calendar-link")

    response = page.request.get(url)
    assert response.status == 200, f"GET {url}: {response.status}"
    assert response.headers["content-type"].startswith("text/calendar"), response.headers
    assert response.text().startswith("BEGIN:VCALENDAR"), response.text()[:200]


# The live update is the same on a phone: the desktop window covers it.
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_live_update(browsing: Browsing, shoot) -> None:
    context = browsing.new_context()
    watcher = context.new_page()
    changer = context.new_page()

    add_show(changer, "Severance", "As episodes air")
    # The worker's plan, and no re-plan still to come, before the change that is watched.
    wait_for_plan(changer, "Severance")
    watcher.goto("/plan")
    region = watcher.locator('[data-live="plan"]')
    expect(region).to_contain_text("Severance")
    expect(region).not_to_contain_text("The Bear")
    watcher.evaluate("window.__marker = 1")
    shoot(watcher, "live-before")

    add_show(changer, "The Bear", "As episodes air")
    expect(region).to_contain_text("The Bear", timeout=WORKER_TIMEOUT_MS)
    expect(watcher.locator(".live-notice")).to_have_text(
        re.compile(r"Your plan (was updated just now|changed)")
    )
    assert watcher.evaluate("window.__marker") == 1, "the plan page was loaded again"
    shoot(watcher, "live-after")
