"""The ClearML web app's server (nginx's role in ClearML): its bundle, /api and /files proxied."""
