"""A browser with JavaScript, as far as the wizard can tell: it posts forms the way htmx does
(HX-Request, HX-Current-URL, HX-Target), follows HX-Push-Url, HX-Redirect and redirects as a
browser would, and times every request it sends."""

import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

from bench.servers import BenchError

SQL_HEADER = "X-Bench-SQL"
MAX_FOLLOWS = 5
TIMEOUT_SECONDS = 60


@dataclass
class Hit:
    """One HTTP request: what was asked, what came back, how long it took."""

    method: str
    url: str
    status: int
    ms: float
    sql: int | None
    # Wall-clock bounds (Unix seconds), to match the upstream's log against requests.
    started: float
    ended: float
    # The upstream calls made while it ran: endpoint names, and how long each took upstream.
    upstream: list[str] = field(default_factory=list)
    upstream_ms: list[float] = field(default_factory=list)


@dataclass
class Action:
    """What a person does once (a click, a Continue), with every request it took."""

    label: str
    hits: list[Hit]
    text: str

    @property
    def ms(self) -> float:
        return sum(hit.ms for hit in self.hits)


@dataclass
class Form:
    action: str
    method: str
    htmx: bool
    target: str
    fields: list[tuple[str, str, str, bool]]  # (tag or input type, name, value, checked)

    def options(self, name: str) -> list[str]:
        return [value for kind, n, value, _checked in self.fields if n == name and kind == "radio"]

    def has(self, name: str) -> bool:
        return any(n == name for _kind, n, _value, _checked in self.fields)

    def values(self, *, press: str = "", **answers: str) -> dict[str, str]:
        """What the browser sends: every field as the page has it, the answers given, and the
        button pressed (by name; by default the first, i.e. Continue), if it has a name."""
        sent: dict[str, str] = {}
        buttons = [(name, value) for kind, name, value, _c in self.fields if kind == "submit"]
        for kind, name, value, checked in self.fields:
            if not name or kind in {"submit", "button", "reset"}:
                continue
            if kind in {"radio", "checkbox"} and not checked:
                continue
            sent[name] = value
        sent.update(answers)
        pressed = [b for b in buttons if b[0] == press] if press else buttons[:1]
        sent.update(b for b in pressed[:1] if b[0])
        return sent


