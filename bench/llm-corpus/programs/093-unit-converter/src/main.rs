//! unit-converter: convert length, mass and volume quantities using a unit
//! registry, parsing queries like "5 km in miles".
//!
//! Usage: unit-converter ["QUERY" ...]   (no args: runs built-in examples)

use itertools::Itertools;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Dimension {
    Length,
    Mass,
    Volume,
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, base) = match self {
            Dimension::Length => ("length", "metre"),
            Dimension::Mass => ("mass", "kilogram"),
            Dimension::Volume => ("volume", "litre"),
        };
        write!(f, "{name} (base: {base})")
    }
}

#[derive(Debug, Clone)]
struct Unit {
    name: &'static str,
    symbol: &'static str,
    aliases: &'static [&'static str],
    dimension: Dimension,
    /// How many base units one of this unit is.
    factor: f64,
}

impl Unit {
    fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        [self.name, self.symbol].into_iter().chain(self.aliases.iter().copied())
    }
}

struct Registry {
    units: Vec<Unit>,
}

#[derive(Debug)]
enum ConvertError {
    Syntax(String),
    BadNumber(String),
    UnknownUnit(String),
    Incompatible { from: &'static str, to: &'static str },
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::Syntax(q) => write!(f, "cannot parse {q:?}; expected '<number> <unit> in|to <unit>'"),
            ConvertError::BadNumber(n) => write!(f, "{n:?} is not a number"),
            ConvertError::UnknownUnit(u) => write!(f, "unknown unit {u:?}"),
            ConvertError::Incompatible { from, to } => write!(f, "cannot convert {from} to {to}: different dimensions"),
        }
    }
}

#[derive(Debug)]
struct Conversion<'r> {
    value: f64,
    from: &'r Unit,
    to: &'r Unit,
    result: f64,
}

impl fmt::Display for Conversion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} = {} {}", fmt_num(self.value), self.from.symbol, fmt_num(self.result), self.to.symbol)
    }
}

fn fmt_num(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e9 || v.abs() < 1e-4) {
        format!("{v:.4e}")
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

macro_rules! unit {
    ($name:expr, $sym:expr, $dim:ident, $factor:expr $(, $alias:expr)*) => {
        Unit { name: $name, symbol: $sym, aliases: &[$($alias),*], dimension: Dimension::$dim, factor: $factor }
    };
}

impl Registry {
    fn standard() -> Self {
        let units = vec![
            unit!("millimetre", "mm", Length, 0.001, "millimeter", "millimeters", "millimetres"),
            unit!("centimetre", "cm", Length, 0.01, "centimeter", "centimeters", "centimetres"),
            unit!("metre", "m", Length, 1.0, "meter", "meters", "metres"),
            unit!("kilometre", "km", Length, 1000.0, "kilometer", "kilometers", "kilometres", "kms"),
            unit!("inch", "in", Length, 0.0254, "inches", "\""),
            unit!("foot", "ft", Length, 0.3048, "feet", "'"),
            unit!("yard", "yd", Length, 0.9144, "yards"),
            unit!("mile", "mi", Length, 1609.344, "miles"),
            unit!("nautical mile", "nmi", Length, 1852.0, "nautical miles", "nm"),
            unit!("milligram", "mg", Mass, 1e-6, "milligrams"),
            unit!("gram", "g", Mass, 0.001, "grams", "gramme"),
            unit!("kilogram", "kg", Mass, 1.0, "kilograms", "kilo", "kilos"),
            unit!("tonne", "t", Mass, 1000.0, "tonnes", "metric ton"),
            unit!("ounce", "oz", Mass, 0.028_349_523_125, "ounces"),
            unit!("pound", "lb", Mass, 0.453_592_37, "pounds", "lbs"),
            unit!("stone", "st", Mass, 6.350_293_18, "stones"),
            unit!("millilitre", "ml", Volume, 0.001, "milliliter", "milliliters", "millilitres"),
            unit!("litre", "l", Volume, 1.0, "liter", "liters", "litres"),
            unit!("cubic metre", "m3", Volume, 1000.0, "cubic meter", "cubic meters"),
            unit!("teaspoon", "tsp", Volume, 0.004_928_921_593_75, "teaspoons"),
            unit!("tablespoon", "tbsp", Volume, 0.014_786_764_781_25, "tablespoons"),
            unit!("cup", "cup", Volume, 0.236_588_236_5, "cups"),
            unit!("pint", "pt", Volume, 0.473_176_473, "pints"),
            unit!("US gallon", "gal", Volume, 3.785_411_784, "gallon", "gallons", "us gallons"),
            unit!("imperial gallon", "imp gal", Volume, 4.546_09, "imperial gallons", "uk gallon"),
        ];
        Registry { units }
    }

    fn lookup(&self, name: &str) -> Option<&Unit> {
        let wanted = name.trim().to_lowercase();
        // Case-sensitive symbol match first (so "m" is metre), then case-insensitive names.
        self.units
            .iter()
            .find(|u| u.symbol == name.trim())
            .or_else(|| self.units.iter().find(|u| u.names().any(|n| n.to_lowercase() == wanted)))
    }

    fn units_of(&self, dim: Dimension) -> impl Iterator<Item = &Unit> + '_ {
        self.units.iter().filter(move |u| u.dimension == dim).sorted_by(|a, b| a.factor.total_cmp(&b.factor))
    }

    fn convert(&self, query: &str) -> Result<Conversion<'_>, ConvertError> {
        let q = query.trim();
        let (lhs, rhs) = [" in ", " to ", " -> ", " as "]
            .iter()
            .find_map(|sep| q.to_lowercase().find(sep).map(|i| (&q[..i], &q[i + sep.len()..])))
            .ok_or_else(|| ConvertError::Syntax(q.to_string()))?;

        let lhs = lhs.trim();
        let split = lhs
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '-' || *c == 'e' || *c == '_'))
            .map(|(i, _)| i)
            .unwrap_or(lhs.len());
        let (number, unit_name) = lhs.split_at(split);
        let value: f64 = number.replace('_', "").parse().map_err(|_| ConvertError::BadNumber(number.to_string()))?;

        let from = self.lookup(unit_name).ok_or_else(|| ConvertError::UnknownUnit(unit_name.trim().to_string()))?;
        let to = self.lookup(rhs).ok_or_else(|| ConvertError::UnknownUnit(rhs.trim().to_string()))?;
        if from.dimension != to.dimension {
            return Err(ConvertError::Incompatible { from: from.name, to: to.name });
        }
        Ok(Conversion { value, from, to, result: value * from.factor / to.factor })
    }

    /// The same quantity expressed in every unit of its dimension.
    fn table<'a>(&'a self, value: f64, from: &'a Unit) -> impl Iterator<Item = (f64, &'a Unit)> + 'a {
        self.units_of(from.dimension).map(move |u| (value * from.factor / u.factor, u))
    }
}

