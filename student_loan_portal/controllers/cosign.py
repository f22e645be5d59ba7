from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from .portal import _error_message

SESSION_KEY = "sl_cosign_verified"


class StudentLoanCosign(http.Controller):
    """The co-borrower's signing link: ``/loan/cosign/<id>/<token>``.

    It shows the contract's terms and nothing else of the student's file; the co-borrower proves
    who they are with a code sent by SMS to their mobile on record (the proof is kept in this browser
    session only), then signs by hand. After the signature, the expiry or a new link it refuses
    everything. Whoever is logged in (the student included) changes nothing: the code decides.
    """

    def _cosign_link(self, request_id, token):
        return request.env["student.loan.sign.request"].sudo()._portal_find(request_id, token)

    def _cosign_verified(self, link):
        return link.id in (request.session.get(SESSION_KEY) or [])

    def _cosign_render(self, link, token, error=None, sent=False):
        usable = bool(link) and link._portal_usable()
        values = {
            "link": link if usable else None,
            "link_signed": bool(link) and link.state == "signed",
            "token": token,
            "verified": usable and self._cosign_verified(link),
            "error": error,
            "sent": sent,
            "page_name": "loan_cosign",
            "no_header": False,
        }
        if usable:
            values.update(
                contract=link.contract_id,
                application=link.contract_id.application_id,
                masked_mobile=link._portal_masked_mobile(),
                call_url=f"/loan/cosign/{link.id}/{token}/sign",
            )
        response = request.render("student_loan_portal.portal_loan_cosign", values)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @http.route(
        ["/loan/cosign/<int:request_id>/<string:token>"], type="http", auth="public", website=True, sitemap=False
    )
    def cosign_page(self, request_id, token, sent=None, **kw):
        return self._cosign_render(self._cosign_link(request_id, token), token, sent=bool(sent))

    @http.route(
        ["/loan/cosign/<int:request_id>/<string:token>/code"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def cosign_send_code(self, request_id, token, **post):
        link = self._cosign_link(request_id, token)
        if not link or not link._portal_usable():
            return self._cosign_render(link, token)
        try:
            request.env["student.loan.portal.otp"].sudo()._issue(
                "cosign",
                link.mobile,
                subject=f"cosign-{link.id}",
                ip=request.httprequest.remote_addr,
                centre=link.contract_id.centre_id,
                record=link,
            )
        except UserError as error:
            return self._cosign_render(link, token, error=_error_message(error))
        return request.redirect(f"/loan/cosign/{link.id}/{token}?sent=1")

    @http.route(
        ["/loan/cosign/<int:request_id>/<string:token>/verify"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def cosign_verify(self, request_id, token, code=None, **post):
        link = self._cosign_link(request_id, token)
        if not link or not link._portal_usable():
            return self._cosign_render(link, token)
        try:
            otp = request.env["student.loan.portal.otp"].sudo()._verify("cosign", code, record=link)
        except UserError as error:
            # no savepoint: the failed attempt is counted
            return self._cosign_render(link, token, error=_error_message(error))
        otp._consume()
        request.session[SESSION_KEY] = [*(request.session.get(SESSION_KEY) or []), link.id][-5:]
        return request.redirect(f"/loan/cosign/{link.id}/{token}")

    @http.route(
        ["/loan/cosign/<int:request_id>/<string:token>/sign"], type="json", auth="public", website=True, sitemap=False
    )
    def cosign_sign(self, request_id, token, name=None, signature=None, **kw):
        link = self._cosign_link(request_id, token)
        if not link or not link._portal_usable():
            return {"error": request.env._("This signing link is no longer valid.")}
        if not self._cosign_verified(link):
            return {"error": request.env._("Enter the code sent to the co-borrower's mobile first.")}
        application = link.contract_id.application_id
        try:
            with request.env.cr.savepoint():
                application._portal_sign(
                    "coborrower",
                    name,
                    signature,
                    ip=request.httprequest.remote_addr,
                    link=link.id,
                    mobile=link.mobile,
                )
                link.write({"state": "signed", "signed_at": fields.Datetime.now()})
        except (ValidationError, UserError) as error:
            return {"error": _error_message(error)}
        request.session[SESSION_KEY] = [i for i in request.session.get(SESSION_KEY) or [] if i != link.id]
        return {"force_refresh": True, "redirect_url": f"/loan/cosign/{link.id}/{token}"}
