"""With JavaScript off, the catalog's search results and a show's page still read."""

from urllib.parse import quote

from conftest import DEMO_TITLE as TITLE
from conftest import Browsing, expect_one_result, expect_show_page


def test_reading_without_javascript(browsing: Browsing) -> None:
    context = browsing.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(f"/catalog?q={quote(TITLE)}")
    show = expect_one_result(page, TITLE)
    browsing.shoot(page, "no-js-catalog-search")

    show.click()
    expect_show_page(page, TITLE)
    browsing.shoot(page, "no-js-show")
