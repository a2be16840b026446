"""The catalog journey: from an empty household's home page to a show's availability."""

import re

from playwright.sync_api import Page, expect

from conftest import DEMO_TITLE as TITLE
from conftest import expect_layout, expect_one_result, expect_show_page, section


def test_home_to_a_show(page: Page, shoot) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Pick your first shows")).to_be_visible()
    expect_layout(page, current="Home")
    shoot(page, "home-empty")

    page.get_by_role("link", name="Browse the catalog").click()
    expect(page).to_have_url(re.compile(r"/catalog$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalog")
    expect(section(page, "Sources")).to_be_visible()
    expect_layout(page, current="Catalog")
    expect_search_form(page)
    shoot(page, "catalog")

    search = page.get_by_role("search")
    search.get_by_label("Title").fill(TITLE)
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/catalog\?.*q=" + TITLE))
    show = expect_one_result(page, TITLE)
    shoot(page, "catalog-search")

    show.click()
    expect_show_page(page, TITLE)
    shoot(page, "show")


def expect_search_form(page: Page) -> None:
    """The catalog's search form and its filters, by their labels."""
    search = page.get_by_role("search")
    expect(search.get_by_label("Title")).to_have_attribute("name", "q")
    service = search.get_by_label("Service")
    expect(service).to_have_attribute("name", "service_id")
    expect(service.locator("option").first).to_have_text("Any service")
    expect(service.locator("option").first).to_have_attribute("value", "")
    expect(search.get_by_label("Country")).to_have_attribute("name", "country")
    status = search.get_by_label("Status")
    expect(status).to_have_attribute("name", "status")
    expect(status.locator("option")).to_have_text(
        ["Any status", "Available now", "Coming soon", "Unknown"]
    )
    expect(search.get_by_role("button", name="Search")).to_be_visible()
