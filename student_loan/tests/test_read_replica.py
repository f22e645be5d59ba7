import json

from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.student_loan.models.ir_http import CURSOR_HEADER


@tagged("post_install", "-at_install")
class TestReadReplicaRouting(HttpCase):
    """Which connection serves a request: reads on the replica (``ro``), writes on the primary (``rw``).

    Under tests Odoo's read-only cursors are real read-only transactions on the test database, so a
    route that wrote while marked read-only would show ``ro->rw`` (retried on the primary).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.county = cls.env.ref("student_loan.centre_411623")
        cls.handler = mail_new_test_user(
            cls.env,
            login="sl_replica_handler",
            groups="student_loan.group_handler,base.group_user",
            loan_centre_id=cls.county.id,
        )
        cls.province_user = mail_new_test_user(
            cls.env,
            login="sl_replica_province",
            groups="student_loan.group_admin,base.group_user",
            loan_centre_id=cls.env.ref("student_loan.centre_410000").id,
        )

    def _call_kw(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertNotIn("error", body, body.get("error"))
        return response, body["result"]

    def test_list_reads_on_replica_writes_on_primary(self):
        self.authenticate(self.handler.login, self.handler.login)
        response, result = self._call_kw(
            "student.loan.student",
            "web_search_read",
            [[]],
            {"specification": {"name": {}, "centre_id": {"fields": {"display_name": {}}}}, "limit": 80},
        )
        self.assertEqual(response.headers.get(CURSOR_HEADER), "ro")
        self.assertIn("records", result)
        response, _result = self._call_kw(
            "student.loan.student",
            "create",
            [
                {
                    "name": "只读测试",
                    "id_number": "411623200001010034",
                    "mobile": "13812345678",
                    "centre_id": self.county.id,
                }
            ],
        )
        self.assertEqual(response.headers.get(CURSOR_HEADER), "rw")

    def test_grouped_reads_on_replica(self):
        """Pivot and graph views (read_group) of the statistics are served by the replica."""
        self.authenticate(self.province_user.login, self.province_user.login)
        response, _result = self._call_kw(
            "student.loan.application",
            "web_read_group",
            [[]],
            {"fields": ["approved_amount:sum"], "groupby": ["centre_id"]},
        )
        self.assertEqual(response.headers.get(CURSOR_HEADER), "ro")

    def test_header_only_when_asked(self):
        """Outside tests the header is sent only with ``student_loan_cursor_header`` in the config."""
        response = self.url_open("/web/login")
        self.assertIn(response.headers.get(CURSOR_HEADER), ("ro", "rw"))
