"""The console log view: lines by time bucket, their reads (read.py) and download format."""
