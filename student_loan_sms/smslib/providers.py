"""Adapters for the SMS providers used by aid centres in China, with no Odoo import.

Each client takes its configuration, sends a list of messages and answers one
:class:`SendResult` per message. A message is a dict::

    {"uuid": str, "number": "+8613812345678", "body": str,
     "template_code": str, "params": [(name, value), ...]}

Outcomes:

* ``sent``: the provider accepted the message (``ref`` identifies it in delivery receipts);
* ``failed``: refused for good (wrong number, missing template parameter...): never retried;
* ``retry``: a temporary error (throttling, provider or network trouble): retry later;
* ``gateway``: the gateway itself is unusable (wrong credentials or signature, unapproved sign
  name or template, no balance): nothing of the batch was sent; stop using the gateway until an
  administrator fixes it.

The request signatures are computed in :mod:`.signing` (see there why no official SDK is used).
"""

import json
import time
import uuid as uuid_lib
from dataclasses import dataclass

from . import signing
from .text import national_number

SENT, FAILED, RETRY, GATEWAY = "sent", "failed", "retry", "gateway"


@dataclass
class SendResult:
    uuid: str
    status: str
    code: str = ""
    message: str = ""
    ref: str = ""


@dataclass
class GatewayConfig:
    provider: str
    endpoint: str
    access_key_id: str = ""
    access_key_secret: str = ""
    api_token: str = ""
    sdk_app_id: str = ""
    region: str = ""
    sign_name: str = ""
    batch_size: int = 100
    timeout: float = 15.0


class GatewayUnusable(Exception):  # noqa: N818 (reads as a state, as in the provider docs)
    """Raised inside a client when the whole gateway must stop (see ``GATEWAY``)."""

    def __init__(self, code, message):
        self.code = code
        self.message = message
        self.partial = []  # results of the messages already sent in the failing call
        super().__init__(f"{code}: {message}")


def chunks(items, size):
    for start in range(0, len(items), max(1, size)):
        yield items[start : start + max(1, size)]


def params_key(message):
    return tuple(message.get("params") or ())


class BaseClient:
    """Common plumbing: an HTTP session, batching, a throttle hook and network-error handling."""

    max_batch = 100

    def __init__(self, config, session, throttle=None):
        self.config = config
        self.session = session
        self.throttle = throttle or (lambda count: None)
        self.batch_size = max(1, min(config.batch_size or self.max_batch, self.max_batch))

    def send(self, messages):
        """Send ``messages``; one result per message, in any order.

        Stops at the first ``gateway`` error: the messages not yet attempted get that result too,
        so that they stay queued.
        """
        results = []
        try:
            for request_messages, call in self._plan(messages):
                self.throttle(len(request_messages))
                try:
                    results.extend(call(request_messages))
                except OSError as error:  # requests' ConnectionError and Timeout derive from it
                    results.extend(self._all(request_messages, RETRY, "network", str(error)))
        except GatewayUnusable as error:
            results.extend(error.partial)
            done = {result.uuid for result in results}
            results.extend(
                self._all([m for m in messages if m["uuid"] not in done], GATEWAY, error.code, error.message)
            )
        return results

    def _plan(self, messages):
        """Yield ``(messages, callable)`` pairs, one per provider request."""
        raise NotImplementedError

    @staticmethod
    def _all(messages, status, code="", message="", ref=""):
        return [SendResult(m["uuid"], status, code, message, ref) for m in messages]

    def _post(self, url, **kwargs):
        return self.session.post(url, timeout=self.config.timeout, **kwargs)


# ---------------------------------------------------------------------------
# Alibaba Cloud SMS (Dysmsapi 2017-05-25)
# ---------------------------------------------------------------------------


