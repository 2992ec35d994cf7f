//! PowerPoint presentations (PPTX): each slide's text with its slide number.
//!
//! Slides are numbered in presentation order (`ppt/presentation.xml` and its
//! relationships), not by part name, which can differ after reordering. A
//! slide's title placeholder becomes a heading so each chunk carries it.

use super::xml::{Ev, as_text, attr, walk};
use super::zipread::ZipDoc;
use super::{Loc, ParseLimits, Role, Sink, squash_ws};
use crate::error::ParseError;

pub(crate) fn parse(bytes: &[u8], limits: &ParseLimits, sink: &mut Sink) -> Result<(), ParseError> {
    let mut zip = ZipDoc::open(bytes, "PowerPoint", limits.max_unzipped_bytes)?;
    let slides = slide_order(&mut zip)?;
    for (i, part) in slides.iter().enumerate() {
        let Some(xml) = zip.read(part)? else { continue };
        if !parse_slide(&as_text(&xml), i as u32 + 1, sink)? {
            break;
        }
    }
    Ok(())
}

/// Slide part names in presentation order.
fn slide_order(zip: &mut ZipDoc<'_>) -> Result<Vec<String>, ParseError> {
    let mut ids = Vec::new();
    if let Some(xml) = zip.read("ppt/presentation.xml")? {
        walk(&as_text(&xml), "PowerPoint", |ev| {
            if let Ev::Start { name: "sldId", el, .. } = ev
                && let Some(rid) = rel_id(el)
            {
                ids.push(rid);
            }
            true
        })?;
    }
    let mut targets = std::collections::HashMap::new();
    if let Some(xml) = zip.read("ppt/_rels/presentation.xml.rels")? {
        walk(&as_text(&xml), "PowerPoint", |ev| {
            if let Ev::Start { name: "Relationship", el, .. } = ev
                && let (Some(id), Some(target)) = (attr(el, "Id"), attr(el, "Target"))
            {
                let target = target.trim_start_matches('/').trim_start_matches("ppt/").to_owned();
                targets.insert(id, format!("ppt/{target}"));
            }
            true
        })?;
    }
    let ordered: Vec<String> = ids.iter().filter_map(|id| targets.get(id).cloned()).collect();
    if !ordered.is_empty() {
        return Ok(ordered);
    }
    // No usable order: fall back to the numbers in the part names.
    let mut parts: Vec<(u32, String)> = zip
        .names()
        .into_iter()
        .filter_map(|n| {
            let num = n.strip_prefix("ppt/slides/slide")?.strip_suffix(".xml")?.parse().ok()?;
            Some((num, n))
        })
        .collect();
    parts.sort();
    Ok(parts.into_iter().map(|(_, n)| n).collect())
}

/// The `r:id` attribute (local name `id` in the relationships namespace).
fn rel_id(el: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    el.attributes().flatten().find(|a| a.key.0.ends_with(":id") && a.key.0 != "id").map(|a| a.value.to_string())
}

/// Returns false once the sink is full.
fn parse_slide(xml: &str, slide: u32, sink: &mut Sink) -> Result<bool, ParseError> {
    let mut in_t = false;
    let mut is_title = false;
    let mut para = String::new();
    let mut shape: Vec<String> = Vec::new();
    let mut ok = true;
    walk(xml, "PowerPoint", |ev| {
        match ev {
            Ev::Start { name: "sp", .. } => {
                is_title = false;
                shape.clear();
            }
            Ev::Start { name: "ph", el, .. } => {
                is_title = matches!(attr(el, "type").as_deref(), Some("title" | "ctrTitle"));
            }
            Ev::Start { name: "t", .. } => in_t = true,
            Ev::End { name: "t" } => in_t = false,
            Ev::Start { name: "br", .. } => para.push('\n'),
            Ev::Text(t) if in_t => para.push_str(t),
            Ev::End { name: "p" } => {
                let p = squash_ws(&std::mem::take(&mut para));
                if !p.is_empty() {
                    shape.push(p);
                }
            }
            Ev::End { name: "sp" | "graphicFrame" } => {
                if is_title {
                    ok = sink.push(&shape.join(" "), Role::Heading(2), Loc::Slide(slide));
                } else {
                    for p in shape.drain(..) {
                        ok = ok && sink.push(&p, Role::Para, Loc::Slide(slide));
                    }
                }
                shape.clear();
                is_title = false;
            }
            _ => {}
        }
        ok
    })?;
    Ok(ok)
}
