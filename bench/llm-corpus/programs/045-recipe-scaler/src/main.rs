use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Gram,
    Kilogram,
    Millilitre,
    Litre,
    Cup,
    Tablespoon,
    Teaspoon,
    Piece,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Dimension {
    Mass,
    Volume,
    Count,
}

impl Unit {
    fn parse(s: &str) -> Option<Unit> {
        match s.trim().to_lowercase().as_str() {
            "g" | "gram" | "grams" => Some(Unit::Gram),
            "kg" | "kilogram" | "kilograms" => Some(Unit::Kilogram),
            "ml" | "millilitre" | "milliliter" => Some(Unit::Millilitre),
            "l" | "litre" | "liter" => Some(Unit::Litre),
            "cup" | "cups" => Some(Unit::Cup),
            "tbsp" | "tablespoon" | "tablespoons" => Some(Unit::Tablespoon),
            "tsp" | "teaspoon" | "teaspoons" => Some(Unit::Teaspoon),
            "pc" | "pcs" | "piece" | "pieces" => Some(Unit::Piece),
            _ => None,
        }
    }

    fn dimension(self) -> Dimension {
        match self {
            Unit::Gram | Unit::Kilogram => Dimension::Mass,
            Unit::Millilitre | Unit::Litre | Unit::Cup | Unit::Tablespoon | Unit::Teaspoon => {
                Dimension::Volume
            }
            Unit::Piece => Dimension::Count,
        }
    }

    /// Factor to the base unit of the dimension (g, ml or pieces).
    fn base_factor(self) -> f64 {
        match self {
            Unit::Gram => 1.0,
            Unit::Kilogram => 1000.0,
            Unit::Millilitre => 1.0,
            Unit::Litre => 1000.0,
            Unit::Cup => 240.0,
            Unit::Tablespoon => 15.0,
            Unit::Teaspoon => 5.0,
            Unit::Piece => 1.0,
        }
    }

    fn symbol(self, amount: f64) -> &'static str {
        match self {
            Unit::Gram => "g",
            Unit::Kilogram => "kg",
            Unit::Millilitre => "ml",
            Unit::Litre => "l",
            Unit::Cup if amount > 1.0 => "cups",
            Unit::Cup => "cup",
            Unit::Tablespoon => "tbsp",
            Unit::Teaspoon => "tsp",
            Unit::Piece => "",
        }
    }

    fn is_metric(self) -> bool {
        matches!(
            self,
            Unit::Gram | Unit::Kilogram | Unit::Millilitre | Unit::Litre
        )
    }
}

