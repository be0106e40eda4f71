"""Pages leave compressed (brotli or gzip, as the browser asks), without a BREACH hole: the CSRF
token differs in every response, and pages with an unmasked secret are sent as they are."""

import gzip
import io
import re
import secrets

import brotli
import pytest
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse

from clinic.compression import (
    MIN_SIZE,
    choose_encoding,
    compress_response,
    compression_off,
)
from clinic.models import Role

HTML = ("<p>" + "A week of appointments, each much like the next. " * 40 + "</p>").encode()
TOKEN = re.compile(rb'<meta name="csrf-token" content="([^"]+)">')


def _request(accept: str | None):
    headers = {"Accept-Encoding": accept} if accept is not None else {}
    return RequestFactory().get("/", headers=headers)


def _decoded(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None
    return body


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("", None),
        ("identity", None),
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends
        ("gzip, deflate", "gzip"),  # Safari before 2016, curl --compressed without brotli
        ("BR", "br"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("br;q=0.8, gzip;q=0.8", "br"),
        ("gzip;q=0", None),
        ("*", "br"),
        ("*;q=0.1, gzip;q=0", "br"),
        ("deflate", None),
        ("gzip;q=nonsense, br;q=2", "br"),
        (" , ;q=1, gzip ; q=1.0 ", "gzip"),
    ],
)
def test_the_encoding_follows_accept_encoding(accept, chosen):
    assert choose_encoding(accept) == chosen


@pytest.mark.parametrize("accept", ["br", "gzip"])
def test_a_page_is_compressed_and_comes_back_the_same(accept):
    response = compress_response(_request(accept), HttpResponse(HTML))
    assert response["Content-Encoding"] == accept
    assert int(response["Content-Length"]) == len(response.content) < len(HTML) / 5
    assert response["Vary"] == "Accept-Encoding"
    assert _decoded(response) == HTML


def test_a_browser_that_asks_for_nothing_gets_the_page_as_it_is_but_caches_are_told():
    response = compress_response(_request(None), HttpResponse(HTML))
    assert not response.has_header("Content-Encoding")
    assert response.content == HTML
    assert response["Vary"] == "Accept-Encoding"


def test_gzip_lengths_carry_random_padding_against_breach():
    lengths = {
        len(compress_response(_request("gzip"), HttpResponse(HTML)).content) for _ in range(20)
    }
    assert len(lengths) > 1


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(HttpResponse(b"x" * (MIN_SIZE - 1)), id="small"),
        pytest.param(HttpResponse(HTML, content_type="image/png"), id="image"),
        pytest.param(HttpResponse(HTML, content_type="application/pdf"), id="pdf"),
        pytest.param(FileResponse(io.BytesIO(HTML), content_type="text/plain"), id="file"),
        pytest.param(
            HttpResponse(gzip.compress(HTML), headers={"Content-Encoding": "gzip"}),
            id="already encoded",
        ),
        pytest.param(compression_off(lambda request: HttpResponse(HTML))(None), id="turned off"),
    ],
)
def test_what_is_not_worth_compressing_or_must_not_be_is_left_alone(response):
    before = response.getvalue() if not response.streaming else None
    response = compress_response(_request("gzip, br"), response)
    if before is not None:
        assert response.content == before
    assert response.get("Content-Encoding") in (None, "gzip")
    assert "Accept-Encoding" not in response.get("Vary", "")


def test_a_body_that_would_grow_is_sent_as_it_is():
    noise = secrets.token_bytes(1024)  # random: does not compress, and over the threshold
    response = compress_response(_request("br"), HttpResponse(noise, content_type="text/plain"))
    assert response.content == noise
    assert not response.has_header("Content-Encoding")


