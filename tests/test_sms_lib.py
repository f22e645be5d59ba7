"""Plain tests of the SMS addon's pure helpers (``student_loan_sms/smslib``): message text, numbers,
quiet hours, back-off, the providers' request signatures (documented examples), and the adapters
against a stub HTTP session."""

import json
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pytest
from smslib import providers, signing, text

# ---------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------


def test_placeholders_and_render():
    body = "{姓名}同学：请于{日期}携带{材料}办理。{姓名}"
    assert text.placeholders(body) == ["姓名", "日期", "材料"]
    values = {"姓名": "张三", "日期": "8月15日", "材料": "身份证"}
    assert text.render(body, values) == "张三同学：请于8月15日携带身份证办理。张三"


def test_render_names_every_missing_value():
    with pytest.raises(text.MissingPlaceholderError) as caught:
        text.render("{姓名}还款{金额}元，{日期}前", {"姓名": "张三", "金额": "", "日期": None})
    assert caught.value.names == ["金额", "日期"]
    assert str(caught.value) == "{金额}, {日期}"


def test_odoo_expressions_are_not_placeholders():
    assert text.placeholders("{{ object.name }} {姓名}") == ["姓名"]


@pytest.mark.parametrize(
    ("length", "segments"),
    [(0, 0), (1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_segments(length, segments):
    assert text.segment_count("字" * length) == segments


def test_the_sign_name_counts():
    assert text.message_length("你好", "资助中心") == 2 + 6
    assert text.segment_count("字" * 64, "资助中心") == 1
    assert text.segment_count("字" * 65, "资助中心") == 2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("0086-138-1234-5678", "+8613812345678"),
        ("8613812345678", "+8613812345678"),
        ("(138) 1234 5678", "+8613812345678"),
    ],
)
def test_normalize_cn_mobile(raw, expected):
    assert text.normalize_cn_mobile(raw) == expected
    assert text.national_number(expected) == "13812345678"


@pytest.mark.parametrize("raw", ["", None, "12345", "12812345678", "1381234567", "+1 415 555 0100", "138123456789"])
def test_invalid_mobiles(raw):
    with pytest.raises(ValueError):
        text.normalize_cn_mobile(raw)


@pytest.mark.parametrize(
    ("reply", "optout"),
    [
        ("TD", True),
        ("td", True),
        (" 退订 ", True),
        ("退订。", True),
        ("T", True),
        ("好的", False),
        ("TD我不要了", False),
        ("", False),
    ],
)
def test_optout_replies(reply, optout):
    assert text.is_optout_reply(reply) is optout


def test_keywords():
    assert text.parse_keywords("TD, 退订，取消 N") == ("TD", "退订", "取消", "N")
    assert text.is_optout_reply("停止", text.parse_keywords("停止")) is True


@pytest.mark.parametrize(
    ("hour", "quiet"),
    [(21.99, False), (22.0, True), (23.5, True), (0.0, True), (7.99, True), (8.0, False), (12.0, False)],
)
def test_quiet_hours_across_midnight(hour, quiet):
    assert text.in_quiet_hours(hour, 22.0, 8.0) is quiet


def test_quiet_hours_within_a_day_and_disabled():
    assert text.in_quiet_hours(13.0, 12.0, 14.0)
    assert not text.in_quiet_hours(14.0, 12.0, 14.0)
    assert not text.in_quiet_hours(3.0, 0.0, 0.0)
    assert text.hours_until(23.5, 8.0) == 8.5
    assert text.hours_until(7.0, 8.0) == 1.0


def test_backoff():
    assert [text.backoff_seconds(n, base=60) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert text.backoff_seconds(10, base=60, cap=3600) == 3600


# ---------------------------------------------------------------------------
# signatures: the providers' documented examples
# ---------------------------------------------------------------------------


def test_aliyun_documented_signature():
    """Alibaba Cloud's SMS signature example (AccessKeySecret 'testSecret', GET)."""
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert signing.aliyun_signature(params, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert signing.aliyun_percent_encode("a b*c~d/") == "a%20b%2Ac~d%2F"


def test_tencent_documented_signature():
    """Tencent Cloud's TC3-HMAC-SHA256 example (CVM DescribeInstances, timestamp 1551113065)."""
    payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    canonical = signing.tc3_canonical_request("POST", "cvm.tencentcloudapi.com", payload)
    assert canonical.endswith("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064")
    assert signing.tc3_string_to_sign(1551113065, "cvm", canonical).endswith(
        "2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
    signature = "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
    assert signing.tc3_signature("Gu5t9xGARNpq86cd98joQYCN3*******", 1551113065, "cvm", canonical) == signature
    assert signing.tc3_authorization("AKIDz", "Gu5t9xGARNpq86cd98joQYCN3*******", 1551113065, "cvm", canonical) == (
        "TC3-HMAC-SHA256 Credential=AKIDz/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, "
        f"Signature={signature}"
    )


# ---------------------------------------------------------------------------
# adapters against a stub session
# ---------------------------------------------------------------------------


class StubSession:
    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def post(self, url, data=None, headers=None, timeout=None):
        self.calls.append(SimpleNamespace(url=url, data=data, headers=headers or {}))
        status, payload = self.answers.pop(0)
        if isinstance(payload, Exception):
            raise payload
        return SimpleNamespace(status_code=status, reason="", json=lambda payload=payload: payload)


def message(uuid, number, params=(("name", "张三"),), code="SMS_1"):
    return {"uuid": uuid, "number": number, "body": "x", "template_code": code, "params": list(params)}


def aliyun(session, **kwargs):
    config = providers.GatewayConfig(
        "aliyun", "https://example.invalid/", access_key_id="id", access_key_secret="secret", sign_name="签名", **kwargs
    )
    return providers.AliyunClient(config, session)


def test_aliyun_groups_same_parameters_into_send_sms():
    session = StubSession(
        [(200, {"Code": "OK", "Message": "OK", "BizId": "1^0"}), (200, {"Code": "OK", "Message": "OK", "BizId": "2^0"})]
    )
    results = aliyun(session).send(
        [
            message("a", "+8613800000001", (("d", "1"),)),
            message("b", "+8613800000002", (("d", "1"),)),
            message("c", "+8613800000003", (("d", "2"),)),
        ]
    )
    # the body is the signed form, encoded once (signing.aliyun_signed_body)
    forms = [dict(parse_qsl(call.data.decode(), keep_blank_values=True)) for call in session.calls]
    assert [form["Action"] for form in forms] == ["SendSms", "SendSms"]
    assert forms[0]["PhoneNumbers"] == "13800000001,13800000002"
    assert json.loads(forms[0]["TemplateParam"]) == {"d": "1"}
    assert forms[0]["Signature"] == signing.aliyun_signature(forms[0], "secret", "POST")
    assert {r.uuid: (r.status, r.ref) for r in results} == {
        "a": ("sent", "1^0"),
        "b": ("sent", "1^0"),
        "c": ("sent", "2^0"),
    }


def test_aliyun_gateway_error_leaves_the_rest_untried():
    refusal = {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}
    session = StubSession([(404, refusal)])
    results = aliyun(session, batch_size=1).send([message("a", "+8613800000001"), message("b", "+8613800000002")])
    assert len(session.calls) == 1
    assert {r.status for r in results} == {"gateway"}


def test_network_errors_are_temporary():
    session = StubSession([(0, ConnectionError("refused"))])
    (result,) = aliyun(session).send([message("a", "+8613800000001")])
    assert (result.status, result.code) == ("retry", "network")


def test_tencent_statuses():
    assert providers.TencentClient.classify("Ok") == "sent"
    assert providers.TencentClient.classify("AuthFailure.SignatureFailure") == "gateway"
    assert providers.TencentClient.classify("InternalError.Timeout") == "retry"
    assert providers.TencentClient.classify("LimitExceeded.PhoneNumberThirtySecondLimit") == "retry"
    assert providers.TencentClient.classify("InvalidParameterValue.IncorrectPhoneNumber") == "failed"


def test_receipt_and_reply_formats():
    (receipt,) = providers.parse_receipts(
        "tencent",
        [{"mobile": "13800000001", "nationcode": "86", "sid": "s1", "report_status": "FAIL", "errmsg": "MK:0001"}],
    )
    assert (receipt.number, receipt.ref, receipt.delivered, receipt.code) == ("+8613800000001", "s1", False, "MK:0001")
    (reply,) = providers.parse_replies("aliyun", {"phone_number": "13800000001", "content": "TD"})
    assert (reply.number, reply.text) == ("13800000001", "TD")
