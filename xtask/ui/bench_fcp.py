"""First contentful paint of PSMA's pages in headless Chromium, for `cargo xtask bench ui`.

Usage: bench_fcp.py BASE_URL LOADS PAGE...
Each page is loaded LOADS times, each in a new browser context (nothing cached), and its
first contentful paint read from the Paint Timing API. Prints {"PAGE": [ms, ...], ...} as JSON.
"""

import json
import os
import sys

from playwright.sync_api import sync_playwright

ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

FCP = """() => new Promise((resolve) => {
  const read = () => {
    const entry = performance.getEntriesByName('first-contentful-paint')[0];
    if (entry) { resolve(entry.startTime); return true; }
    return false;
  };
  if (!read()) {
    new PerformanceObserver(() => { read(); }).observe({ type: 'paint', buffered: true });
  }
})"""


def main() -> None:
    base, loads, pages = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        # One load first, not counted: the browser process itself warms up.
        warm = browser.new_context()
        warm.new_page().goto(base + pages[0], wait_until="load")
        warm.close()
        for page_path in pages:
            times = []
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto(base + page_path, wait_until="load")
                times.append(page.evaluate(FCP))
                context.close()
            results[page_path] = times
        browser.close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
