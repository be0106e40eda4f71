from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def assert_queries_do_not_grow(fetch, grow, *, limit: int):
    """fetch() once warm, grow the data, fetch again: the query count must stay put and small."""
    fetch()  # warm caches that are filled once (the clinic record, content types)
    before = count_queries(fetch)
    grow()
    after = count_queries(fetch)
    assert after == before, f"queries grew with the data: {before} -> {after}"
    assert after <= limit, f"{after} queries, more than the limit of {limit}"


def mark_second_factor_passed(client, user) -> None:
    """Make a signed-in test client's session one that has proved a second factor, as if the
    person had typed their authenticator code (for the people who need one)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic.twofactor import two_factor_required

    if not two_factor_required(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for a base32 secret (``oathtool --totp -b``)."""
    import base64

    from django_otp.oath import TOTP

    return f"{TOTP(base64.b32decode(secret)).token():06d}"
