//! HTML utilities: entity escaping/unescaping, tag stripping to plain text,
//! tag and class frequency counts and a nesting check, all with regex and
//! iterator pipelines (itertools sorted / group_by / fold).

use itertools::Itertools;
use regex::{Captures, Regex};
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

fn entity_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});")
}

fn tag_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"<\s*(/)?\s*([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*?)(/)?\s*>")
}

fn class_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r#"(?i)\bclass\s*=\s*"([^"]*)""#)
}

fn hidden_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"(?is)<!--.*?-->|<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|<![^>]*>")
}

fn block_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"(?i)</?(p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|header|footer|title)\b[^>]*>")
}

fn escape_html(s: &str) -> String {
    s.chars().fold(String::with_capacity(s.len()), |mut out, c| {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
        out
    })
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "euro" => '€',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "laquo" => '«',
        "raquo" => '»',
        "eacute" => 'é',
        "egrave" => 'è',
        "uuml" => 'ü',
        _ => return None,
    })
}

/// Decodes named and numeric entities in a single pass; unknown entities
/// are left untouched.
fn unescape_html(s: &str) -> String {
    entity_re()
        .replace_all(s, |caps: &Captures| {
            let body = &caps[1];
            let decoded = match body.strip_prefix('#') {
                Some(num) => {
                    let (digits, radix) = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                        Some(hex) => (hex, 16),
                        None => (num, 10),
                    };
                    u32::from_str_radix(digits, radix).ok().and_then(char::from_u32)
                }
                None => named_entity(body),
            };
            decoded.map(String::from).unwrap_or_else(|| caps[0].to_string())
        })
        .into_owned()
}

fn strip_tags(html: &str) -> String {
    let visible = hidden_re().replace_all(html, "");
    let with_breaks = block_re().replace_all(&visible, "\n");
    let text = tag_re().replace_all(&with_breaks, "");
    unescape_html(&text)
        .lines()
        .map(|line| line.split_whitespace().join(" "))
        .filter(|line| !line.is_empty())
        .join("\n")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Open,
    Close,
    SelfClosing,
}

#[derive(Debug, Clone)]
struct Tag<'a> {
    name: String,
    kind: TagKind,
    attrs: &'a str,
}

const VOID: [&str; 8] = ["br", "img", "hr", "meta", "input", "link", "source", "wbr"];

/// Tags of a document whose comments, scripts and styles were removed.
fn tags<'a>(html: &'a str) -> impl Iterator<Item = Tag<'a>> + 'a {
    tag_re().captures_iter(html).map(|c| {
        let name = c[2].to_ascii_lowercase();
        let attrs = c.get(3).map_or("", |m| m.as_str());
        let kind = if c.get(1).is_some() {
            TagKind::Close
        } else if c.get(4).is_some() || VOID.contains(&name.as_str()) {
            TagKind::SelfClosing
        } else {
            TagKind::Open
        };
        Tag { name, kind, attrs }
    })
}

fn class_names<'a>(tags: impl Iterator<Item = Tag<'a>> + 'a) -> impl Iterator<Item = &'a str> + 'a {
    tags.filter_map(|t| class_re().captures(t.attrs).and_then(|c| c.get(1)).map(|m| m.as_str()))
        .flat_map(str::split_whitespace)
}

/// (name, count) sorted by descending count, then name.
fn frequencies<I, S>(items: I) -> Vec<(String, usize)>
where
    I: Iterator<Item = S>,
    S: Into<String>,
{
    items
        .map(Into::into)
        .sorted()
        .group_by(|name: &String| name.clone())
        .into_iter()
        .map(|(name, group)| (name, group.count()))
        .sorted_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)))
        .collect()
}

