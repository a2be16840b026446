"""Fixtures and helpers for PSMA's browser journeys. `cargo xtask ui` installs the tools and
runs this suite; see docs/ui.md and docs/adr/0035-browser-tests.md.

The environment (set by the xtask):
    PSMA_BIN     the `psma` binary to serve
    CHROMIUM     Debian's Chromium (/usr/bin/chromium); Playwright never downloads a browser
    AXE_JS       axe-core's axe.min.js
    SCREENSHOTS  where screenshots and axe reports go (target/ui-screenshots)

Fixtures, from the outside in:
    browser       (session) headless Chromium
    server_env    extra PSMA_* variables for `server` (override it in a module to change them)
    server        `psma serve` on a new SQLite database with the demo catalog, on a free port
    viewport      "desktop" (1280x800) or "phone" (360x780, touch, 2x): every test that uses a
                  page runs once per viewport
    browsing      the test's browser session: `browsing.new_context(**options)` for more
                  contexts (JavaScript off, another user), `browsing.shoot(page, step)`
    context/page  a light-mode context for the viewport, and a page in it
    shoot         `shoot(page, "step")`: full-page screenshots in light and dark, axe in both,
                  and no sideways scrolling

Every context made here is guarded: a console error, an uncaught page error, a message about
the Content Security Policy, or a request to any host but the server fails the test (such a
request is aborted first: the offline check). The guards are checked at each `shoot` and when
the test ends. A test that expects a page to answer with an error status (a form sent back
with its errors, 422) says so with `browsing.allow_status(page, 422, "/import")`.

Assertions use roles, labels and visible text, never pixels.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error as PlaywrightError,
    Page,
    Route,
    expect,
    sync_playwright,
)

ENVIRONMENT = ("PSMA_BIN", "CHROMIUM", "AXE_JS", "SCREENSHOTS")

# Without the background-networking flags Chromium keeps trying hosts a closed network refuses.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 360, "height": 780},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}

# What every context starts with; a test may override any of it through `new_context`.
CONTEXT_DEFAULTS = {
    "color_scheme": "light",
    "reduced_motion": "reduce",
    "locale": "en-US",
    "timezone_id": "UTC",
}

READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
# Playwright's per-action and per-assertion timeouts, in milliseconds.
ACTION_TIMEOUT_MS = 15_000
expect.set_options(timeout=ACTION_TIMEOUT_MS)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FAILING_IMPACTS = ("serious", "critical")
AXE_RUN = """async (tags) => {
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    return await axe.run(document, { runOnly: { type: "tag", values: tags } });
}"""

THEMES = ("light", "dark")

# Whether the page scrolls sideways, and the elements that make it: those sticking out of the
# window that no scrolling ancestor clips (an absolutely positioned element escapes a scrolling
# ancestor that is not its containing block or around it).
SIDEWAYS = """() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width) return null;
    const clipping = (el) => getComputedStyle(el).overflowX !== "visible";
    const clipped = (el) => {
        const position = getComputedStyle(el).position;
        if (position === "fixed") return false;
        const block = position === "absolute" ? el.offsetParent : el.parentElement;
        for (let up = el.parentElement; up && up !== root; up = up.parentElement) {
            const counts = position !== "absolute" || !block || up === block || up.contains(block);
            if (counts && up !== document.body && clipping(up)) return true;
        }
        return false;
    };
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + [...el.classList].map((c) => "." + c).join("");
    const culprits = [];
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.right <= width + 1 || clipped(el)) continue;
        const parent = el.parentElement;
        if (parent !== document.body && parent.getBoundingClientRect().right > width + 1
            && !clipped(parent)) continue;
        const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
        culprits.push(`${name(el)} in ${name(parent)}, right edge at ${Math.round(box.right)} px`
            + (text ? ` ("${text}")` : ""));
    }
    return { scroll: root.scrollWidth, width, culprits: culprits.slice(0, 8) };
}"""

# A show of the demo catalog (config/demo/catalog.json) that no other title contains.
DEMO_TITLE = "Severance"


def pytest_configure(config: pytest.Config) -> None:
    missing = [name for name in ENVIRONMENT if not os.environ.get(name)]
    if missing:
        raise pytest.UsageError(
            f"{', '.join(missing)} not set: run the journeys with `cargo xtask ui`"
        )


def env_path(name: str) -> Path:
    """A path from the environment, absolute (the server runs in its own directory)."""
    return Path(os.environ[name]).absolute()


# --- the server -------------------------------------------------------------------------------


@dataclass
class Server:
    """A running `psma serve`; `url("/catalog")` is an absolute URL on it."""

    port: int
    directory: Path
    log: Path
    process: subprocess.Popen

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError as error:
            return f"(no log: {error})"


# Loopback requests never go through a proxy the environment may name.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(directory: Path, extra_env: dict[str, str] | None = None) -> Server:
    """Starts `$PSMA_BIN serve` on a new SQLite database in `directory` with the demo catalog
    and waits until `/ready` answers 200. The inherited PSMA_* variables are dropped, so only
    what is set here (and in `extra_env`) configures it."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PSMA_")}
    env.update(
        {
            "PSMA_DATABASE__URL": f"sqlite://{directory / 'psma.db'}?mode=rwc",
            "PSMA_SERVER__BIND": f"127.0.0.1:{port}",
            "PSMA_TELEMETRY__LOG_LEVEL": "warn",
            "PSMA_CATALOG__LOAD_DEMO": "true",
        }
    )
    env.update(extra_env or {})
    log = directory / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(env_path("PSMA_BIN")), "serve"],
            cwd=directory,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Server(port=port, directory=directory, log=log, process=process)
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"psma serve exited with {process.returncode} before it was ready:\n"
                + server.log_text(),
                pytrace=False,
            )
        try:
            with DIRECT.open(server.url("/ready"), timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            pytest.fail(
                f"psma serve was not ready within {READY_TIMEOUT:.0f} s:\n" + server.log_text(),
                pytrace=False,
            )
        time.sleep(0.1)


def stop_server(server: Server) -> str | None:
    """SIGTERM, then SIGKILL after 10 s; what went wrong, if anything."""
    if server.process.poll() is not None:
        return f"psma serve had already exited with {server.process.returncode}"
    server.process.send_signal(signal.SIGTERM)
    try:
        code = server.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
        return f"psma serve was still running {STOP_TIMEOUT:.0f} s after SIGTERM"
    return None if code == 0 else f"psma serve exited with {code} after SIGTERM"


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra PSMA_* variables for `server`; a module overrides this fixture to change them."""
    return {}


@pytest.fixture
def server(tmp_path: Path, server_env: dict[str, str]):
    started = start_server(tmp_path, server_env)
    yield started
    trouble = stop_server(started)
    if trouble:
        pytest.fail(f"{trouble}:\n{started.log_text()}", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item):
    """A failing test's report carries the server's log."""
    report = yield
    if report.failed:
        running = getattr(item, "funcargs", {}).get("server")
        if isinstance(running, Server):
            report.sections.append(("psma serve log", running.log_text() or "(empty)"))
    return report


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=env_path("CHROMIUM"), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@dataclass
class Viewport:
    name: str
    options: dict


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> Viewport:
    return Viewport(request.param, VIEWPORTS[request.param])


@dataclass
class Guards:
    """What a context saw that fails the test."""

    host: str
    problems: list[str] = field(default_factory=list)
    # Error statuses a test said a page answers with, as (status, path): Chromium logs each
    # such response as a console error, which is then not a problem.
    allowed: set[tuple[int, str]] = field(default_factory=set)

    def watch(self, page: Page) -> None:
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def console(self, message: ConsoleMessage) -> None:
        if self.expected(message):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            where = message.location.get("url", "")
            self.problems.append(f"console {message.type}: {message.text} ({where})")

    def expected(self, message: ConsoleMessage) -> bool:
        found = re.fullmatch(
            r"Failed to load resource: the server responded with a status of (\d{3}) .*",
            message.text,
        )
        if message.type != "error" or not found:
            return False
        where = urlsplit(message.location.get("url", ""))
        return where.netloc == self.host and (int(found[1]), where.path) in self.allowed

    def route(self, route: Route) -> None:
        request = route.request
        if urlsplit(request.url).netloc == self.host:
            route.continue_()
        else:
            self.problems.append(f"request left the server: {request.method} {request.url}")
            route.abort("blockedbyclient")

    def take(self) -> list[str]:
        taken, self.problems = self.problems, []
        return taken


class Browsing:
    """One test's contexts on one viewport, their guards, and the step counter for shots."""

    def __init__(self, browser: Browser, server: Server, viewport: Viewport):
        self.browser = browser
        self.server = server
        self.viewport = viewport
        self.step = 0
        self.contexts: list[tuple[BrowserContext, Guards, dict]] = []
        self.axe_source = env_path("AXE_JS").read_text()
        self.screenshots = env_path("SCREENSHOTS")

    def new_context(self, **options) -> BrowserContext:
        """A guarded context for the viewport (light, reduced motion, en-US, UTC unless
        `options` say otherwise) whose relative URLs resolve on the server."""
        settings = {
            **self.viewport.options,
            **CONTEXT_DEFAULTS,
            "base_url": self.server.origin,
            **options,
        }
        context = self.browser.new_context(**settings)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        guards = Guards(self.server.host)
        context.route("**/*", guards.route)
        context.on("page", guards.watch)
        self.contexts.append((context, guards, settings))
        return context

    def guards_of(self, context: BrowserContext) -> tuple[Guards, dict]:
        for known, guards, settings in self.contexts:
            if known is context:
                return guards, settings
        raise LookupError("the page's context was not made by `browsing.new_context`")

    def allow_status(self, page: Page, status: int, path: str) -> None:
        """Says that `path` answers `page` with the error `status` (a form sent back with
        its errors beside the fields, say): the console error Chromium logs for it is expected.
        Any other failed response still fails the test."""
        guards, _ = self.guards_of(page.context)
        guards.allowed.add((status, path))

    def check(self, page: Page) -> None:
        """Fails the test with what the page's guards saw so far."""
        guards, _ = self.guards_of(page.context)
        problems = guards.take()
        if problems:
            pytest.fail(f"{page.url}:\n  " + "\n  ".join(problems), pytrace=False)

    def shoot(self, page: Page, step: str) -> None:
        """Screenshots of the whole page in light and in dark, into
        `$SCREENSHOTS/<viewport>-<theme>/<NN>-<step>.png`, and axe in both themes (when the
        context runs JavaScript): any serious or critical violation fails the test, and each
        report is written to `$SCREENSHOTS/axe/<viewport>-<theme>-<step>.json`. A page that
        scrolls sideways (wider than the window: on a phone, the browser zooms out) fails too."""
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", step):
            raise ValueError(f"step names are lowercase kebab-case: {step!r}")
        self.check(page)
        _, settings = self.guards_of(page.context)
        scripts = settings.get("java_script_enabled", True)
        self.step += 1
        page.wait_for_load_state("load")
        failures = []
        for theme in THEMES:
            page.emulate_media(color_scheme=theme)
            folder = self.screenshots / f"{self.viewport.name}-{theme}"
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=folder / f"{self.step:02d}-{step}.png",
                full_page=True,
                animations="disabled",
                caret="hide",
            )
            if scripts:
                failures += self.axe(page, theme, step, settings)
        page.emulate_media(color_scheme=settings.get("color_scheme", "light"))
        self.check(page)
        found = []
        sideways = page.evaluate(SIDEWAYS)
        if sideways:
            found.append(
                f"{page.url} scrolls sideways on the {self.viewport.name} window "
                f"({sideways['scroll']} px of content in {sideways['width']} px), at step "
                f"{step!r}; what sticks out:\n  " + "\n  ".join(sideways["culprits"])
            )
        if failures:
            found.append(
                f"axe: serious or critical violations on {page.url}:\n" + "\n".join(failures)
            )
        if found:
            pytest.fail("\n".join(found), pytrace=False)

    def axe(self, page: Page, theme: str, step: str, settings: dict) -> list[str]:
        """Runs axe-core on the page as it is; the failing violations, described."""
        results = self.axe_results(page, theme, settings)
        folder = self.screenshots / "axe"
        folder.mkdir(parents=True, exist_ok=True)
        report = folder / f"{self.viewport.name}-{theme}-{step}.json"
        report.write_text(json.dumps(results, indent=1))
        failures = []
        for violation in results["violations"]:
            if violation.get("impact") not in AXE_FAILING_IMPACTS:
                continue
            failures.append(
                f"  [{self.viewport.name}, {theme}, {step}] {violation['id']} "
                f"({violation['impact']}): {violation['help']} — {violation['helpUrl']}"
            )
            for node in violation["nodes"]:
                summary = " ".join(node.get("failureSummary", "").split())
                failures.append(f"      {node['target']}: {summary}")
        return failures

    def axe_results(self, page: Page, theme: str, settings: dict) -> dict:
        # DevTools evaluation is not subject to the page's CSP, so axe goes into the page as it
        # is. Should that stop being so, the same URL is read again in a context that ignores
        # the CSP, with the same cookies (a GET: a page reached by a form post would differ).
        loaded = "() => typeof window.axe?.run === 'function'"
        try:
            if not page.evaluate(loaded):
                page.evaluate(self.axe_source)
            injected = page.evaluate(loaded)
        except PlaywrightError:
            injected = False
        if injected:
            return page.evaluate(AXE_RUN, AXE_TAGS)
        fallback = self.browser.new_context(
            **{
                **settings,
                "color_scheme": theme,
                "bypass_csp": True,
                "storage_state": page.context.storage_state(),
            }
        )
        try:
            guards = Guards(self.server.host)
            fallback.route("**/*", guards.route)
            copy = fallback.new_page()
            copy.goto(page.url)
            copy.evaluate(self.axe_source)
            return copy.evaluate(AXE_RUN, AXE_TAGS)
        finally:
            fallback.close()

    def close(self) -> list[str]:
        problems = []
        for context, guards, _ in self.contexts:
            problems += guards.take()
            context.close()
        self.contexts.clear()
        return problems


