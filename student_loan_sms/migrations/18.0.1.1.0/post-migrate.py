"""Campaigns are sent from their recipient lines (no sms.sms row per message any more).

The campaign SMS still waiting in Odoo's queue at the upgrade are withdrawn from it (their lines, still
queued, are sent by the campaign's jobs); a line whose SMS was handed to the provider by an interrupted
dispatch keeps that mark, so that it is never sent again.
"""


def migrate(cr, version):
    cr.execute("""
        UPDATE student_loan_sms_recipient line
           SET dispatch_started = sms.sl_dispatch_started
          FROM sms_sms sms
         WHERE sms.sl_recipient_id = line.id AND line.campaign_id IS NOT NULL AND line.state = 'queued'
           AND sms.state = 'outgoing' AND sms.sl_dispatch_started IS NOT NULL
    """)
    cr.execute("""
        UPDATE sms_sms sms
           SET to_delete = true
          FROM student_loan_sms_recipient line
         WHERE sms.sl_recipient_id = line.id AND line.campaign_id IS NOT NULL AND sms.state = 'outgoing'
    """)