class AliyunClient(BaseClient):
    """SendSms (one text to up to 1000 numbers) and SendBatchSms (per-number parameters, up to 100).

    Recipients sharing the same template parameters go out together with SendSms; the others in
    batches of SendBatchSms. A request naming several numbers fails as a whole when one number is
    illegal: the client then retries those numbers one by one, so the good ones still go.
    """

    max_batch = 100
    VERSION = "2017-05-25"
    RETRY_CODES = {
        "isv.BUSINESS_LIMIT_CONTROL",
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
        "isp.SYSTEM_ERROR",
        "ServiceUnavailable",
        "InternalError",
        "isp.GATEWAY_ERROR",
        "SignatureNonceUsed",
        "isv.DAY_LIMIT_CONTROL",
    }
    GATEWAY_CODES = {
        "InvalidAccessKeyId.NotFound",
        "InvalidAccessKeyId.Inactive",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "InvalidTimeStamp.Expired",
        "isv.SMS_SIGNATURE_ILLEGAL",
        "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.AMOUNT_NOT_ENOUGH",
        "isv.ACCOUNT_NOT_EXISTS",
        "isv.ACCOUNT_ABNORMAL",
        "isv.OUT_OF_SERVICE",
        "isv.PRODUCT_UN_SUBSCRIPT",
        "isv.PRODUCT_UNSUBSCRIBE",
        "isp.RAM_PERMISSION_DENY",
        "Forbidden.RAM",
        "MissingAccessKeyId",
        "isv.SMS_SIGN_ILLEGAL",
    }
    ILLEGAL_NUMBER = "isv.MOBILE_NUMBER_ILLEGAL"

    def _plan(self, messages):
        by_params = {}
        for message in messages:
            by_params.setdefault((message["template_code"], params_key(message)), []).append(message)
        singles = {}
        for (template_code, _params), group in by_params.items():
            if len(group) > 1:
                for chunk in chunks(group, self.batch_size):
                    yield chunk, self._send_sms
            else:
                singles.setdefault(template_code, []).extend(group)
        for group in singles.values():
            for chunk in chunks(group, self.batch_size):
                yield chunk, (self._send_sms if len(chunk) == 1 else self._send_batch_sms)

    def _common_params(self, action):
        return {
            "AccessKeyId": self.config.access_key_id,
            "Action": action,
            "Format": "JSON",
            "RegionId": self.config.region or "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid_lib.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": signing.aliyun_timestamp(),
            "Version": self.VERSION,
        }

    @staticmethod
    def _param_dict(message):
        return {name: str(value) for name, value in message.get("params") or ()}

    def _send_sms(self, messages):
        first = messages[0]
        params = self._common_params("SendSms")
        params.update(
            {
                "PhoneNumbers": ",".join(national_number(m["number"]) for m in messages),
                "SignName": self.config.sign_name,
                "TemplateCode": first["template_code"],
            }
        )
        template_param = self._param_dict(first)
        if template_param:
            params["TemplateParam"] = json.dumps(template_param, ensure_ascii=False, separators=(",", ":"))
        return self._call(params, messages)

    def _send_batch_sms(self, messages):
        params = self._common_params("SendBatchSms")
        params.update(
            {
                "PhoneNumberJson": json.dumps([national_number(m["number"]) for m in messages]),
                "SignNameJson": json.dumps([self.config.sign_name] * len(messages), ensure_ascii=False),
                "TemplateCode": messages[0]["template_code"],
                "TemplateParamJson": json.dumps(
                    [self._param_dict(m) for m in messages], ensure_ascii=False, separators=(",", ":")
                ),
            }
        )
        return self._call(params, messages)

    def _call(self, params, messages):
        body = signing.aliyun_signed_body(params, self.config.access_key_secret)
        response = self._post(
            self.config.endpoint,
            data=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        code = payload.get("Code") or f"HTTP{response.status_code}"
        text = payload.get("Message") or response.reason or ""
        if code == "OK":
            return self._all(messages, SENT, "OK", text, payload.get("BizId", ""))
        if code in self.GATEWAY_CODES:
            raise GatewayUnusable(code, text)
        if code in self.RETRY_CODES or response.status_code >= 500:
            return self._all(messages, RETRY, code, text)
        if code == self.ILLEGAL_NUMBER and len(messages) > 1:
            # one bad number refuses the whole request: nothing went out, send them one by one
            results = []
            for message in messages:
                self.throttle(1)
                try:
                    results.extend(self._send_sms([message]))
                except GatewayUnusable as error:
                    error.partial = results
                    raise
            return results
        return self._all(messages, FAILED, code, text)


# ---------------------------------------------------------------------------
# Tencent Cloud SMS (API 2021-01-11)
# ---------------------------------------------------------------------------


class TencentClient(BaseClient):
    """SendSms: one template and one parameter set for up to 200 numbers per request."""

    max_batch = 200
    SERVICE = "sms"
    VERSION = "2021-01-11"
    CONTENT_TYPE = "application/json; charset=utf-8"
    GATEWAY_PREFIXES = ("AuthFailure", "UnauthorizedOperation")
    GATEWAY_CODES = {
        "FailedOperation.SignatureIncorrectOrUnapproved",
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "FailedOperation.InsufficientBalanceInSmsPackage",
        "FailedOperation.MissingSignature",
        "FailedOperation.MissingTemplateToModify",
        "InvalidParameterValue.SdkAppIdNotExist",
        "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
    }
    RETRY_PREFIXES = ("InternalError", "RequestLimitExceeded")
    RETRY_CODES = {
        "LimitExceeded.PhoneNumberThirtySecondLimit",
        "LimitExceeded.PhoneNumberOneHourLimit",
        "LimitExceeded.AppDailyLimit",
        "LimitExceeded.DailyLimit",
        "FailedOperation.FailResolvePacket",
    }

    def _plan(self, messages):
        groups = {}
        for message in messages:
            groups.setdefault((message["template_code"], params_key(message)), []).append(message)
        for group in groups.values():
            # a number appears once per request; the same number twice goes in separate requests
            while group:
                seen, request, rest = set(), [], []
                for message in group:
                    (rest if message["number"] in seen else request).append(message)
                    seen.add(message["number"])
                for chunk in chunks(request, self.batch_size):
                    yield chunk, self._send_sms
                group = rest

    @classmethod
    def classify(cls, code):
        if code == "Ok":
            return SENT
        if code in cls.GATEWAY_CODES or code.startswith(cls.GATEWAY_PREFIXES):
            return GATEWAY
        if code in cls.RETRY_CODES or code.startswith(cls.RETRY_PREFIXES):
            return RETRY
        return FAILED

    def _send_sms(self, messages):
        first = messages[0]
        body = {
            "PhoneNumberSet": [m["number"] for m in messages],
            "SmsSdkAppId": self.config.sdk_app_id,
            "SignName": self.config.sign_name,
            "TemplateId": first["template_code"],
            "TemplateParamSet": [str(value) for _name, value in first.get("params") or ()],
        }
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        response = self._post(self.config.endpoint, data=payload, headers=self._headers(payload))
        if response.status_code >= 500:
            return self._all(messages, RETRY, f"HTTP{response.status_code}", response.reason or "")
        try:
            answer = response.json().get("Response") or {}
        except ValueError:
            return self._all(messages, RETRY, f"HTTP{response.status_code}", "unreadable response")
        if error := answer.get("Error"):
            code, text = error.get("Code", ""), error.get("Message", "")
            status = self.classify(code)
            if status == GATEWAY:
                raise GatewayUnusable(code, text)
            return self._all(messages, status, code, text)
        by_number = {}
        for message in messages:
            by_number.setdefault(message["number"], []).append(message)
        results = []
        for status_item in answer.get("SendStatusSet") or ():
            candidates = by_number.get(status_item.get("PhoneNumber"))
            if not candidates:
                continue
            message = candidates.pop(0)
            code = status_item.get("Code", "")
            status = self.classify(code)
            if status == GATEWAY:
                status = FAILED  # a per-number status never stops the gateway
            results.append(
                SendResult(
                    message["uuid"], status, code, status_item.get("Message", ""), status_item.get("SerialNo", "")
                )
            )
        # numbers the provider did not report on: unknown outcome, try again later
        for left in by_number.values():
            results.extend(self._all(left, RETRY, "NoStatus", "no status returned for this number"))
        return results

    def _headers(self, payload):
        host = self.config.endpoint.split("://", 1)[-1].split("/", 1)[0]
        timestamp = int(time.time())
        canonical = signing.tc3_canonical_request("POST", host, payload, self.CONTENT_TYPE)
        return {
            "Authorization": signing.tc3_authorization(
                self.config.access_key_id, self.config.access_key_secret, timestamp, self.SERVICE, canonical
            ),
            "Content-Type": self.CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": self.VERSION,
            "X-TC-Region": self.config.region or "ap-guangzhou",
        }


# ---------------------------------------------------------------------------
# Generic HTTP gateway: JSON POST with a bearer token
# ---------------------------------------------------------------------------


class HttpClient(BaseClient):
    """POST ``{"sign_name", "messages": [{"id", "to", "content", "template", "params"}]}`` with
    ``Authorization: Bearer <token>``; answer ``{"results": [{"id", "status": "accepted"|"rejected",
    "code", "message", "message_id"}]}``. 401/403: the gateway is unusable; 429 and 5xx: retry."""

    max_batch = 500

    def _plan(self, messages):
        for chunk in chunks(messages, self.batch_size):
            yield chunk, self._send_batch

    def _send_batch(self, messages):
        body = {
            "sign_name": self.config.sign_name,
            "messages": [
                {
                    "id": m["uuid"],
                    "to": m["number"],
                    "content": m["body"],
                    "template": m.get("template_code") or "",
                    "params": dict(m.get("params") or ()),
                }
                for m in messages
            ],
        }
        response = self._post(
            self.config.endpoint,
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Authorization": f"Bearer {self.config.api_token}", "Content-Type": "application/json"},
        )
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        if response.status_code in (401, 403):
            raise GatewayUnusable(f"HTTP{response.status_code}", payload.get("error") or response.reason or "")
        if response.status_code == 429 or response.status_code >= 500:
            return self._all(messages, RETRY, f"HTTP{response.status_code}", payload.get("error") or "")
        if response.status_code >= 400:
            return self._all(messages, FAILED, f"HTTP{response.status_code}", payload.get("error") or "")
        results, wanted = [], {m["uuid"] for m in messages}
        for item in payload.get("results") or ():
            if item.get("id") not in wanted:
                continue
            wanted.discard(item["id"])
            if item.get("status") == "accepted":
                results.append(SendResult(item["id"], SENT, "accepted", "", item.get("message_id") or item["id"]))
            else:
                status = RETRY if item.get("retry") else FAILED
                results.append(SendResult(item["id"], status, item.get("code") or "rejected", item.get("message", "")))
        results.extend(self._all([m for m in messages if m["uuid"] in wanted], RETRY, "NoStatus", "no status"))
        return results


CLIENTS = {"aliyun": AliyunClient, "tencent": TencentClient, "http": HttpClient}


def make_client(config, session, throttle=None):
    return CLIENTS[config.provider](config, session, throttle)


# ---------------------------------------------------------------------------
# Delivery receipts and replies (what each provider posts back)
# ---------------------------------------------------------------------------


@dataclass
class Receipt:
    ref: str
    number: str  # as given (national or E.164)
    delivered: bool
    code: str = ""
    message: str = ""
    time: str = ""


@dataclass
class Reply:
    number: str
    text: str
    time: str = ""


def _as_list(payload):
    if isinstance(payload, dict):
        return [payload]
    return list(payload or ())


def parse_receipts(provider, payload):
    """Normalise a delivery-receipt push to :class:`Receipt` items."""
    receipts = []
    for item in _as_list(payload):
        if provider == "aliyun":
            # SmsReport: {"phone_number", "success", "err_code", "err_msg", "biz_id", "out_id", "report_time"}
            receipts.append(
                Receipt(
                    str(item.get("biz_id", "")),
                    str(item.get("phone_number", "")),
                    bool(item.get("success")),
                    item.get("err_code", ""),
                    item.get("err_msg", ""),
                    item.get("report_time", ""),
                )
            )
        elif provider == "tencent":
            # {"mobile", "nationcode", "report_status": "SUCCESS"|"FAIL", "errmsg", "description", "sid"}
            number = str(item.get("mobile", ""))
            if item.get("nationcode"):
                number = f"+{item['nationcode']}{number}"
            receipts.append(
                Receipt(
                    str(item.get("sid", "")),
                    number,
                    item.get("report_status") == "SUCCESS",
                    item.get("errmsg", ""),
                    item.get("description", ""),
                    item.get("user_receive_time", ""),
                )
            )
        else:
            # {"message_id", "to", "status": "delivered"|"failed", "error"}
            receipts.append(
                Receipt(
                    str(item.get("message_id") or item.get("id") or ""),
                    str(item.get("to", "")),
                    item.get("status") == "delivered",
                    item.get("status", ""),
                    item.get("error", ""),
                    item.get("time", ""),
                )
            )
    return receipts


def parse_replies(provider, payload):
    """Normalise an inbound-message push (replies such as 'TD') to :class:`Reply` items."""
    replies = []
    for item in _as_list(payload):
        if provider == "aliyun":
            # SmsUp: {"phone_number", "content", "send_time", "sign_name", "dest_code", "sequence_id"}
            replies.append(Reply(str(item.get("phone_number", "")), item.get("content", ""), item.get("send_time", "")))
        elif provider == "tencent":
            # {"mobile", "nationcode", "text", "sign", "time", "extend"}
            number = str(item.get("mobile", ""))
            if item.get("nationcode"):
                number = f"+{item['nationcode']}{number}"
            replies.append(Reply(number, item.get("text", ""), str(item.get("time", ""))))
        else:
            replies.append(Reply(str(item.get("from", "")), item.get("text", ""), item.get("time", "")))
    return replies


ACKNOWLEDGEMENTS = {
    "aliyun": {"code": 0, "msg": "成功"},
    "tencent": {"result": 0, "errmsg": "OK"},
    "http": {"status": "ok"},
}
