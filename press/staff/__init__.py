"""Staff users, their bearer tokens and roles, and the audit log of their writes."""
