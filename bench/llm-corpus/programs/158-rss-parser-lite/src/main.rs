use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use url::Url;

#[derive(Debug, Default, Clone)]
struct Item {
    title: Option<String>,
    link: Option<Url>,
    published: Option<DateTime<FixedOffset>>,
    description: Option<String>,
    guid: Option<String>,
    author: Option<String>,
    categories: Vec<String>,
}

#[derive(Debug, Default)]
struct Channel {
    title: String,
    link: String,
    description: String,
    items: Vec<Item>,
}

trait ElementHandler {
    fn tag(&self) -> &'static str;
    fn apply(&self, text: &str, item: &mut Item) -> Result<(), String>;
}

/// Generic helpers for any handler, including `dyn ElementHandler`.
trait ElementHandlerExt: ElementHandler {
    fn apply_all<'a, I>(&self, values: I, item: &mut Item) -> Vec<String>
    where
        I: IntoIterator<Item = &'a str>,
    {
        values.into_iter().filter_map(|v| self.apply(v, item).err()).collect()
    }

    fn handles<S: AsRef<str>>(&self, tag: S) -> bool {
        self.tag().eq_ignore_ascii_case(tag.as_ref())
    }
}

impl<T: ElementHandler + ?Sized> ElementHandlerExt for T {}

struct TitleHandler;
struct LinkHandler {
    base: Url,
}
struct DateHandler;
struct DescriptionHandler {
    max_len: usize,
}
struct CategoryHandler;
struct GuidHandler;
struct AuthorHandler;

impl ElementHandler for TitleHandler {
    fn tag(&self) -> &'static str {
        "title"
    }
    fn apply(&self, text: &str, item: &mut Item) -> Result<(), String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("empty title".into());
        }
        item.title = Some(t.to_string());
        Ok(())
    }
}

impl ElementHandler for LinkHandler {
    fn tag(&self) -> &'static str {
        "link"
    }
    fn apply(&self, text: &str, item: &mut Item) -> Result<(), String> {
        let url = self.base.join(text.trim()).map_err(|e| format!("bad link '{}': {e}", text.trim()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("unsupported link scheme '{}'", url.scheme()));
        }
        item.link = Some(url);
        Ok(())
    }
}

impl ElementHandler for DateHandler {
    fn tag(&self) -> &'static str {
        "pubDate"
    }
    fn apply(&self, text: &str, item: &mut Item) -> Result<(), String> {
        let d = DateTime::parse_from_rfc2822(text.trim()).map_err(|e| format!("bad date '{}': {e}", text.trim()))?;
        item.published = Some(d);
        Ok(())
    }
}

impl ElementHandler for DescriptionHandler {
    fn tag(&self) -> &'static str {
        "description"
    }
    fn apply(&self, text: &str, item: &mut Item) -> Result<(), String> {
        // Descriptions often contain HTML; keep only the text.
        let mut plain = String::new();
        let mut in_tag = false;
        for c in text.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => plain.push(c),
                _ => {}
            }
        }
        let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = plain.chars().take(self.max_len).collect();
        item.description = Some(if plain.chars().count() > self.max_len { format!("{short}...") } else { short });
        Ok(())
    }
}

impl ElementHandler for CategoryHandler {
    fn tag(&self) -> &'static str {
        "category"
    }
    fn apply(&self, text: &str, item: &mut Item) -> Result<(), String> {
        item.categories.push(text.trim().to_lowercase());
        Ok(())
    }
}

impl ElementHandler for GuidHandler {
    fn tag(&self) -> &'static str {
        "guid"
    }
    fn apply(&self, text: &str, item: &mut Item) -> Result<(), String> {
        item.guid = Some(text.trim().to_string());
        Ok(())
    }
}

impl ElementHandler for AuthorHandler {
    fn tag(&self) -> &'static str {
        "author"
    }
    fn apply(&self, text: &str, item: &mut Item) -> Result<(), String> {
        item.author = Some(text.trim().to_string());
        Ok(())
    }
}

#[derive(Default)]
struct HandlerRegistry {
    handlers: Vec<Box<dyn ElementHandler>>,
    by_tag: HashMap<String, usize>,
}