@pytest.fixture
def browsing(browser: Browser, server: Server, viewport: Viewport):
    session = Browsing(browser, server, viewport)
    yield session
    problems = session.close()
    if problems:
        pytest.fail("after the last step:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def context(browsing: Browsing) -> BrowserContext:
    return browsing.new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def shoot(browsing: Browsing):
    return browsing.shoot


# --- assertions shared by the journeys --------------------------------------------------------


# The main navigation, in order (crates/psma-api/src/ui/page.rs).
NAV = (
    ("Home", "/"),
    ("Catalog", "/catalog"),
    ("My Shows", "/my-shows"),
    ("My Services", "/my-services"),
    ("Plan", "/plan"),
    ("Advice", "/advice"),
    ("Conflicts", "/conflicts"),
    ("Import", "/import"),
    ("Providers", "/providers"),
    ("Settings", "/settings"),
)


def expect_layout(page: Page, current: str | None) -> None:
    """The frame every page has: a skip link to `#main`, a banner with "PSMA" linking home, the
    main navigation (the `current` link marked `aria-current="page"`), main and a footer."""
    expect(page.get_by_role("link", name="Skip to content")).to_have_attribute("href", "#main")
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="PSMA", exact=True)).to_have_attribute("href", "/")
    nav = page.get_by_role("navigation", name="Main", include_hidden=True)
    for name, href in NAV:
        link = nav.get_by_role("link", name=name, exact=True, include_hidden=True)
        expect(link).to_have_attribute("href", href)
        if name == current:
            expect(link).to_have_attribute("aria-current", "page")
        else:
            expect(link).not_to_have_attribute("aria-current", "page")
    expect(page.get_by_role("main")).to_have_attribute("id", "main")
    expect(page.get_by_role("contentinfo")).to_have_count(1)


