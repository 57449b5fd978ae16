import { formatAmount } from "../format";
import type { Nutrition } from "../tools";

const rows: [keyof Nutrition, string, string][] = [
  ["protein_g", "Protein", "g"],
  ["fat_g", "Fat", "g"],
  ["carbohydrates_g", "Carbs", "g"],
  ["fiber_g", "Fiber", "g"],
  ["sugar_g", "Sugar", "g"],
  ["sodium_mg", "Sodium", "mg"],
];

/** Nutrition facts for one portion, energy first. */
export function NutritionFacts({ facts }: { facts: Nutrition }) {
  return (
    <div className="nutrition">
      <p className="card-headline">
        {formatAmount(facts.calories_kcal, "kcal")}
        <span className="card-sub">
          {facts.food} · {formatAmount(facts.grams, "g")}
        </span>
      </p>
      <dl className="nutrition-grid">
        {rows.map(([key, label, unit]) => {
          const value = facts[key];
          return typeof value === "number" ? (
            <div key={key}>
              <dt>{label}</dt>
              <dd>{formatAmount(value, unit)}</dd>
            </div>
          ) : null;
        })}
      </dl>
      {facts.source ? <p className="card-source">Source: {facts.source}</p> : null}
    </div>
  );
}
