from . import display, portal
