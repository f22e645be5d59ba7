from . import cli, models, wizard
