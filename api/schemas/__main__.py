"""`python -m api.schemas`: print the OpenAPI description of the API as JSON."""

import json

from api.schemas import openapi

print(json.dumps(openapi(), indent=2, sort_keys=True))
