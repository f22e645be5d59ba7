from odoo import fields, models


class StudentLoanSmsGateway(models.Model):
    _inherit = "student.loan.sms.gateway"

    otp_template_code = fields.Char(
        string="Verification-Code Template",
        help="Template registered with the provider for verification codes (Alibaba Cloud: SMS_…, Tencent "
        "Cloud: its ID). Empty: the free-text template is used.",
    )
    otp_param_name = fields.Char(
        string="Code Parameter",
        default="code",
        help="Name (Alibaba Cloud) or position (Tencent Cloud: 1) of the template's parameter that receives the code.",
    )
