use chrono::NaiveDate;

#[derive(Debug, Clone)]
struct CartItem {
    sku: &'static str,
    name: &'static str,
    category: &'static str,
    unit_cents: i64,
    qty: u32,
}

struct Cart {
    items: Vec<CartItem>,
    shipping_cents: i64,
}

impl Cart {
    fn subtotal(&self) -> i64 {
        self.items.iter().map(|i| i.unit_cents * i.qty as i64).sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Discount {
    PercentOff(i64),
    AmountOff(i64),
    CategoryPercent { category: &'static str, percent: i64 },
    BuyXGetY { sku: &'static str, buy: u32, free: u32 },
    FreeShipping,
}

impl Discount {
    /// Application order: item-level deals first, then order-level, then shipping.
    fn stage(&self) -> u8 {
        match self {
            Discount::BuyXGetY { .. } => 0,
            Discount::CategoryPercent { .. } => 1,
            Discount::PercentOff(_) => 2,
            Discount::AmountOff(_) => 3,
            Discount::FreeShipping => 4,
        }
    }
}

#[derive(Debug, Clone)]
struct Coupon {
    code: &'static str,
    discount: Discount,
    min_spend: i64,
    expires: NaiveDate,
    stackable: bool,
}

struct CouponBook {
    coupons: Vec<Coupon>,
}

struct CouponIter<'a> {
    coupons: &'a [Coupon],
    pos: usize,
}

impl<'a> Iterator for CouponIter<'a> {
    type Item = &'a Coupon;
    fn next(&mut self) -> Option<&'a Coupon> {
        let c = self.coupons.get(self.pos)?;
        self.pos += 1;
        Some(c)
    }
}

impl<'a> IntoIterator for &'a CouponBook {
    type Item = &'a Coupon;
    type IntoIter = CouponIter<'a>;
    fn into_iter(self) -> CouponIter<'a> {
        CouponIter { coupons: &self.coupons, pos: 0 }
    }
}

impl CouponBook {
    fn iter(&self) -> CouponIter<'_> {
        self.into_iter()
    }

    fn usable<'a>(&'a self, cart: &'a Cart, today: NaiveDate) -> impl Iterator<Item = &'a Coupon> + 'a {
        let subtotal = cart.subtotal();
        self.iter().filter(move |c| c.expires >= today && subtotal >= c.min_spend)
    }
}

#[derive(Debug, Clone)]
struct Breakdown {
    codes: Vec<&'static str>,
    savings: Vec<(&'static str, i64)>,
    goods: i64,
    shipping: i64,
}

impl Breakdown {
    fn total(&self) -> i64 {
        self.goods + self.shipping
    }
    fn saved(&self) -> i64 {
        self.savings.iter().map(|(_, s)| s).sum()
    }
}

fn evaluate(cart: &Cart, coupons: &[&Coupon]) -> Result<Breakdown, String> {
    if coupons.len() > 1 {
        if let Some(c) = coupons.iter().find(|c| !c.stackable) {
            return Err(format!("{} cannot be combined with other coupons", c.code));
        }
    }
    let mut ordered: Vec<&Coupon> = coupons.to_vec();
    ordered.sort_by_key(|c| (c.discount.stage(), c.code));
    let mut item_totals: Vec<i64> = cart.items.iter().map(|i| i.unit_cents * i.qty as i64).collect();
    let mut goods: i64 = item_totals.iter().sum();
    let mut shipping = cart.shipping_cents;
    let mut savings = Vec::new();
    for c in &ordered {
        let saving = match &c.discount {
            Discount::BuyXGetY { sku, buy, free } => cart
                .items
                .iter()
                .position(|i| i.sku == *sku)
                .map(|idx| {
                    let item = &cart.items[idx];
                    let free_units = (item.qty / (buy + free)) * free;
                    let s = (free_units as i64 * item.unit_cents).min(item_totals[idx]);
                    item_totals[idx] -= s;
                    s
                })
                .unwrap_or(0),
            Discount::CategoryPercent { category, percent } => {
                let mut s = 0;
                for (idx, item) in cart.items.iter().enumerate().filter(|(_, i)| i.category == *category) {
                    let cut = item_totals[idx] * percent / 100;
                    item_totals[idx] -= cut;
                    s += cut;
                }
                let _ = item;
                s
            }
            Discount::PercentOff(p) => goods * p / 100,
            Discount::AmountOff(a) => (*a).min(goods),
            Discount::FreeShipping => {
                let s = shipping;
                shipping = 0;
                s
            }
        };
        if c.discount.stage() < 2 {
            goods = item_totals.iter().sum();
        } else if c.discount.stage() < 4 {
            goods -= saving;
        }
        savings.push((c.code, saving));
    }
    Ok(Breakdown { codes: ordered.iter().map(|c| c.code).collect(), savings, goods, shipping })
}

fn best_combination(cart: &Cart, book: &CouponBook, today: NaiveDate) -> Vec<Breakdown> {
    let usable: Vec<&Coupon> = book.usable(cart, today).collect();
    assert!(usable.len() <= 16, "too many coupons for exhaustive search");
    let mut results: Vec<Breakdown> = (0u32..(1 << usable.len()))
        .map(|mask| usable.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, c)| *c).collect::<Vec<_>>())
        .filter_map(|combo| evaluate(cart, &combo).ok())
        .collect();
    results.sort_by(|a, b| a.total().cmp(&b.total()).then(a.codes.len().cmp(&b.codes.len())));
    results
}

