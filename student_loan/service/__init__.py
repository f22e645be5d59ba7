from . import rpc_context