/// Formats kitchen amounts as mixed fractions ("1 1/2") when close to one.
fn fraction(x: f64) -> String {
    const FRACTIONS: [(f64, &str); 7] = [
        (0.125, "1/8"),
        (0.25, "1/4"),
        (1.0 / 3.0, "1/3"),
        (0.5, "1/2"),
        (2.0 / 3.0, "2/3"),
        (0.75, "3/4"),
        (0.875, "7/8"),
    ];
    let whole = x.trunc();
    let frac = x - whole;
    if frac < 0.02 {
        return format!("{}", whole as i64);
    }
    if frac > 0.98 {
        return format!("{}", whole as i64 + 1);
    }
    for (value, text) in FRACTIONS {
        if (frac - value).abs() < 0.03 {
            return if whole == 0.0 {
                text.to_string()
            } else {
                format!("{} {}", whole as i64, text)
            };
        }
    }
    let s = format!("{:.2}", x);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn format_amount(amount: f64, unit: Unit) -> String {
    if unit.is_metric() {
        let decimals = if matches!(unit, Unit::Kilogram | Unit::Litre) {
            2
        } else if amount < 10.0 {
            1
        } else {
            0
        };
        let s = format!("{:.*}", decimals, amount);
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        fraction(amount)
    }
}

#[derive(Debug, Clone, Copy)]
struct Quantity {
    amount: f64,
    unit: Unit,
}

impl Quantity {
    fn new(amount: f64, unit: Unit) -> Self {
        Quantity { amount, unit }
    }

    fn to_base(self) -> f64 {
        self.amount * self.unit.base_factor()
    }

    fn convert(self, target: Unit) -> Option<Quantity> {
        if self.unit.dimension() != target.dimension() {
            return None;
        }
        Some(Quantity::new(self.to_base() / target.base_factor(), target))
    }

    /// Picks a sensible display unit for an amount given in base units.
    fn humanize(base: f64, dimension: Dimension) -> Quantity {
        match dimension {
            Dimension::Mass if base >= 1000.0 => Quantity::new(base / 1000.0, Unit::Kilogram),
            Dimension::Mass => Quantity::new(base, Unit::Gram),
            Dimension::Volume if base >= 1000.0 => Quantity::new(base / 1000.0, Unit::Litre),
            Dimension::Volume if base >= 60.0 => Quantity::new(base / 240.0, Unit::Cup),
            Dimension::Volume if base >= 15.0 => Quantity::new(base / 15.0, Unit::Tablespoon),
            Dimension::Volume => Quantity::new(base / 5.0, Unit::Teaspoon),
            Dimension::Count => Quantity::new(base, Unit::Piece),
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let amount = format_amount(self.amount, self.unit);
        let symbol = self.unit.symbol(self.amount);
        if symbol.is_empty() {
            f.pad(&amount)
        } else {
            f.pad(&format!("{} {}", amount, symbol))
        }
    }
}

/// Approximate densities (g per ml) so dry goods measured by volume can be
/// merged with the same goods measured by weight.
fn density_g_per_ml(ingredient: &str) -> Option<f64> {
    match ingredient {
        "flour" => Some(0.53),
        "sugar" => Some(0.85),
        "butter" => Some(0.96),
        "salt" => Some(1.2),
        "rice" => Some(0.85),
        _ => None,
    }
}

fn parse_amount(token: &str) -> Option<f64> {
    if let Some((num, den)) = token.split_once('/') {
        let num: f64 = num.parse().ok()?;
        let den: f64 = den.parse().ok()?;
        if den == 0.0 {
            None
        } else {
            Some(num / den)
        }
    } else {
        token.parse().ok()
    }
}

#[derive(Debug, Clone)]
struct Ingredient {
    name: String,
    qty: Quantity,
}

impl Ingredient {
    /// Parses lines such as "1 1/2 cups milk", "250 g flour" or "2 eggs".
    fn parse(line: &str) -> Result<Ingredient, String> {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if tokens.len() < 2 {
            return Err(format!("cannot parse ingredient `{}`", line));
        }
        let mut amount =
            parse_amount(tokens[0]).ok_or_else(|| format!("bad amount in `{}`", line))?;
        let mut idx = 1;
        if tokens[1].contains('/') {
            if let Some(extra) = parse_amount(tokens[1]) {
                amount += extra;
                idx = 2;
            }
        }
        let (unit, name_start) = match tokens.get(idx).and_then(|t| Unit::parse(t)) {
            Some(unit) if tokens.len() > idx + 1 => (unit, idx + 1),
            _ => (Unit::Piece, idx),
        };
        if name_start >= tokens.len() {
            return Err(format!("missing ingredient name in `{}`", line));
        }
        Ok(Ingredient {
            name: tokens[name_start..].join(" ").to_lowercase(),
            qty: Quantity::new(amount, unit),
        })
    }
}

#[derive(Debug, Clone)]
struct Recipe {
    name: String,
    servings: u32,
    ingredients: Vec<Ingredient>,
}

impl Recipe {
    fn new(name: &str, servings: u32, lines: &[&str]) -> Result<Recipe, String> {
        let ingredients = lines
            .iter()
            .map(|l| Ingredient::parse(l))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Recipe {
            name: name.to_string(),
            servings,
            ingredients,
        })
    }

    fn scaled(&self, servings: u32) -> Recipe {
        let factor = servings as f64 / self.servings as f64;
        Recipe {
            name: self.name.clone(),
            servings,
            ingredients: self
                .ingredients
                .iter()
                .map(|i| Ingredient {
                    name: i.name.clone(),
                    qty: Quantity::new(i.qty.amount * factor, i.qty.unit),
                })
                .collect(),
        }
    }

    fn print(&self, original_servings: u32) {
        println!(
            "{} (scaled from {} to {} servings)",
            self.name, original_servings, self.servings
        );
        for ing in &self.ingredients {
            let metric = match ing.qty.unit {
                Unit::Cup | Unit::Tablespoon | Unit::Teaspoon => ing
                    .qty
                    .convert(Unit::Millilitre)
                    .map(|q| format!("  (= {})", q))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            println!("  {:>12}  {}{}", ing.qty, ing.name, metric);
        }
        println!();
    }
}

#[derive(Default)]
struct ShoppingList {
    items: BTreeMap<(String, Dimension), (f64, Vec<String>)>,
}

impl ShoppingList {
    fn add_recipe(&mut self, recipe: &Recipe) {
        for ing in &recipe.ingredients {
            let mut dimension = ing.qty.unit.dimension();
            let mut base = ing.qty.to_base();
            if dimension == Dimension::Volume {
                if let Some(density) = density_g_per_ml(&ing.name) {
                    base *= density;
                    dimension = Dimension::Mass;
                }
            }
            let entry = self
                .items
                .entry((ing.name.clone(), dimension))
                .or_insert((0.0, Vec::new()));
            entry.0 += base;
            if !entry.1.contains(&recipe.name) {
                entry.1.push(recipe.name.clone());
            }
        }
    }

    fn print(&self) {
        println!("SHOPPING LIST");
        println!("{}", "-".repeat(64));
        for ((name, dimension), (base, recipes)) in &self.items {
            let qty = Quantity::humanize(*base, *dimension);
            println!("  [ ] {:<18} {:>12}   ({})", name, qty, recipes.join(", "));
        }
    }
}

fn main() {
    let recipes = vec![
        (
            Recipe::new(
                "Pancakes",
                4,
                &[
                    "2 cups flour",
                    "2 tbsp sugar",
                    "2 tsp baking powder",
                    "1/2 tsp salt",
                    "1 1/2 cups milk",
                    "2 eggs",
                    "3 tbsp butter",
                ],
            ),
            6,
        ),
        (
            Recipe::new(
                "Tomato soup",
                6,
                &[
                    "1.2 kg tomatoes",
                    "2 onions",
                    "3 cloves garlic",
                    "2 tbsp olive oil",
                    "1 l vegetable stock",
                    "1/2 cup cream",
                    "1 tsp salt",
                    "1 tsp sugar",
                ],
            ),
            3,
        ),
        (
            Recipe::new(
                "Chocolate chip cookies",
                24,
                &[
                    "250 g flour",
                    "3/4 cup sugar",
                    "115 g butter",
                    "2 eggs",
                    "1 tsp baking powder",
                    "1/2 tsp salt",
                    "200 g chocolate chips",
                ],
            ),
            36,
        ),
    ];

    let mut list = ShoppingList::default();
    for (recipe, target) in &recipes {
        match recipe {
            Ok(recipe) => {
                let scaled = recipe.scaled(*target);
                scaled.print(recipe.servings);
                list.add_recipe(&scaled);
            }
            Err(e) => eprintln!("skipping recipe: {}", e),
        }
    }

    list.print();

    println!("\nUNIT CONVERSIONS");
    let conversions = [
        (Quantity::new(2.0, Unit::Cup), Unit::Millilitre),
        (Quantity::new(3.0, Unit::Tablespoon), Unit::Teaspoon),
        (Quantity::new(1.5, Unit::Kilogram), Unit::Gram),
        (Quantity::new(250.0, Unit::Millilitre), Unit::Cup),
        (Quantity::new(100.0, Unit::Gram), Unit::Cup),
    ];
    for (qty, target) in conversions {
        match qty.convert(target) {
            Some(result) => println!("  {:>10} = {}", qty, result),
            None => println!("  {:>10} -> {:?}: incompatible units", qty, target),
        }
    }
}
