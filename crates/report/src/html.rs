//! The HTML report: one self-contained file (inline CSS and SVG, no script, no
//! external resource), rendered by minijinja with HTML auto-escaping.

use minijinja::value::{Serde, Value};
use minijinja::{Environment, UndefinedBehavior};

use crate::data::ReportData;
use crate::error::ReportError;
use crate::view;

const REPORT_TEMPLATE: &str = include_str!("../templates/report.html");
const REPORT_CSS: &str = include_str!("../templates/report.css");

/// Renders the HTML report of `data`.
///
/// Every value from the data is HTML-escaped by the template engine (the template
/// name ends in `.html`, which turns auto-escaping on) after control and bidi
/// characters were neutralised by the view.
pub fn render_html(data: &ReportData) -> Result<String, ReportError> {
    let view = view::build(data)?;
    let env = environment()?;
    let template = env.get_template("report.html")?;
    Ok(template.render(Value::from(Serde(&view)))?)
}

fn environment() -> Result<Environment<'static>, ReportError> {
    let mut env = Environment::new();
    // A missing label or field is a bug: fail loudly rather than print nothing.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template("report.html", REPORT_TEMPLATE)?;
    env.add_template("report.css", REPORT_CSS)?;
    Ok(env)
}
