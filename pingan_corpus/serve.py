"""`pingan serve`: a local web page for drafters — drop a draft, tick peers, read the 多地对照表.

One page, served on 127.0.0.1 by default to one user:

* **upload** a draft (.docx/.txt/.md/.html/.pdf) and **tick peers** from the corpus folder (title,
  jurisdiction, date), and get the 多地对照表 (:func:`pingan_corpus.compare_many`, with its own
  filters: relation, legal-force changes), the **gaps** (:func:`pingan_corpus.gaps`: what peers have
  and the draft lacks, and the converse) and **Word / Excel downloads** of the table;
* ask **which regulations mandate X** (:func:`pingan_corpus.mandates` over the corpus).

What a hostile upload or a hostile page cannot do:

* an upload is at most ``max_upload_mb`` (HTTP 413 and a readable page above it; the browser is
  told before it sends), is written into a private ``tempfile.TemporaryDirectory`` under a fixed
  name (``draft`` + an allow-listed suffix: the upload's own file name never reaches a path) and
  is deleted as soon as it is parsed; the readers' own limits refuse ZIP bombs;
* every text from a document is HTML-escaped; a Content-Security-Policy lets only the page's own
  scripts run (a per-response nonce), loads nothing from the network, and forbids framing;
* peers are doc_ids of the served corpus only; downloads are built in memory and sent with an
  ASCII file name plus its RFC 5987 UTF-8 form;
* a request whose ``Host`` header is not the bound host (or ``localhost``) is refused — a page on
  another site cannot reach the server through DNS rebinding;
* errors are one readable line on the page; an unexpected exception is one generic line there and
  its traceback in the terminal.

Flask is imported when the app is built, so that ``import pingan_corpus`` never needs it
(``pip install "pingan_corpus[serve]"``).
"""
from __future__ import annotations

import datetime as dt
import html
import ipaddress
import logging
import secrets
import tempfile
import threading
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PinganError, require

__all__ = ["ALLOWED_SUFFIXES", "create_app", "make_server", "serve"]

log = logging.getLogger(__name__)

# the formats a draft may come in (the readers' own suffixes); the upload is saved under this suffix only
ALLOWED_SUFFIXES = (".docx", ".txt", ".md", ".html", ".htm", ".pdf")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_MAX_UPLOAD_MB = 20
# uploads kept in memory for re-viewing and downloading (one user: the last few drafts are enough)
KEPT_JOBS = 8
# most peers in one table: each is a full alignment against the draft (~0.5 s on two cores)
MAX_PEERS = 40
# most mandates shown on the page (the rest: pingan mandates … -o file.xlsx)
MAX_MANDATES = 200
# a refused upload below this size is read to its end before the 413 page is sent, so that the browser
# receives the page instead of a connection reset (above it the connection is simply closed)
DRAIN_MAX_BYTES = 256 * 2**20
_FORMATS = {"docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
            "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel")}
_MODALITY = {"shall": "应当", "prohibit": "不得", "may": "可以", "encourage": "鼓励"}
_STATUS = {"draft": "草案", "final": "正式"}
_GENERIC = "出错了：服务器内部错误（详情见启动 pingan serve 的终端）An unexpected error — see the terminal."


def _flask():
    return require("flask", "pingan serve", '"pingan_corpus[serve]"')


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _esc(x) -> str:
    from .present.tables import clean

    return html.escape(clean(x))


# -- what the server remembers: the last few uploads ---------------------------------------------------
@dataclass
class _Job:
    name: str                 # the upload's file name, for display only
    regs: list                # every document of the file
    peers: list[str]          # doc_ids in the served corpus
    views: dict[int, dict] = field(default_factory=dict)  # document index → computed table, gaps …


class _Jobs:
    def __init__(self, size: int = KEPT_JOBS):
        self._jobs: OrderedDict[str, _Job] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def add(self, job: _Job) -> str:
        token = secrets.token_urlsafe(12)
        with self._lock:
            self._jobs[token] = job
            while len(self._jobs) > self._size:
                self._jobs.popitem(last=False)
        return token

    def get(self, token: str | None) -> _Job | None:
        if not token:
            return None
        with self._lock:
            return self._jobs.get(token)


class _Refused(PinganError):
    """A request the page answers with one line (bad upload, unknown peer, …)."""


