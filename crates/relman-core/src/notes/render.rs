//! Renderers: minijinja templates for Markdown, HTML and plain text (defaults embedded, any of them
//! replaceable by a product's own), and serde for JSON.

use std::io::{BufWriter, Write};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::NotesDocument;
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub enum Format {
    #[serde(rename = "md")]
    Markdown,
    #[serde(rename = "html")]
    Html,
    #[serde(rename = "txt")]
    Text,
    #[serde(rename = "json")]
    Json,
}

impl Format {
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            "txt" | "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            other => Err(Error::invalid_field(
                "format",
                format!("Unknown notes format \"{other}\"; use md, html, txt or json."),
            )),
        }
    }

    /// The file extension, also the template name's, which decides HTML escaping.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Text => "txt",
            Format::Json => "json",
        }
    }

    /// The built-in template of a text format; JSON has none.
    pub fn default_template(self) -> &'static str {
        match self {
            Format::Markdown => include_str!("templates/notes.md.jinja"),
            Format::Html => include_str!("templates/notes.html.jinja"),
            Format::Text => include_str!("templates/notes.txt.jinja"),
            Format::Json => "",
        }
    }
}

/// Renders `doc` into `out`, as [`render`] does. JSON is written as it is serialised, never held
/// whole: for a whole history it is ten times the Markdown (10 MB for 18k commits), and building it
/// as a string doubled its buffer at the peak of the run's memory.
pub fn render_to(doc: &NotesDocument, format: Format, template: Option<&str>, out: &mut dyn Write) -> Result<()> {
    let written = match format {
        Format::Json => {
            let mut buffered = BufWriter::new(out);
            serde_json::to_writer_pretty(&mut buffered, doc)
                .map_err(|e| Error::Io(format!("The notes could not be written as JSON: {e}.")))?;
            buffered.write_all(b"\n").and_then(|()| buffered.flush())
        }
        _ => out.write_all(render(doc, format, template)?.as_bytes()),
    };
    written.map_err(|e| Error::Io(format!("The notes could not be written: {e}.")))
}

/// Renders `doc`; `template` replaces the default template of `format` (not used for JSON).
pub fn render(doc: &NotesDocument, format: Format, template: Option<&str>) -> Result<String> {
    if format == Format::Json {
        let mut json = serde_json::to_string_pretty(doc)
            .map_err(|e| Error::Template(format!("The notes could not be written as JSON: {e}.")))?;
        json.push('\n');
        return Ok(json);
    }
    let mut env = environment().map_err(template_error)?;
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.add_filter("indent_lines", |text: String, prefix: String| {
        text.lines().map(|l| format!("{prefix}{l}")).collect::<Vec<_>>().join("\n")
    });
    let name = format!("notes.{}", format.extension());
    let source = template.unwrap_or(format.default_template());
    env.add_template(&name, source).map_err(template_error)?;
    let rendered = env.get_template(&name).and_then(|t| t.render(Serde(doc))).map_err(template_error)?;
    Ok(format!("{}\n", rendered.trim_end()))
}

/// The template environment of every document Relman writes: blocks trimmed, HTML output escaping
/// every value, and the `md` filter making text inert in Markdown (no raw HTML, no links or images,
/// so a tracking pixel in a commit message stays text, no entities).
fn environment() -> std::result::Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_syntax(SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build()?);
    env.set_auto_escape_callback(|name| if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None });
    env.add_filter("md", markdown_text);
    Ok(env)
}

/// Renders one of Relman's own templates (`name` ending in `.html` for HTML) with `value`, ending in
/// one newline: the status report and the release dossier.
pub(crate) fn render_builtin<T: serde::Serialize>(name: &str, source: &str, value: &T) -> Result<String> {
    let failed = |e: minijinja::Error| Error::Template(e.to_string());
    let mut env = environment().map_err(failed)?;
    env.add_template(name, source).map_err(failed)?;
    let text = env.get_template(name).and_then(|t| t.render(Serde(value))).map_err(failed)?;
    Ok(format!("{}\n", text.trim_end()))
}

/// Escapes what would make commit text active in Markdown; plain text passes through unchanged.
fn markdown_text(text: String) -> String {
    if !text.contains(['<', '>', '&', '[', ']', '\\']) {
        return text;
    }
    escape_markdown(&text, false)
}

/// Text made inert in Markdown: no HTML, no links; with `emphasis`, no emphasis or code spans either
/// (for table cells of hand-typed text, where a stray `*` would run on).
pub(crate) fn escape_markdown(text: &str, emphasis: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '*' | '_' | '`' if emphasis => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn template_error(error: minijinja::Error) -> Error {
    let at = error.line().map_or_else(String::new, |line| format!(" at line {line}"));
    let detail = error.detail().map_or_else(|| error.kind().to_string(), str::to_string);
    Error::Template(format!("The notes template has an error{at}: {detail}. Fix the template and try again."))
}

#[cfg(test)]
mod tests {
    use super::markdown_text;

    #[test]
    fn commit_text_cannot_inject_markdown() {
        assert_eq!(
            markdown_text("fix ![x](https://t.example/p.gif) & <img>".into()),
            "fix !\\[x\\](https://t.example/p.gif) &amp; &lt;img&gt;"
        );
        assert_eq!(markdown_text("plain words".into()), "plain words");
    }
}
