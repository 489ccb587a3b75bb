"""The projects view: project rows and their ClearML shape."""