# -- the host guard ------------------------------------------------------------------------------------
def _host_name(host_header: str) -> str:
    """The host part of a Host header ('127.0.0.1:8765' → '127.0.0.1', '[::1]:80' → '::1')."""
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def host_allowed(host_header: str | None, bound: str) -> bool:
    """Whether a request's Host header names the server itself: the bound address, ``localhost``, or — when
    bound to every interface — an IP literal. A domain name (DNS rebinding: evil.example resolving to
    127.0.0.1) is refused."""
    if not host_header:
        return False
    name = _host_name(host_header)
    bound = bound.strip("[]").lower()
    if name in (bound, "localhost"):
        return True
    if bound in ("0.0.0.0", "::", ""):
        return _is_ip(name)
    return False


# -- the app -------------------------------------------------------------------------------------------
def create_app(corpus, *, host: str = DEFAULT_HOST, max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB):
    """The Flask app serving ``corpus`` (a :class:`~pingan_corpus.Corpus` or a folder)."""
    flask = _flask()
    from .corpus import Corpus, load_corpus

    if not isinstance(corpus, Corpus):
        folder = Path(corpus)
        if not folder.is_dir():
            raise PinganError(f"{folder}: no such folder (pingan serve CORPUS_DIR)")
        corpus = load_corpus(folder)
    if not len(corpus):
        raise PinganError("the corpus folder holds no regulation the page could offer as a peer")
    limit = int(max_upload_mb) * 2**20
    app = flask.Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = limit
    app.config["PINGAN_HOST"] = host
    jobs = _Jobs()
    compute = threading.Lock()  # one computation at a time: two cores, one user
    duties_cache: dict[str, object] = {}

    def page(*, job: _Job | None = None, token: str | None = None, doc: int = 0, query: str = "",
             all_modalities: bool = False, error: str | None = None, ticked: list[str] | None = None,
             status: int = 200):
        nonce = secrets.token_urlsafe(16)
        parts = [_header(corpus, limit)]
        parts.append(_error_line(error))
        parts.append(_upload_form(corpus, ticked if ticked is not None else (job.peers if job else []), limit))
        if job is not None:
            parts.append(_results(job, token, doc, view(job, doc), corpus))
        parts.append(_mandates_section(query, all_modalities, token if job else None, doc,
                                       mandates_of(query, all_modalities) if query.strip() else None))
        body = "\n".join(parts)
        resp = flask.make_response(_document(body, nonce), status)
        _secure(resp, nonce)
        return resp

    def view(job: _Job, doc: int) -> dict:
        if doc not in job.views:
            from .align.gaps import gaps
            from .align.many import compare_many

            draft = job.regs[doc]
            peers = [corpus[p] for p in job.peers]
            with compute:
                table = compare_many(draft, peers)
                fragment = table.to_html(standalone=False)
                missing = gaps(draft, peers)
            job.views[doc] = {"table": table, "html": fragment, "gaps": missing}
        return job.views[doc]

    def mandates_of(query: str, all_modalities: bool):
        from .duties.query import mandate_duties, mandates

        with compute:
            if "duties" not in duties_cache:
                duties_cache["duties"] = mandate_duties(corpus)
            return mandates(corpus, query.strip(), modality=None if all_modalities else ("shall", "prohibit"),
                            duties=duties_cache["duties"])

    @app.before_request
    def guard():
        req = flask.request
        if not host_allowed(req.headers.get("Host"), app.config["PINGAN_HOST"]):
            resp = flask.make_response(_document(_error_line(
                "拒绝访问：请求的主机名不是本服务的地址（Host header refused）。请用启动时显示的地址打开本页。"), ""), 400)
            _secure(resp, "")
            return resp
        length = req.content_length
        if length is not None and length > limit:
            if length <= DRAIN_MAX_BYTES:  # read it away, so that the browser gets the page, not a reset
                stream = req.environ.get("wsgi.input")
                left = length
                while stream is not None and left > 0:
                    chunk = stream.read(min(left, 2**20))
                    if not chunk:
                        break
                    left -= len(chunk)
            flask.abort(413)
        return None

    @app.get("/")
    def index():
        args = flask.request.args
        token = args.get("t")
        job = jobs.get(token)
        error = None
        if token and job is None:
            error = "这次上传已不在服务器上（服务已重启或上传过多），请重新上传草案。The upload has expired: upload the draft again."
        doc = _int(args.get("doc"), 1) - 1
        if job is not None and not 0 <= doc < len(job.regs):
            doc = 0
        return page(job=job, token=token if job else None, doc=doc, query=args.get("q", "")[:100],
                    all_modalities=bool(args.get("all")), error=error)

    @app.post("/compare")
    def compare_route():
        form = flask.request.form
        ticked = form.getlist("peer")
        try:
            peers = _peers(ticked, corpus)
            upload = flask.request.files.get("draft")
            if upload is None or not upload.filename:
                raise _Refused("请选择草案文件（.docx / .txt / .md / .html / .pdf）。Choose the draft file.")
            name, regs = _parse_upload(upload)
        except PinganError as e:
            return page(error=_one_line(e), ticked=[p for p in ticked if p in corpus], status=400)
        except MemoryError:
            return page(error="文件过大，本机内存不足以读取。The file is too large for this machine.",
                        ticked=[p for p in ticked if p in corpus], status=400)
        token = jobs.add(_Job(name=name, regs=regs, peers=peers))
        return flask.redirect(f"/?t={token}#table", code=303)

    @app.get("/download/<token>/<int:doc>/<fmt>")
    def download(token: str, doc: int, fmt: str):
        job = jobs.get(token)
        if fmt not in _FORMATS:
            flask.abort(404)
        if job is None or not 1 <= doc <= len(job.regs):
            return page(error="这次上传已不在服务器上，请重新上传草案。The upload has expired: upload the draft again.",
                        status=404)
        table = view(job, doc - 1)["table"]
        with tempfile.TemporaryDirectory(prefix="pingan-serve-") as tmp:
            out = Path(tmp) / f"table.{fmt}"
            with compute:
                (table.to_docx if fmt == "docx" else table.to_excel)(out)
            data = out.read_bytes()
        resp = flask.make_response(data)
        resp.headers["Content-Type"] = _FORMATS[fmt][0]
        resp.headers["Content-Disposition"] = content_disposition(_download_name(job.regs[doc - 1], fmt))
        _secure(resp, "")
        return resp

    @app.get("/font/cjk.otf")
    def font():
        from .present.plots import BUNDLED_FONT

        if not BUNDLED_FONT.is_file():
            flask.abort(404)
        resp = flask.send_file(BUNDLED_FONT, mimetype="font/otf", max_age=86400)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        return resp

    @app.errorhandler(413)
    def too_large(_e):
        return page(error=f"上传的文件太大：上限 {limit // 2**20} MB。The file is too large (limit "
                          f"{limit // 2**20} MB): pingan serve --max-upload-mb raises it.", status=413)

    @app.errorhandler(404)
    def not_found(_e):
        return page(error="没有这个页面。No such page.", status=404)

    @app.errorhandler(405)
    def not_allowed(_e):
        return page(error="请从本页的表单提交。Use the form on this page.", status=405)

    @app.errorhandler(400)
    def bad_request(_e):
        return page(error="请求无法读取，请重新提交表单。The request could not be read: submit the form again.",
                    status=400)

    @app.errorhandler(PinganError)
    def pingan_error(e):
        return page(error=_one_line(e), status=400)

    @app.errorhandler(Exception)
    def unexpected(e):
        from werkzeug.exceptions import HTTPException

        if isinstance(e, HTTPException):
            return e
        log.exception("pingan serve: unexpected error on %s %s", flask.request.method, flask.request.path)
        try:
            return page(error=_GENERIC, status=500)
        except Exception:  # the page itself failed: plain text, still one line
            return flask.Response(_GENERIC, status=500, mimetype="text/plain")

    return app


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _peers(ticked: list[str], corpus) -> list[str]:
    unknown = [p for p in ticked if p not in corpus]
    if unknown:
        raise _Refused(f"未知的对照法规（unknown peer）：{unknown[0][:80]} — 只能勾选本语料库中的法规。")
    peers = list(dict.fromkeys(ticked))
    if not peers:
        raise _Refused("请至少勾选一部对照法规。Tick at least one peer regulation.")
    if len(peers) > MAX_PEERS:
        raise _Refused(f"一次最多对照 {MAX_PEERS} 部法规（已勾选 {len(peers)} 部）。At most {MAX_PEERS} peers at a time.")
    return peers


