"""ClearML's services, a package each; the HTTP plumbing lives in api/."""
