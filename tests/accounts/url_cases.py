"""Permission rows for the two-factor pages, the passkey endpoints and the session clock."""

from tests.url_expectations import Case

CASES = {
    # Everyone may look after their own second factor (patients may turn it on).
    "two_factor_setup": Case(),
    # A session that already proved its factor (or needs none) is sent on to its page.
    "two_factor_verify": Case(ok=302),
    "session_status": Case(),
    # django-otp-webauthn's JSON endpoints: for one's own passkeys, signed in.
    "otp_webauthn:credential-registration-begin": Case(method="post"),
    "otp_webauthn:credential-registration-complete": Case(method="post", ok=400),
    "otp_webauthn:credential-authentication-begin": Case(method="post"),
    "otp_webauthn:credential-authentication-complete": Case(method="post", ok=400),
    "otp_webauthn:js-i18n-catalog": Case(),
}
