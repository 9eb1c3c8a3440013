//! What every export returns: the file's suggested name, its text, and what kind of file it is (for a
//! save dialog's filter). The doors only save it: the CLI to the path it was given or to stdout, the
//! app where the user picks.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExportFile {
    pub file_name: String,
    pub text: String,
    /// What the file is, in words ("CSV", "Markdown").
    pub kind: String,
    /// Its extension, without the dot.
    pub extension: String,
}

impl ExportFile {
    /// A file named after `title` (lower case, words joined by dashes) with `extension`.
    pub fn new(title: &str, extension: &str, kind: &str, text: String) -> Self {
        ExportFile {
            file_name: format!("{}.{extension}", slug(title)),
            text,
            kind: kind.to_string(),
            extension: extension.to_string(),
        }
    }
}

/// A title as a file name: lower case, runs of anything but letters and digits as one dash.
pub fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_alphanumeric() || c == '.' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_file_names() {
        assert_eq!(slug("Atlas Web 2.5.0"), "atlas-web-2.5.0");
        assert_eq!(slug("Atlas Web (product-wide) risks"), "atlas-web-product-wide-risks");
        assert_eq!(ExportFile::new("Deploy log 3", "md", "Markdown", String::new()).file_name, "deploy-log-3.md");
    }
}
