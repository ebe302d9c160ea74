"""The REST API (FastAPI): handlers parse, call one service, render. Errors are RFC 9457 problems."""

from accord.api.app import create_app, route_rules

__all__ = ["create_app", "route_rules"]
