"""detente's HTTP service: a REST API under ``/api/v1`` and a server-rendered dashboard.

``create_app(settings)`` builds the FastAPI app; ``detente serve`` runs it under uvicorn.
Every response is computed by the same store queries and analysis functions the CLI and the
report use; this package only parses requests and shapes responses.
"""

from detente.api.app import create_app
from detente.api.settings import Settings, load_settings

__all__ = ["Settings", "create_app", "load_settings"]
