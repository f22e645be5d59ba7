from . import cli, models, wizard


def uninstall_hook(env):
    """The statistics index lives on the core's contract table: remove it with the addon."""
    env.cr.execute("DROP INDEX IF EXISTS student_loan_contract_statistics_idx")
