//! The "sounds like me" score separates an owner's held-out sentences from
//! other people's: the eval twin's own documents (leave-one-out, they are
//! few) and a larger single-author text (a 60/40 split), each against
//! sentences from sources the classifier never saw in training (Node.js
//! contributor guides, zh_CN translation catalogues). Prints the AUCs.

use alter_persona::StyleModel;
use alter_persona::stylescore::{TrainOptions, auc};
use alter_persona::text::sentences;

fn lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn docx_text(path: &str) -> String {
    let file = std::fs::File::open(path).expect("eval docx opens");
    let mut zip = zip::ZipArchive::new(file).expect("docx is a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").expect("document.xml"), &mut xml)
        .expect("utf-8");
    let xml = xml.replace("</w:p>", "\n");
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
const EVAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/docs/");

#[test]
fn separates_the_eval_owner_leave_one_out() {
    let mut owner = sentences(&std::fs::read_to_string(format!("{EVAL}profile.md")).expect("profile.md"));
    owner.extend(sentences(&docx_text(&format!("{EVAL}工作约定.docx"))));
    owner.retain(|s| s.chars().count() >= 6);
    assert!(owner.len() >= 8, "{owner:?}");
    let mut held_owner = Vec::new();
    for i in 0..owner.len() {
        let train: Vec<String> = owner.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, s)| s.clone()).collect();
        let m = StyleModel::train(&train, &TrainOptions::default()).expect("trains");
        held_owner.push(m.sentence_score(&owner[i]));
    }
    let m = StyleModel::train(&owner, &TrainOptions::default()).expect("trains");
    let others: Vec<f32> = lines(&format!("{DATA}heldout_en.txt"))
        .iter()
        .take(150)
        .chain(lines(&format!("{DATA}heldout_zh.txt")).iter().take(60))
        .map(|s| m.sentence_score(s))
        .collect();
    let a = auc(&held_owner, &others);
    println!(
        "style AUC, eval owner (leave-one-out, {} owner vs {} other sentences): {a:.3}",
        held_owner.len(),
        others.len()
    );
    assert!(a >= 0.75, "AUC {a:.3}");
}

#[test]
fn separates_a_larger_owner_on_a_held_out_split() {
    let owner = lines(&format!("{DATA}owner_gpl3.txt"));
    let cut = owner.len() * 6 / 10;
    let started = std::time::Instant::now();
    let m = StyleModel::train(&owner[..cut], &TrainOptions::default()).expect("trains");
    let train_ms = started.elapsed().as_millis();
    let pos: Vec<f32> = owner[cut..].iter().map(|s| m.sentence_score(s)).collect();
    let neg: Vec<f32> = lines(&format!("{DATA}heldout_en.txt")).iter().map(|s| m.sentence_score(s)).collect();
    let a = auc(&pos, &neg);
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    println!(
        "style AUC, GPL-3 owner ({} train, {} held out vs {} other): {a:.3}; mean score owner {:.2} vs other {:.2}; trained in {train_ms} ms",
        cut,
        pos.len(),
        neg.len(),
        mean(&pos),
        mean(&neg)
    );
    assert!(a >= 0.85, "AUC {a:.3}");
    assert!(mean(&pos) > mean(&neg) + 0.2);
}
