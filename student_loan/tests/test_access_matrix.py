"""The access matrix, proven over the wire: every role × every model × create/read/write/unlink.

The expectation of each cell comes from the access rules (``ir.model.access`` of the project's
models and the role's groups, implied groups included); the result comes from a real RPC call:
JSON-RPC (``/web/dataset/call_kw``, with the role's session) or XML-RPC (``/xmlrpc/2/object``,
login and password), alternating so that both protocols cover every role, model and operation.
Target records sit in the role's own centre, so that record rules do not hide what the ACL decides.

A second class attacks what the ACL allows but the workflow must not: writing the state or the
reviewed amounts directly, as a JSON-RPC client could.
"""

import base64
import json
import xmlrpc.client

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import PDF, PNG, StudentLoanCase, make_id_number

OPERATIONS = ("read", "write", "create", "unlink")
DENIED_ERRORS = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.AccessDenied",
    "odoo.http.SessionExpiredException",
}
# XML-RPC fault codes of odoo/addons/base/controllers/rpc.py: 3 access denied, 4 access error.
DENIED_FAULTS = {3, 4}
ANONYMOUS = "anonymous"


def password_of(login):
    """The password ``mail_new_test_user`` gives (the login, padded to 8 characters)."""
    return login + "x" * (8 - len(login))


class RpcCase(HttpCase, StudentLoanCase):
    """HttpCase with the core fixtures (users per role) and JSON-RPC / XML-RPC helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = mail_new_test_user(cls.env, login="sl_portal", groups="base.group_portal")
        cls.internal = mail_new_test_user(
            cls.env, login="sl_internal", groups="base.group_user", loan_centre_id=cls.county.id
        )

    def json_call(self, model, method, args, kwargs=None):
        """``(outcome, detail)`` of a call_kw with the current session: 'ok', 'denied' or 'error'."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        body = response.json()
        if "error" not in body:
            return "ok", body.get("result")
        data = body["error"].get("data", {})
        name = data.get("name", "")
        return ("denied" if name in DENIED_ERRORS else "error"), f"{name}: {data.get('message', '')[:200]}"

    def xmlrpc_call(self, login, model, method, args, kwargs=None):
        uid = self.env["res.users"].sudo().search([("login", "=", login)]).id if login != ANONYMOUS else self.admin.id
        password = password_of(login) if login != ANONYMOUS else "wrong password"
        try:
            result = self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, args, kwargs or {})
        except xmlrpc.client.Fault as fault:
            outcome = "denied" if fault.faultCode in DENIED_FAULTS else "error"
            return outcome, f"fault {fault.faultCode}: {str(fault.faultString)[-200:]}"
        return "ok", result


