/** Tools-service responses shaped as docs/tools.md and the issue describe them. */

export const lemonChicken = {
  id: "lemon-garlic-chicken",
  title: "Lemon Garlic Chicken",
  ingredients: [
    "4 bone-in chicken thighs",
    "2 lemons",
    "6 cloves garlic",
    "2 tbsp olive oil",
    "1 tsp salt",
    "1 sprig rosemary",
    "black pepper",
  ],
  steps: [
    "Heat the oven to 220 °C.",
    "Rub the thighs with oil, salt, pepper and garlic.",
    "Roast for 35 minutes until the skin is crisp.",
  ],
  total_minutes: 50,
  servings: 4,
  tags: ["main", "gluten-free"],
  score: 7.2,
};

export const pancakes = {
  id: "fluffy-pancakes",
  title: "Fluffy Pancakes",
  ingredients: ["1 1/2 cups flour", "1 1/4 cups milk", "1 egg"],
  steps: ["Whisk.", "Rest 5 minutes.", "Cook on a hot griddle."],
  total_minutes: 20,
  servings: 4,
  tags: ["breakfast", "vegetarian", "quick"],
  score: 3.1,
};

export const eggNutrition = {
  food: "Egg, whole, raw, fresh",
  grams: 100,
  calories_kcal: 143,
  protein_g: 12.6,
  fat_g: 9.51,
  carbohydrates_g: 0.72,
  fiber_g: 0,
  sugar_g: 0.37,
  sodium_mg: 142,
  source: "USDA FoodData Central 171287 (SR Legacy)",
};

export const eggsTimer = {
  id: "t-eggs",
  session_id: "session-1",
  label: "eggs",
  duration_seconds: 420,
  ends_at: "2026-11-25T12:07:00Z",
  status: "running",
  remaining_seconds: 420,
};
