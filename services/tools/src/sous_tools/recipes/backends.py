"""Choosing the recipe search backend from settings."""

from __future__ import annotations

import boto3

from sous_tools.config import Settings
from sous_tools.recipes.bedrock_kb import BedrockKbRecipeSearch
from sous_tools.recipes.bm25 import Bm25RecipeSearch
from sous_tools.recipes.catalog import RecipeCatalog
from sous_tools.recipes.search import RecipeSearch


def create_recipe_search(settings: Settings, catalog: RecipeCatalog) -> RecipeSearch:
    if settings.search_backend == "bedrock-kb":
        client = boto3.client("bedrock-agent-runtime", region_name=settings.bedrock_kb_region)
        return BedrockKbRecipeSearch(
            client, settings.bedrock_kb_id, catalog, settings.bedrock_kb_max_results
        )
    return Bm25RecipeSearch(catalog)
