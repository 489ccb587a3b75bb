"""The aiohttp app: ClearML routes and envelope, KFP routes, authentication."""
