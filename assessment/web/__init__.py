"""The web interface: blueprints, forms and the helpers templates use."""
