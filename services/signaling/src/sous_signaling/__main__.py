"""`sous-signaling`: run the service with uvicorn (one worker; scale with more instances)."""

from __future__ import annotations

import uvicorn

from .app import create_app
from .config import Settings


def main() -> None:
    settings = Settings()
    # proxy_headers off: X-Forwarded-For is believed only from TRUSTED_PROXIES (client_ip.py).
    uvicorn.run(
        create_app(settings),
        host=settings.HOST,
        port=settings.PORT,
        workers=1,
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
