"""Webhooks for workspace owners: registering endpoints, the signing secret, the delivery log, and
sending deliveries in the background."""