class PageParser(HTMLParser):
    """The forms of a page (or an htmx fragment), the fields outside any form (a fragment's),
    its Back link, and what htmx would ask for as soon as it is shown (hx-trigger="load")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.loose = Form(action="", method="get", htmx=False, target="", fields=[])
        self.back_link = ""
        self.on_load: list[tuple[str, str]] = []  # (hx-get URL, hx-target id)
        self._form: Form | None = None
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if a.get("hx-get") and re.search(r"(^|[\s,])load\b", a.get("hx-trigger", "")):
            self.on_load.append(
                (a["hx-get"], a.get("hx-target", "").lstrip("#") or a.get("id", ""))
            )
        if tag == "form":
            htmx = "hx-post" in a
            self._form = Form(
                action=a.get("hx-post") or a.get("action", ""),
                method=("post" if htmx else a.get("method", "get")).lower(),
                htmx=htmx,
                target=a.get("hx-target", "").lstrip("#"),
                fields=[],
            )
            self.forms.append(self._form)
        elif tag == "a" and "back-link" in a.get("class", "").split():
            self.back_link = a.get("href", "")
        elif tag == "input":
            kind = a.get("type", "text").lower()
            form = self._form or self.loose
            form.fields.append((kind, a.get("name", ""), a.get("value", ""), "checked" in a))
        elif self._form is not None and tag == "button" and a.get("type", "submit") == "submit":
            self._form.fields.append(("submit", a.get("name", ""), a.get("value", ""), False))
        elif self._form is not None and tag == "textarea":
            self._textarea = [a.get("name", "")]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, *text = self._textarea
            self._form.fields.append(("textarea", name, "".join(text), False))
            self._textarea = None


def parse(text: str) -> PageParser:
    parser = PageParser()
    parser.feed(text)
    return parser


def snippet(text: str, length: int = 600) -> str:
    """The readable words of a page, for an error message."""
    text = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", text)
    text = re.sub(r"(?s)<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:length]


class Browser:
    """One person's browser, logged in, with the floor view asked after every action."""

    def __init__(self, base_url: str, floor_path: str) -> None:
        self.base = base_url
        self.floor_url = urljoin(base_url, floor_path)
        self.session = requests.Session()
        self.current_url = base_url + "/"
        self.floor_hits: list[Hit] = []
        self.hits: list[Hit] = []

    def url(self, path: str) -> str:
        return urljoin(self.current_url, path)

    def path(self) -> str:
        return urlsplit(self.current_url).path

    def send(
        self, method: str, url: str, *, data: dict[str, str] | None = None, htmx: str | None = None
    ) -> tuple[requests.Response, Hit]:
        """One request, timed. `htmx`: the id of the element htmx would swap (None: no htmx)."""
        headers = {"Accept": "text/html,application/xhtml+xml", "Referer": self.current_url}
        if method == "POST":
            headers["Origin"] = self.base
        if htmx is not None:
            headers.update({"HX-Request": "true", "HX-Current-URL": self.current_url})
            if htmx:
                headers["HX-Target"] = htmx
        started = time.time()
        clock = time.perf_counter()
        try:
            response = self.session.request(
                method,
                url,
                data=data,
                headers=headers,
                allow_redirects=False,
                timeout=TIMEOUT_SECONDS,
            )
        except requests.RequestException as error:
            raise BenchError(f"{method} {url} failed: {error}") from None
        ms = (time.perf_counter() - clock) * 1000
        sql = response.headers.get(SQL_HEADER)
        hit = Hit(
            method=method,
            url=url,
            status=response.status_code,
            ms=ms,
            sql=int(sql) if sql is not None and sql.isdigit() else None,
            started=started,
            ended=time.time(),
        )
        return response, hit

    def act(
        self,
        label: str,
        method: str,
        path: str,
        *,
        data: dict[str, str] | None = None,
        htmx: str | None = None,
        expect_path: str | None = None,
        expect_text: str | None = None,
        floor: bool = True,
    ) -> Action:
        """Do what a person does once, following what the browser would follow; check it
        ended where expected; then ask the floor view as many times as requests were sent."""
        url = self.url(path)
        response, hit = self.send(method, url, data=data, htmx=htmx)
        hits = [hit]
        while True:
            headers = response.headers
            if response.is_redirect and len(hits) <= MAX_FOLLOWS:
                # A plain redirect: the browser (or htmx's XMLHttpRequest) asks for it at once.
                url = urljoin(url, headers["Location"])
                if htmx is None:
                    self.current_url = url
                response, hit = self.send("GET", url, htmx=htmx)
            elif headers.get("HX-Redirect") and len(hits) <= MAX_FOLLOWS:
                # htmx navigates: a whole page load, without htmx headers.
                url = self.current_url = urljoin(url, headers["HX-Redirect"])
                htmx = None
                response, hit = self.send("GET", url)
            elif headers.get("HX-Location") and len(hits) <= MAX_FOLLOWS:
                location = headers["HX-Location"]
                if location.startswith("{"):
                    raise BenchError(
                        f"{label}: HX-Location with options is not handled: {location}"
                    )
                url = self.current_url = urljoin(url, location)
                response, hit = self.send("GET", url, htmx="")
            elif headers.get("HX-Refresh") == "true" and len(hits) <= MAX_FOLLOWS:
                url = self.current_url
                htmx = None
                response, hit = self.send("GET", url)
            else:
                break
            hits.append(hit)
        if response.status_code != 200:
            raise self.unexpected(label, response, f"answered {response.status_code}")
        pushed = response.headers.get("HX-Push-Url") or response.headers.get("HX-Replace-Url")
        if htmx is not None and pushed and pushed != "false":
            self.current_url = urljoin(url, pushed)
        elif htmx is None:
            self.current_url = url
        # What htmx asks for as soon as the page is shown, such as a chart loaded lazily.
        for lazy, target in parse(response.text).on_load:
            lazy_response, hit = self.send("GET", self.url(lazy), htmx=target)
            hits.append(hit)
            if lazy_response.status_code != 200:
                raise self.unexpected(f"{label} (hx-trigger=load)", lazy_response, "failed")
        action = Action(label=label, hits=hits, text=response.text)
        if expect_path is not None and not re.search(expect_path, self.path()):
            raise self.unexpected(
                label, response, f"left the browser at {self.path()}, not at {expect_path}"
            )
        if expect_text is not None and expect_text not in response.text:
            raise self.unexpected(label, response, f"did not show {expect_text!r}")
        self.hits.extend(hits)
        if floor:
            for _ in hits:
                self.ask_floor()
        return action

    def ask_floor(self) -> None:
        response, hit = self.send("GET", self.floor_url)
        if response.status_code != 200:
            raise self.unexpected("floor view", response, f"answered {response.status_code}")
        self.floor_hits.append(hit)

    def login(self, username: str, password: str) -> None:
        page, _hit = self.send("GET", self.url("/accounts/login/"))
        form = next((f for f in parse(page.text).forms if f.has("password")), None)
        if page.status_code != 200 or form is None:
            raise self.unexpected("login page", page, "has no login form")
        data = form.values(username=username, password=password)
        answer, _hit = self.send("POST", self.url(form.action or "/accounts/login/"), data=data)
        if answer.status_code != 302:
            raise self.unexpected("login", answer, "did not log in")
        self.current_url = urljoin(answer.url, answer.headers["Location"])

    def unexpected(self, label: str, response: requests.Response, what: str) -> BenchError:
        return BenchError(
            f"{label}: the app {what}.\n"
            f"  {response.request.method} {response.url} -> {response.status_code}\n"
            f"  HX headers: "
            f"{ {k: v for k, v in response.headers.items() if k.lower().startswith('hx-')} }\n"
            f"  page: {snippet(response.text)}"
        )
