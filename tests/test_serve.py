"""`pingan serve`: the drafters' page.

Fast checks of every guard through Flask's test client (uploads: size, suffix, path, zip bomb,
escaping; peers; the Host header; downloads; errors on one line), and the whole flow in a real
headless browser: selenium driving Debian's chromium with chromium-driver (.ci/run installs both)
against a live server on a free port — upload, tick, view, filter, gaps, mandates, download Word and
Excel, and hostile uploads refused or inert.
"""
from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

import pingan_corpus as pc

CI = bool(os.environ.get("CI"))
if not CI:  # in CI the [test] extra is installed: a missing flask or selenium fails there
    pytest.importorskip("flask", reason="pingan serve needs flask: pip install -e '.[test]'")

from pingan_corpus import serve  # noqa: E402

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
PEERS = ["xiangtan_pingan_2022", "hubei_pingan_2024", "ordos_pingan_2024"]
HOST = {"Host": "127.0.0.1:8765"}
EVIL = ("某市平安建设条例（草案）\n第一条 为了<script>window.__pwned=1;alert(1)</script>加强平安建设，"
        "<img src=x onerror=\"window.__pwned=2;alert(2)\">根据有关法律，制定本条例。\n"
        "第二条 县级以上人民政府应当加强平安建设工作的领导。\n第三条 本条例自公布之日起施行。\n")
_ERROR = re.compile(r"id='error'>(.*?)</div>", re.DOTALL)


@pytest.fixture(scope="module")
def corpus():
    return pc.load_corpus(RAW)


@pytest.fixture(scope="module")
def draft_text(corpus) -> str:
    """The bundled 湘潭 draft, as a drafter would have it in a file."""
    return corpus["xiangtan_pingan_draft"].text


@pytest.fixture(scope="module")
def client(corpus):
    return serve.create_app(corpus).test_client()


def error_of(resp) -> str:
    """The one error line of a page (there must be exactly one)."""
    found = _ERROR.findall(resp.get_data(as_text=True))
    assert len(found) == 1, found
    assert "\n" not in found[0] and "Traceback" not in found[0]
    return found[0]


