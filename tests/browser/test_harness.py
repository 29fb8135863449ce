"""The watch every browser test relies on really sees trouble: otherwise "no problem" is vacuous."""

import time

import pytest


def wait_until(page, condition, timeout=10.0):
    """Poll while letting Playwright deliver its events (a plain sleep would not)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(50)


def test_it_blocks_and_records_requests_that_leave_127_0_0_1(tab):
    tab.goto("/about/")
    with pytest.raises(Exception, match="ERR_BLOCKED_BY_CLIENT"):
        tab.page.goto("http://example.com/atlas-must-not-go-here")
    assert tab.blocked == ["http://example.com/atlas-must-not-go-here"]


def test_it_records_csp_violations_console_errors_page_errors_and_http_errors(tab):
    tab.goto("/about/")
    page = tab.page
    assert tab.problems() == {}
    page.evaluate(
        """() => {
          document.body.setAttribute("style", "outline: 1px solid red");
          console.error("atlas harness check");
          setTimeout(() => { throw new Error("atlas harness boom"); }, 0);
          fetch("/no-such-page-for-the-harness/");
        }"""
    )
    wait_until(page, lambda: len(tab.problems()) == 4)
    assert tab.csp_violations[0]["directive"].startswith("style-src")
    assert any("atlas harness check" in e for e in tab.console_errors)
    assert tab.page_errors == ["atlas harness boom"]
    assert tab.http_errors == ["404 " + tab.url("/no-such-page-for-the-harness/")]
