"""The JSON API for integrations, authenticated by a workspace's API token."""
