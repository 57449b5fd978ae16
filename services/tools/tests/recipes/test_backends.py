from __future__ import annotations

import pytest

from sous_tools.config import Settings
from sous_tools.recipes.backends import create_recipe_search
from sous_tools.recipes.bedrock_kb import BedrockKbRecipeSearch
from sous_tools.recipes.bm25 import Bm25RecipeSearch
from sous_tools.recipes.catalog import RecipeCatalog


def test_bm25_is_the_default(catalog: RecipeCatalog) -> None:
    assert isinstance(create_recipe_search(Settings(), catalog), Bm25RecipeSearch)


def test_bedrock_kb_is_chosen_by_settings(
    catalog: RecipeCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    settings = Settings(
        search_backend="bedrock-kb", bedrock_kb_id="KB1", bedrock_kb_region="eu-west-1"
    )
    search = create_recipe_search(settings, catalog)
    assert isinstance(search, BedrockKbRecipeSearch)
