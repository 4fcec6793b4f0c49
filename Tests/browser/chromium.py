"""Headless Chromium for the browser tests: Debian's chromium and chromium-driver, driven by selenium."""
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def driver(height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size=1280,{height}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
