"""detente as a long-running service: background coding jobs, feed watching and alerts.

Nothing here depends on the web framework, so ``detente watch`` and ``detente serve`` share
the same job queue, batch coder and alert rules.
"""
