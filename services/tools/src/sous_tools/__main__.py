"""`sous-tools`: run the tools service with uvicorn (one worker; scale by running more)."""

from __future__ import annotations

import logging

import uvicorn

from sous_tools.app import create_app
from sous_tools.config import Settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, workers=1)


if __name__ == "__main__":
    main()