def upload(client, data: bytes, name: str, peers=PEERS[:2], **kw):
    return client.post("/compare", headers=HOST, data={"peer": list(peers), "draft": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", **kw)


def bomb_docx(inflated: int = 200 << 20) -> bytes:
    """A .docx whose document.xml inflates ~300 times (a few hundred KB on disk)."""
    para = "<w:p><w:r><w:t>第一条　为了规范平安建设工作，制定本条例。</w:t></w:r></w:p>".encode() * 20_000
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w") as w:
            for _ in range(inflated // len(para)):
                w.write(para)
    return buf.getvalue()


# -- the page, fast: Flask's test client -----------------------------------------------------------------
def test_the_page_lists_the_corpus_and_loads_nothing_from_the_network(client, corpus):
    r = client.get("/", headers=HOST)
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    for reg in corpus:
        assert f"name='peer' value='{reg.doc_id}'" in page
    assert "湖北省平安建设条例" in page and "2024-07-01" in page
    assert not re.search(r"(src|href|url)\s*[=(]\s*['\"]?(https?:)?//", page)
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'nonce-" in csp and "frame-ancestors 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert all(f"nonce='{nonce}'" in tag for tag in re.findall(r"<script[^>]*>", page))


def test_upload_tick_view_and_download(client, draft_text):
    import docx
    import openpyxl

    r = upload(client, draft_text.encode("utf-8"), "湘潭市平安建设条例（草案）.txt", PEERS)
    assert r.status_code == 303
    url = r.headers["Location"]
    page = client.get(url, headers=HOST).get_data(as_text=True)
    assert "data-relation=" in page and "data-force=" in page       # the 多地对照表 with its filters
    assert "只看法律效力变化" in page
    assert "id='gaps-peers'" in page                                   # what peers have and the draft lacks
    token = re.search(r"t=([\w-]+)", url).group(1)
    got = {}
    for fmt in ("docx", "xlsx"):
        d = client.get(f"/download/{token}/1/{fmt}", headers=HOST)
        assert d.status_code == 200 and d.data[:2] == b"PK"
        cd = d.headers["Content-Disposition"]
        assert cd.isascii() and "\r" not in cd and "\n" not in cd
        assert re.fullmatch(r"attachment; filename=\"[\w-]+\." + fmt + r"\"; filename\*=UTF-8''[\w%.-]+", cd), cd
        assert "%E5%A4%9A%E5%9C%B0%E5%AF%B9%E7%85%A7%E8%A1%A8" in cd     # 多地对照表, RFC 5987
        got[fmt] = d.data
    text = "\n".join(c.text for t in docx.Document(io.BytesIO(got["docx"])).tables for row in t.rows for c in row.cells)
    assert "湘潭" in text and "湖北" in text
    ws = openpyxl.load_workbook(io.BytesIO(got["xlsx"])).worksheets[0]
    cells = " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert "湖北" in cells
    # a document of the page reached by its own link keeps the ticks
    assert all(f"value='{p}' checked" in page for p in PEERS)


def test_a_file_of_several_documents_lets_the_drafter_pick_one(client):
    data = (RAW / "shequ_pingan_jianshe_zhidu_compilation.txt").read_bytes()
    loc = upload(client, data, "compilation.txt", PEERS[:1]).headers["Location"]
    page = client.get(loc, headers=HOST).get_data(as_text=True)
    assert "id='doc-pick'" in page and page.count("<option value=") == 12
    third = client.get(loc.split("#")[0] + "&doc=3", headers=HOST).get_data(as_text=True)
    assert "<option value='3' selected>" in third and "/1/docx" not in third and "/3/docx" in third
    assert "湘潭市（草案）" in third


def test_text_from_a_draft_is_escaped(client):
    r = upload(client, EVIL.encode("utf-8"), "<img src=x onerror=alert(3)>.txt", PEERS[:1])
    page = client.get(r.headers["Location"], headers=HOST).get_data(as_text=True)
    assert "&lt;script&gt;window.__pwned" in page
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(3)&gt;.txt" in page  # the file's name too


def test_the_upload_name_never_steers_a_path(client, draft_text, monkeypatch, tmp_path):
    import pingan_corpus.parse.document as document

    seen = []
    real = document.parse_file

    def spy(path, *a, **kw):
        seen.append(Path(path))
        assert Path(path).is_file()
        return real(path, *a, **kw)

    monkeypatch.setattr(document, "parse_file", spy)
    monkeypatch.chdir(tmp_path)
    for name in ("../../x.txt", "..\\..\\x.txt", "/etc/x.txt", "a/../../../x.TXT"):
        assert upload(client, draft_text.encode(), name).status_code == 303
    assert [p.name for p in seen] == ["draft.txt"] * 4
    assert all(not p.parent.exists() for p in seen)          # the private folder is gone after parsing
    assert not list(tmp_path.rglob("*")) and not (tmp_path.parent.parent / "x.txt").exists()
    assert serve.upload_suffix("../../x.txt") == ".txt"
    assert serve.upload_suffix("x.DOCX") == ".docx"
    for bad in ("x.exe", "x.txt.exe", "x", ".txt", "x.txt/..", "x.docx\x00.exe", "x.php"):
        assert serve.upload_suffix(bad) is None, bad
    r = upload(client, b"MZ", "../../x.exe")
    assert r.status_code == 400 and "只接受" in error_of(r)


def test_a_50_mb_upload_is_refused_with_a_readable_page(client):
    r = upload(client, b"0" * (50 << 20), "big.txt")
    assert r.status_code == 413
    assert r.mimetype == "text/html"
    assert "太大" in error_of(r) and "20 MB" in error_of(r)


def test_a_zip_bomb_docx_is_refused_in_one_line(client):
    t = time.perf_counter()
    r = upload(client, bomb_docx(), "炸弹.docx")
    assert time.perf_counter() - t < 10
    msg = error_of(r)
    assert r.status_code == 400 and "炸弹.docx" in msg and "refused" in msg
    assert "/tmp" not in msg and "pingan-serve-" not in msg   # the private folder is not shown


def test_peers_are_doc_ids_of_the_served_corpus(client, draft_text):
    r = upload(client, draft_text.encode(), "d.txt", ["hubei_pingan_2024", "../../etc/passwd"])
    assert r.status_code == 400 and "unknown peer" in error_of(r)
    r = upload(client, draft_text.encode(), "d.txt", [])
    assert "至少勾选" in error_of(r)
    r = client.post("/compare", headers=HOST, data={"peer": PEERS[:1]})
    assert "请选择草案文件" in error_of(r)
    r = upload(client, "只有一句话，没有条文。".encode(), "d.txt")
    assert "no provision" in error_of(r)


def test_the_host_header_must_name_the_server(client):
    for host in ("127.0.0.1:8765", "localhost:8765", "LOCALHOST", "127.0.0.1"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example:8765", "evil.example", "127.0.0.1.evil.example:8765", "192.168.1.5:8765"):
        r = client.get("/", headers={"Host": host})
        assert r.status_code == 400 and "Host header refused" in error_of(r), host
    r = client.post("/compare", headers={"Host": "rebind.attacker.example:8765"}, data={"peer": PEERS})
    assert r.status_code == 400
    assert serve.host_allowed("[::1]:8765", "::1") and not serve.host_allowed("evil:8765", "::1")
    assert serve.host_allowed("10.0.0.7:8765", "0.0.0.0") and not serve.host_allowed("evil.example", "0.0.0.0")
    assert not serve.host_allowed(None, "127.0.0.1") and not serve.host_allowed("", "127.0.0.1")


def test_which_regulations_mandate_x(client):
    page = client.get("/?q=矛盾纠纷", headers=HOST).get_data(as_text=True)
    assert "id='mandates-table'" in page
    n = page.split("id='mandates-table'")[1].count("<tr>") - 1
    assert n >= 10 and "应当" in page
    page = client.get("/?q=<script>alert(1)</script>", headers=HOST).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_unexpected_errors_are_one_generic_line_and_logged(client, monkeypatch, caplog, draft_text):
    from pingan_corpus.align import many

    def broken(*a, **kw):
        raise RuntimeError("boom in the library")

    monkeypatch.setattr(many, "compare_many", broken)
    loc = upload(client, draft_text.encode(), "d.txt").headers["Location"]
    with caplog.at_level("ERROR", logger="pingan_corpus.serve"):
        r = client.get(loc, headers=HOST)
    assert r.status_code == 500
    assert "unexpected error" in error_of(r) and "boom" not in r.get_data(as_text=True)
    assert "boom in the library" in caplog.text


def test_expired_uploads_and_unknown_pages_are_one_line(client):
    assert "upload the draft again" in error_of(client.get("/?t=nope", headers=HOST))
    r = client.get("/download/nope/1/docx", headers=HOST)
    assert r.status_code == 404 and "upload the draft again" in error_of(r)
    assert client.get("/download/nope/1/exe", headers=HOST).status_code == 404
    assert "No such page" in error_of(client.get("/etc/passwd", headers=HOST))
    assert client.get("/compare", headers=HOST).status_code == 405


def test_content_disposition_is_ascii_with_an_rfc5987_name():
    cd = serve.content_disposition('多地对照表_湘潭市"; x=1\r\n.docx')
    assert cd.isascii() and "\r" not in cd and "\n" not in cd and cd.count('"') == 2
    assert cd.startswith('attachment; filename="') and "filename*=UTF-8''%E5%A4%9A" in cd


def test_without_flask_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "flask", None)
    with pytest.raises(pc.MissingDependencyError) as info:
        serve.create_app(RAW)
    assert 'pip install "pingan_corpus[serve]"' in str(info.value) and "\n" not in str(info.value)


def test_importing_the_library_does_not_import_flask():
    r = subprocess.run([sys.executable, "-c", "import sys, pingan_corpus; print('flask' in sys.modules)"],
                       capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "False", r.stderr


def test_the_serve_command(capsys):
    from pingan_corpus.cli import build_parser, main

    args = build_parser().parse_args(["serve"])
    assert (args.corpus_dir, args.host, args.port, args.max_upload_mb, args.no_browser) == \
        (None, "127.0.0.1", 8765, 20, False)
    assert main(["serve", "/no/such/folder", "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such folder" in err
    with socket.socket() as s:  # a port already taken: one line, not a traceback
        s.bind(("127.0.0.1", 0))
        s.listen()
        assert main(["serve", str(RAW), "--port", str(s.getsockname()[1]), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot listen" in err
    with pytest.raises(SystemExit) as info:
        main(["serve", "--max-upload-mb", "0"])
    assert info.value.code == 2


def test_pingan_serve_starts_serves_and_stops_on_ctrl_c():
    import signal
    import urllib.request

    p = subprocess.Popen([sys.executable, "-m", "pingan_corpus", "serve", str(RAW), "--port", "0", "--no-browser"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = p.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.urlopen(url, timeout=30) as r:
            assert r.status == 200 and "立法比较" in r.read().decode("utf-8")
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0 and "stopped" in out and err == ""


# -- the whole flow in a real headless browser -----------------------------------------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
_NO_BROWSER = CHROMIUM is None or CHROMEDRIVER is None or importlib.util.find_spec("selenium") is None
browser_test = pytest.mark.skipif(_NO_BROWSER and not CI,
                                  reason="needs chromium, chromium-driver (apt install chromium chromium-driver) "
                                         "and selenium (pip install -e '.[test]'); .ci/run installs them")


@pytest.fixture(scope="module")
def live(corpus):
    server = serve.make_server(corpus, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    assert not _NO_BROWSER, "chromium, chromedriver and selenium must be installed (CI is set): .ci/run installs them"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    driver.downloads = downloads
    yield driver
    driver.quit()


def _wait(driver, condition, timeout: float = 30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _submit(driver, path: Path, peers) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "draft").send_keys(str(path))
    for box in driver.find_elements(By.CSS_SELECTOR, "#peer-table input[name=peer]"):
        if box.is_selected() != (box.get_attribute("value") in peers):
            _click(driver, box)
    old = driver.find_element(By.TAG_NAME, "html")
    _click(driver, driver.find_element(By.ID, "go"))
    _wait(driver, lambda d: _stale(old))


def _click(driver, element) -> None:
    """Click, with the element in the middle of the window (not under the sticky navigation bar)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def _stale(element) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True


def _no_alert(driver) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        return not driver.switch_to.alert
    except NoAlertPresentException:
        return True


def _visible_rows(driver):
    from selenium.webdriver.common.by import By

    return [tr for tr in driver.find_elements(By.CSS_SELECTOR, "#table tr[data-relation]") if tr.is_displayed()]


def _force_filter(driver):
    """The label of the table's own "legal-force changes only" checkbox (clicking it toggles the box)."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.XPATH, "//section[@id='table']//label[contains(., '只看法律效力变化')]")


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]


@browser_test
def test_the_page_in_a_headless_browser(live, browser, draft_text, tmp_path):
    import docx
    import openpyxl
    from selenium.webdriver.common.by import By

    d = browser
    draft = tmp_path / "湘潭市平安建设条例（草案）.txt"
    draft.write_text(draft_text, encoding="utf-8")
    d.get(live.url)
    assert "立法比较" in d.title + d.find_element(By.TAG_NAME, "h1").text
    d.find_element(By.ID, "peer-filter").send_keys("湖北")   # the peers' table filters as one types
    assert len([tr for tr in d.find_elements(By.CSS_SELECTOR, "#peer-table tbody tr") if tr.is_displayed()]) == 1
    d.find_element(By.ID, "peer-filter").clear()
    d.execute_script("document.getElementById('peer-filter').dispatchEvent(new Event('input'))")
    # upload, tick three peers, submit: the 多地对照表 on the page
    _submit(d, draft, PEERS)
    assert "/?t=" in d.current_url
    rows = _visible_rows(d)
    assert len(rows) > 40
    # the legal-force filter hides the rows without a change
    box = _force_filter(d)
    _click(d, box)
    shown = _visible_rows(d)
    assert 0 < len(shown) < len(rows)
    assert all(tr.get_attribute("data-force") not in ("", "0", "false", None) for tr in shown)
    _click(d, box)
    assert len(_visible_rows(d)) == len(rows)
    # the gaps list
    gaps = d.find_elements(By.CSS_SELECTOR, "#gaps-peers tbody tr")
    assert len(gaps) >= 5 and "湖北" in d.find_element(By.ID, "gaps-peers").text
    # which regulations mandate 矛盾纠纷 (the table stays on the page)
    q = d.find_element(By.ID, "q")
    q.send_keys("矛盾纠纷")
    old = d.find_element(By.TAG_NAME, "html")
    _click(d, d.find_element(By.ID, "ask"))
    _wait(d, lambda _: _stale(old))
    assert len(d.find_elements(By.CSS_SELECTOR, "#mandates-table tbody tr")) >= 10
    assert _visible_rows(d)
    # Word and Excel downloads, read back
    _click(d, d.find_element(By.ID, "dl-docx"))
    _click(d, d.find_element(By.ID, "dl-xlsx"))
    _wait(d, lambda _: {p.suffix for p in d.downloads.iterdir()} == {".docx", ".xlsx"}, 30)
    word = next(d.downloads.glob("*.docx"))
    assert word.name.startswith("多地对照表")
    text = "\n".join(c.text for t in docx.Document(word).tables for row in t.rows for c in row.cells)
    assert "湖北" in text and "鄂尔多斯" in text
    wb = openpyxl.load_workbook(next(d.downloads.glob("*.xlsx")))
    assert any("湖北" in str(v) for row in wb.worksheets[0].iter_rows(values_only=True) for v in row if v)
    assert not _console_errors(d)

    # hostile uploads: script and markup in the text stay text
    evil = tmp_path / "<img src=x onerror=alert(3)>.txt"
    evil.write_text(EVIL, encoding="utf-8")
    d.get(live.url)
    _submit(d, evil, PEERS[:1])
    assert _no_alert(d)
    assert d.execute_script("return window.__pwned === undefined")
    body = d.find_element(By.TAG_NAME, "body").text
    assert "<script>window.__pwned=1;alert(1)</script>" in body or "<img src=x onerror=" in body
    assert not d.find_elements(By.CSS_SELECTOR, "#table img")
    # a zip bomb .docx: one line on the page
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(bomb_docx())
    d.get(live.url)
    _submit(d, bomb, PEERS[:1])
    msg = d.find_element(By.ID, "error").text
    assert "bomb.docx" in msg and "refused" in msg and "\n" not in msg
    # a 50 MB file: the page says so before sending it …
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50 << 20)
    d.get(live.url)
    d.find_element(By.ID, "draft").send_keys(str(big))
    _click(d, d.find_element(By.CSS_SELECTOR, "#peer-table input[name=peer]"))
    _click(d, d.find_element(By.ID, "go"))
    line = d.find_element(By.ID, "client-error")
    assert line.is_displayed() and "太大" in line.text
    # … and the server refuses it when sent anyway: a readable 413 page, not a reset connection
    d.execute_script("document.getElementById('upload').removeAttribute('data-max')")
    old = d.find_element(By.TAG_NAME, "html")
    _click(d, d.find_element(By.ID, "go"))
    _wait(d, lambda _: _stale(old), 60)
    assert "太大" in d.find_element(By.ID, "error").text and "20 MB" in d.find_element(By.ID, "error").text
    assert _no_alert(d)


def test_the_host_guard_on_the_live_server(live):
    """DNS rebinding: a page of evil.example resolving to 127.0.0.1 sends Host: evil.example."""
    import http.client

    port = live.port
    for host, status in ((f"127.0.0.1:{port}", 200), (f"evil.example:{port}", 400)):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/", headers={"Host": host})
        resp = conn.getresponse()
        assert resp.status == status, host
        resp.read()
        conn.close()
