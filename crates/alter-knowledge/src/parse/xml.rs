//! A flat walk over an XML part of an Office document.
//!
//! Wraps `quick-xml`'s pull reader (no recursion, no DOM) into three events
//! with namespace prefixes dropped and entity references resolved, which is
//! all the DOCX and PPTX readers need.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::ParseError;

pub(crate) enum Ev<'a, 'e> {
    /// An element opens (an empty `<a/>` is followed at once by its `End`).
    Start {
        name: &'a str,
        el: &'e BytesStart<'a>,
    },
    End {
        name: &'a str,
    },
    Text(&'a str),
}

/// Walks `xml`, calling `f` for each event; stops early when `f` returns false.
pub(crate) fn walk(xml: &str, kind: &'static str, mut f: impl FnMut(Ev<'_, '_>) -> bool) -> Result<(), ParseError> {
    let mut reader = Reader::from_str(xml);
    loop {
        let event = reader.read_event().map_err(|e| ParseError::corrupt(kind, e))?;
        let go = match &event {
            Event::Start(el) | Event::Empty(el) => {
                let qname = el.name();
                let name = local(qname.0);
                let empty = matches!(event, Event::Empty(_));
                f(Ev::Start { name, el }) && (!empty || f(Ev::End { name }))
            }
            Event::End(el) => {
                let qname = el.name();
                f(Ev::End { name: local(qname.0) })
            }
            Event::Text(t) => f(Ev::Text(&t.xml10_content())),
            Event::CData(t) => f(Ev::Text(t)),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &**r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                match c {
                    Some(c) => f(Ev::Text(c.encode_utf8(&mut [0u8; 4]))),
                    None => true,
                }
            }
            Event::Eof => return Ok(()),
            _ => true,
        };
        if !go {
            return Ok(());
        }
    }
}

fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

/// The value of an attribute by local name (`w:val` → `val`).
pub(crate) fn attr(el: &BytesStart<'_>, name: &str) -> Option<String> {
    el.attributes().flatten().find(|a| local(a.key.0) == name).map(|a| {
        let v = a.value.to_string();
        v.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
    })
}

/// OOXML parts are UTF-8; anything else is decoded leniently.
pub(crate) fn as_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes)
}
