"""Local services: the verifier as a loopback VC-API (``vc_api``)."""