impl HandlerRegistry {
    fn register(&mut self, handler: Box<dyn ElementHandler>) -> &mut Self {
        self.by_tag.insert(handler.tag().to_ascii_lowercase(), self.handlers.len());
        self.handlers.push(handler);
        self
    }

    fn get(&self, tag: &str) -> Option<&dyn ElementHandler> {
        self.by_tag.get(&tag.to_ascii_lowercase()).map(|&i| self.handlers[i].as_ref())
    }
}

#[derive(Debug)]
enum XmlEvent<'a> {
    Start(&'a str),
    End(&'a str),
    Text(String),
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';') else {
            out.push_str(after);
            return out;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&after[..=semi]),
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

fn tokenize(xml: &str) -> Result<Vec<XmlEvent<'_>>, String> {
    let mut events = Vec::new();
    let mut i = 0;
    let find_from = |pat: &str, from: usize| xml[from..].find(pat).map(|p| p + from);
    while i < xml.len() {
        let rest = &xml[i..];
        if rest.starts_with("<?") {
            i = find_from("?>", i).ok_or("unterminated processing instruction")? + 2;
        } else if rest.starts_with("<!--") {
            i = find_from("-->", i).ok_or("unterminated comment")? + 3;
        } else if rest.starts_with("<![CDATA[") {
            let end = find_from("]]>", i).ok_or("unterminated CDATA section")?;
            events.push(XmlEvent::Text(xml[i + 9..end].to_string()));
            i = end + 3;
        } else if rest.starts_with("<!") {
            i = find_from(">", i).ok_or("unterminated declaration")? + 1;
        } else if rest.starts_with("</") {
            let end = find_from(">", i).ok_or("unterminated end tag")?;
            events.push(XmlEvent::End(xml[i + 2..end].trim()));
            i = end + 1;
        } else if rest.starts_with('<') {
            let end = find_from(">", i).ok_or("unterminated start tag")?;
            let inner = &xml[i + 1..end];
            let self_closing = inner.ends_with('/');
            let name = inner.trim_end_matches('/').split_whitespace().next().ok_or("empty tag")?;
            events.push(XmlEvent::Start(name));
            if self_closing {
                events.push(XmlEvent::End(name));
            }
            i = end + 1;
        } else {
            let end = find_from("<", i).unwrap_or(xml.len());
            let text = &xml[i..end];
            if !text.trim().is_empty() {
                events.push(XmlEvent::Text(decode_entities(text)));
            }
            i = end;
        }
    }
    Ok(events)
}

