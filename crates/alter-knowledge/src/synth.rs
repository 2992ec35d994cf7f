//! Synthetic documents for benchmarks and tests: small, exact writers for
//! PDF, DOCX, PPTX and XLSX, and a deterministic text generator.
//!
//! The writers produce the minimum each format needs (one font, one style)
//! so that generated corpora are reproducible byte for byte; real-world
//! files from other producers are covered by the committed fixtures.

use std::io::Write;

/// A small deterministic generator (PCG-style LCG); no external seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u32() as usize) % n.max(1)
    }

    /// Uniform in [-0.5, 0.5).
    pub fn unit(&mut self) -> f32 {
        self.next_u32() as f32 / (1u64 << 31) as f32 - 0.5
    }
}

const NOUNS: &[&str] = &[
    "route",
    "depot",
    "driver",
    "shipment",
    "warehouse",
    "invoice",
    "customer",
    "forecast",
    "schedule",
    "budget",
    "release",
    "feature",
    "survey",
    "contract",
    "supplier",
    "pallet",
    "truck",
    "van",
    "order",
    "report",
    "team",
    "meeting",
    "roadmap",
    "incident",
    "dashboard",
    "planner",
    "region",
    "quarter",
    "target",
    "policy",
    "audit",
    "training",
    "handover",
    "ticket",
    "capacity",
    "tariff",
    "margin",
    "inventory",
    "backlog",
    "pilot",
];
const VERBS: &[&str] = &[
    "reduced",
    "improved",
    "delayed",
    "approved",
    "reviewed",
    "shipped",
    "planned",
    "measured",
    "replaced",
    "simplified",
    "tracked",
    "moved",
    "cancelled",
    "doubled",
    "checked",
    "automated",
    "merged",
    "published",
];
const ADJS: &[&str] = &[
    "weekly",
    "regional",
    "late",
    "urgent",
    "new",
    "shared",
    "manual",
    "digital",
    "critical",
    "seasonal",
    "daily",
    "quarterly",
    "external",
    "internal",
    "minor",
    "major",
    "faster",
    "cheaper",
];

/// An English-looking sentence of 10–20 words.
pub fn sentence(rng: &mut Rng) -> String {
    let n = 10 + rng.below(11);
    let mut words = Vec::with_capacity(n);
    for i in 0..n {
        let w = match i % 4 {
            0 => ADJS[rng.below(ADJS.len())],
            1 | 3 => NOUNS[rng.below(NOUNS.len())],
            _ => VERBS[rng.below(VERBS.len())],
        };
        words.push(w.to_string());
    }
    if rng.below(3) == 0 {
        words.push(format!("by {} percent", 1 + rng.below(60)));
    }
    let mut s = words.join(" ");
    s[..1].make_ascii_uppercase();
    s.push('.');
    s
}

/// A Zipf-distributed vocabulary (rank r drawn with weight 1/r), the shape
/// of word frequencies in real text: a few words in nearly every passage,
/// most words rare. The retrieval latency bench draws its corpus and its
/// questions from it, so the full-text index sees realistic posting lists.
#[derive(Debug, Clone)]
pub struct ZipfWords {
    words: Vec<String>,
    cdf: Vec<f64>,
}

impl ZipfWords {
    /// `size` distinct pronounceable words ("kavo", "limeru", …).
    pub fn new(size: usize) -> Self {
        const ONSETS: &[&str] = &["k", "l", "m", "n", "p", "r", "s", "t", "v", "d", "b", "g", "f", "h", "z", "ch"];
        const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou", "ei"];
        let syllables: Vec<String> =
            ONSETS.iter().flat_map(|o| VOWELS.iter().map(move |v| format!("{o}{v}"))).collect();
        let words: Vec<String> = (0..size.max(1))
            .map(|mut i| {
                // Bijective base-n numbering: every index a different word of 1+ syllables.
                let mut w = String::new();
                loop {
                    w.push_str(&syllables[i % syllables.len()]);
                    i /= syllables.len();
                    if i == 0 {
                        break w;
                    }
                    i -= 1;
                }
            })
            .collect();
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (1..=words.len())
            .map(|r| {
                acc += 1.0 / r as f64;
                acc
            })
            .collect();
        cdf.iter_mut().for_each(|c| *c /= acc);
        Self { words, cdf }
    }

    pub fn word(&self, rng: &mut Rng) -> &str {
        let u = rng.next_u32() as f64 / u32::MAX as f64;
        let rank = self.cdf.partition_point(|&c| c < u).min(self.words.len() - 1);
        &self.words[rank]
    }

