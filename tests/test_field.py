"""The wizard in the field: the service worker script, the offline page, the manifest and the
words and timings app.js is given (onboarding/field.py)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from onboarding import field

STATIC = Path(settings.BASE_DIR) / "static"


def service_worker_config(body: str) -> dict[str, object]:
    match = re.match(r"const CONFIG = (\{.*\});\n", body)
    assert match, body[:200]
    config: dict[str, object] = json.loads(match.group(1))
    return config


@pytest.mark.django_db
def test_the_service_worker_is_served_at_the_root_without_a_login(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = service_worker_config(body)
    assert config["precache"] == [
        "/static/css/app.css",
        "/static/js/app.js",
        "/static/django_htmx/htmx-2.min.js",
        "/static/img/favicon.svg",
        "/static/img/icon-192.png",
        "/static/img/icon-512.png",
        "/static/manifest.webmanifest",
        "/offline/",
    ]
    assert config["bypass"] == ["/admin/", "/sandbox/"]
    assert re.fullmatch(r"[0-9a-f]{12}", str(config["version"]))
    assert (STATIC / "js" / "sw.js").read_text() in body
    for url in config["precache"]:  # type: ignore[attr-defined]
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_service_worker_version_follows_the_files_it_keeps(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = service_worker_config(client.get("/sw.js").content.decode())["version"]
    real = field._static_bytes

    def css_changed(name: str) -> bytes:
        return real(name) + (b"/* changed */" if name.endswith(".css") else b"")

    monkeypatch.setattr(field, "_static_bytes", css_changed)
    after = service_worker_config(client.get("/sw.js").content.decode())["version"]
    assert before != after


@pytest.mark.django_db
def test_the_offline_page_names_nobody_even_for_someone_logged_in(
    installer_client: Client, installer: User
) -> None:
    response = installer_client.get(reverse("offline"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You are offline" in page
    assert "Nothing you entered has been lost" in page
    assert installer.get_username() not in page
    assert "csrfmiddlewaretoken" not in page
    assert Client().get(reverse("offline")).status_code == 200


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_gives_app_js_its_words(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#0b3d2e">' in page
    assert '<link rel="apple-touch-icon" href="/static/img/icon-192.png">' in page
    config = json.loads(
        re.search(r'<script id="field-config" type="application/json">(.*?)</script>', page)[1]  # type: ignore[index]
    )
    assert config["serviceWorker"] == "/sw.js"
    assert config["slowAfterMs"] == 4000
    assert config["text"]["sendAnswers"] == "Send my answers"


def test_the_manifest_makes_the_wizard_installable() -> None:
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text())
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b3d2e"  # --brand in app.css
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    for size in (192, 512):
        icon = STATIC / sizes[f"{size}x{size}"]["src"]
        data = icon.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20]) == int.from_bytes(data[20:24]) == size
    assert sizes["any"]["type"] == "image/svg+xml"


def test_htmx_waits_past_the_longest_wait_on_wattshift(settings: Settings) -> None:
    settings.WS_API_TIMEOUT = 10
    settings.WS_API_DEADLINE = 0
    settings.WS_LOOKUP_DEADLINE = 5.5
    assert field.lookup_wait_seconds() == 6
    assert field.upstream_wait_seconds() == 25
    assert field.htmx_timeout_ms() == 17_000
    assert field.htmx_long_timeout_ms() == 30_000
