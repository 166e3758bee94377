"""Administration: account settings, users, the audit trail and signing in."""
