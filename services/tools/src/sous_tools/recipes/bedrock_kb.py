"""Recipe search served by an Amazon Bedrock Knowledge Base (``bedrock-agent-runtime`` retrieve).

Each document ingested into the knowledge base is one recipe whose metadata carries its
``recipe_id``; hits are mapped back to the shipped catalog so responses keep one shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from sous_tools.errors import UpstreamUnavailable
from sous_tools.recipes.catalog import RecipeCatalog
from sous_tools.recipes.search import SearchHit, SearchQuery, browse

if TYPE_CHECKING:
    from mypy_boto3_bedrock_agent_runtime import AgentsforBedrockRuntimeClient

RECIPE_ID_METADATA_KEY = "recipe_id"


class BedrockKbRecipeSearch:
    def __init__(
        self,
        client: AgentsforBedrockRuntimeClient,
        knowledge_base_id: str,
        catalog: RecipeCatalog,
        max_results: int,
    ) -> None:
        self._client = client
        self._knowledge_base_id = knowledge_base_id
        self._catalog = catalog
        self._max_results = max_results

    def search(self, query: SearchQuery) -> list[SearchHit]:
        if not query.text.strip():
            return browse(self._catalog.recipes, query)
        try:
            response = self._client.retrieve(
                knowledgeBaseId=self._knowledge_base_id,
                retrievalQuery={"text": query.text},
                retrievalConfiguration={
                    # Over-fetch: filters are applied here, and one recipe may have many chunks.
                    "vectorSearchConfiguration": {"numberOfResults": self._max_results}
                },
            )
        except (BotoCoreError, ClientError) as exc:
            raise UpstreamUnavailable(
                f"The recipe knowledge base did not answer ({exc}); try again shortly."
            ) from exc
        hits: list[SearchHit] = []
        seen: set[str] = set()
        for result in response["retrievalResults"]:
            recipe_id = str(result.get("metadata", {}).get(RECIPE_ID_METADATA_KEY, ""))
            recipe = self._catalog.find(recipe_id)
            if recipe is None or recipe_id in seen or not query.filters.admits(recipe):
                continue
            seen.add(recipe_id)
            hits.append(SearchHit(recipe, round(float(result.get("score", 0.0)), 4)))
            if len(hits) == query.limit:
                break
        return hits
