"""The web edge: Twilio voice and SMS webhooks, the JSON API and the browser simulator."""