@tagged("post_install", "-at_install")
class TestAccessMatrix(RpcCase):
    """The core's models get every cell tested with real records. The models of the other project
    addons installed with it (``make test`` installs them all) get the cells that need no knowledge of
    their data: read (search_read) for every role, and create/write/unlink for the roles the ACL
    denies (a success there is an access hole). Their own groups are roles too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        modules = (
            cls.env["ir.module.module"].sudo().search([("state", "=", "installed"), ("name", "=like", "student_loan%")])
        )
        cls.modules = set(modules.mapped("name"))
        cls.roles = {
            "handler": cls.handler,
            "supervisor": cls.supervisor,
            "city viewer": cls.city_viewer,
            "bank": cls.bank,
            "province admin": cls.admin,
            "internal (no loan group)": cls.internal,
            "portal": cls.portal_user,
            ANONYMOUS: None,
        }
        addon_groups = (
            cls.env["ir.model.data"]
            .sudo()
            .search(
                [("module", "in", sorted(cls.modules - {"student_loan"})), ("model", "=", "res.groups")], order="id"
            )
        )
        for data in addon_groups:
            login = f"sl_acl_{data.name}"[:40]
            cls.roles[f"{data.module}.{data.name}"] = mail_new_test_user(
                cls.env, login=login, groups=f"base.group_user,{data.module}.{data.name}", loan_centre_id=cls.county.id
            )
        cls.target_policy = cls.env["student.loan.policy"].create(cls._policy_vals(60))
        cls.target_type = cls.env.ref("student_loan.attachment_type_student_id_card")
        cls.target_student = cls.create_student(user=cls.handler, name="矩阵学生")
        cls.target_application = cls.create_application(cls.target_student, user=cls.handler)
        cls.line_items = cls.env["student.loan.check.item"].create(
            [{"name": f"ACL item {index}", "code": f"acl_item_{index}", "active": False} for index in range(40)]
        )
        cls._line_item_index = 0
        cls.factories = cls._factories()
        cls.targets = {model: factory["make"](0) for model, factory in cls.factories.items()}
        cls.env.flush_all()

    # ------------------------------------------------------------------
    # per-model values
    # ------------------------------------------------------------------

    @classmethod
    def _policy_vals(cls, index):
        return {
            "academic_year": 2030 + index % 100 + 10 * (index // 100),
            "cap_undergraduate": 20000,
            "cap_graduate": 25000,
            "lpr_rate": 3.1,
            "spread_bp": 60,
        }

    @classmethod
    def _next_line_item(cls):
        item = cls.line_items[cls._line_item_index]
        cls._line_item_index += 1
        return item

    @classmethod
    def _factories(cls):
        """Per model: ``make(i)`` a record (as superuser), ``create(i)`` the values of an RPC create,
        ``write`` values that the workflow accepts on the made record."""
        env = cls.env
        county, city = cls.county, cls.city.id

        def student_vals(i, name="ACL学生", birth="20010101"):
            return cls._student_vals(name=f"{name}{i}", id_number=make_id_number(birth=birth, serial=i))

        def coborrower_vals(i):
            return {
                "student_id": cls.target_student.id,
                "name": f"ACL家长{i}",
                "relation": "mother",
                "id_number": make_id_number(birth="19710101", serial=600 + i),
                "mobile": "13712345670",
                "address": "河南省周口市商水县城关乡解放路3号",
            }

        def application_make(i):
            student = env["student.loan.student"].create(student_vals(i, "ACL申请人", "20020202"))
            return env["student.loan.application"].create({"student_id": student.id, "tuition": 4000})

        def contract_vals(i):
            return {
                "student_id": cls.target_student.id,
                "centre_id": county.id,
                "academic_year": 2024,
                "loan_kind": "first",
                "amount": 5000 + i,
            }

        def attachment_vals(i):
            return {
                "application_id": cls.target_application.id,
                "type_id": cls.target_type.id,
                "file": PNG.decode(),
                "file_name": f"acl{i}.png",
            }

        def model_make(model, vals_fn):
            return lambda i: env[model].create(vals_fn(i))

        specs = {
            "student.loan.centre": (
                lambda i: {
                    "name": f"ACL中心{i}",
                    "code": f"99{i:04d}",
                    "division_kind": "county",
                    "parent_id": city,
                },
                {"phone": "0394-1234567"},
            ),
            "student.loan.policy": (cls._policy_vals, {"reminder_days": 20}),
            "student.loan.attachment.type": (
                lambda i: {"name": f"ACL类型{i}", "code": f"acl_type_{i}"},
                {"sequence": 7},
            ),
            "student.loan.attachment.rule": (
                lambda i: {
                    "policy_id": cls.target_policy.id,
                    "loan_kind": "first",
                    "name": f"ACL rule {i}",
                    "type_ids": [(6, 0, cls.target_type.ids)],
                    "min_count": 1,
                },
                {"sequence": 7},
            ),
            "student.loan.check.item": (
                lambda i: {"name": f"ACL检查{i}", "code": f"acl_check_{i}", "active": False},
                {"sequence": 7},
            ),
            "student.loan.school": (lambda i: {"name": f"ACL大学{i}", "code": f"ACL-{i}"}, {"province": "河南"}),
            "student.loan.student": (student_vals, {"home_address": "河南省周口市商水县城关乡解放路5号"}),
            "student.loan.coborrower": (coborrower_vals, {"work_unit": "务工"}),
            "student.loan.application": (
                lambda i: {"student_id": cls.target_student.id, "academic_year": 2014 + i % 10, "tuition": 3000},
                {"eligibility_unit": "城关乡人民政府"},
            ),
            "student.loan.attachment": (attachment_vals, {"note": "清晰"}),
            "student.loan.check.line": (
                lambda i: {"application_id": cls.target_application.id, "item_id": cls._next_line_item().id},
                {"reason": "核对中"},
            ),
            "student.loan.contract": (contract_vals, {"signed_by_proxy": True}),
            "student.loan.review.return.wizard": (
                lambda i: {
                    "res_model": "student.loan.application",
                    "res_ids": cls.target_application.ids,
                    "reason": f"退回{i}",
                },
                {"reason": "补充材料"},
            ),
            "student.loan.transfer.wizard": (
                lambda i: {"student_id": cls.target_student.id, "centre_id": cls.county_b.id, "reason": f"转移{i}"},
                {"reason": "户籍地"},
            ),
        }
        factories = {}
        for model, (vals_fn, write_vals) in specs.items():
            make = application_make if model == "student.loan.application" else model_make(model, vals_fn)
            factories[model] = {"make": make, "create": vals_fn, "write": write_vals}
        return factories

    # ------------------------------------------------------------------
    # expectations from the ACL table
    # ------------------------------------------------------------------

    def _project_models(self):
        """The models (not abstract, not inherited) that the installed project modules define."""
        return {
            name
            for name, model in self.registry.items()
            if model._original_module in self.modules and not model._abstract
        }

    def _expected(self, user, model):
        """``{operation: allowed}`` from ir.model.access and the user's groups (implied ones included)."""
        if not user:
            return dict.fromkeys(OPERATIONS, False)
        groups = user.groups_id | user.groups_id.trans_implied_ids
        lines = self.env["ir.model.access"].sudo().search([("model_id.model", "=", model), ("active", "=", True)])
        lines = lines.filtered(lambda line: not line.group_id or line.group_id in groups)
        return {operation: any(line[f"perm_{operation}"] for line in lines) for operation in OPERATIONS}

    # ------------------------------------------------------------------
    # the matrix
    # ------------------------------------------------------------------

    def _call(self, protocol, login, model, method, args, kwargs=None):
        if protocol == "json":
            return self.json_call(model, method, args, kwargs)
        return self.xmlrpc_call(login, model, method, args, kwargs)

    def _core_calls(self, model, expected, user, role_index):
        """RPC calls of the four operations on real records of a core model."""
        factory = self.factories[model]
        transient = self.env[model]._transient
        target = self.targets[model]
        if transient and expected["create"]:  # a wizard is only seen by who created it
            target = self.env[model].with_user(user).create(factory["create"](100 + role_index))
        disposable = factory["make"](200 + role_index)
        if transient and expected["create"]:
            disposable = self.env[model].with_user(user).create(factory["create"](300 + role_index))
        self.env.flush_all()
        return {
            "read": ("read", [target.ids, ["display_name"]], {}),
            "write": ("write", [target.ids, factory["write"]], {}),
            "create": ("create", [factory["create"](400 + role_index)], {}),
            "unlink": ("unlink", [disposable.ids], {}),
        }

    def _generic_calls(self, model, expected):
        """Calls on a model of another addon: read always, the other operations where they are denied."""
        any_record = self.env[model].sudo().with_context(active_test=False).search([], limit=1, order="id")
        ids = any_record.ids or [2**31 - 1]
        calls = {"read": ("search_read", [[]], {"fields": ["display_name"], "limit": 5})}
        for operation, call in (
            ("write", ("write", [ids, {}], {})),
            ("create", ("create", [{}], {})),
            ("unlink", ("unlink", [ids], {})),
        ):
            if not expected[operation]:
                calls[operation] = call
        return calls

    @mute_logger("odoo.http", "odoo.addons.base.controllers.rpc", "odoo.addons.base.models.ir_model")
    def test_access_matrix(self):
        models = self._project_models()
        core_models = {name for name in models if self.registry[name]._original_module == "student_loan"}
        self.assertFalse(
            core_models - set(self.factories),
            "every model of the core needs values in _factories() to be part of the access matrix",
        )
        models = sorted(models)
        table, mismatches = [], []
        for role_index, (role, user) in enumerate(self.roles.items()):
            login = user.login if user else ANONYMOUS
            self.authenticate(login if user else None, password_of(login) if user else None)
            for model_index, model in enumerate(models):
                expected = self._expected(user, model)
                if model in core_models:
                    calls = self._core_calls(model, expected, user, role_index)
                else:
                    calls = self._generic_calls(model, expected)
                row = []
                for op_index, operation in enumerate(OPERATIONS):
                    if operation not in calls:
                        row.append("?")  # allowed by the ACL, needs the addon's data: its own tests
                        continue
                    protocol = ("json", "xmlrpc")[(model_index + op_index + role_index) % 2]
                    method, args, kwargs = calls[operation]
                    outcome, detail = self._call(protocol, login, model, method, args, kwargs)
                    wanted = "ok" if expected[operation] else "denied"
                    row.append(operation[0].upper() if outcome == "ok" else "-")
                    if model not in core_models and wanted == "denied" and outcome == "error":
                        continue  # refused before the ACL check by the addon's own code: no hole
                    if outcome != wanted:
                        mismatches.append(f"{role} {model} {operation} ({protocol}): expected {wanted}, got {detail}")
                table.append(f"{role:44} {model:42} {''.join(row)}")
        self.assertFalse(mismatches, "\n".join(mismatches + ["", "role × model: R W C U allowed", *table]))


