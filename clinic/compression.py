"""Compressed responses: brotli where the browser asks for it, gzip otherwise.

A week of the calendar is several hundred kilobytes of HTML and about a tenth of that compressed,
so pages are compressed as they leave the server (static files are compressed once, ahead of
time, by WhiteNoise at ``collectstatic``).

BREACH. Compression before TLS leaks, through the length of the response, how much of a secret in
the page matches text an attacker got reflected into the same page; with enough requests the
secret can be guessed piece by piece. What this clinic relies on:

- The CSRF token, the one secret on nearly every page, is masked afresh for every response:
  Django's ``get_token()`` returns ``_mask_cipher_secret(secret)``, a new random mask followed by
  the secret shifted by that mask (``django/middleware/csrf.py``), so no two pages carry the same
  token and there is nothing stable to converge on. Pages that reflect input (a search box, a form
  with errors) are therefore compressed like any other.
- The session id is only ever in a cookie, never in a body, and the session cookie is
  ``SameSite=Lax``: requests an attacker's page makes in the background arrive signed out.
- Gzip responses carry Django's "Heal the BREACH" padding: up to 100 random bytes in the gzip
  header's file name (``django.utils.text.compress_string``), so lengths are noisy too.
- Pages that show a secret which is *not* masked per response are sent uncompressed, whether or
  not they reflect input today: setting up two-factor login (the authenticator app's key and the
  recovery codes, beside the reflected ``?next=``) and the calendar-feed page (its private
  address). Their views carry ``@compression_off``.

Not compressed: responses that already have a ``Content-Encoding``, files (``FileResponse``:
photos, PDFs, backups, WhiteNoise's static files, which carry their own precompressed copies),
types that do not shrink (images other than SVG, PDF, archives), and bodies under 200 bytes.
Streaming responses (CSV exports) are compressed as they stream, chunk by chunk.
"""

import functools

import brotli
from django.http import FileResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import acompress_sequence, compress_sequence, compress_string

# Django's own threshold (GZipMiddleware): below this the headers cost more than is saved.
MIN_SIZE = 200
# Brotli's default, 11, is meant for files compressed once (three seconds for a week's calendar).
# For pages made on each request 5 takes about as long as gzip -6 and sends 6% less
# (bench/bench_ceiling.py prints what each level costs; the README has the figures).
BROTLI_QUALITY = 5
# Django's GZipMiddleware.max_random_bytes: the padding of "Heal the BREACH".
GZIP_MAX_RANDOM_BYTES = 100
# Preferred first when the browser accepts both equally.
ENCODINGS = ("br", "gzip")
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/fhir+json",
    "application/javascript",
    "application/xml",
    "application/xhtml+xml",
    "application/ld+json",
    "image/svg+xml",
)


def choose_encoding(accept_encoding: str) -> str | None:
    """The encoding to answer with for an Accept-Encoding header (RFC 9110 12.5.3), or None.

    ``br`` wins over ``gzip`` when both are acceptable with the same weight; ``q=0`` refuses an
    encoding; ``*`` stands for every encoding not named.
    """
    weights: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
                weight = min(max(weight, 0.0), 1.0)
        weights[name] = weight
    best, best_weight = None, 0.0
    for encoding in ENCODINGS:
        weight = weights.get(encoding, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = encoding, weight
    return best


def compression_off(view):
    """Send this view's responses uncompressed: it shows a secret that is not masked per
    response (see the module's notes on BREACH)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.compressible = False
        return response

    return wrapper


def _is_compressible(response) -> bool:
    if not getattr(response, "compressible", True):
        return False
    if response.has_header("Content-Encoding") or isinstance(response, FileResponse):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if not content_type.startswith(COMPRESSIBLE_TYPES):
        return False
    return response.streaming or len(response.content) >= MIN_SIZE


def brotli_compress(data: bytes) -> bytes:
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)


def brotli_stream(chunks):
    """The chunks compressed as they come: what the compressor has ready is sent at once, as
    Django's gzip stream does, without flushing after every row of an export."""
    compressor = brotli.Compressor(mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    for chunk in chunks:
        out = compressor.process(chunk)
        if out:
            yield out
    yield compressor.finish()


async def _abrotli_stream(chunks):
    compressor = brotli.Compressor(mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    async for chunk in chunks:
        out = compressor.process(chunk)
        if out:
            yield out
    yield compressor.finish()


def compress_response(request, response):
    """The response compressed for this request's Accept-Encoding, when that is worth it."""
    if not _is_compressible(response):
        return response
    # What is sent now depends on Accept-Encoding, whether or not this client gets it compressed.
    patch_vary_headers(response, ("Accept-Encoding",))
    encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding is None:
        return response
    if response.streaming:
        if encoding == "br":
            stream = _abrotli_stream if response.is_async else brotli_stream
            response.streaming_content = stream(response.streaming_content)
        elif response.is_async:
            response.streaming_content = acompress_sequence(
                response.streaming_content, max_random_bytes=GZIP_MAX_RANDOM_BYTES
            )
        else:
            response.streaming_content = compress_sequence(
                response.streaming_content, max_random_bytes=GZIP_MAX_RANDOM_BYTES
            )
        # The compressed length is known only once it has all been sent.
        if response.has_header("Content-Length"):
            del response.headers["Content-Length"]
    else:
        if encoding == "br":
            compressed = brotli_compress(response.content)
        else:
            compressed = compress_string(response.content, max_random_bytes=GZIP_MAX_RANDOM_BYTES)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
    # A strong ETag names exact bytes; the compressed body is other bytes (RFC 9110 8.8.1).
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag
    response.headers["Content-Encoding"] = encoding
    return response


class CompressionMiddleware:
    """Compresses what the views answer (first in MIDDLEWARE but for security headers, so it
    sees the finished body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return compress_response(request, self.get_response(request))