    /// `n` words joined by spaces.
    pub fn text(&self, rng: &mut Rng, n: usize) -> String {
        (0..n).map(|_| self.word(rng)).collect::<Vec<_>>().join(" ")
    }
}

/// A paragraph of `sentences` sentences.
pub fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

/// A PDF with one page per entry; each page's lines are set in Helvetica.
/// Only Latin-1 text is representable; other characters become `?`.
pub fn pdf(pages: &[Vec<String>]) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    // 1: catalog, 2: pages, 3: font, then (page, content) pairs.
    let n = pages.len();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into());
    for (i, lines) in pages.iter().enumerate() {
        let mut content = String::from("BT /F1 10 Tf 12 TL 50 760 Td\n");
        for line in lines {
            let escaped: String = line
                .chars()
                .map(|c| match c {
                    '(' | ')' | '\\' => format!("\\{c}"),
                    c if (c as u32) < 256 && !c.is_control() => c.to_string(),
                    _ => "?".into(),
                })
                .collect();
            content.push_str(&format!("({escaped}) Tj T*\n"));
        }
        content.push_str("ET");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn zip_files(files: &[(&str, String)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in files {
            zip.start_file(*name, opts).expect("in-memory zip");
            zip.write_all(body.as_bytes()).expect("in-memory zip");
        }
        zip.finish().expect("in-memory zip");
    }
    buf.into_inner()
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A DOCX of paragraphs; `Some(level)` makes a heading ("Heading1"…).
/// Rows of `table` follow the paragraphs, first row as header.
pub fn docx(paras: &[(Option<u8>, String)], table: &[Vec<String>]) -> Vec<u8> {
    let mut body = String::new();
    for (level, text) in paras {
        let style = level.map(|l| format!("<w:pPr><w:pStyle w:val=\"Heading{l}\"/></w:pPr>")).unwrap_or_default();
        body.push_str(&format!("<w:p>{style}<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", xml_escape(text)));
    }
    if !table.is_empty() {
        body.push_str("<w:tbl>");
        for row in table {
            body.push_str("<w:tr>");
            for cell in row {
                body.push_str(&format!("<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>", xml_escape(cell)));
            }
            body.push_str("</w:tr>");
        }
        body.push_str("</w:tbl>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"{W_NS}\"><w:body>{body}</w:body></w:document>"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"{W_NS}\">{}</w:styles>",
        (1..=3)
            .map(|l| format!(
                "<w:style w:type=\"paragraph\" w:styleId=\"Heading{l}\"><w:name w:val=\"heading {l}\"/></w:style>"
            ))
            .collect::<String>()
    );
    zip_files(&[
        ("[Content_Types].xml", CONTENT_TYPES_DOCX.into()),
        ("_rels/.rels", rels("word/document.xml", "officeDocument")),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
    ])
}

const CONTENT_TYPES_DOCX: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

fn rels(target: &str, kind: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/></Relationships>"#
    )
}

/// A PPTX with one slide per (title, bullet lines).
pub fn pptx(slides: &[(String, Vec<String>)]) -> Vec<u8> {
    let ns = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let mut files: Vec<(String, String)> = Vec::new();
    let mut ids = String::new();
    let mut prels = String::new();
    for (i, (title, lines)) in slides.iter().enumerate() {
        let n = i + 1;
        ids.push_str(&format!("<p:sldId id=\"{}\" r:id=\"rId{n}\"/>", 255 + n));
        prels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide{n}.xml\"/>"
        ));
        let paras: String =
            lines.iter().map(|l| format!("<a:p><a:r><a:t>{}</a:t></a:r></a:p>", xml_escape(l))).collect();
        files.push((
            format!("ppt/slides/slide{n}.xml"),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:sld {ns}><p:cSld><p:spTree>\
                 <p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title\"/><p:cNvSpPr/><p:nvPr><p:ph type=\"title\"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>{}</a:t></a:r></a:p></p:txBody></p:sp>\
                 <p:sp><p:nvSpPr><p:cNvPr id=\"3\" name=\"Body\"/><p:cNvSpPr/><p:nvPr><p:ph idx=\"1\"/></p:nvPr></p:nvSpPr><p:txBody>{paras}</p:txBody></p:sp>\
                 </p:spTree></p:cSld></p:sld>",
                xml_escape(title)
            ),
        ));
    }
    files.push((
        "ppt/presentation.xml".into(),
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:presentation {ns}><p:sldIdLst>{ids}</p:sldIdLst></p:presentation>"),
    ));
    files.push((
        "ppt/_rels/presentation.xml.rels".into(),
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{prels}</Relationships>"),
    ));
    files.push(("_rels/.rels".into(), rels("ppt/presentation.xml", "officeDocument")));
    let borrowed: Vec<(&str, String)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    zip_files(&borrowed)
}

