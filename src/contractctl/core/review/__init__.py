"""The review of a change to a contract set: behavioural changes between two versions of a
contract, which consumers read a changed field, and deprecation policy.

Pure comparisons of loaded contracts; the gate (``app.check``) turns their results into
findings. May import ``contract``, ``schema``, ``rules``, ``vocab`` and ``core.errors``.
"""
