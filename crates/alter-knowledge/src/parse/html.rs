//! HTML: the readable main text, without scripts, styles, navigation,
//! footers and asides.
//!
//! A single forward scan over the markup with counters, not a DOM: memory
//! and time stay linear, and 100,000 nested elements cannot overflow a stack
//! (a tree builder would keep them all open and walk them per tag). When
//! the page marks its main content (`<main>` or `<article>`), only that is
//! kept. Headings `h1`–`h6` become heading blocks; block-level elements end
//! paragraphs; table cells are separated by " | ".

use super::{Loc, Role, Sink, squash_ws};

/// Elements whose whole content is dropped.
const SKIP: &[&str] =
    &["script", "style", "nav", "footer", "aside", "noscript", "template", "svg", "head", "form", "iframe", "button"];
/// Elements whose content is raw text (a `<` inside does not open a tag).
const RAW: &[&str] = &["script", "style", "textarea", "title", "xmp"];
/// Elements that end the current paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "main",
    "header",
    "pre",
    "blockquote",
    "dt",
    "dd",
    "dl",
    "hr",
    "figure",
    "figcaption",
    "address",
    "body",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

pub(crate) fn parse(html: &str, sink: &mut Sink) {
    let lower_head = html[..floor_boundary(html, html.len().min(1 << 20))].to_ascii_lowercase();
    let has_main = lower_head.contains("<main") || lower_head.contains("<article");
    let mut st = State { sink, buf: String::new(), heading: None, n: 0, stop: false };
    let bytes = html.as_bytes();
    let mut pos = 0;
    // Depth inside skipped elements (name, depth) and inside main content.
    let mut skip: Option<(String, u32)> = None;
    let mut focus = 0u32;
    while pos < bytes.len() && !st.stop {
        let Some(off) = html[pos..].find('<') else {
            if skip.is_none() && (!has_main || focus > 0) {
                st.text(&html[pos..]);
            }
            break;
        };
        if off > 0 && skip.is_none() && (!has_main || focus > 0) {
            st.text(&html[pos..pos + off]);
        }
        pos += off;
        let rest = &html[pos..];
        if rest.starts_with("<!--") {
            pos += rest.find("-->").map(|e| e + 3).unwrap_or(rest.len());
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            pos += rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
            continue;
        }
        let Some((name, closing, self_closing, len)) = parse_tag(rest) else {
            // A lone '<' is text.
            if skip.is_none() && (!has_main || focus > 0) {
                st.text("<");
            }
            pos += 1;
            continue;
        };
        pos += len;
        if !closing && RAW.contains(&name.as_str()) {
            // Jump past the raw content to its end tag.
            let end_tag = format!("</{name}");
            pos = find_ci(html, pos, &end_tag).unwrap_or(html.len());
            continue;
        }
        if let Some((skip_name, depth)) = &mut skip {
            if *skip_name == name && !self_closing {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing && !self_closing && SKIP.contains(&name.as_str()) {
            st.flush();
            skip = Some((name, 1));
            continue;
        }
        if name == "main" || name == "article" {
            st.flush();
            if closing {
                focus = focus.saturating_sub(1);
            } else if !self_closing {
                focus += 1;
            }
            continue;
        }
        if let Some(level) = heading_level(&name) {
            st.flush();
            st.heading = if closing { None } else { Some(level) };
            continue;
        }
        if BLOCK.contains(&name.as_str()) {
            st.flush();
        } else if name == "td" || name == "th" {
            if !closing && !st.buf.trim().is_empty() {
                st.buf.push_str(" | ");
            }
        } else if !closing {
            // Inline elements: keep words apart where markup joined them.
            if matches!(name.as_str(), "img" | "input" | "wbr") {
                st.buf.push(' ');
            }
        }
    }
    st.flush();
}

struct State<'a> {
    sink: &'a mut Sink,
    buf: String,
    heading: Option<u8>,
    n: u32,
    stop: bool,
}

impl State<'_> {
    fn text(&mut self, raw: &str) {
        if self.buf.len() > 1 << 20 {
            // A pathological paragraph: emit it in pieces.
            self.flush();
        }
        decode_entities_into(raw, &mut self.buf);
    }

    fn flush(&mut self) {
        let text = squash_ws(&self.buf);
        self.buf.clear();
        if text.is_empty() {
            return;
        }
        self.n += 1;
        let role = self.heading.map(Role::Heading).unwrap_or(Role::Para);
        if !self.sink.push(&text, role, Loc::Para(self.n)) {
            self.stop = true;
        }
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Parses `<name ...>` or `</name>` at the start of `s`: (lowercase name,
/// closing, self-closing, byte length). Attribute values may hold `>`.
fn parse_tag(s: &str) -> Option<(String, bool, bool, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
        i += 1;
    }
    if i == start || !b[start].is_ascii_alphabetic() {
        return None;
    }
    let name = s[start..i].to_ascii_lowercase();
    let mut quote: Option<u8> = None;
    while i < b.len() {
        match (quote, b[i]) {
            (Some(q), c) if c == q => quote = None,
            (None, b'"' | b'\'') => quote = Some(b[i]),
            (None, b'>') => {
                let self_closing = i > 0 && b[i - 1] == b'/';
                return Some((name, closing, self_closing, i + 1));
            }
            _ => {}
        }
        i += 1;
    }
    Some((name, closing, false, b.len()))
}

/// Case-insensitive search for an ASCII needle from `from`.
fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let h = &hay.as_bytes()[from..];
    let n = needle.as_bytes();
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n)).map(|p| p + from)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn decode_entities_into(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[..floor_boundary(rest, rest.len().min(12))].find(';');
        let decoded = end.and_then(|e| decode_entity(&rest[1..e]).map(|c| (c, e + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "euro" => '€',
        "pound" => '£',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        "times" => '×',
        "deg" => '°',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<(Role, String)> {
        let mut sink = Sink::new(1 << 20);
        parse(html, &mut sink);
        sink.blocks.into_iter().map(|b| (b.role, b.text)).collect()
    }

    #[test]
    fn main_text_only() {
        let html = r#"<!doctype html><html><head><title>T</title><style>p{color:red}</style></head>
<body><nav><a href="/">Home</a> <nav>inner</nav> Menu</nav>
<script>var x = "<p>not text</p>";</script>
<h1>Launch &amp; results</h1><p>Route planning time fell<br>by 22&nbsp;%.</p>
<table><tr><th>Depot</th><th>Vans</th></tr><tr><td>Antwerp</td><td>35</td></tr></table>
<footer>© 2025 Bluefin</footer></body></html>"#;
        assert_eq!(
            blocks(html),
            vec![
                (Role::Heading(1), "Launch & results".to_string()),
                (Role::Para, "Route planning time fell".to_string()),
                (Role::Para, "by 22 %.".to_string()),
                (Role::Para, "Depot | Vans".to_string()),
                (Role::Para, "Antwerp | 35".to_string()),
            ]
        );
    }

    #[test]
    fn article_is_preferred() {
        let html = "<body><div>Sidebar junk</div><article><p>Real text.</p></article><div>More junk</div></body>";
        assert_eq!(blocks(html), vec![(Role::Para, "Real text.".to_string())]);
    }

    #[test]
    fn deep_nesting_is_linear_and_safe() {
        let depth = 100_000;
        let html = format!("{}deep text{}", "<div><span>".repeat(depth), "</span></div>".repeat(depth));
        let t = std::time::Instant::now();
        assert_eq!(blocks(&html), vec![(Role::Para, "deep text".to_string())]);
        assert!(t.elapsed().as_secs() < 10);
        let nav = format!("{}x{}<p>after</p>", "<nav>".repeat(depth), "</nav>".repeat(depth));
        assert_eq!(blocks(&nav), vec![(Role::Para, "after".to_string())]);
    }

    #[test]
    fn broken_markup_does_not_fail() {
        for html in [
            "<",
            "<<<>>>",
            "<p",
            "<p>unclosed",
            "&#xFFFFFFFF; &bogus; &",
            "&ab需求评审",
            "<script>never closed",
            "</p></p>",
        ] {
            let _ = blocks(html);
        }
        assert_eq!(blocks("a < b and c > d"), vec![(Role::Para, "a < b and c > d".to_string())]);
    }
}
