from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from sous_tools.errors import UpstreamUnavailable
from sous_tools.recipes.bedrock_kb import RECIPE_ID_METADATA_KEY, BedrockKbRecipeSearch
from sous_tools.recipes.catalog import RecipeCatalog
from sous_tools.recipes.filters import RecipeFilters
from sous_tools.recipes.search import SearchQuery

KB_ID = "KB12345678"


@pytest.fixture
def stubbed(catalog: RecipeCatalog) -> Iterator[tuple[BedrockKbRecipeSearch, Stubber]]:
    client = boto3.client(
        "bedrock-agent-runtime",
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    with Stubber(client) as stubber:
        yield BedrockKbRecipeSearch(client, KB_ID, catalog, max_results=50), stubber
        stubber.assert_no_pending_responses()


def _result(recipe_id: str, score: float) -> dict[str, Any]:
    return {
        "content": {"text": f"chunk of {recipe_id}"},
        "location": {"type": "S3", "s3Location": {"uri": f"s3://recipes/{recipe_id}.md"}},
        "metadata": {RECIPE_ID_METADATA_KEY: recipe_id},
        "score": score,
    }


def _expected(text: str) -> dict[str, Any]:
    return {
        "knowledgeBaseId": KB_ID,
        "retrievalQuery": {"text": text},
        "retrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 50}},
    }


def test_hits_map_to_catalog_recipes_once_each_best_first(
    stubbed: tuple[BedrockKbRecipeSearch, Stubber], catalog: RecipeCatalog
) -> None:
    search, stubber = stubbed
    first, second = catalog.recipes[0], catalog.recipes[1]
    results = [
        _result(first.id, 0.91), _result(first.id, 0.80),  # two chunks of one recipe
        _result("not-in-catalog", 0.75), _result(second.id, 0.52),
    ]  # fmt: skip
    stubber.add_response("retrieve", {"retrievalResults": results}, _expected("lemon chicken"))
    hits = search.search(SearchQuery("lemon chicken", RecipeFilters(), 5))
    assert [(hit.recipe.id, hit.score) for hit in hits] == [(first.id, 0.91), (second.id, 0.52)]


def test_filters_apply_to_knowledge_base_hits(
    stubbed: tuple[BedrockKbRecipeSearch, Stubber], catalog: RecipeCatalog
) -> None:
    search, stubber = stubbed
    vegan = next(r for r in catalog.recipes if "vegan" in r.tags)
    meaty = next(r for r in catalog.recipes if not {"vegan", "vegetarian"} & set(r.tags))
    results = [_result(meaty.id, 0.9), _result(vegan.id, 0.8)]
    stubber.add_response("retrieve", {"retrievalResults": results}, _expected("dinner"))
    filters = RecipeFilters(diets=frozenset({"vegan"}))
    hits = search.search(SearchQuery("dinner", filters, 5))
    assert [hit.recipe.id for hit in hits] == [vegan.id]


def test_service_errors_become_503_with_a_reason(
    stubbed: tuple[BedrockKbRecipeSearch, Stubber],
) -> None:
    search, stubber = stubbed
    stubber.add_client_error(
        "retrieve", service_error_code="ThrottlingException", http_status_code=429
    )
    with pytest.raises(UpstreamUnavailable, match="ThrottlingException"):
        search.search(SearchQuery("soup", RecipeFilters(), 5))


def test_filters_alone_need_no_call(stubbed: tuple[BedrockKbRecipeSearch, Stubber]) -> None:
    search, _ = stubbed
    hits = search.search(SearchQuery("", RecipeFilters(max_minutes=30), 3))
    assert len(hits) == 3 and all(hit.recipe.total_minutes <= 30 for hit in hits)
