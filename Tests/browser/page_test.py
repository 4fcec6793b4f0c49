#!/usr/bin/env python3
"""Browser test of the web page: headless Chromium (Debian's chromium + chromium-driver,
driven by selenium) loads /, types a draft with the keyboard, submits it with Ctrl+Enter,
and checks that the DOM shows similar papers, suggested reviewers with evidence, and the
conflict removed. Then an empty draft shows the error inline. Saves a screenshot.

    page_test.py http://127.0.0.1:8080/ --screenshot docs/web-page.png
"""
import argparse
import sys

import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--screenshot")
    args = ap.parse_args()

    driver = chromium.driver(1400)
    try:
        driver.get(args.url)
        title = driver.find_element(By.ID, "title")
        assert driver.switch_to.active_element == title, "the title field should have the focus"
        title.send_keys("Tools for GPU performance profiling")
        title.send_keys(Keys.TAB)
        driver.switch_to.active_element.send_keys(
            "Profiling GPU-accelerated applications is hard. We present a profiler that measures GPU kernels "
            "with low overhead and attributes stalls to source lines and calling contexts.")
        driver.find_element(By.ID, "authors").send_keys("Yuxiong He")
        driver.find_element(By.ID, "k").clear()
        driver.find_element(By.ID, "k").send_keys("3")
        driver.find_element(By.ID, "authors").send_keys(Keys.CONTROL, Keys.ENTER)

        wait = WebDriverWait(driver, 30)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#reviewers li.reviewer")))
        papers = driver.find_elements(By.CSS_SELECTOR, "#papers > li")
        reviewers = driver.find_elements(By.CSS_SELECTOR, "#reviewers > li.reviewer")
        excluded = driver.find_elements(By.CSS_SELECTOR, "#excluded > li")
        assert len(papers) == 3, f"3 similar papers expected, got {len(papers)}"
        assert all(p.find_element(By.TAG_NAME, "a").text for p in papers), "every paper has a title link"
        assert len(reviewers) == 3, f"3 reviewers expected, got {len(reviewers)}"
        assert reviewers[0].find_element(By.TAG_NAME, "strong").text == "Keren Zhou", reviewers[0].text
        assert len(reviewers[0].find_elements(By.CSS_SELECTOR, ".evidence li")) == 3, "three evidence papers"
        assert any("Minjia Zhang" in e.text and "co-author of Yuxiong He" in e.text for e in excluded), [e.text for e in excluded]
        assert driver.find_element(By.ID, "error").text == ""
        if args.screenshot:
            driver.save_screenshot(args.screenshot)

        # An empty draft: the error shows inline, nothing is sent.
        driver.find_element(By.ID, "title").clear()
        driver.find_element(By.ID, "abstract").clear()
        driver.find_element(By.ID, "submit").click()
        wait.until(lambda d: d.find_element(By.ID, "error").text != "")
        assert driver.find_element(By.ID, "error").text == "Give a title or an abstract."
        print(f"browser test passed: {len(papers)} papers, {len(reviewers)} reviewers, "
              f"{len(excluded)} conflict(s) shown" + (f"; screenshot {args.screenshot}" if args.screenshot else ""))
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