fn main() {
    let registry = Registry::standard();

    println!("Known units:");
    let grouped = registry.units.iter().sorted_by_key(|u| u.dimension).group_by(|u| u.dimension);
    for (dim, units) in &grouped {
        let list = units.map(|u| format!("{} ({})", u.name, u.symbol)).join(", ");
        println!("  {dim}: {list}");
    }

    let args: Vec<String> = std::env::args().skip(1).collect();
    let queries: Vec<String> = if args.is_empty() {
        [
            "5 km in miles",
            "26.2 miles to km",
            "6 ft in cm",
            "12oz in grams",
            "150 lb to kg",
            "2 cups in ml",
            "1 imperial gallon in US gallons",
            "3 kg in litres",
            "ten m in ft",
            "4 furlongs in m",
            "100",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    } else {
        vec![args.join(" ")]
    };

    println!("\nConversions:");
    let (ok, failed): (Vec<_>, Vec<_>) = queries.iter().map(|q| (q, registry.convert(q))).partition(|(_, r)| r.is_ok());
    for (q, result) in &ok {
        if let Ok(c) = result {
            println!("  {:<32} => {}", q, c);
        }
    }
    for (q, result) in &failed {
        if let Err(e) = result {
            println!("  {:<32} !! {}", q, e);
        }
    }

    if let Some(Ok(first)) = ok.first().map(|(_, r)| r.as_ref()) {
        println!("\n{} {} in every {} unit:", fmt_num(first.value), first.from.name, format!("{:?}", first.from.dimension).to_lowercase());
        for (v, u) in registry.table(first.value, first.from) {
            println!("  {:>16} {}", fmt_num(v), u.name);
        }
    }

    let per_dimension = ok
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .fold(std::collections::BTreeMap::new(), |mut acc, c| {
            *acc.entry(c.from.dimension).or_insert(0usize) += 1;
            acc
        });
    println!("\nSuccessful conversions per dimension: {:?}; failures: {}", per_dimension, failed.len());
}
