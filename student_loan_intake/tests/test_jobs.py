"""The poverty register's import runs as an OCA queue_job job once confirmed (issue 15 §4)."""

from odoo.tests import tagged

from odoo.addons.student_loan.tests.queue_job_common import trap_jobs

from .common import IntakeCase, csv_file, register_row


@tagged("post_install", "-at_install")
class TestPovertyImportJob(IntakeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the job is queued here, not run inline (IntakeCase runs it inline for the other tests)
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=False))

    def persons(self):
        return self.env["student.loan.poverty.person"].search([("centre_id", "=", self.county.id)])

    def test_confirmed_import_is_written_by_one_job_once(self):
        rows = [register_row(1, "王小明"), register_row(2, "王小红", household="411623000001")]
        record = (
            self.env["student.loan.poverty.import"]
            .with_user(self.handler)
            .create({"centre_id": self.county.id, "file": csv_file(rows), "file_name": "名单.csv"})
        )
        record.action_read_file()
        record.action_preview()
        with trap_jobs() as trap:
            self.confirm_import(record)
            trap.assert_jobs_count(1, only=record._job_import)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.channel, "root.student_loan.poverty_import")
            self.assertEqual(job.user_id, self.supervisor.id, "written as the supervisor who confirmed")
            self.assertEqual((record.state, record.review_state), ("preview", "approved"))
            self.assertFalse(self.persons(), "nothing written before the job runs")
            self.assertIn("Queued as a background job", record.message_ids[0].body)
            trap.perform_enqueued_jobs()
            self.assertEqual(record.state, "done")
            self.assertEqual(len(self.persons()), 2)
            changes = record.change_count
            self.assertIn("nothing to do", job.perform())
        self.assertEqual(len(self.persons()), 2, "performed twice, written once")
        record.invalidate_recordset(["change_count"])
        self.assertEqual(record.change_count, changes)
        self.assertIn("Register imported: 2 new", record.message_ids[0].body)
