"""Request signatures of the SMS providers, written with ``hmac``/``hashlib`` only.

The official SDKs (``alibabacloud_dysmsapi20170525`` with its Tea runtime, ``tencentcloud-sdk-python``)
pull in dozens of packages and their own HTTP stacks for what are two small, documented signing
algorithms; they also make it hard to point a request at a local test server. So the addon signs
requests itself, following the providers' published algorithms:

* Alibaba Cloud RPC APIs (Dysmsapi 2017-05-25), signature version 1.0, HMAC-SHA1:
  https://help.aliyun.com/document_detail/315526.html
* Tencent Cloud API 3.0, TC3-HMAC-SHA256:
  https://cloud.tencent.com/document/api/382/52071
"""

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import quote

# ---------------------------------------------------------------------------
# Alibaba Cloud: RPC style, HMAC-SHA1
# ---------------------------------------------------------------------------


def aliyun_percent_encode(value):
    """RFC 3986 encoding as Alibaba specifies it: UTF-8, space as %20, '*' as %2A, '~' kept."""
    return quote(str(value), safe="~")


def aliyun_canonical_query(params):
    """The parameters (without ``Signature``) sorted by name and percent-encoded."""
    return "&".join(
        f"{aliyun_percent_encode(key)}={aliyun_percent_encode(params[key])}"
        for key in sorted(params)
        if key != "Signature"
    )


def _encode_canonical(canonical):
    """``aliyun_percent_encode`` of a canonical query, which holds only unreserved characters, ``%``, ``&`` and
    ``=`` (each key and value is encoded already): three replacements instead of a pass per character."""
    return canonical.replace("%", "%25").replace("&", "%26").replace("=", "%3D")


def aliyun_string_to_sign(params, method="POST", canonical=None):
    canonical = aliyun_canonical_query(params) if canonical is None else canonical
    return "&".join([method.upper(), aliyun_percent_encode("/"), _encode_canonical(canonical)])


def aliyun_signature(params, access_key_secret, method="POST", canonical=None):
    """Base64 of HMAC-SHA1 over the string to sign, keyed with ``secret + '&'``."""
    digest = hmac.new(
        f"{access_key_secret}&".encode(),
        aliyun_string_to_sign(params, method, canonical).encode(),
        hashlib.sha1,
    ).digest()
    return base64.b64encode(digest).decode()


def aliyun_signed_body(params, access_key_secret):
    """The form body of a signed POST: the canonical query (encoded once) and its ``Signature``."""
    canonical = aliyun_canonical_query(params)
    signature = aliyun_signature(params, access_key_secret, "POST", canonical)
    return f"{canonical}&Signature={aliyun_percent_encode(signature)}"


def aliyun_timestamp(moment=None):
    """ISO 8601 in UTC, as the ``Timestamp`` parameter wants it: 2017-07-12T02:42:19Z."""
    moment = moment or datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------
# Tencent Cloud: API 3.0, TC3-HMAC-SHA256
# ---------------------------------------------------------------------------

TC3_ALGORITHM = "TC3-HMAC-SHA256"


def _sha256_hex(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()


def _hmac_sha256(key, message):
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def tc3_canonical_request(method, host, payload, content_type="application/json; charset=utf-8", uri="/", query=""):
    """The canonical request over the signed headers ``content-type`` and ``host``."""
    # header names and values lower-cased and trimmed, as the specification says
    canonical_headers = f"content-type:{content_type.strip().lower()}\nhost:{host.strip().lower()}\n"
    return "\n".join(
        [
            method.upper(),
            uri,
            query,
            canonical_headers,
            "content-type;host",
            _sha256_hex(payload),
        ]
    )


def tc3_credential_scope(timestamp, service):
    date = datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d")
    return f"{date}/{service}/tc3_request"


def tc3_string_to_sign(timestamp, service, canonical_request):
    return "\n".join(
        [
            TC3_ALGORITHM,
            str(int(timestamp)),
            tc3_credential_scope(timestamp, service),
            _sha256_hex(canonical_request),
        ]
    )


def tc3_signature(secret_key, timestamp, service, canonical_request):
    """Hex HMAC-SHA256 with the derived key: TC3+secret → date → service → 'tc3_request'."""
    scope_date = tc3_credential_scope(timestamp, service).split("/", maxsplit=1)[0]
    secret_date = _hmac_sha256(f"TC3{secret_key}".encode(), scope_date)
    secret_service = _hmac_sha256(secret_date, service)
    secret_signing = _hmac_sha256(secret_service, "tc3_request")
    string_to_sign = tc3_string_to_sign(timestamp, service, canonical_request)
    return hmac.new(secret_signing, string_to_sign.encode(), hashlib.sha256).hexdigest()


def tc3_authorization(secret_id, secret_key, timestamp, service, canonical_request):
    """The ``Authorization`` header value."""
    signature = tc3_signature(secret_key, timestamp, service, canonical_request)
    return (
        f"{TC3_ALGORITHM} Credential={secret_id}/{tc3_credential_scope(timestamp, service)}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )
