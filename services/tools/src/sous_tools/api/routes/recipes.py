"""GET /recipes/search and GET /recipes/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from sous_tools.api.deps import ServicesDep
from sous_tools.errors import InvalidInput
from sous_tools.recipes.catalog import Recipe
from sous_tools.recipes.filters import DIETS, RecipeFilters, parse_diets, parse_spoken_query
from sous_tools.recipes.search import SearchQuery

router = APIRouter(tags=["recipes"])


class RecipeResult(Recipe):
    score: float = Field(description="Relevance (higher is better); 0 when only filtering")


class UnderstoodQuery(BaseModel):
    text: str = Field(description="The words ranked by, once filters were taken out")
    diets: list[str]
    max_minutes: int | None
    exclude: list[str]


class SearchResponse(BaseModel):
    results: list[RecipeResult]
    query: UnderstoodQuery


@router.get("/recipes/search")
def search_recipes(
    services: ServicesDep,
    q: Annotated[
        str,
        Query(
            max_length=300,
            description='What to cook, filters included: "vegetarian pasta under 30 minutes", '
            '"chicken without nuts"',
            examples=["chicken lemon"],
        ),
    ] = "",
    limit: Annotated[int, Query(ge=1, description="How many results")] = 5,
    diet: Annotated[
        list[str], Query(max_length=len(DIETS), description=f"Any of: {', '.join(DIETS)}")
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    max_minutes: Annotated[int | None, Query(ge=1, le=24 * 60)] = None,
    exclude: Annotated[
        list[str], Query(max_length=20, description="Ingredients to leave out, e.g. mushroom")
    ] = [],  # noqa: B006
) -> SearchResponse:
    max_limit = services.settings.search_max_limit
    if limit > max_limit:
        raise InvalidInput(f"'limit' {limit} is too large; ask for at most {max_limit} recipes.")
    spoken = parse_spoken_query(q, services.settings.quick_max_minutes)
    explicit = RecipeFilters(
        diets=parse_diets(diet),
        max_minutes=max_minutes,
        exclude=tuple(item.strip().lower() for item in exclude if item.strip()),
    )
    filters = spoken.filters.merged(explicit)
    hits = services.recipe_search.search(SearchQuery(spoken.text, filters, limit))
    return SearchResponse(
        results=[RecipeResult(**hit.recipe.model_dump(), score=hit.score) for hit in hits],
        query=UnderstoodQuery(
            text=spoken.text,
            diets=sorted(filters.diets),
            max_minutes=filters.max_minutes,
            exclude=list(filters.exclude),
        ),
    )


@router.get("/recipes/{recipe_id}", responses={404: {"description": "No recipe with that id"}})
def get_recipe(recipe_id: str, services: ServicesDep) -> Recipe:
    return services.recipes.get(recipe_id)
