"""The console log view: lines by time bucket and their download format."""
