import { formatDuration } from "../format";
import type { Recipe } from "../tools";

/** How many ingredients a glance shows; the rest are behind "Show recipe". */
const KEY_INGREDIENTS = 5;

interface Props {
  recipe: Recipe;
  /** Open the steps straight away (a recipe the cook asked for by name). */
  open?: boolean;
}

/** A recipe at a glance (title, time, key ingredients) with its steps one tap away. */
export function RecipeSummary({ recipe, open = false }: Props) {
  const key = recipe.ingredients.slice(0, KEY_INGREDIENTS);
  const more = recipe.ingredients.length - key.length;
  const hasSteps = recipe.steps.length > 0;
  const meta = [
    recipe.total_minutes === undefined ? null : formatDuration(recipe.total_minutes * 60),
    recipe.servings === undefined ? null : `serves ${recipe.servings}`,
  ].filter((part): part is string => part !== null);

  return (
    <div className="recipe" data-testid="recipe" data-recipe-id={recipe.id}>
      <h4 className="recipe-title">{recipe.title}</h4>
      {meta.length > 0 ? <p className="recipe-meta">{meta.join(" · ")}</p> : null}
      {key.length > 0 ? (
        <p className="recipe-key">
          {key.join(", ")}
          {more > 0 ? <span className="recipe-more"> +{more} more</span> : null}
        </p>
      ) : null}
      <details className="recipe-details" open={open}>
        <summary>
          <span className="when-closed">
            {hasSteps ? `Show recipe (${recipe.steps.length} steps)` : "Show ingredients"}
          </span>
          <span className="when-open">{hasSteps ? "Hide recipe" : "Hide ingredients"}</span>
        </summary>
        {recipe.description ? <p className="recipe-description">{recipe.description}</p> : null}
        <h5>Ingredients</h5>
        <ul className="recipe-ingredients">
          {recipe.ingredients.map((ingredient, i) => (
            <li key={i}>{ingredient}</li>
          ))}
        </ul>
        {hasSteps ? (
          <>
            <h5>Steps</h5>
            <ol className="recipe-steps" data-testid="recipe-steps">
              {recipe.steps.map((step, i) => (
                <li key={i}>{step}</li>
              ))}
            </ol>
          </>
        ) : (
          // Large search results reach the page without steps (events are at most 16 KiB).
          <p className="recipe-more">Ask Sous to open this recipe for its steps.</p>
        )}
      </details>
    </div>
  );
}
