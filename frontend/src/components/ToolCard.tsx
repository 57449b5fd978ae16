import { describeTool, type ToolActivity, type ToolCardView } from "../tools";
import { NutritionFacts } from "./NutritionFacts";
import { RecipeSummary } from "./RecipeSummary";

function Body({ view }: { view: ToolCardView }) {
  switch (view.kind) {
    case "pending":
      return <p className="card-pending">{view.title}</p>;
    case "error":
      return <p className="card-error">{view.message}</p>;
    case "recipes":
      return view.recipes.length === 0 ? (
        <p>No recipe matched. Try other words or fewer filters.</p>
      ) : (
        <div className="recipes">
          {view.recipes.map((recipe) => (
            <RecipeSummary key={recipe.id} recipe={recipe} />
          ))}
        </div>
      );
    case "recipe":
      return <RecipeSummary recipe={view.recipe} open />;
    case "conversion":
      return (
        <p className="card-headline">
          {view.result}
          <span className="card-sub">{view.text}</span>
        </p>
      );
    case "nutrition":
      return <NutritionFacts facts={view.facts} />;
    case "timer":
    case "other":
      return <p>{view.text}</p>;
  }
}

/** One tool call as a card a cook can read at a glance. */
export function ToolCard({ activity }: { activity: ToolActivity }) {
  const view = describeTool(activity);
  const heading = view.kind === "pending" ? "" : view.title;
  return (
    <article
      className={`card card-${view.kind}`}
      data-testid="tool-card"
      data-kind={view.kind}
      data-tool={activity.name}
      aria-label={view.title}
      aria-busy={view.kind === "pending"}
    >
      {heading ? <h3 className="card-title">{heading}</h3> : null}
      <Body view={view} />
    </article>
  );
}
