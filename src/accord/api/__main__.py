"""``python -m accord.api > docs/reference/openapi.json``: print the OpenAPI document."""

import sys

from accord.api.app import openapi_text

sys.stdout.write(openapi_text())
