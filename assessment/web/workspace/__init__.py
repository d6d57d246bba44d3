"""The workspace: members and their roles, the audit trail, API tokens, name and logo."""
