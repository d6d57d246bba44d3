"""Signing in and out, joining a workspace, first-run set-up and password resets."""
