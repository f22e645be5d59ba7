import time

from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, config

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.utils import must_run_without_delay

# queue_job's states, as the user reads them on the document
JOB_STATES = {
    "wait_dependencies": "queued",
    "pending": "queued",
    "enqueued": "queued",
    "started": "running",
    "done": "done",
    "failed": "failed",
    "cancelled": "failed",
}


class StudentLoanJobMixin(models.AbstractModel):
    """A document whose long operation runs as an OCA ``queue_job`` job (issue 15 §4).

    ``_job_enqueue("_job_x", description)`` queues ``self._job_x()`` (the job's channel, retries and
    related action are data: ``queue.job.function`` records under the ``root.student_loan`` channel),
    remembers the job and notes it in the chatter. The document shows the job's state
    (``job_state``: queued, running, done, failed) and what it has done so far (``job_progress``).

    A job method must be idempotent and retry-safe: it locks the document (``_job_lock``: a job
    already running on it makes the runner retry later), does nothing when the work is done, and a
    job that commits in steps (``_job_step``) resumes after a kill where its last committed step
    stopped, because each step skips what is done already."""

    _name = "student.loan.job.mixin"
    _description = "Document with a Background Job"

    job_uuid = fields.Char(string="Job", readonly=True, copy=False)
    job_state = fields.Selection(
        [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        string="Background Job",
        compute="_compute_job_state",
        help="The state of the background job that does the long work of this document.",
    )
    job_progress = fields.Char(string="Progress", readonly=True, copy=False)

    @api.depends("job_uuid")
    def _compute_job_state(self):
        uuids = [uuid for uuid in self.mapped("job_uuid") if uuid]
        states = {}
        if uuids:
            jobs = self.env["queue.job"].sudo().search_read([("uuid", "in", uuids)], ["uuid", "state"])
            states = {job["uuid"]: JOB_STATES.get(job["state"]) for job in jobs}
        for record in self:
            record.job_state = states.get(record.job_uuid, False)

    def _job_enqueue(self, method_name, description, **kwargs):
        """Queue ``self.<method_name>(**kwargs)`` as a job; the same job waiting or running is not queued twice."""
        self.ensure_one()
        if self.job_state in ("queued", "running"):
            raise UserError(
                self.env._("%s is queued already: wait for its background job to finish.", self.display_name)
            )
        if must_run_without_delay(self.env):
            # tests (and QUEUE_JOB__NO_DELAY): the job runs now, in this transaction
            return getattr(self.with_delay(description=description), method_name)(**kwargs)
        job = getattr(self.with_delay(description=description, identity_key=identity_exact), method_name)(**kwargs)
        self.sudo().write({"job_uuid": job.uuid, "job_progress": False})
        self.message_post(
            body=self.env._("Queued as a background job (%s): the result is written here when it is done.", description)
        )
        return job

    def _job_lock(self):
        """Lock the document for the job; another job (or user) holding it: the runner retries later."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("SELECT id FROM %s WHERE id = %s FOR UPDATE NOWAIT", SQL.identifier(self._table), self.id)
                )
        except errors.LockNotAvailable as error:
            raise RetryableJobError(
                self.env._("%s is being processed by another job: retried later.", self.display_name), seconds=10
            ) from error

    @api.model
    def _job_chunk_size(self, default):
        return int(self.env["ir.config_parameter"].sudo().get_param("student_loan.job_chunk_size", default))

    def _job_step(self, done, total):
        """End of a step: record the progress and commit it (outside tests), so a killed job resumes here.

        ``student_loan.job_step_pause`` (seconds, default 0) pauses between steps: it leaves room to the
        interactive users while a whole-book run goes on."""
        self.ensure_one()
        self.sudo().write({"job_progress": self.env._("%(done)s of %(total)s", done=done, total=total)})
        if config["test_enable"]:
            return
        self.env.cr.commit()  # pylint: disable=invalid-commit
        pause = float(self.env["ir.config_parameter"].sudo().get_param("student_loan.job_step_pause", 0) or 0)
        if pause:
            time.sleep(pause)
