"""What the routes need, built once by create_app and handed out per request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis

from sous_tools.config import Settings
from sous_tools.conversion import Converter
from sous_tools.nutrition import FoodTable
from sous_tools.recipes.catalog import RecipeCatalog
from sous_tools.recipes.search import RecipeSearch
from sous_tools.timers.store import TimerStore


@dataclass(frozen=True)
class Services:
    settings: Settings
    redis: Redis
    converter: Converter
    foods: FoodTable
    recipes: RecipeCatalog
    recipe_search: RecipeSearch
    timers: TimerStore


async def get_services(request: Request) -> Services:
    # async: FastAPI runs a plain `def` dependency in its thread pool, a thread hop per request.
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
