"""The Hugo site: scaffold (`newsdesk init`), managed config, and the Hugo runner."""
