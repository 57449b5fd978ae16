import type { ToolActivity } from "../tools";
import { ToolCard } from "./ToolCard";
import "./ToolCards.css";

/** What Sous looked up, newest first. */
export function ToolCards({ tools }: { tools: ToolActivity[] }) {
  return (
    <section className="panel cards" aria-labelledby="cards-title">
      <h2 id="cards-title">Looked up</h2>
      {tools.length === 0 ? (
        <p className="empty">Recipes, conversions and nutrition facts Sous finds appear here.</p>
      ) : (
        <div className="card-list" data-testid="tool-cards">
          {tools.toReversed().map((activity) => (
            <ToolCard key={activity.id} activity={activity} />
          ))}
        </div>
      )}
    </section>
  );
}