fn parse_feed(xml: &str, registry: &HandlerRegistry) -> Result<(Channel, Vec<String>), String> {
    let events = tokenize(xml)?;
    let mut channel = Channel::default();
    let mut warnings = Vec::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut current: Option<Item> = None;
    let mut text = String::new();
    for event in events {
        match event {
            XmlEvent::Start(name) => {
                if name == "item" {
                    current = Some(Item::default());
                }
                stack.push(name);
                text.clear();
            }
            XmlEvent::Text(t) => text.push_str(&t),
            XmlEvent::End(name) => {
                let open = stack.pop().ok_or_else(|| format!("unexpected </{name}>"))?;
                if open != name {
                    return Err(format!("mismatched tags: <{open}> closed by </{name}>"));
                }
                let parent = stack.last().copied().unwrap_or("");
                if name == "item" {
                    if let Some(item) = current.take() {
                        if item.title.is_none() && item.description.is_none() {
                            warnings.push(format!("item {} has neither title nor description", channel.items.len() + 1));
                        }
                        channel.items.push(item);
                    }
                } else if parent == "item" {
                    if let (Some(item), Some(handler)) = (current.as_mut(), registry.get(name)) {
                        let index = channel.items.len() + 1;
                        for err in handler.apply_all([text.as_str()], item) {
                            warnings.push(format!("item {index} <{name}>: {err}"));
                        }
                    }
                } else if parent == "channel" {
                    match name {
                        "title" => channel.title = text.trim().to_string(),
                        "link" => channel.link = text.trim().to_string(),
                        "description" => channel.description = text.trim().to_string(),
                        _ => {}
                    }
                }
                text.clear();
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("unclosed <{open}>"));
    }
    Ok((channel, warnings))
}

const SAMPLE_FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- simplified RSS 2.0 feed -->
<rss version="2.0">
  <channel>
    <title>Rustacean Weekly</title>
    <link>https://example.org/</link>
    <description>News &amp; notes about Rust</description>
    <item>
      <title>Rust 1.80 released</title>
      <link>https://example.org/posts/rust-1-80</link>
      <pubDate>Thu, 25 Jul 2024 14:00:00 +0000</pubDate>
      <category>Release</category>
      <category>Compiler</category>
      <description><![CDATA[<p>LazyCell and <b>LazyLock</b> are stable.</p>]]></description>
      <guid>post-180</guid>
    </item>
    <item>
      <title>Async closures &#8212; a preview</title>
      <link>/posts/async-closures</link>
      <pubDate>Mon, 12 Aug 2024 09:30:00 +0200</pubDate>
      <author>ferris@example.org (Ferris)</author>
      <description>Writing &lt;code&gt;async || {}&lt;/code&gt; soon.</description>
    </item>
    <item>
      <title></title>
      <link>ftp://example.org/files</link>
      <pubDate>yesterday</pubDate>
      <description>Mirror list update</description>
      <enclosure url="https://example.org/list.txt" type="text/plain"/>
    </item>
    <item>
      <title>Community survey results</title>
      <link>https://example.org/posts/survey?year=2024&amp;lang=en</link>
      <pubDate>Fri, 02 Feb 2024 18:45:00 -0500</pubDate>
      <category>Community</category>
    </item>
  </channel>
</rss>
"#;

fn main() {
    let xml = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("cannot read {path}: {e}; using the sample feed");
            SAMPLE_FEED.to_string()
        }),
        None => SAMPLE_FEED.to_string(),
    };

    let base = Url::parse("https://example.org/").expect("valid base url");
    let mut registry = HandlerRegistry::default();
    registry
        .register(Box::new(TitleHandler))
        .register(Box::new(LinkHandler { base }))
        .register(Box::new(DateHandler))
        .register(Box::new(DescriptionHandler { max_len: 60 }))
        .register(Box::new(CategoryHandler))
        .register(Box::new(GuidHandler))
        .register(Box::new(AuthorHandler));
    let tags: Vec<&str> = registry.handlers.iter().map(|h| h.tag()).collect();
    println!("Registered element handlers: {}", tags.join(", "));
    println!("'PUBDATE' is handled: {}\n", registry.get("pubdate").map_or(false, |h| h.handles("PUBDATE")));

    let (channel, warnings) = match parse_feed(&xml, &registry) {
        Ok(result) => result,
        Err(e) => {
            eprintln!("feed is not well-formed: {e}");
            std::process::exit(1);
        }
    };

    println!("{} <{}>\n{}\n", channel.title, channel.link, channel.description);
    let mut items: Vec<&Item> = channel.items.iter().collect();
    items.sort_by(|a, b| b.published.cmp(&a.published));
    for item in items {
        println!("* {}", item.title.as_deref().unwrap_or("(untitled)"));
        if let Some(d) = item.published {
            println!("    date: {}", d.format("%Y-%m-%d %H:%M %:z"));
        }
        if let Some(link) = &item.link {
            println!("    link: {link}");
        }
        if let Some(a) = &item.author {
            println!("    by:   {a}");
        }
        if !item.categories.is_empty() {
            println!("    tags: {}", item.categories.join(", "));
        }
        if let Some(desc) = &item.description {
            println!("    {desc}");
        }
    }

    if !warnings.is_empty() {
        println!("\nWarnings:");
        for w in &warnings {
            println!("  {w}");
        }
    }

    println!("\nMalformed input check:");
    for bad in ["<rss><channel></rss>", "<rss><channel><item><title>x</item></channel></rss>", "<rss><!-- open"] {
        match parse_feed(bad, &registry) {
            Ok(_) => println!("  accepted: {bad}"),
            Err(e) => println!("  {bad:<52} -> {e}"),
        }
    }
}
