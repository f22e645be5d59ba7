import base64
import json

from stdnum.cn import ric

from odoo import api, models

from odoo.addons.student_loan.loanlib import handwriting

# a name written by hand on the pad (the sample strokes), as the contract's signature fields take it
DEMO_STROKES = json.dumps({"mode": "draw", "width": 600, "height": 300, "strokes": handwriting.sample_strokes()})

# 1x1 PNG used for demo attachments
DEMO_PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
)


class StudentLoanDemo(models.AbstractModel):
    """Builds the demo data by running the real workflow as the demo users (applications in every state)."""

    _name = "student.loan.demo"
    _description = "Student Loan Demo Data"

    # Odoo's own demo, English and foreign to an aid centre: Discuss's sample channels and the sample
    # messages of the channel every user is in
    ODOO_DEMO_CHANNELS = (
        "mail.channel_1",
        "mail.channel_2",
        "mail.channel_3",
        "mail.from_notification_message",
        "mail.idea_suggestions_sub",
        "mail.troubleshooting_sub",
    )
    ODOO_DEMO_MESSAGES = (
        "mail.mail_message_channel_whole_1",
        "mail.mail_message_channel_whole_2",
        "mail.mail_message_channel_whole_2_1",
        "mail.mail_message_channel_whole_2_2",
    )
    # the addons whose demo companies, people, conferences and festivals are archived
    ODOO_DEMO_MODULES = ("base", "event")

    @api.model
    def _chinese(self, records, module):
        """``records`` in an environment that writes the demo as a Chinese centre would.

        Demo data is loaded before the addon's translations (``load_module_graph`` loads them last),
        and the loader's environment has no language: messages, activity summaries and chatter lines
        ("Loan Application created") would be stored in English. The addon's ``zh_CN.po`` is loaded
        first and the environment given ``lang=zh_CN`` (when that language is installed).
        """
        if not self.env["res.lang"]._lang_get("zh_CN"):
            return records
        self.env["ir.module.module"]._load_module_terms([module], ["zh_CN"])
        return records.with_context(lang="zh_CN")

    @api.model
    def _id_number(self, region, birth, serial):
        body = f"{region}{birth}{serial:03d}"
        return body + ric.calc_check_digit(body + "0")

    @api.model
    def _create_demo_data(self):
        self = self._chinese(self, "student_loan")  # pylint: disable=self-cls-assignment
        ref = self.env.ref
        shangshui, gongyi = ref("student_loan.centre_411623"), ref("student_loan.centre_410181")
        if self.env["student.loan.student"].sudo().search_count([("centre_id", "=", shangshui.id)], limit=1):
            return  # built already (a database whose demo came from the addons before this one)
        users = {
            key: ref(f"student_loan.demo_user_{key}")
            for key in ("handler_ss", "supervisor_ss", "handler_gy", "supervisor_gy", "bank")
        }
        schools = [
            ref("student_loan.demo_school_zzu"),
            ref("student_loan.demo_school_henu"),
            ref("student_loan.demo_school_hpu"),
        ]
        if self.env["res.lang"]._lang_get("zh_CN"):
            self.env["res.users"].browse([user.id for user in users.values()]).write({"lang": "zh_CN"})
        year = (
            self.env["student.loan.application"]._fields["academic_year"].default(self.env["student.loan.application"])
        )
        people = [
            # name, centre, level, school, enrolment, poverty, target state
            ("王小明", shangshui, "undergraduate", 0, year, True, "draft"),
            ("李娜", shangshui, "undergraduate", 0, year, False, "submitted"),
            ("张伟", shangshui, "vocational", 2, year, True, "checked"),
            ("刘洋", shangshui, "undergraduate", 1, year, False, "approved"),
            ("陈静", shangshui, "master", 1, year, False, "bank"),
            ("杨帆", shangshui, "undergraduate", 0, year, True, "confirmed"),
            ("赵磊", shangshui, "undergraduate", 1, year, False, "returned"),
            ("黄丽", gongyi, "undergraduate", 0, year, False, "confirmed"),
            ("周杰", gongyi, "doctor", 1, year, False, "cancelled"),
            ("吴敏", gongyi, "undergraduate", 0, year - 1, True, "renewal_held"),
        ]
        Student = self.env["student.loan.student"]
        for index, (name, centre, level, school, enrolment, poverty, target) in enumerate(people, start=1):
            handler = users["handler_ss"] if centre == shangshui else users["handler_gy"]
            supervisor = users["supervisor_ss"] if centre == shangshui else users["supervisor_gy"]
            address = f"河南省{'周口市商水县城关乡' if centre == shangshui else '巩义市新华路街道'}幸福路{index}号"
            student = Student.with_user(handler).create(
                {
                    "name": name,
                    "id_number": self._id_number(
                        centre.code, f"{2006 - (level in ('master', 'doctor')) * 4}0{index % 9 + 1}1{index % 9}", index
                    ),
                    "mobile": f"1381234{index:04d}",
                    "email": f"student{index}@example.com",
                    "household_address": address,
                    "home_address": address,
                    "third_party_name": "王老师",
                    "third_party_phone": f"1391234{index:04d}",
                    "third_party_relation": "高中班主任",
                    "is_poverty_registered": poverty,
                    "school_id": schools[school].id,
                    "education_level": level,
                    "study_years": 3 if level in ("vocational", "master", "doctor") else 4,
                    "enrolment_year": enrolment,
                    "centre_id": centre.id,
                }
            )
            student.env["student.loan.coborrower"].create(
                {
                    "student_id": student.id,
                    "name": f"{name[0]}父",
                    "relation": "father",
                    "id_number": self._id_number(centre.code, "19750101", index),
                    "mobile": f"1371234{index:04d}",
                    "address": address,
                    "work_unit": "务农",
                }
            )
            if target == "renewal_held":
                self._advance(student, handler, supervisor, users["bank"], "confirmed", year - 1)
                student.env["student.loan.application"].create(
                    {
                        "student_id": student.id,
                        "academic_year": year,
                        "tuition": 5000,
                        "accommodation": 1000,
                        "coborrower_id": student.coborrower_ids.id,
                        "eligibility_unit": "巩义市新华路街道办事处",
                        "eligibility_stamped": True,
                    }
                )
            else:
                self._advance(student, handler, supervisor, users["bank"], target, year)

    @api.model
    def _advance(self, student, handler, supervisor, bank, target, year):
        Application = self.env["student.loan.application"].with_user(handler)
        tuition = 8000 if student.education_level in ("master", "doctor") else 4800
        application = Application.create(
            {
                "student_id": student.id,
                "academic_year": year,
                "tuition": tuition,
                "accommodation": 1200,
                "coborrower_id": student.coborrower_ids[:1].id,
                "eligibility_unit": f"{student.centre_id.name}民政局",
                "eligibility_stamped": True,
            }
        )
        if target == "draft":
            return application
        types = ["student_id_card", "coborrower_id_card", "admission_notice", "application_form"]
        application.env["student.loan.attachment"].create(
            [
                {
                    "application_id": application.id,
                    "type_id": self.env.ref(f"student_loan.attachment_type_{code}").id,
                    "file": DEMO_PNG,
                    "file_name": f"{code}.png",
                }
                for code in types
            ]
        )
        application.action_submit()
        if target == "submitted":
            return application
        if target == "cancelled":
            application.action_cancel()
            return application
        application.check_line_ids.filtered(lambda line: not line.item_id.auto_check).write({"result": "passed"})
        application.action_prepare_contract()
        application.contract_id.write({"signature_strokes": DEMO_STROKES, "coborrower_signature_strokes": DEMO_STROKES})
        application.contract_id.action_sign()
        application.action_check()
        if target == "checked":
            return application
        if target == "returned":
            application.with_user(supervisor)._return("共同借款人住址需写明村组和门牌号。")
            return application
        application.with_user(supervisor).action_approve()
        if target == "approved":
            return application
        application.with_user(supervisor).action_send_to_bank()
        if target == "bank":
            return application
        application.with_user(bank).action_bank_confirm()
        return application

    @api.model
    def _hide_odoo_demo(self):
        """Archive Odoo's own English demo records so that a centre user working in Chinese sees none
        of them: the event app's conferences and festivals (with their registrations and activities),
        base's sample companies and people (not the users' own partners), Discuss's sample channels;
        the sample messages of the channel every user is in are deleted. The channel itself and its
        welcome message are given Chinese text in the demo XML."""
        env = self.sudo().env
        events = self._odoo_demo_records("event.event")
        env["mail.activity"].search([("res_model", "=", "event.event"), ("res_id", "in", events.ids)]).unlink()
        env["event.registration"].search([("event_id", "in", events.ids)]).action_archive()
        events.action_archive()
        partners = self._odoo_demo_records("res.partner")
        users = env["res.users"].with_context(active_test=False).search([("partner_id", "in", partners.ids)])
        keep = users.partner_id | env["res.company"].search([("partner_id", "in", partners.ids)]).partner_id
        (partners - keep).filtered("active").action_archive()
        env["discuss.channel"].browse([env.ref(xmlid).id for xmlid in self.ODOO_DEMO_CHANNELS]).action_archive()
        env["mail.message"].browse([env.ref(xmlid).id for xmlid in self.ODOO_DEMO_MESSAGES]).unlink()

    @api.model
    def _odoo_demo_records(self, model):
        """The records of ``model`` that the addons of ``ODOO_DEMO_MODULES`` made (sudo)."""
        domain = [("module", "in", self.ODOO_DEMO_MODULES), ("model", "=", model)]
        data = self.env["ir.model.data"].sudo().search(domain)
        return self.env[model].sudo().browse(data.mapped("res_id")).exists()