@tagged("post_install", "-at_install")
class TestWorkflowBypass(RpcCase):
    """What the ACL lets a role write, but only the workflow may change: attacks over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.checked = cls.make_checked_application()
        cls.at_bank = cls.make_checked_application()
        cls.at_bank.with_user(cls.supervisor).action_approve()
        cls.at_bank.with_user(cls.supervisor).action_send_to_bank()
        cls.draft = cls.create_application(cls.create_student(user=cls.handler), user=cls.handler)
        cls.env.flush_all()

    def assertRefused(self, outcome, detail, error="odoo.exceptions.AccessError"):  # noqa: N802
        self.assertNotEqual(outcome, "ok", "the write went through")
        self.assertIn(error, detail)

    @mute_logger("odoo.http")
    def test_handler_cannot_approve_by_writing_the_state(self):
        self.authenticate(self.handler.login, password_of(self.handler.login))
        app = self.checked
        for vals in ({"state": "approved"}, {"approved_by_id": self.supervisor2.id}, {"contract_id": False}):
            outcome, detail = self.json_call(app._name, "write", [app.ids, vals])
            self.assertRefused(outcome, detail)
        outcome, detail = self.json_call(
            app._name,
            "create",
            [{"student_id": app.student_id.id, "academic_year": 2025, "tuition": 3000, "state": "confirmed"}],
        )
        self.assertRefused(outcome, detail)
        app.invalidate_recordset()
        self.assertEqual(app.state, "checked")
        self.assertFalse(app.approved_by_id)

    @mute_logger("odoo.http")
    def test_bank_cannot_change_what_was_approved(self):
        self.authenticate(self.bank.login, password_of(self.bank.login))
        app = self.at_bank
        outcome, detail = self.json_call(app._name, "write", [app.ids, {"approved_amount": 20000}])
        self.assertRefused(outcome, detail, "odoo.exceptions.UserError")
        contract = app.contract_id
        for vals in ({"amount": 20000}, {"state": "active"}, {"receipt_code": "AAAAAAAA"}, {"signature": PNG.decode()}):
            outcome, detail = self.json_call(contract._name, "write", [contract.ids, vals])
            self.assertNotEqual(outcome, "ok", f"the bank wrote {vals}")
        attachment = app.attachment_ids[:1]
        outcome, detail = self.json_call(attachment._name, "write", [attachment.ids, {"file": PDF.decode()}])
        self.assertRefused(outcome, detail, "odoo.exceptions.")
        app.invalidate_recordset()
        contract.invalidate_recordset()
        self.assertEqual((app.approved_amount, contract.amount, contract.state), (6200, 6200, "approved"))

    @mute_logger("odoo.http")
    def test_handler_cannot_forge_an_attachment_type(self):
        self.authenticate(self.handler.login, password_of(self.handler.login))
        outcome, result = self.json_call(
            "student.loan.attachment",
            "create",
            [
                {
                    "application_id": self.draft.id,
                    "type_id": self.env.ref("student_loan.attachment_type_student_id_card").id,
                    "file": PNG.decode(),
                    "file_name": "x.html",
                    "mimetype": "text/html",
                    "file_size": 1,
                }
            ],
        )
        self.assertEqual(outcome, "ok", result)
        attachment = self.env["student.loan.attachment"].browse(result)
        self.assertEqual((attachment.mimetype, attachment.file_size), ("image/png", len(base64.b64decode(PNG))))

    @mute_logger("odoo.http", "odoo.addons.base.controllers.rpc")
    def test_no_self_promotion(self):
        """A handler cannot move themselves to the province centre nor join a group over RPC."""
        self.authenticate(self.handler.login, password_of(self.handler.login))
        for vals in (
            {"loan_centre_id": self.province.id},
            {"groups_id": [(4, self.env.ref("student_loan.group_admin").id)]},
        ):
            outcome, detail = self.json_call("res.users", "write", [self.handler.ids, vals])
            self.assertRefused(outcome, detail)
        outcome, detail = self.xmlrpc_call(
            self.handler.login, "res.users", "write", [self.handler.ids, {"loan_centre_id": self.province.id}]
        )
        self.assertEqual(outcome, "denied", detail)
        self.handler.invalidate_recordset()
        self.assertEqual(self.handler.loan_centre_id, self.county)
        self.assertFalse(self.handler.has_group("student_loan.group_admin"))
