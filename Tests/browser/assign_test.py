#!/usr/bin/env python3
"""Browser test of the assignment view (/assign): headless Chromium loads a HotCRP paper
JSON export (v3.2 and v3.3 author keys, pc_conflicts), a HotCRP PC CSV and a preference
CSV (with a -100 conflict) through the file inputs, asks for a fair assignment of two
reviewers per paper with at most two papers each, and checks the DOM: every submission's
reviewers with evidence, the excluded reviewers with their rule, the statistics, and the
HotCRP CSV behind its download link (same pids, PC e-mails). Then an impossible load shows
the reasons inline. Saves a screenshot.

    assign_test.py http://127.0.0.1:8080/ --screenshot docs/web-assign.png
"""
import argparse
import json
import os
import sys
import tempfile

import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

PAPERS = [
    {"object": "paper", "pid": 3, "title": "Scheduling deep learning jobs on shared GPU clusters",
     "abstract": "We schedule training jobs on a shared GPU cluster with introspection and time slicing.",
     "authors": [{"email": "ana@uni-a.edu", "first": "Ana", "last": "Silva", "affiliation": "Uni A", "contact": True}],
     "pc_conflicts": {"fan.yang@pc.org": "pinned collaborator", "bgchun@pc.org": True}, "status": "submitted"},
    {"object": "paper", "pid": 7, "title": "Compiling tensor programs for accelerators",
     "abstract": "An end-to-end compiler stack that optimizes tensor operators for diverse hardware back ends.",
     "authors": [{"email": "ion@berkeley.edu", "given_name": "Ion", "family_name": "Stoica", "affiliation": "UC Berkeley"}]},
    {"pid": 9, "title": "Pipeline parallel training of large models",
     "abstract": "We split a large model into stages and pipeline micro-batches across GPUs to train it faster.",
     "authors": [{"name": "Chen, Mei", "email": "mei@corp.com"}]},
    {"pid": 12, "title": "Serving many fine-tuned models on one GPU", "authors": []},
    {"object": "paper", "pid": 15, "title": "A withdrawn paper", "status": "withdrawn", "withdrawn": True, "withdraw_reason": "Duplicate",
     "authors": [{"given_name": "Wu", "family_name": "Tester"}]},
]
PC = ("given_name,family_name,email,affiliation,roles\n"
      "Fan,Yang,fan.yang@pc.org,Microsoft Research,pc\nLidong,Zhou,lidong@pc.org,Microsoft Research,pc\n"
      "Byung-Gon,Chun,bgchun@pc.org,Seoul National University,\"chair pc\"\nYufei,Ding,yufei@pc.org,UCSB,pc\n"
      "Amar,Phanishayee,amar@pc.org,Microsoft Research,pc\nZhihao,Jia,zhihao@pc.org,CMU,pc\n")