def test_json_is_compressed_too():
    data = {"slots": [f"2026-03-0{n % 9 + 1}T09:{n % 60:02d}" for n in range(200)]}
    response = compress_response(_request("gzip"), JsonResponse(data))
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("accept", ["br", "gzip"])
def test_a_streamed_export_is_compressed_as_it_streams(accept):
    rows = [f"{n},Patient {n},2026-03-01\n".encode() for n in range(500)]
    response = StreamingHttpResponse(iter(rows), content_type="text/csv")
    response["Content-Length"] = str(sum(map(len, rows)))
    response = compress_response(_request(accept), response)
    assert response["Content-Encoding"] == accept
    assert not response.has_header("Content-Length")
    assert _decoded(response) == b"".join(rows)


def test_a_strong_etag_becomes_weak_once_compressed():
    response = HttpResponse(HTML, headers={"ETag": '"abc"'})
    assert compress_response(_request("br"), response)["ETag"] == 'W/"abc"'


def test_vary_keeps_what_it_had():
    response = HttpResponse(HTML, headers={"Vary": "Cookie"})
    assert compress_response(_request("br"), response)["Vary"] == "Cookie, Accept-Encoding"


# Through the whole stack, as a browser sees it.


@pytest.mark.django_db
def test_a_signed_in_page_arrives_compressed_and_each_response_has_its_own_csrf_token(client_for):
    client = client_for(Role.FRONT_DESK)
    url = reverse("patients:list")
    first = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    second = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert (first["Content-Encoding"], second["Content-Encoding"]) == ("br", "gzip")
    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    tokens = [TOKEN.search(_decoded(r)).group(1) for r in (first, second, plain)]
    # Masked afresh each time (django.middleware.csrf._mask_cipher_secret): nothing stable for
    # a BREACH attack to converge on, though the secret behind them is the same.
    assert len(set(tokens)) == 3
    from django.middleware.csrf import _unmask_cipher_token

    assert len({_unmask_cipher_token(t.decode()) for t in tokens}) == 1


@pytest.mark.django_db
def test_a_page_that_reflects_input_is_compressed_as_decided(client_for):
    """The search box shows what was typed; the page's only secret is the masked token."""
    client = client_for(Role.FRONT_DESK)
    typed = "csrfmiddlewaretoken" * 3
    response = client.get(reverse("patients:list"), {"q": typed}, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert typed.encode() in _decoded(response)


@pytest.mark.django_db
def test_the_two_factor_setup_page_with_its_unmasked_key_is_never_compressed():
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(role=Role.DERMATOLOGIST), second_factor=False)
    response = client.get(
        reverse("two_factor_setup"), {"next": "/patients/"}, headers={"Accept-Encoding": "br"}
    )
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"/patients/" in response.content


@pytest.mark.django_db
def test_the_calendar_feed_page_with_its_private_address_is_never_compressed():
    from django.test import Client

    from tests.factories import CalendarFeedFactory

    feed = CalendarFeedFactory()
    client = Client()
    client.force_login(feed.staff.user)
    response = client.get(
        reverse("treatments:feed_settings"), headers={"Accept-Encoding": "gzip, br"}
    )
    assert response.status_code == 200
    assert feed.token.encode() in response.content
    assert not response.has_header("Content-Encoding")


@pytest.mark.django_db
def test_healthz_is_too_small_to_compress(client):
    response = client.get(reverse("healthz"), headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_static_files_get_brotli_copies_beside_gzip_at_collectstatic():
    """WhiteNoise's CompressedManifestStaticFilesStorage writes .br only when brotli imports."""
    from whitenoise.compress import Compressor

    compressor = Compressor(quiet=True)
    assert compressor.use_gzip and compressor.use_brotli


@pytest.mark.parametrize("accept", ["br", "gzip"])
def test_an_async_stream_is_compressed_too(accept):
    import asyncio

    rows = [f"{n},Patient {n}\n".encode() for n in range(300)]

    async def produce():
        for row in rows:
            yield row

    response = compress_response(
        _request(accept), StreamingHttpResponse(produce(), content_type="text/csv")
    )
    assert response["Content-Encoding"] == accept

    async def collect():
        return b"".join([chunk async for chunk in response.streaming_content])

    body = asyncio.run(collect())
    decoded = brotli.decompress(body) if accept == "br" else gzip.decompress(body)
    assert decoded == b"".join(rows)