def section(page: Page, heading: str | re.Pattern):
    """The `<section>` whose heading is `heading`."""
    # Sections nest, and an outer one holds the heading too: the innermost comes last.
    return (
        page.locator("section")
        .filter(has=page.get_by_role("heading", name=heading, exact=isinstance(heading, str)))
        .last
    )


def expect_one_result(page: Page, title: str):
    """The search results list exactly one show named `title`, linking to its page."""
    results = page.get_by_role("main").get_by_role("list")
    show = results.get_by_role("link", name=title)
    expect(show).to_have_count(1)
    expect(show).to_have_attribute("href", re.compile(r"/shows/[0-9a-f-]{36}$"))
    expect(page.get_by_text("No shows match")).to_have_count(0)
    return show


def expect_show_page(page: Page, title: str) -> None:
    """A show's page: its title, where to watch it (one row at least), upcoming episodes and
    the sources."""
    expect(page).to_have_url(re.compile(r"/shows/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    table = section(page, "Where to watch").get_by_role("table")
    for column in ("Service", "Country", "Window", "Confidence", "Source", "Retrieved"):
        expect(table.get_by_role("columnheader", name=column)).to_be_visible()
    rows = table.get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(rows.first).to_be_visible()
    expect(section(page, "Upcoming episodes")).to_be_visible()
    expect(section(page, "Sources")).to_be_visible()
    expect_layout(page, current="Catalog")


# --- steps shared by the journeys -------------------------------------------------------------

# How long the embedded worker may take to plan and raise advice after a change (it polls each
# second; the live events are read from the database every 2 s).
WORKER_TIMEOUT_MS = 20_000


def open_show(page: Page, title: str) -> None:
    """Searches the catalog for `title` and opens its page, as a person would."""
    page.goto("/catalog")
    search = page.get_by_role("search")
    search.get_by_label("Title").fill(title)
    search.get_by_role("button", name="Search").click()
    expect_one_result(page, title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def add_show(page: Page, title: str, mode: str = "As episodes air") -> None:
    """Adds `title` to My Shows from its page with the watch mode labelled `mode`; the page
    comes back saying so."""
    open_show(page, title)
    follow = section(page, "My Shows")
    follow.get_by_label(mode).check()
    follow.get_by_role("button", name="Add to My Shows").click()
    expect(page).to_have_url(re.compile(r"/shows/[0-9a-f-]{36}\?added=1$"))
    expect(follow.get_by_text("Added to My Shows.")).to_be_visible()
    expect(follow.get_by_text(f"In My Shows: {mode}.")).to_be_visible()


def add_service(
    page: Page,
    service: str,
    *,
    permanent: bool,
    price: str = "",
    currency: str = "",
    cycle_days: str = "",
) -> None:
    """Adds `service` (its name in the list) on My Services with the form's fields."""
    page.goto("/my-services")
    form = section(page, "Add a service")
    form.get_by_label("Service", exact=True).select_option(label=service)
    form.get_by_label("Keep it all the time").set_checked(permanent)
    form.get_by_label("Price you pay").fill(price)
    form.get_by_label("Currency").fill(currency)
    form.get_by_label("Billing cycle (days)").fill(cycle_days)
    form.get_by_role("button", name="Add service").click()
    expect(page).to_have_url(re.compile(r"/my-services(\?.*)?$"))
    row = (
        page.get_by_role("region", name="My services")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=service, exact=True))
    )
    expect(row).to_have_count(1)
    if permanent:
        expect(row.get_by_text("All the time")).to_be_visible()


def wait_for_plan(page: Page, containing: str) -> None:
    """Opens /plan and reloads it until the worker's plan is there and names `containing`,
    without asking for a plan: no re-plan is left to come after it."""
    page.goto("/plan")
    region = page.locator('[data-live="plan"]')
    for _ in range(WORKER_TIMEOUT_MS // 1000):
        if region.filter(has_text=containing).count() == 1:
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(region).to_contain_text(containing)
    expect(page.locator("svg.timeline")).to_be_visible()


def make_plan(page: Page) -> None:
    """Opens /plan and, when the worker has not planned yet, asks for the plan; the timeline
    is there afterwards."""
    page.goto("/plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your plan")
    make = page.get_by_role("button", name="Make my plan")
    timeline = page.locator("svg.timeline")
    expect(make.or_(timeline)).to_be_visible(timeout=WORKER_TIMEOUT_MS)
    if make.is_visible():
        make.click()
    expect(timeline).to_be_visible()