/// An XLSX with one sheet ("Sheet1") of inline-string cells.
pub fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        data.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let col = (b'A' + (c % 26) as u8) as char;
            if cell.parse::<f64>().is_ok() {
                data.push_str(&format!("<c r=\"{col}{}\"><v>{cell}</v></c>", r + 1));
            } else {
                data.push_str(&format!(
                    "<c r=\"{col}{}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    r + 1,
                    xml_escape(cell)
                ));
            }
        }
        data.push_str("</row>");
    }
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    zip_files(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into(),
        ),
        ("_rels/.rels", rels("xl/workbook.xml", "officeDocument")),
        (
            "xl/workbook.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{main}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        ("xl/_rels/workbook.xml.rels", rels("worksheets/sheet1.xml", "worksheet")),
        (
            "xl/worksheets/sheet1.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{main}\"><sheetData>{data}</sheetData></worksheet>"),
        ),
    ])
}

/// Writes a mixed corpus of about `pages` pages (≈ 350 words each) into
/// `dir`: PDFs, DOCX, PPTX (a slide counts as a third of a page), XLSX,
/// CSV, Markdown, HTML and text. Returns the number of files written.
pub fn write_corpus(dir: &std::path::Path, pages: usize, seed: u64) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut files = 0;
    let mut page_budget = pages;
    let mut doc_no = 0;
    while page_budget > 0 {
        doc_no += 1;
        let take = page_budget.min(10);
        page_budget -= take;
        let (name, bytes): (String, Vec<u8>) = match doc_no % 7 {
            0 | 1 => {
                let pages: Vec<Vec<String>> = (0..take)
                    .map(|_| {
                        let text = paragraph(&mut rng, 22);
                        wrap(&text, 95)
                    })
                    .collect();
                (format!("report_{doc_no}.pdf"), pdf(&pages))
            }
            2 => {
                let mut paras = Vec::new();
                for s in 0..take {
                    paras.push((Some(1), format!("Section {s} {}", NOUNS[rng.below(NOUNS.len())])));
                    for _ in 0..4 {
                        paras.push((None, paragraph(&mut rng, 5)));
                    }
                }
                (format!("notes_{doc_no}.docx"), docx(&paras, &[]))
            }
            3 => {
                let slides: Vec<(String, Vec<String>)> = (0..take * 3)
                    .map(|i| {
                        (
                            format!("Slide {i}: {}", NOUNS[rng.below(NOUNS.len())]),
                            (0..5).map(|_| sentence(&mut rng)).collect(),
                        )
                    })
                    .collect();
                (format!("deck_{doc_no}.pptx"), pptx(&slides))
            }
            4 => {
                let mut rows =
                    vec![vec!["id".into(), "region".into(), "item".into(), "count".into(), "comment".into()]];
                for i in 0..take * 25 {
                    rows.push(vec![
                        format!("R{i}"),
                        ADJS[rng.below(ADJS.len())].into(),
                        NOUNS[rng.below(NOUNS.len())].into(),
                        (rng.below(500)).to_string(),
                        sentence(&mut rng),
                    ]);
                }
                if doc_no % 2 == 0 {
                    (format!("table_{doc_no}.xlsx"), xlsx(&rows))
                } else {
                    let csv: String = rows.iter().map(|r| r.join(",") + "\n").collect();
                    (format!("table_{doc_no}.csv"), csv.into_bytes())
                }
            }
            5 => {
                let mut md = String::new();
                for s in 0..take {
                    md.push_str(&format!("## Topic {s}\n\n"));
                    for _ in 0..4 {
                        md.push_str(&paragraph(&mut rng, 5));
                        md.push_str("\n\n");
                    }
                }
                (format!("wiki_{doc_no}.md"), md.into_bytes())
            }
            _ => {
                let mut html =
                    String::from("<html><head><title>Page</title></head><body><nav>Home | About</nav><main>");
                for s in 0..take {
                    html.push_str(&format!("<h2>Part {s}</h2>"));
                    for _ in 0..4 {
                        html.push_str(&format!("<p>{}</p>", paragraph(&mut rng, 5)));
                    }
                }
                html.push_str("</main><footer>Copyright</footer></body></html>");
                (format!("page_{doc_no}.html"), html.into_bytes())
            }
        };
        std::fs::write(dir.join(name), bytes)?;
        files += 1;
    }
    Ok(files)
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() && line.len() + word.len() + 1 > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}