fn check_nesting<'a>(tags: impl Iterator<Item = Tag<'a>>) -> Vec<String> {
    let (stack, mut problems) = tags.fold(
        (Vec::<String>::new(), Vec::<String>::new()),
        |(mut stack, mut problems), tag| {
            match tag.kind {
                TagKind::Open => stack.push(tag.name),
                TagKind::SelfClosing => {}
                TagKind::Close => match stack.iter().rposition(|open| *open == tag.name) {
                    Some(pos) => {
                        for unclosed in stack.drain(pos + 1..) {
                            problems.push(format!("<{unclosed}> implicitly closed by </{}>", tag.name));
                        }
                        stack.pop();
                    }
                    None => problems.push(format!("stray </{}> without a matching open tag", tag.name)),
                },
            }
            (stack, problems)
        },
    );
    problems.extend(stack.into_iter().map(|name| format!("<{name}> is never closed")));
    problems
}

const DOCUMENT: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Caf&eacute; &amp; Bakery &mdash; Menu</title>
  <style>body { font-family: sans-serif; } .price > span { color: red; }</style>
  <script>if (a < b && c > d) { console.log("<b>not a tag</b>"); }</script>
</head>
<body class="menu page">
  <!-- <div class="hidden">commented out</div> -->
  <h1 class="title">Today&#39;s specials</h1>
  <div class="section">
    <p class="intro">Fresh bread &amp; pastries, baked at 5&nbsp;am. Prices in &euro; &#x2014; tax included.</p>
    <ul class="items">
      <li class="item">Croissant <span class="price">2.10</span></li>
      <li class="item">Pain au chocolat <span class="price">2.40</span></li>
      <li class="item special">Tarte &laquo;Tatin&raquo; <span class="price">4.80</span></li>
    </ul>
    <p>Ask about our <a href="/catering?x=1&amp;y=2">catering</a> service!<br/>Open daily &#8212; &unknown; entities stay.
    <img src="logo.png" alt="Logo &copy; 2024" />
  </div>
  </span>
  <p class="footer">&copy; 2024 Caf&eacute; Example &hellip; <em>since <strong>1999</strong></em></p>
</body>
</html>"#;

fn main() {
    println!("Escape / unescape round trips:");
    let samples = [
        r#"<a href="x">Tom & Jerry's</a>"#,
        "5 > 3 && 2 < 4",
        "plain text",
        "emoji 😀 and accents: déjà vu",
        "",
    ];
    let all_ok = samples.iter().all(|s| {
        let escaped = escape_html(s);
        let ok = unescape_html(&escaped) == *s;
        println!("  {:<34} -> {:<56} {}", format!("{s:?}"), escaped, if ok { "ok" } else { "MISMATCH" });
        ok
    });
    println!("  all round trips ok: {all_ok}");

    println!("\nDecoding:");
    for s in ["&lt;b&gt;bold&lt;/b&gt;", "&#65;&#x42;&#X43;", "&#x1F600; &euro;5", "&amp;lt; decodes once", "&bogus; &#xZZ; & alone", "&#1114112; out of range"] {
        println!("  {s:<30} -> {}", unescape_html(s));
    }

    println!("\nPlain text of the document:");
    for line in strip_tags(DOCUMENT).lines() {
        println!("  | {line}");
    }

    let visible = hidden_re().replace_all(DOCUMENT, "");
    println!("\nOpening tag frequencies:");
    let tag_counts = frequencies(tags(&visible).filter(|t| t.kind != TagKind::Close).map(|t| t.name));
    for (name, count) in &tag_counts {
        println!("  {name:<8} {count:>2} {}", "#".repeat(*count));
    }

    let kinds = tags(&visible).fold(BTreeMap::new(), |mut acc, t| {
        *acc.entry(format!("{:?}", t.kind)).or_insert(0usize) += 1;
        acc
    });
    println!("Tag kinds: {kinds:?}");

    println!("\nClass frequencies:");
    for (class, count) in frequencies(class_names(tags(&visible))) {
        println!("  .{class:<10} {count}");
    }

    println!("\nNesting check:");
    let problems = check_nesting(tags(&visible));
    if problems.is_empty() {
        println!("  document is well nested");
    }
    for p in problems {
        println!("  - {p}");
    }

    let words = frequencies(
        strip_tags(DOCUMENT)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 3)
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .into_iter(),
    );
    println!("\nMost frequent words (len > 3): {:?}", words.iter().take(5).collect::<Vec<_>>());
}