fn money(c: i64) -> String {
    format!("{}${}.{:02}", if c < 0 { "-" } else { "" }, c.abs() / 100, c.abs() % 100)
}

fn run_scenario(title: &str, cart: &Cart, book: &CouponBook, today: NaiveDate) {
    println!("=== {title} (today {today}) ===");
    for item in &cart.items {
        println!("  {:<4} {:<18} {:<11} {} x {}", item.sku, item.name, item.category, item.qty, money(item.unit_cents));
    }
    println!("  subtotal {} + shipping {}", money(cart.subtotal()), money(cart.shipping_cents));

    println!("Coupons:");
    for c in book {
        let status = if c.expires < today {
            format!("expired {}", c.expires)
        } else if cart.subtotal() < c.min_spend {
            format!("needs {} minimum", money(c.min_spend))
        } else {
            "usable".to_string()
        };
        println!("  {:<10} {:<52} {}{}", c.code, format!("{:?}", c.discount), status, if c.stackable { "" } else { " (exclusive)" });
    }

    let ranked = best_combination(cart, book, today);
    println!("Top combinations:");
    for b in ranked.iter().take(5) {
        let label = if b.codes.is_empty() { "(none)".to_string() } else { b.codes.join(" + ") };
        println!("  {:<36} total {:>9}  saved {:>8}", label, money(b.total()), money(b.saved()));
    }
    if let Some(best) = ranked.first() {
        println!("Best: {}", if best.codes.is_empty() { "no coupon".to_string() } else { best.codes.join(" + ") });
        for (code, s) in &best.savings {
            println!("    {code:<10} -{}", money(*s));
        }
        println!("    goods {} + shipping {} = {}\n", money(best.goods), money(best.shipping), money(best.total()));
    }
}

fn main() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("valid date");
    let book = CouponBook {
        coupons: vec![
            Coupon { code: "WELCOME10", discount: Discount::PercentOff(10), min_spend: 0, expires: d(2024, 12, 31), stackable: true },
            Coupon { code: "BIG25", discount: Discount::PercentOff(25), min_spend: 20000, expires: d(2024, 12, 31), stackable: false },
            Coupon { code: "FIVER", discount: Discount::AmountOff(500), min_spend: 3000, expires: d(2024, 8, 31), stackable: true },
            Coupon { code: "SHIPFREE", discount: Discount::FreeShipping, min_spend: 5000, expires: d(2024, 12, 31), stackable: true },
            Coupon { code: "BOOKS20", discount: Discount::CategoryPercent { category: "books", percent: 20 }, min_spend: 0, expires: d(2024, 9, 30), stackable: true },
            Coupon { code: "SOCKS3X2", discount: Discount::BuyXGetY { sku: "S01", buy: 2, free: 1 }, min_spend: 0, expires: d(2024, 12, 31), stackable: true },
            Coupon { code: "SPRING15", discount: Discount::PercentOff(15), min_spend: 0, expires: d(2024, 5, 31), stackable: true },
        ],
    };

    let small = Cart {
        items: vec![
            CartItem { sku: "B01", name: "Rust in Action", category: "books", unit_cents: 3999, qty: 1 },
            CartItem { sku: "S01", name: "Wool socks", category: "apparel", unit_cents: 899, qty: 3 },
            CartItem { sku: "M01", name: "Coffee mug", category: "kitchen", unit_cents: 1250, qty: 1 },
        ],
        shipping_cents: 599,
    };
    run_scenario("Small basket", &small, &book, d(2024, 6, 15));

    let large = Cart {
        items: vec![
            CartItem { sku: "H01", name: "Headphones", category: "electronics", unit_cents: 17999, qty: 1 },
            CartItem { sku: "B02", name: "Programming Pearls", category: "books", unit_cents: 2999, qty: 2 },
            CartItem { sku: "S01", name: "Wool socks", category: "apparel", unit_cents: 899, qty: 6 },
        ],
        shipping_cents: 999,
    };
    run_scenario("Large basket", &large, &book, d(2024, 6, 15));
    run_scenario("Large basket, autumn", &large, &book, d(2024, 10, 1));

    let exclusive: Vec<&Coupon> = book.iter().filter(|c| !c.stackable).collect();
    println!("Exclusive coupons in the book: {}", exclusive.iter().map(|c| c.code).collect::<Vec<_>>().join(", "));
}
