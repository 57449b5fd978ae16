from __future__ import annotations

import pytest

from sous_tools.densities import DensityTable
from sous_tools.errors import InvalidInput


def test_table_has_sixty_sourced_ingredients(densities: DensityTable) -> None:
    assert len(densities.rows) >= 60
    for row in densities.rows:
        assert row.source.strip(), row.ingredient
        # Anything denser than honey (~340 g/cup) or lighter than puffed cereal is a typo.
        assert 10 <= row.grams_per_cup <= 400, row.ingredient


def test_every_name_and_alias_finds_its_own_row(densities: DensityTable) -> None:
    for row in densities.rows:
        for name in (row.ingredient, *row.aliases):
            assert densities.lookup(name) is row, name
            assert densities.lookup(name.upper()) is row, name


def test_flour_alias_and_typo(densities: DensityTable) -> None:
    flour = densities.lookup("flour")
    assert "flour" in flour.ingredient
    assert densities.lookup("flours") is flour
    sugar = densities.lookup("sugar")
    assert densities.lookup("suger") is sugar


def test_unknown_ingredient_suggests_close_ones(densities: DensityTable) -> None:
    with pytest.raises(InvalidInput) as caught:
        densities.lookup("flourr of the moon")
    assert "'flourr of the moon'" in caught.value.detail
    assert any("flour" in name for name in caught.value.suggestions)


def test_spoken_name_keeps_the_persons_word_when_listed(densities: DensityTable) -> None:
    row = densities.lookup("flour")
    assert densities.spoken_name("Flour", row) == "flour"
    assert densities.spoken_name("flor", densities.lookup("flor")) == row.ingredient
