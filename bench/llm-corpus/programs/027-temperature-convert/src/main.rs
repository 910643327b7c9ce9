use anyhow::{anyhow, bail, Context, Result};
use regex::Regex;
use std::env;
use std::fmt;
use std::io::{self, BufRead};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scale {
    Celsius,
    Fahrenheit,
    Kelvin,
}

impl Scale {
    fn parse(s: &str) -> Result<Scale> {
        match s.trim().to_lowercase().trim_start_matches('°') {
            "c" | "celsius" => Ok(Scale::Celsius),
            "f" | "fahrenheit" => Ok(Scale::Fahrenheit),
            "k" | "kelvin" => Ok(Scale::Kelvin),
            other => bail!("unknown temperature scale '{}'", other),
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Scale::Celsius => "°C",
            Scale::Fahrenheit => "°F",
            Scale::Kelvin => "K",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Temperature {
    value: f64,
    scale: Scale,
}

impl fmt::Display for Temperature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}{}", self.value, self.scale.symbol())
    }
}

impl Temperature {
    fn to_kelvin(self) -> f64 {
        match self.scale {
            Scale::Celsius => self.value + 273.15,
            Scale::Fahrenheit => (self.value - 32.0) * 5.0 / 9.0 + 273.15,
            Scale::Kelvin => self.value,
        }
    }

    fn new(value: f64, scale: Scale) -> Result<Temperature> {
        if !value.is_finite() {
            bail!("temperature must be a finite number");
        }
        let t = Temperature { value, scale };
        if t.to_kelvin() < -1e-9 {
            bail!("{} is below absolute zero", t);
        }
        Ok(t)
    }

    fn convert(self, to: Scale) -> Temperature {
        let k = self.to_kelvin();
        let value = match to {
            Scale::Celsius => k - 273.15,
            Scale::Fahrenheit => (k - 273.15) * 9.0 / 5.0 + 32.0,
            Scale::Kelvin => k,
        };
        Temperature { value, scale: to }
    }
}

/// Parses queries like "100C to F", "-40 °F in celsius", "300k->c".
fn parse_query(re: &Regex, input: &str) -> Result<(Temperature, Scale)> {
    let caps = re
        .captures(input.trim())
        .ok_or_else(|| anyhow!("could not understand '{}'; expected e.g. \"100C to F\"", input.trim()))?;
    let value: f64 = caps["value"].parse().with_context(|| format!("invalid number '{}'", &caps["value"]))?;
    let from = Scale::parse(&caps["from"])?;
    let to = Scale::parse(&caps["to"])?;
    let t = Temperature::new(value, from).with_context(|| format!("in query '{}'", input.trim()))?;
    Ok((t, to))
}

fn answer(re: &Regex, line: &str) -> Result<String> {
    let (t, to) = parse_query(re, line)?;
    let converted = t.convert(to);
    Ok(format!("{} = {}", t, converted))
}

fn main() -> Result<()> {
    let re = Regex::new(
        r"(?i)^(?P<value>[-+]?\d+(?:\.\d+)?)\s*°?\s*(?P<from>celsius|fahrenheit|kelvin|[cfk])\s*(?:to|in|->|=>)?\s*°?(?P<to>celsius|fahrenheit|kelvin|[cfk])$",
    )?;

    let args: Vec<String> = env::args().skip(1).collect();
    if !args.is_empty() {
        let query = args.join(" ");
        let result = answer(&re, &query)?;
        println!("{}", result);
        return Ok(());
    }

    let samples = [
        "100C to F",
        "32 F to C",
        "-40 f in celsius",
        "0 K to C",
        "300k->f",
        "98.6 °F to K",
        "-300 C to K",
        "12 X to C",
        "hot to cold",
    ];
    println!("No arguments; running sample conversions:");
    for s in samples {
        match answer(&re, s) {
            Ok(r) => println!("  {:<18} => {}", s, r),
            Err(e) => println!("  {:<18} => error: {:#}", s, e),
        }
    }

    println!("\nType conversions (e.g. \"25C to F\"), empty line to quit:");
    let stdin = io::stdin();
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            break;
        }
        match answer(&re, &line) {
            Ok(r) => println!("{}", r),
            Err(e) => eprintln!("error: {:#}", e),
        }
    }
    Ok(())
}
