from . import auth_signup, cosign, portal, register
