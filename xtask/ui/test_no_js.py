"""With JavaScript off, the catalog's search results, a show's page and the plan still read,
and a show is added from its page with the plain form."""

import re
from urllib.parse import quote

from playwright.sync_api import expect

from conftest import DEMO_TITLE as TITLE
from conftest import Browsing, add_show, expect_one_result, expect_show_page, section


def test_reading_without_javascript(browsing: Browsing) -> None:
    context = browsing.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(f"/catalog?q={quote(TITLE)}")
    show = expect_one_result(page, TITLE)
    browsing.shoot(page, "no-js-catalog-search")

    show.click()
    expect_show_page(page, TITLE)
    browsing.shoot(page, "no-js-show")


def test_adding_and_the_plan_without_javascript(browsing: Browsing) -> None:
    context = browsing.new_context(java_script_enabled=False)
    page = context.new_page()

    # The form posts and redirects back to the show's page, which says so.
    add_show(page, TITLE, "As episodes air")
    browsing.shoot(page, "no-js-show-added")

    # The plan is made through the API (the same household: local mode), then read.
    made = page.request.post("/api/v1/plans")
    assert made.status == 201, f"POST /api/v1/plans: {made.status} {made.text()[:300]}"
    page.goto("/plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your plan")
    timeline = page.locator("svg.timeline")
    expect(timeline).to_be_visible()
    bars = timeline.locator("a.tl-bar")
    expect(bars.first).to_be_attached()
    steps = section(page, "Step by step").locator("ol.steps > li")
    expect(steps.first).to_be_visible()
    expect(steps.filter(has_text=TITLE).first).to_be_visible()
    # Each bar's link leads to a step on the page, without a script.
    anchor = bars.first.get_attribute("href")
    assert anchor and re.fullmatch(r"#ev-[A-Za-z0-9_-]+", anchor), anchor
    expect(page.locator(anchor)).to_have_count(1)
    expect(section(page, "What it costs").get_by_role("table")).to_be_visible()
    browsing.shoot(page, "no-js-plan")