PREFS = "paper,email,preference\n7,zhihao@pc.org,-100\n7,yufei@pc.org,20X\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--screenshot")
    args = ap.parse_args()
    folder = tempfile.mkdtemp()
    paths = {}
    for name, text in (("sosp-data.json", json.dumps(PAPERS)), ("pcinfo.csv", PC), ("allprefs.csv", PREFS)):
        paths[name] = os.path.join(folder, name)
        with open(paths[name], "w") as f:
            f.write(text)

    driver = chromium.driver(2000)
    try:
        driver.get(args.url.rstrip("/") + "/assign")
        assert driver.find_element(By.CSS_SELECTOR, "nav a[href='/']").text, "a link back to the draft page"
        driver.find_element(By.ID, "submissions").send_keys(paths["sosp-data.json"])
        driver.find_element(By.ID, "committee").send_keys(paths["pcinfo.csv"])
        driver.find_element(By.ID, "bids").send_keys(paths["allprefs.csv"])
        Select(driver.find_element(By.ID, "objective")).select_by_value("fair")
        for field, value in (("per", "2"), ("maxload", "2")):
            driver.find_element(By.ID, field).clear()
            driver.find_element(By.ID, field).send_keys(value)
        driver.find_element(By.ID, "assign").click()

        wait = WebDriverWait(driver, 60)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#submissionlist .submission")))
        boxes = driver.find_elements(By.CSS_SELECTOR, "#submissionlist .submission")
        assert [b.get_attribute("data-id") for b in boxes] == ["3", "7", "9", "12"], [b.get_attribute("data-id") for b in boxes]
        for b in boxes:
            reviewers = b.find_elements(By.CSS_SELECTOR, ".assigned > li.reviewer")
            assert len(reviewers) == 2, b.text
            assert all(r.find_elements(By.CSS_SELECTOR, ".evidence li") for r in reviewers), "every assigned reviewer shows evidence"
        excluded3 = [li.text for li in boxes[0].find_elements(By.CSS_SELECTOR, ".excluded li")]
        assert any(t.startswith("declared") and "Fan Yang" in t and "pinned collaborator" in t for t in excluded3), excluded3
        assert "Fan Yang" not in " ".join(r.text for r in boxes[0].find_elements(By.CSS_SELECTOR, ".assigned li"))
        excluded7 = [li.text for li in boxes[1].find_elements(By.CSS_SELECTOR, ".excluded li")]
        assert any("Zhihao Jia" in t and "declared a conflict in their bid (allprefs.csv:2)" in t for t in excluded7), excluded7
        summary = driver.find_element(By.ID, "summary").text
        assert "8 assignments, objective fair (optimal)" in summary and "Conflicts applied: declared 2" in summary, summary
        assert "Left out: 15, withdrawn in HotCRP (Duplicate)" in summary, summary
        assert "Note: sosp-data.json: paper 3: 'bgchun@pc.org' is Byung-Gon Chun, who is a chair" in summary, summary

        links = {a.text: a for a in driver.find_elements(By.CSS_SELECTOR, "#downloads a")}
        assert set(links) == {"refer CSV", "HotCRP bulk assignment CSV"}, list(links)
        assert "No matcher CSV: openreview-matcher's files name reviewers by OpenReview profile id" in driver.find_element(By.ID, "downloads").text
        hotcrp = links["HotCRP bulk assignment CSV"]
        assert hotcrp.get_attribute("download") == "hotcrp-assignment.csv" and hotcrp.get_attribute("href").startswith("blob:")
        text = driver.execute_async_script("const done = arguments[1]; fetch(arguments[0]).then(r => r.text()).then(done);", hotcrp.get_attribute("href"))
        rows = [r.split(",") for r in text.strip().split("\n")]
        assert rows[0] == ["paper", "action", "email"] and sorted({r[0] for r in rows[1:]}) == ["12", "3", "7", "9"], rows
        assert len(rows) == 9 and all(r[1] == "primary" and r[2].endswith("@pc.org") for r in rows[1:]), rows

        driver.find_element(By.ID, "filter").send_keys("pipeline")
        visible = [b.get_attribute("data-id") for b in boxes if b.is_displayed()]
        assert visible == ["9"], visible
        driver.find_element(By.ID, "filter").clear()
        if args.screenshot:
            driver.execute_script("document.getElementById('filter').dispatchEvent(new Event('input'))")
            driver.save_screenshot(args.screenshot)

        # Loads that cannot cover the reviews: the reasons show inline, the old result goes.
        driver.find_element(By.ID, "maxload").clear()
        driver.find_element(By.ID, "maxload").send_keys("1")
        driver.find_element(By.ID, "assign").click()
        wait.until(lambda d: d.find_element(By.ID, "error").text != "")
        error = driver.find_element(By.ID, "error").text
        assert "the maximum loads add up to 5 reviews, but 4 submissions × 2 reviewers need 8" in error, error  # the chair (roles "chair pc") does not review
        assert not driver.find_element(By.ID, "result").is_displayed()
        print(f"assignment view test passed: {len(boxes)} submissions, HotCRP CSV of {len(rows) - 1} rows"
              + (f"; screenshot {args.screenshot}" if args.screenshot else ""))
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
