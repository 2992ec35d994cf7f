//! Opening a document in the system's viewer, at the cited page where the
//! viewer can be told one.
//!
//! On Linux the default PDF application is asked (`xdg-mime`) and, when it is
//! one whose command line takes a page (Evince and its forks, Okular,
//! Zathura, qpdfview, the common browsers), it is started at that page.
//! Everything else (other systems, other viewers, slides and spreadsheet
//! rows, which no viewer's command line addresses) opens the file as is;
//! the source card shows the place.

use std::path::Path;
use std::process::{Command, Stdio};

/// The first page number in a citation's place ("page 3", "pages 3-4"), for PDFs.
pub fn cited_page(location: &str) -> Option<u32> {
    let rest = location.trim().strip_prefix("pages ").or_else(|| location.trim().strip_prefix("page "))?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&n| n > 0)
}

/// The command that opens `path` at `page` with the application of desktop id
/// `app` (`org.gnome.Evince.desktop`), if that application takes a page.
pub fn page_command(app: &str, path: &Path, page: u32) -> Option<(String, Vec<String>)> {
    let app = app.trim().trim_end_matches(".desktop").to_ascii_lowercase();
    let name = app.rsplit('.').next().unwrap_or(&app);
    let file = path.display().to_string();
    let url = format!("file://{file}#page={page}");
    let (bin, args): (&str, Vec<String>) = match name {
        "evince" | "atril" | "xreader" => (name, vec![format!("--page-index={page}"), file]),
        "okular" => ("okular", vec!["-p".into(), page.to_string(), file]),
        "zathura" => ("zathura", vec!["-P".into(), page.to_string(), file]),
        "qpdfview" => ("qpdfview", vec![format!("{file}#{page}")]),
        "firefox" | "firefox-esr" | "chromium" | "chromium-browser" | "google-chrome" | "brave-browser"
        | "microsoft-edge" => (name, vec![url]),
        _ => return None,
    };
    Some((bin.to_owned(), args))
}

/// Opens `path`, at `page` when one is given and the viewer allows it.
pub fn open(path: &Path, page: Option<u32>) -> Result<(), String> {
    let is_pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if let (true, Some(page)) = (is_pdf, page)
        && let Some((bin, args)) = default_pdf_app().and_then(|app| page_command(&app, path, page))
        && Command::new(&bin)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .is_ok()
    {
        return Ok(());
    }
    opener::open(path).map_err(|e| e.to_string())
}

/// The desktop id of the default PDF application (Linux only).
fn default_pdf_app() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let out = Command::new("xdg-mime").args(["query", "default", "application/pdf"]).output().ok()?;
    let id = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_page_in_a_citation() {
        assert_eq!(cited_page("page 3"), Some(3));
        assert_eq!(cited_page("pages 12-14"), Some(12));
        for none in ["slide 2", "rows 4-5", "paragraphs 2-4", "page ", "page 0", "", "page x"] {
            assert_eq!(cited_page(none), None, "{none:?}");
        }
    }

    #[test]
    fn builds_the_page_command_for_known_viewers_only() {
        let pdf = Path::new("/home/maya/docs/plan.pdf");
        let (bin, args) = page_command("org.gnome.Evince.desktop", pdf, 4).unwrap();
        assert_eq!((bin.as_str(), args), ("evince", vec!["--page-index=4".to_owned(), pdf.display().to_string()]));
        assert_eq!(page_command("okularApplication_pdf.desktop", pdf, 4), None, "unknown ids open the file as is");
        assert_eq!(page_command("org.kde.okular.desktop", pdf, 2).unwrap().1, ["-p", "2", "/home/maya/docs/plan.pdf"]);
        assert_eq!(page_command("firefox-esr.desktop", pdf, 7).unwrap().1, ["file:///home/maya/docs/plan.pdf#page=7"]);
        assert_eq!(page_command("libreoffice-draw.desktop", pdf, 1), None);
    }
}