def upload_suffix(filename: str) -> str | None:
    """The allow-listed suffix of an upload's name ('../../x.txt' → '.txt'), or None: only the suffix of
    the last path component is ever used, and only to choose among ALLOWED_SUFFIXES."""
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    dot = last.rfind(".")
    suffix = last[dot:].lower() if dot > 0 else ""
    return suffix if suffix in ALLOWED_SUFFIXES else None


def _display_name(filename: str) -> str:
    from .present.tables import clean

    last = clean(filename.replace("\\", "/").rsplit("/", 1)[-1])
    return last[:120] or "draft"


def _parse_upload(upload) -> tuple[str, list]:
    """Parse an uploaded draft in a private temporary folder, under a fixed name; the folder is gone after."""
    from .parse.document import parse_file
    from .present.tables import safe_filename

    name = _display_name(upload.filename or "")
    suffix = upload_suffix(upload.filename or "")
    if suffix is None:
        raise _Refused(f"{name}：只接受 .docx / .txt / .md / .html / .pdf 文件。Only .docx, .txt, .md, .html or "
                       ".pdf drafts can be read.")
    with tempfile.TemporaryDirectory(prefix="pingan-serve-") as tmp:
        path = Path(tmp) / f"draft{suffix}"
        upload.save(path)
        try:
            regs = list(parse_file(path))
        except PinganError as e:  # the message names the temporary file: name the upload instead
            raise _Refused(_one_line(str(e).replace(str(path), name).replace(tmp, ""))) from None
    if not regs:
        raise _Refused(f"{name}：没有找到条文。No provision found in the file.")
    stem = safe_filename(name.rsplit(".", 1)[0], default="draft")[:60]
    for k, reg in enumerate(regs):
        reg.doc_id = f"草案:{stem}" + (f"#{k + 1}" if len(regs) > 1 else "")
        reg.source = name
    return name, regs


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII file name and the full name in RFC 5987 form (filename*=UTF-8'')."""
    stem, _, ext = name.rpartition(".")
    ascii_stem = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in stem).strip("_")
    fallback = f"{ascii_stem or 'pingan_table'}.{ext}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(name, safe='')}"


def _download_name(draft, fmt: str) -> str:
    from .models import regulation_name
    from .present.tables import safe_filename

    return f"多地对照表_{safe_filename(regulation_name(draft), default='draft', max_bytes=90)}.{fmt}"


def _secure(resp, nonce: str) -> None:
    script = f"'nonce-{nonce}'" if nonce else "'none'"
    resp.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src {script}; style-src 'unsafe-inline'; font-src 'self'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Cache-Control"] = "no-store"


# -- the page ------------------------------------------------------------------------------------------
_CSS = """
@font-face{font-family:"PinganCJK";src:url(/font/cjk.otf) format("opentype");
unicode-range:U+2E80-9FFF,U+F900-FAFF,U+FF00-FFEF,U+3000-303F}
@font-face{font-family:"Noto Sans CJK SC";src:local("Noto Sans CJK SC"),local("NotoSansCJKsc-Regular"),
url(/font/cjk.otf) format("opentype");unicode-range:U+2E80-9FFF,U+F900-FAFF,U+FF00-FFEF,U+3000-303F}
:root{--blue:#1f4e79;--line:#d0d7de;--soft:#f4f6f9}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",
"PinganCJK",sans-serif;margin:0;color:#222;line-height:1.6;background:#fff;font-size:15px}
header.top{background:var(--blue);color:#fff;padding:16px 28px}
header.top h1{margin:0;font-size:1.45em;font-weight:600}header.top p{margin:4px 0 0;opacity:.85;font-size:.92em}
nav.top{position:sticky;top:0;background:var(--soft);border-bottom:1px solid var(--line);padding:7px 28px;z-index:5}
nav.top a{margin-right:20px;color:var(--blue);text-decoration:none}
main{padding:4px 28px 48px;max-width:1500px}
section.card{margin-top:22px}section.card h2{font-size:1.2em;color:var(--blue);margin:0 0 8px;
border-bottom:2px solid var(--soft);padding-bottom:4px}
.en{color:#667;font-weight:normal;font-size:.85em}
.muted{color:#666;font-size:13px}
.error{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c1c;padding:9px 14px;border-radius:4px;margin-top:16px}
.step{display:flex;gap:14px;align-items:center;flex-wrap:wrap;margin:8px 0}
.step b.n{display:inline-block;width:1.6em;height:1.6em;border-radius:50%;background:var(--blue);color:#fff;
text-align:center;line-height:1.6em;font-size:.9em}
input[type=file]{padding:6px;border:1px dashed #8aa;border-radius:4px;background:#fafcff;min-width:340px}
input[type=search],input[type=text]{padding:6px 9px;border:1px solid var(--line);border-radius:4px;min-width:260px;
font:inherit}
button,.button{background:var(--blue);color:#fff;border:0;border-radius:4px;padding:7px 16px;font:inherit;
cursor:pointer;text-decoration:none;display:inline-block}
button:disabled{opacity:.6;cursor:wait}.button.light{background:#e8eef5;color:var(--blue)}
.peers{max-height:330px;overflow:auto;border:1px solid var(--line);border-radius:4px;margin:6px 0}
table.grid{border-collapse:collapse;font-size:14px;width:100%}
table.grid th,table.grid td{border-bottom:1px solid var(--line);padding:4px 8px;vertical-align:top;text-align:left}
table.grid th{background:var(--soft);position:sticky;top:0;z-index:1}
table.grid tr:hover td{background:#fafbfd}
table.grid td.num{text-align:right;white-space:nowrap}
.peers label{display:block;cursor:pointer}
.tag{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;background:#eef2f6;color:#345}
.tag.shall,.tag.prohibit{background:#fdebd3;color:#7a4100}
details summary{cursor:pointer;color:var(--blue)}
.downloads{margin:8px 0 12px;display:flex;gap:10px;flex-wrap:wrap;align-items:center}
.table-wrap{overflow:auto}
td.nowrap,th.nowrap,.tag{white-space:nowrap}
#mandates-table td:nth-child(2){min-width:9em}#mandates-table td:nth-child(6){min-width:18em}
table.gaps td:nth-child(5){min-width:8em}table.gaps td:nth-child(4){min-width:7em}
"""

_SCRIPT = """
(function(){
  var form=document.getElementById('upload');
  if(form){
    form.addEventListener('submit',function(ev){
      var f=document.getElementById('draft'), max=parseInt(form.getAttribute('data-max'),10), line=document.getElementById('client-error');
      if(f&&f.files&&f.files[0]&&max>0&&f.files[0].size>max){
        ev.preventDefault();line.textContent='上传的文件太大：上限 '+Math.round(max/1048576)+' MB。The file is too large.';
        line.hidden=false;return;
      }
      var b=document.getElementById('go');if(b){b.disabled=true;b.textContent='正在比对…  Comparing…';}
    });
  }
  var filter=document.getElementById('peer-filter');
  if(filter){
    filter.addEventListener('input',function(){
      var q=filter.value.trim().toLowerCase();
      document.querySelectorAll('#peer-table tbody tr').forEach(function(tr){
        tr.hidden=q!==''&&tr.textContent.toLowerCase().indexOf(q)<0;});
    });
  }
  function count(){var n=document.querySelectorAll('#peer-table input[name=peer]:checked').length,
    c=document.getElementById('peer-count');if(c){c.textContent=n;}}
  document.querySelectorAll('#peer-table input[name=peer]').forEach(function(i){i.addEventListener('change',count);});
  count();
  var pick=document.getElementById('doc-pick');
  if(pick){pick.addEventListener('change',function(){pick.form.submit();});}
})();
"""


def _document(body: str, nonce: str) -> str:
    script = f"<script nonce='{nonce}'>{_SCRIPT}</script>" if nonce else ""
    return ("<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>平安建设立法比较 · pingan serve</title>"
            f"<style>{_CSS}</style></head><body>\n{body}\n{script}</body></html>\n").replace(
        "<script>", f"<script nonce='{nonce}'>" if nonce else "<script>")


def _header(corpus, limit: int) -> str:
    return ("<header class='top'><h1>立法比较工作台 <span class='en'>pingan serve</span></h1>"
            "<p>上传草案，勾选对照法规，生成多地对照表、缺失条款清单，并查询哪些法规规定了某项义务。"
            "Everything stays on this computer.</p></header>"
            "<nav class='top'><a href='/'>上传 Upload</a><a href='#table'>多地对照表 Table</a>"
            "<a href='#gaps'>缺失条款 Gaps</a><a href='#mandates'>义务查询 Mandates</a></nav><main>")


def _error_line(error: str | None) -> str:
    shown = f"<div class='error' role='alert' id='error'>{_esc(error)}</div>" if error else ""
    return shown + "<div class='error' role='alert' id='client-error' hidden></div>"


def _date(reg) -> str:
    if reg.effective:
        return f"{reg.effective:%Y-%m-%d} 施行"
    if reg.adopted:
        return f"{reg.adopted:%Y-%m-%d} 通过"
    return ""


def _upload_form(corpus, ticked: list[str], limit: int) -> str:
    from .models import regulation_name

    chosen = set(ticked)
    rows = []
    for reg in corpus:
        box = (f"<input type='checkbox' name='peer' value='{_esc(reg.doc_id)}'"
               f"{' checked' if reg.doc_id in chosen else ''}>")
        rows.append(f"<tr><td><label>{box}</label></td><td><label>{_esc(regulation_name(reg))}</label></td>"
                    f"<td>{_esc(reg.jurisdiction or '')}</td><td class='num'>{_esc(_date(reg))}</td>"
                    f"<td>{_esc(_STATUS.get(reg.status or '', reg.status or ''))}</td>"
                    f"<td class='muted'>{_esc(reg.doc_id)}</td><td class='num'>{len(reg.articles)}</td></tr>")
    skipped = getattr(corpus, "skipped", [])
    note = (f"<p class='muted'>语料库中有 {len(skipped)} 个文件无法读取，已跳过（pingan check 可列出原因）。</p>"
            if skipped else "")
    accept = ",".join(ALLOWED_SUFFIXES)
    return f"""<section class='card' id='upload-card'><h2>上传草案并选择对照法规 <span class='en'>Draft and peers</span></h2>
<form id='upload' method='post' action='/compare' enctype='multipart/form-data' data-max='{limit}'>
<div class='step'><b class='n'>1</b><label for='draft'>草案文件 <span class='en'>draft</span>：</label>
<input type='file' id='draft' name='draft' accept='{accept}'>
<span class='muted'>.docx / .txt / .md / .html / .pdf，不超过 {limit // 2**20} MB</span></div>
<div class='step'><b class='n'>2</b><span>勾选对照法规 <span class='en'>peers</span>（已选 <b id='peer-count'>0</b> 部）</span>
<input type='search' id='peer-filter' placeholder='筛选：标题、地区、年份 filter'></div>
<div class='peers'><table class='grid' id='peer-table'><thead><tr><th></th><th>标题 title</th><th>地区 jurisdiction</th>
<th>日期 date</th><th>状态</th><th>doc_id</th><th>条数</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table></div>{note}
<div class='step'><b class='n'>3</b><button type='submit' id='go'>生成多地对照表 Compare</button></div>
</form></section>"""


def _results(job: _Job, token: str | None, doc: int, view: dict, corpus) -> str:
    from .models import regulation_name

    draft = job.regs[doc]
    picker = ""
    if len(job.regs) > 1:
        options = "".join(f"<option value='{k + 1}'{' selected' if k == doc else ''}>{k + 1}. "
                          f"{_esc(regulation_name(r))}（{len(r.articles)} 条）</option>" for k, r in enumerate(job.regs))
        picker = (f"<form method='get' action='/' class='step'><input type='hidden' name='t' value='{_esc(token)}'>"
                  f"<label for='doc-pick'>此文件含 {len(job.regs)} 篇文件，选择草案 <span class='en'>document</span>：</label>"
                  f"<select id='doc-pick' name='doc'>{options}</select><noscript><button>显示</button></noscript></form>")
    names = "、".join(regulation_name(corpus[p]) for p in job.peers)
    base = f"/download/{urllib.parse.quote(token or '', safe='')}/{doc + 1}"
    downloads = (f"<div class='downloads'><a class='button' id='dl-docx' href='{_esc(base)}/docx'>下载 Word 对照表 (.docx)</a>"
                 f"<a class='button light' id='dl-xlsx' href='{_esc(base)}/xlsx'>下载 Excel (.xlsx)</a></div>")
    return (f"<section class='card' id='table'><h2>多地对照表 <span class='en'>multi-jurisdiction table</span></h2>"
            f"{picker}<p>草案 <b>{_esc(regulation_name(draft))}</b>（{_esc(job.name)}，{len(draft.articles)} 条）"
            f"对照 {len(job.peers)} 部法规：{_esc(names)}</p>{_warnings(draft)}{downloads}"
            f"<div class='table-wrap'>{view['html']}</div></section>"
            f"<section class='card' id='gaps'><h2>缺失条款 <span class='en'>gaps</span></h2>{_gaps_html(view['gaps'])}</section>")


def _warnings(draft) -> str:
    if not draft.warnings:
        return ""
    items = "".join(f"<li>{_esc(w)}</li>" for w in draft.warnings[:20])
    more = f"<li>… 另有 {len(draft.warnings) - 20} 条</li>" if len(draft.warnings) > 20 else ""
    return f"<details class='muted'><summary>解析提示 {len(draft.warnings)} 条 (parse warnings)</summary><ul>{items}{more}</ul></details>"


def _cell(value) -> str:
    """One table cell's content, escaped: lists one per line, long text folded."""
    import pandas as pd

    if isinstance(value, (list, tuple)):
        return "<br>".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "<br>".join(f"{_esc(k)}：{_cell(v)}" for k, v in value.items())
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return _esc(f"{value:%Y-%m-%d}")
    return _esc(value)


def _folded(value) -> str:
    texts = value if isinstance(value, (list, tuple)) else [value]
    texts = [t for t in texts if isinstance(t, str) and t]
    if not texts:
        return _cell(value)
    first = texts[0]
    head = _esc(first[:60] + ("…" if len(first) > 60 else ""))
    return f"<details><summary>{head}</summary>{'<hr>'.join(_esc(t) for t in texts)}</details>"


def _lines(value, sep: str) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None]
    return [x for x in value.split(sep) if x.strip()] if isinstance(value, str) else []


def _gaps_html(df) -> str:
    if df is None or not len(df):
        return "<p>草案与所选法规的条款一一对应，没有缺失。No gaps: every peer provision has a counterpart.</p>"
    out = []
    for side, title, empty in (
            ("peers", "对照法规有、草案没有 <span class='en'>peers have, the draft lacks</span>",
             "没有：对照法规的条款在草案中都有对应。"),
            ("draft", "仅草案有 <span class='en'>only the draft has</span>", "没有：草案的条款在对照法规中都有对应。")):
        part = df[df["side"] == side] if "side" in df.columns else df
        rows = []
        for rec in part.to_dict("records"):
            articles = "<br>".join(_esc(x) for x in _lines(rec.get("articles"), "；"))
            texts = _folded(_lines(rec.get("texts"), "\n"))
            partial = _cell(rec.get("draft_partial"))
            if side == "peers":
                rows.append(f"<tr><td class='num'>{_cell(rec.get('rank'))}</td><td>{_cell(rec.get('label'))}</td>"
                            f"<td class='num'>{_cell(rec.get('n_peers'))}</td><td>{_cell(rec.get('peers'))}</td>"
                            f"<td>{articles}</td><td>{partial}</td><td>{texts}</td></tr>")
            else:
                rows.append(f"<tr><td>{_cell(rec.get('label'))}</td><td>{articles}</td><td>{texts}</td></tr>")
        head = ("<th>#</th><th>条款 provision</th><th>几部有 peers</th><th>哪些法规</th><th>条文 articles</th>"
                "<th>草案部分涉及 partly in</th><th>内容 text</th>" if side == "peers" else
                "<th>条款 provision</th><th>条文 articles</th><th>内容 text</th>")
        table = (f"<div class='table-wrap'><table class='grid gaps' id='gaps-{side}'><thead><tr>{head}</tr></thead>"
                 f"<tbody>{''.join(rows)}</tbody></table></div>") if rows else f"<p class='muted'>{empty}</p>"
        out.append(f"<h3>{title}（{len(rows)}）</h3>{table}")
    return "".join(out)


def _mandates_section(query: str, all_modalities: bool, token: str | None, doc: int, df) -> str:
    keep = (f"<input type='hidden' name='t' value='{_esc(token)}'><input type='hidden' name='doc' value='{doc + 1}'>"
            if token else "")
    form = (f"<form method='get' action='/#mandates' class='step' id='mandates-form'>{keep}"
            f"<input type='search' name='q' id='q' value='{_esc(query)}' placeholder='例如：矛盾纠纷、校园欺凌、寄递实名' maxlength='100'>"
            f"<label><input type='checkbox' name='all' value='1'{' checked' if all_modalities else ''}> 含“可以”“鼓励” "
            "<span class='en'>all modalities</span></label><button type='submit' id='ask'>查询 Search</button></form>")
    result = ""
    if df is not None:
        if not len(df):
            result = f"<p id='mandates-result'>语料库中没有规定“{_esc(query)}”的条款。No provision matches.</p>"
        else:
            rows = []
            for r in df.head(MAX_MANDATES).itertuples(index=False):
                why = "、".join(r.matched_terms) if isinstance(r.matched_terms, (list, tuple)) else _s(r.matched_terms)
                cue = f"，{r.cue}" if isinstance(r.cue, str) and r.cue else ""
                rows.append(
                    f"<tr><td class='nowrap'>{_esc(r.jurisdiction or r.title or r.doc_id)}</td><td>{_esc(r.title or '')}</td>"
                    f"<td class='num'>第{_cell(r.article_no)}条</td><td>{_cell(r.actor)}</td>"
                    f"<td><span class='tag {_esc(r.modality)}'>{_esc(_MODALITY.get(r.modality, r.modality))}</span></td>"
                    f"<td>{_cell(r.action)}</td><td class='muted'>{_esc(why)}（{_esc(r.matched_in)}{_esc(cue)}）</td>"
                    f"<td>{_folded(r.text)}</td></tr>")
            more = (f"<p class='muted'>只显示前 {MAX_MANDATES} 条（共 {len(df)} 条）；全部：pingan mandates … -o 结果.xlsx</p>"
                    if len(df) > MAX_MANDATES else "")
            result = (f"<p id='mandates-result'>{len(df)} 条义务，来自 {df['doc_id'].nunique()} 部法规。</p>"
                      "<div class='table-wrap'><table class='grid' id='mandates-table'><thead><tr><th>地区</th><th>法规</th>"
                      "<th>条</th><th>义务主体 actor</th><th>强度</th><th>义务 action</th><th>为何匹配 why</th>"
                      f"<th>条文 text</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>{more}")
    return (f"<section class='card' id='mandates'><h2>哪些法规规定了…… <span class='en'>which regulations mandate X</span>"
            f"</h2>{form}{result}</section></main>")


def _s(x) -> str:
    return x if isinstance(x, str) else ""


# -- running it ----------------------------------------------------------------------------------------
def make_server(corpus, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB):
    """A threaded WSGI server (werkzeug) for the app, bound but not yet serving: ``.serve_forever()``,
    ``.shutdown()``; ``.url`` is the page's address (port 0 picks a free port)."""
    app = create_app(corpus, host=host, max_upload_mb=max_upload_mb)
    from werkzeug.serving import WSGIRequestHandler
    from werkzeug.serving import make_server as werkzeug_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:  # no line per request in the drafter's terminal
            return None

    import os
    import socket

    try:  # bound here, not by werkzeug, which prints and exits on a port in use
        sock = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as e:
        reason = os.strerror(e.errno) if e.errno else str(e)
        raise PinganError(f"cannot listen on {host}:{port}: {reason} "
                          f"(another pingan serve running? choose another --port)") from None
    with sock:  # werkzeug works on a duplicate of the descriptor
        server = werkzeug_server(host, port, app, threaded=True, request_handler=QuietHandler, fd=sock.fileno())
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1" if host == "0.0.0.0" else "[::1]"
    server.url = f"http://{shown}:{server.port}/"
    server.app.config["PINGAN_HOST"] = host
    return server


def _has_gui() -> bool:
    """Whether a graphical browser can be opened (not on a bare server, where webbrowser would start a
    text browser in the terminal)."""
    import os
    import sys

    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def serve(corpus, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB,
          open_browser: bool = True) -> None:
    """Serve the page until Ctrl-C; open it in the default browser unless ``open_browser`` is false."""
    server = make_server(corpus, host, port, max_upload_mb)
    if not log.handlers:  # an unexpected error's traceback goes to the terminal that started the page
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("pingan serve: %(message)s"))
        log.addHandler(handler)
    print(f"pingan serve: {server.url}  (Ctrl-C to stop)", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"pingan serve: warning: listening on {host}: other computers can reach this page", flush=True)
    if open_browser and _has_gui():
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(server.url,)).start()
    try:
        server.serve_forever()  # returns on Ctrl-C (werkzeug catches the KeyboardInterrupt)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("pingan serve: stopped", flush=True)
