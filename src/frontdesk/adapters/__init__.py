"""Everything that touches the world: database, Twilio, notifications, clock, files."""
