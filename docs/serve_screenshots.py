"""The screenshots of `pingan serve` in the README (docs/img/serve_*.png), taken in headless chromium.

    .venv/bin/python docs/serve_screenshots.py      # needs chromium and chromium-driver (apt)

Serves data/raw on a free port, uploads the bundled 湘潭 draft with three peers ticked, asks which
regulations mandate 矛盾纠纷, and shoots the page: the form, the 多地对照表, the gaps, the mandates.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import pingan_corpus as pc
from pingan_corpus.serve import make_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
PEERS = ["xiangtan_pingan_2022", "hubei_pingan_2024", "ordos_pingan_2024"]


def shoot(driver, element_id: str, name: str) -> None:
    el = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, -44)", el)
    if element_id == "upload-card":
        driver.execute_script("window.scrollTo(0, 0)")
    driver.execute_script("return document.fonts.ready")
    driver.save_screenshot(str(OUT / name))
    print(f"wrote {OUT / name}")


def main() -> None:
    corpus = pc.load_corpus(ROOT / "data" / "raw")
    server = make_server(corpus, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900",
                "--force-device-scale-factor=1", "--hide-scrollbars"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    try:
        OUT.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            draft = Path(tmp) / "湘潭市平安建设条例（草案）.txt"
            draft.write_text(corpus["xiangtan_pingan_draft"].text, encoding="utf-8")
            driver.get(server.url)
            driver.find_element(By.ID, "draft").send_keys(str(draft))
            for box in driver.find_elements(By.CSS_SELECTOR, "#peer-table input[name=peer]"):
                if box.get_attribute("value") in PEERS:
                    driver.execute_script("arguments[0].click()", box)
            shoot(driver, "upload-card", "serve_upload.png")
            driver.execute_script("document.getElementById('go').click()")
            WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "gaps"))
            shoot(driver, "table", "serve_table.png")
            shoot(driver, "gaps", "serve_gaps.png")
            q = driver.find_element(By.ID, "q")
            q.send_keys("矛盾纠纷")
            driver.execute_script("document.getElementById('ask').click()")
            WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "mandates-table"))
            shoot(driver, "mandates", "serve_mandates.png")
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
