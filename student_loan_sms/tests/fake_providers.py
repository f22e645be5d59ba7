"""A local stand-in for the SMS providers' APIs, for the tests (never the network).

One threading HTTP server on 127.0.0.1 (random port) answers:

* ``/aliyun/``: Alibaba Cloud Dysmsapi SendSms / SendBatchSms (form POST, RPC signature HMAC-SHA1);
* ``/tencent/``: Tencent Cloud SMS SendSms 2021-01-11 (JSON POST, TC3-HMAC-SHA256 header);
* ``/http/send``: a generic JSON gateway with a bearer token.

It checks the signatures with its own implementation of the documented algorithms (not the
addon's), the parameters and the batch limits, and answers with the providers' real success and
error payloads. Every accepted message is kept in ``accepted`` so tests can prove that nothing went
out twice; ``fail_next`` makes the next requests fail (throttling, server errors).
"""

import base64
import hashlib
import hmac
import itertools
import json
import re
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_serial = itertools.count(1)


class FakeSmsProviders:
    ALIYUN_KEYS = {"LTAI5tFakeKeyId": "aliyun-fake-secret"}
    TENCENT_KEYS = {"AKIDFakeSecretId": "tencent-fake-secret"}
    TENCENT_APP_ID = "1400006666"
    HTTP_TOKEN = "http-fake-token"
    SIGN_NAMES = {"商水县学生资助中心", "周口市学生资助中心"}
    # template code: variables (Alibaba Cloud by name) / number of parameters (Tencent Cloud)
    ALIYUN_TEMPLATES = {
        "SMS_153055065": ("name", "date", "items"),
        "SMS_100000001": ("date", "centre"),
        "SMS_900000000": ("content",),
    }
    TENCENT_TEMPLATES = {"1234567": 3, "7654321": 2, "9000000": 1}

    def __init__(self):
        self.requests = []
        self.accepted = []
        self.failures = {"aliyun": [], "tencent": [], "http": []}
        self.illegal_numbers = set()
        self.nonces = set()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ------------------------------------------------------------------
    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def reset(self):
        with self._lock:
            self.requests.clear()
            self.accepted.clear()
            for queue in self.failures.values():
                queue.clear()
            self.illegal_numbers.clear()

    def fail_next(self, provider, kind, count=1):
        """Make the next ``count`` requests to ``provider`` fail: 'throttle', 'server' or 'timeout'."""
        self.failures[provider].extend([kind] * count)

    def accepted_numbers(self, provider=None):
        return [entry["number"] for entry in self.accepted if provider in (None, entry["provider"])]

    # ------------------------------------------------------------------
    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 (http.server API)
                # /stats: what was accepted (used by the benchmark, which runs this server apart)
                data = json.dumps(
                    {
                        "accepted": len(fake.accepted),
                        "requests": len(fake.requests),
                        "distinct_numbers": len({e["number"] for e in fake.accepted}),
                    }
                ).encode()
                self.send_response(200 if self.path == "/stats" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802 (http.server API)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {key.lower(): value for key, value in self.headers.items()}
                if self.path.startswith("/aliyun"):
                    status, payload = fake._aliyun(headers, body)
                elif self.path.startswith("/tencent"):
                    status, payload = fake._tencent(headers, body)
                elif self.path.startswith("/http"):
                    status, payload = fake._http(headers, body)
                else:
                    status, payload = 404, {"error": "not found"}
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def _pop_failure(self, provider):
        with self._lock:
            return self.failures[provider].pop(0) if self.failures[provider] else None

    def _accept(self, provider, number, template, params, ref, content=None):
        with self._lock:
            self.accepted.append(
                {
                    "provider": provider,
                    "number": number,
                    "template": template,
                    "params": params,
                    "ref": ref,
                    "content": content,
                }
            )

    # ------------------------------------------------------------------
    # Alibaba Cloud
    # ------------------------------------------------------------------

    @staticmethod
    def aliyun_expected_signature(params, secret):
        def enc(value):
            return quote(str(value), safe="~")

        canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()) if k != "Signature")
        string_to_sign = "POST&" + enc("/") + "&" + enc(canonical)
        digest = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
        return base64.b64encode(digest).decode()

    def _aliyun(self, headers, body):
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        request_id = str(uuid.uuid4()).upper()
        self.requests.append({"provider": "aliyun", "action": params.get("Action"), "params": params})

        def error(status, code, message):
            return status, {
                "RequestId": request_id,
                "Message": message,
                "Code": code,
                "Recommend": "https://next.api.aliyun.com/troubleshoot?q=" + code,
            }

        refusal = self._aliyun_check_request(params)
        if refusal:
            return error(*refusal)
        failure = self._pop_failure("aliyun")
        if failure == "throttle":
            return error(200, "isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1")
        if failure == "server":
            return error(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
        messages = self._aliyun_messages(params)
        if isinstance(messages[0], int):
            return error(*messages)
        refusal = self._aliyun_check_messages(params, *messages)
        if refusal:
            return error(*refusal)
        numbers, _signs, template_params = messages
        biz_id = f"{next(_serial):06d}{int(time.time())}^0"
        for number, values in zip(numbers, template_params, strict=True):
            self._accept("aliyun", number, params["TemplateCode"], values, biz_id)
        return 200, {"Message": "OK", "RequestId": request_id, "Code": "OK", "BizId": biz_id}

    def _aliyun_check_request(self, params):
        """Credentials, signature and common parameters: (HTTP status, code, message) or None."""
        secret = self.ALIYUN_KEYS.get(params.get("AccessKeyId"))
        if secret is None:
            return 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."
        if params.get("Signature") != self.aliyun_expected_signature(params, secret):
            return 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
        for key, expected in (
            ("Version", "2017-05-25"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("Format", "JSON"),
        ):
            if params.get(key) != expected:
                return 400, "InvalidParameter", f"The parameter {key} is invalid."
        try:
            stamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except (KeyError, ValueError):
            return 400, "InvalidTimeStamp.Format", "Specified time stamp is not valid."
        if abs(stamp.timestamp() - time.time()) > 900:
            return 400, "InvalidTimeStamp.Expired", "Specified time stamp or date header is expired."
        with self._lock:
            if params.get("SignatureNonce") in self.nonces:
                return 400, "SignatureNonceUsed", "Specified signature nonce was used already."
            self.nonces.add(params.get("SignatureNonce"))
        return None

    @staticmethod
    def _aliyun_messages(params):
        """(numbers, sign names, template parameters) of SendSms or SendBatchSms, or a refusal."""
        action = params.get("Action")
        try:
            if action == "SendSms":
                numbers = params.get("PhoneNumbers", "").split(",")
                limit = 1000
                signs = [params.get("SignName")] * len(numbers)
                template_params = [json.loads(params.get("TemplateParam") or "{}")] * len(numbers)
            elif action == "SendBatchSms":
                numbers = json.loads(params["PhoneNumberJson"])
                limit = 100
                signs = json.loads(params["SignNameJson"])
                template_params = json.loads(params.get("TemplateParamJson") or "[]")
            else:
                return 400, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."
        except (KeyError, ValueError):
            return 200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值"
        if len(numbers) > limit:
            return 200, "isv.MOBILE_COUNT_OVER_LIMIT", "手机号码数量超过限制"
        if not len(numbers) == len(signs) == len(template_params):
            return 200, "isv.INVALID_PARAMETERS", "参数异常"
        return numbers, signs, template_params

    def _aliyun_check_messages(self, params, numbers, signs, template_params):
        if any(sign not in self.SIGN_NAMES for sign in signs):
            return 200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名"
        variables = self.ALIYUN_TEMPLATES.get(params.get("TemplateCode"))
        if variables is None:
            return 200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板"
        if any(not values.get(variable) for values in template_params for variable in variables):
            return 200, "isv.TEMPLATE_MISSING_PARAMETERS", "模板变量缺少对应参数值"
        if any(not MOBILE_RE.match(number) or number in self.illegal_numbers for number in numbers):
            return 200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"
        return None

    # ------------------------------------------------------------------
    # Tencent Cloud
    # ------------------------------------------------------------------

    @staticmethod
    def tencent_expected_signature(secret_key, headers, body, timestamp, scope):
        signed = ["content-type", "host"]
        # header names and values in lower case, trimmed (TC3 specification)
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip().lower()}\n" for name in signed)
        canonical_request = "\n".join(
            [
                "POST",
                "/",
                "",
                canonical_headers,
                ";".join(signed),
                hashlib.sha256(body).hexdigest(),
            ]
        )
        string_to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                str(timestamp),
                scope,
                hashlib.sha256(canonical_request.encode()).hexdigest(),
            ]
        )
        date, service = scope.split("/")[:2]

        def sign(key, message):
            return hmac.new(key, message.encode(), hashlib.sha256).digest()

        key = sign(sign(sign(("TC3" + secret_key).encode(), date), service), "tc3_request")
        return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()

    def _tencent(self, headers, body):
        request_id = str(uuid.uuid4())
        try:
            data = json.loads(body.decode())
        except ValueError:
            data = {}
        self.requests.append(
            {"provider": "tencent", "action": headers.get("x-tc-action"), "params": data, "headers": headers}
        )

        def error(code, message):
            return 200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}}

        refusal = self._tencent_check_request(headers, body)
        if refusal:
            return error(*refusal)
        failure = self._pop_failure("tencent")
        if failure == "throttle":
            return error("RequestLimitExceeded", "Your current request times equals to `limit`.")
        if failure == "server":
            return error("InternalError.Timeout", "Request timed out.")
        refusal = self._tencent_check_content(data)
        if refusal:
            return error(*refusal)
        statuses = []
        for number in data["PhoneNumberSet"]:
            national = number[3:] if number.startswith("+86") else number
            if not number.startswith("+86") or not MOBILE_RE.match(national) or national in self.illegal_numbers:
                statuses.append(
                    {
                        "SerialNo": "",
                        "PhoneNumber": number,
                        "Fee": 0,
                        "SessionContext": "",
                        "Code": "InvalidParameterValue.IncorrectPhoneNumber",
                        "Message": "手机号格式错误",
                        "IsoCode": "",
                    }
                )
                continue
            serial = f"2433:{next(_serial):010d}{int(time.time())}"
            self._accept("tencent", national, data["TemplateId"], data["TemplateParamSet"], serial)
            statuses.append(
                {
                    "SerialNo": serial,
                    "PhoneNumber": number,
                    "Fee": 1,
                    "SessionContext": "",
                    "Code": "Ok",
                    "Message": "send success",
                    "IsoCode": "CN",
                }
            )
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}}

    def _tencent_check_request(self, headers, body):
        """Action, version and the TC3 signature: (code, message) or None."""
        if headers.get("x-tc-action") != "SendSms":
            return "InvalidAction", "The action does not exist."
        if headers.get("x-tc-version") != "2021-01-11":
            return "NoSuchVersion", "The API version does not exist."
        match = re.match(
            r"^TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2}/sms/tc3_request), "
            r"SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$",
            headers.get("authorization", ""),
        )
        if not match:
            return "AuthFailure.InvalidAuthorization", "Authorization header is malformed."
        secret_id, scope, signature = match.groups()
        secret_key = self.TENCENT_KEYS.get(secret_id)
        if secret_key is None:
            return (
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found, please ensure that your SecretId is correct.",
            )
        timestamp = int(headers.get("x-tc-timestamp") or 0)
        if abs(timestamp - time.time()) > 300:
            return "AuthFailure.SignatureExpire", "The signature has expired."
        if datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d") != scope.split("/")[0]:
            return "AuthFailure.SignatureFailure", "The credential date does not match the timestamp."
        if signature != self.tencent_expected_signature(secret_key, headers, body, timestamp, scope):
            return (
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            )
        return None

    def _tencent_check_content(self, data):
        if data.get("SmsSdkAppId") != self.TENCENT_APP_ID:
            return "InvalidParameterValue.SdkAppIdNotExist", "SdkAppId not exist."
        if data.get("SignName") not in self.SIGN_NAMES:
            return "FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误。"
        count = self.TENCENT_TEMPLATES.get(data.get("TemplateId"))
        if count is None:
            return "FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或请求的内容与审核通过的模板内容不匹配。"
        if len(data.get("TemplateParamSet") or []) != count:
            return "FailedOperation.TemplateParamSetNotMatchApprovedTemplate", "请求内容与审核通过的模板内容不匹配。"
        numbers = data.get("PhoneNumberSet") or []
        if not numbers or len(numbers) > 200:
            return "LimitExceeded.PhoneNumberCountLimit", "单次提交的手机号个数超过200个。"
        if len(set(numbers)) != len(numbers):
            return "FailedOperation.PhoneNumberDuplicate", "手机号码重复。"
        return None

    # ------------------------------------------------------------------
    # Generic HTTP gateway
    # ------------------------------------------------------------------

    def _http(self, headers, body):
        try:
            data = json.loads(body.decode())
        except ValueError:
            return 400, {"error": "body is not JSON"}
        self.requests.append({"provider": "http", "action": "send", "params": data, "headers": headers})
        if headers.get("authorization") != f"Bearer {self.HTTP_TOKEN}":
            return 401, {"error": "invalid token"}
        failure = self._pop_failure("http")
        if failure == "throttle":
            return 429, {"error": "too many requests"}
        if failure == "server":
            return 503, {"error": "service unavailable"}
        results = []
        for message in data.get("messages") or []:
            number = message.get("to", "")
            national = number[3:] if number.startswith("+86") else number
            if not MOBILE_RE.match(national) or national in self.illegal_numbers:
                results.append(
                    {
                        "id": message.get("id"),
                        "status": "rejected",
                        "code": "invalid_number",
                        "message": "invalid destination",
                    }
                )
                continue
            ref = f"msg-{next(_serial):08d}"
            self._accept("http", national, message.get("template"), message.get("params"), ref, message.get("content"))
            results.append({"id": message.get("id"), "status": "accepted", "message_id": ref})
        return 200, {"results": results}


if __name__ == "__main__":
    # Serve in a process of its own (the benchmark): print the base URL, then serve until killed.
    server = FakeSmsProviders()
    sys.stdout.write(server.base_url + "\n")
    sys.stdout.flush()
    server.server.serve_forever()
