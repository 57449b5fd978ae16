"""Recipe search ranked by BM25 (bm25s) over title, ingredients and tags."""

from __future__ import annotations

import bm25s  # type: ignore[import-untyped]
import Stemmer  # type: ignore[import-not-found]

from sous_tools.recipes.catalog import Recipe, RecipeCatalog
from sous_tools.recipes.search import SearchHit, SearchQuery, browse


def _document(recipe: Recipe) -> str:
    # The title twice: a word in the title says more about a recipe than one in its pantry list.
    tags = " ".join(tag.replace("-", " ") for tag in recipe.tags)
    ingredients = " ".join(recipe.ingredients)
    return f"{recipe.title} {recipe.title} {recipe.cuisine} {ingredients} {tags}"


class Bm25RecipeSearch:
    def __init__(self, catalog: RecipeCatalog) -> None:
        self._recipes = catalog.recipes
        self._tokenizer = bm25s.tokenization.Tokenizer(
            stemmer=Stemmer.Stemmer("english"), stopwords="en"
        )
        corpus = self._tokenizer.tokenize(
            [_document(recipe) for recipe in self._recipes], return_as="ids", show_progress=False
        )
        self._index = bm25s.BM25()
        self._index.index(corpus, show_progress=False)

    def search(self, query: SearchQuery) -> list[SearchHit]:
        if not query.text.strip():
            return browse(self._recipes, query)
        tokens = self._tokenizer.tokenize(
            [query.text], update_vocab=False, return_as="ids", show_progress=False
        )
        documents, scores = self._index.retrieve(
            tokens, k=len(self._recipes), show_progress=False, n_threads=1
        )
        hits: list[SearchHit] = []
        for position, score in zip(documents[0], scores[0], strict=True):
            recipe = self._recipes[int(position)]
            if score <= 0 or not query.filters.admits(recipe):
                continue
            hits.append(SearchHit(recipe, round(float(score), 4)))
            if len(hits) == query.limit:
                break
        return hits
