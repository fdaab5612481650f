"""Shell integration: hooks, activation, shims, approvals, and their templates."""
