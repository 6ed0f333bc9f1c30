//! `--help`, usage lines and clap's error messages in the user's language.
//!
//! English is the source: the doc comments of `args.rs`, as clap's derive turns them
//! into help. For French, the built command tree is walked and every text is replaced
//! by a message of `i18n/fr.ftl` whose id follows the tree:
//!
//! - `help-about`: the program; `help-<cmd>`, `help-<cmd>-<sub>`: a command's about;
//! - `help-<cmd>-<arg>` (`help-journal-add-at`), else `help-arg-<arg>` shared by every
//!   command whose argument has the same English text; `help-<arg>` for global options;
//! - `help-value-<name>`: value names (`<DIR>`), `help-possible-<value>`: enum values;
//! - `help-flag-*`, `help-cmd-help`, `help-heading-*`, `help-spec-*`: clap's own texts.
//!
//! clap hard-codes its headings ("Usage:", "Options:"...) and the `[default: ...]`
//! notes, so in French each command gets a help template with translated headings, and
//! the notes are hidden and written again into the help text. Errors get a French
//! [`ErrorFormatter`]. `en.ftl` mirrors the English texts; a test keeps them equal.

use std::ffi::OsString;

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, Error, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

use crate::args::Cli;
use crate::i18n::Lang;

/// Parses the command line; help, usage and errors follow the user's language.
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = help_lang(&args, std::env::var("MAILCASE_LANG").ok(), Lang::from_env);
    let mut cmd = command(lang);
    let parsed = cmd
        .try_get_matches_from_mut(&args)
        .and_then(|m| Cli::from_arg_matches(&m).map_err(|e| e.format(&mut cmd)));
    parsed.unwrap_or_else(|err| match lang {
        Lang::Fr => err.apply::<FrenchErrors>().exit(),
        Lang::En => err.exit(),
    })
}

/// The language of help and errors: `--lang` (peeked at before clap parses, since
/// clap needs the texts first), else `MAILCASE_LANG`, else the system locale.
fn help_lang(args: &[OsString], env_lang: Option<String>, locale: impl FnOnce() -> Lang) -> Lang {
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    let mut from_args = None;
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        } else if word == "--lang" {
            from_args = words.next().and_then(|v| Lang::from_code(&v));
        } else if let Some(value) = word.strip_prefix("--lang=") {
            from_args = Lang::from_code(value);
        }
    }
    from_args.or_else(|| env_lang.and_then(|v| Lang::from_code(&v))).unwrap_or_else(locale)
}

/// The built command tree, its texts in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    // Building first creates clap's own `--help`, `--version` and `help` command and
    // copies the global options into every command, so the walk reaches them all.
    cmd.build();
    match lang {
        Lang::En => cmd,
        Lang::Fr => Translator::new(Catalog::new(Lang::Fr)).command(cmd, ""),
    }
}

/// One embedded `.ftl` catalogue.
struct Catalog(FluentBundle<FluentResource>);

impl Catalog {
    fn new(lang: Lang) -> Catalog {
        let (tag, text) = match lang {
            Lang::Fr => ("fr", include_str!("../i18n/fr.ftl")),
            Lang::En => ("en", include_str!("../i18n/en.ftl")),
        };
        let id = tag.parse().expect("static language tag");
        let mut bundle = FluentBundle::new(vec![id]);
        bundle.set_use_isolating(false);
        // Both catalogues parse without error (tested in `i18n`).
        if let Ok(resource) = FluentResource::try_new(text.to_owned()) {
            let _ = bundle.add_resource(resource);
        }
        Catalog(bundle)
    }

    fn has(&self, id: &str) -> bool {
        self.0.has_message(id)
    }

    fn format(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> Option<String> {
        let pattern = self.0.get_message(id)?.value()?;
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        Some(self.0.format_pattern(pattern, Some(&fargs), &mut errors).into_owned())
    }

    fn get(&self, id: &str) -> Option<String> {
        self.format(id, &[])
    }
}

/// Walks a built command tree and replaces its texts with a catalogue's.
struct Translator {
    catalog: Catalog,
    /// Texts with none of their ids in the catalogue (English is kept for them).
    missing: Vec<String>,
    /// In tests: the English catalogue, to check it says what the doc comments say.
    english: Option<Catalog>,
    /// In tests: ids whose English message differs from the doc comment.
    mismatched: Vec<String>,
}

impl Translator {
    fn new(catalog: Catalog) -> Translator {
        Translator { catalog, missing: Vec::new(), english: None, mismatched: Vec::new() }
    }

    /// The message of the first id the catalogue has; `english` is the text it replaces.
    fn text(&mut self, ids: &[String], english: &str) -> Option<String> {
        let Some(id) = ids.iter().find(|id| self.catalog.has(id)) else {
            self.missing.push(ids.first().cloned().unwrap_or_default());
            return None;
        };
        if let Some(en) = self.english.as_ref().and_then(|c| c.get(id)).filter(|en| en != english) {
            self.mismatched.push(format!("{id}: en.ftl says {en:?}, args.rs says {english:?}"));
        }
        self.catalog.get(id)
    }

    /// A fixed text of clap or of this module.
    fn fixed(&mut self, id: &str) -> String {
        if !self.catalog.has(id) {
            self.missing.push(id.to_owned());
        }
        self.catalog.get(id).unwrap_or_else(|| id.to_owned())
    }

    /// `cmd`, whose path of names below the program is `path` (`"journal-add"`).
    fn command(&mut self, mut cmd: Command, path: &str) -> Command {
        // clap's `help` command gets the parent's path: its copies of the commands
        // below reuse their ids.
        let is_help = cmd.get_name() == "help";
        let about_id = match (is_help, path.is_empty()) {
            (true, _) => "help-cmd-help".to_owned(),
            (false, true) => "help-about".to_owned(),
            (false, false) => format!("help-{path}"),
        };
        let about = cmd.get_about().map(ToString::to_string);
        if let Some(text) = about.and_then(|en| self.text(std::slice::from_ref(&about_id), &en)) {
            cmd = cmd.about(text);
        }
        let long = cmd.get_long_about().map(ToString::to_string);
        if let Some(text) = long.and_then(|en| self.text(&[format!("{about_id}-long")], &en)) {
            cmd = cmd.long_about(text);
        }
        cmd = cmd.mut_args(|arg| self.arg(arg, path));
        if cmd.has_subcommands() {
            cmd = cmd.subcommand_value_name(leak(self.fixed("help-value-command")));
        }
        for sub in cmd.get_subcommands_mut() {
            let name = sub.get_name().to_owned();
            let sub_path = match (name == "help", path.is_empty()) {
                (true, _) => path.to_owned(),
                (false, true) => name,
                (false, false) => format!("{path}-{name}"),
            };
            *sub = self.command(std::mem::take(sub), &sub_path);
        }
        let template = self.template(&cmd);
        cmd.help_template(template)
    }

    /// One argument of the command at `path`.
    fn arg(&mut self, mut arg: Arg, path: &str) -> Arg {
        let ids = arg_ids(&arg, path);
        let mut help = arg.get_help().map(ToString::to_string).and_then(|en| self.text(&ids, &en));
        let mut long = arg.get_long_help().map(ToString::to_string).and_then(|en| {
            let long_ids: Vec<String> = ids.iter().map(|id| format!("{id}-long")).collect();
            self.text(&long_ids, &en)
        });
        if takes_values(&arg) {
            let names: Vec<String> = match arg.get_value_names() {
                Some(names) => names.iter().map(ToString::to_string).collect(),
                None => vec![arg.get_id().as_str().to_uppercase()],
            };
            let names: Vec<String> = names.iter().map(|n| self.text(&[value_name_id(n)], n).unwrap_or_else(|| n.clone())).collect();
            arg = arg.value_names(names.into_iter().map(leak));
        }
        let notes = self.notes(&arg, true);
        if !notes.is_empty() {
            let base = help.clone().unwrap_or_default();
            help = Some(join(&base, &notes, " "));
            // As clap does: the long help lists the values with their help instead.
            if let Some(values) = self.possible_values(&arg) {
                let text = join(&long.unwrap_or(base), &values, "\n\n");
                long = Some(join(&text, &self.notes(&arg, false), "\n\n"));
            } else if let Some(l) = long.take() {
                long = Some(join(&l, &notes, "\n\n"));
            }
            arg = arg.hide_env(true).hide_default_value(true).hide_possible_values(true);
        }
        if let Some(help) = help {
            arg = arg.help(help);
        }
        if let Some(long) = long {
            arg = arg.long_help(long);
        }
        arg
    }

    /// clap's `[env: ...] [default: ...] [possible values: ...]` notes, translated.
    fn notes(&mut self, arg: &Arg, with_possible: bool) -> String {
        let mut notes = Vec::new();
        if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
            let name = env.to_string_lossy().into_owned();
            let label = self.fixed("help-spec-env");
            notes.push(format!("[{label} {name}]"));
        }
        let defaults = arg.get_default_values();
        if !defaults.is_empty() && takes_values(arg) && !arg.is_hide_default_value_set() {
            let label = self.fixed("help-spec-default");
            let values: Vec<String> = defaults.iter().map(|v| v.to_string_lossy().into_owned()).collect();
            notes.push(format!("[{label} {}]", values.join(", ")));
        }
        let possible = arg.get_possible_values();
        if with_possible && !possible.is_empty() && !arg.is_hide_possible_values_set() {
            let label = self.fixed("help-spec-possible");
            let names: Vec<&str> = possible.iter().filter(|p| !p.is_hide_set()).map(|p| p.get_name()).collect();
            notes.push(format!("[{label} {}]", names.join(", ")));
        }
        notes.join(" ")
    }

    /// The long help's list of possible values with their help, when they have one.
    fn possible_values(&mut self, arg: &Arg) -> Option<String> {
        let possible = arg.get_possible_values();
        if arg.is_hide_possible_values_set() || !possible.iter().any(|p| p.get_help().is_some()) {
            return None;
        }
        let mut lines = vec![self.fixed("help-heading-possible")];
        for value in possible.iter().filter(|p| !p.is_hide_set()) {
            let name = value.get_name();
            let en = value.get_help().map(ToString::to_string).unwrap_or_default();
            let help = self.text(&[format!("help-possible-{}", id_part(name))], &en).unwrap_or(en);
            lines.push(format!("- {name}\u{a0}: {help}"));
        }
        Some(lines.join("\n"))
    }

    /// A help template like clap's default, with translated headings.
    fn template(&mut self, cmd: &Command) -> String {
        let styles = cmd.get_styles();
        let (usage, header) = (styles.get_usage(), styles.get_header());
        let mut text = format!("{{before-help}}{{about-with-newline}}\n{usage}{}{usage:#} {{usage}}", self.fixed("help-heading-usage"));
        let mut section = |title: String, tag: &str| {
            text.push_str(&format!("\n\n{header}{title}{header:#}\n{{{tag}}}"));
        };
        if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
            section(self.fixed("help-heading-commands"), "subcommands");
        }
        if cmd.get_positionals().any(|a| !a.is_hide_set()) {
            section(self.fixed("help-heading-arguments"), "positionals");
        }
        if cmd.get_arguments().any(|a| !a.is_positional() && !a.is_hide_set()) {
            section(self.fixed("help-heading-options"), "options");
        }
        text.push_str("{after-help}");
        text
    }
}

/// The ids an argument's help is looked up under, most specific first.
fn arg_ids(arg: &Arg, path: &str) -> Vec<String> {
    let id = id_part(arg.get_id().as_str());
    match arg.get_action() {
        // clap words `-h` differently when `--help` shows more.
        ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong if arg.get_long_help().is_some() => {
            return vec!["help-flag-help-more".to_owned()];
        }
        ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong => return vec!["help-flag-help".to_owned()],
        ArgAction::Version => return vec!["help-flag-version".to_owned()],
        _ => {}
    }
    if arg.is_global_set() || path.is_empty() {
        vec![format!("help-{id}")]
    } else {
        vec![format!("help-{path}-{id}"), format!("help-arg-{id}")]
    }
}

/// clap takes names as `&'static str` unless built with its `string` feature; the
/// command is built once per run, so the few bytes leaked are bounded.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn value_name_id(name: &str) -> String {
    format!("help-value-{}", id_part(name))
}

/// A name as a piece of a Fluent id: lower case, `-` for `_`.
fn id_part(name: &str) -> String {
    name.to_ascii_lowercase().replace('_', "-")
}

fn takes_values(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Set | ArgAction::Append)
}

/// `text` then `notes`, separated by `sep` when both are there.
fn join(text: &str, notes: &str, sep: &str) -> String {
    match (text.is_empty(), notes.is_empty()) {
        (true, _) => notes.to_owned(),
        (_, true) => text.to_owned(),
        _ => format!("{text}{sep}{notes}"),
    }
}

/// clap's errors in French, with the same context as clap's own formatter.
pub struct FrenchErrors;

impl ErrorFormatter for FrenchErrors {
    fn format_error(error: &Error<Self>) -> StyledStr {
        let fr = Catalog::new(Lang::Fr);
        let styles = clap::builder::Styles::styled();
        let (err_style, valid) = (styles.get_error(), styles.get_valid());
        let mut text = format!("{err_style}{}{err_style:#} ", fr.get("error-prefix").unwrap_or_default());
        text.push_str(&error_message(error, &fr));
        let suggestions = [
            (ContextKind::SuggestedSubcommand, "subcommand"),
            (ContextKind::SuggestedArg, "argument"),
            (ContextKind::SuggestedValue, "value"),
        ];
        let mut tips: Vec<String> = suggestions
            .iter()
            .filter_map(|(kind, what)| {
                let names = strings(error.get(*kind))?;
                let quoted: Vec<String> = names.iter().map(|n| quote(&fr, n)).collect();
                let args = [("what", FluentValue::from(*what)), ("count", names.len().into()), ("names", quoted.join(", ").into())];
                fr.format("clap-tip-similar", &args)
            })
            .collect();
        if let Some(ContextValue::StyledStrs(more)) = error.get(ContextKind::Suggested) {
            // clap writes these hints itself, in English: shown as they are.
            tips.extend(more.iter().map(ToString::to_string));
        }
        if !tips.is_empty() {
            text.push('\n');
        }
        let tip = fr.get("clap-tip").unwrap_or_default();
        for t in tips {
            text.push_str(&format!("\n  {valid}{tip}{valid:#} {t}"));
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let usage = usage.ansi().to_string().replacen("Usage:", &fr.get("help-heading-usage").unwrap_or_default(), 1);
            text.push_str(&format!("\n\n{usage}"));
        }
        if !matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
            let more = fr.format("clap-more-info", &[("flag", quote(&fr, "--help").into())]).unwrap_or_default();
            text.push_str(&format!("\n\n{more}"));
        }
        text.push('\n');
        StyledStr::from(text)
    }
}

/// The first line of a French error: what went wrong, with clap's context.
fn error_message<F: ErrorFormatter>(error: &Error<F>, fr: &Catalog) -> String {
    let string = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(quote(fr, s)),
        _ => None,
    };
    let number = |kind| match error.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n as i64),
        _ => None,
    };
    let arg = string(ContextKind::InvalidArg).unwrap_or_default();
    let value = string(ContextKind::InvalidValue).unwrap_or_default();
    let (id, args, list): (&str, Vec<(&str, FluentValue<'_>)>, _) = match error.kind() {
        ErrorKind::ArgumentConflict => return conflict(error, fr),
        ErrorKind::NoEquals => ("clap-no-equals", vec![("arg", arg.into())], None),
        ErrorKind::InvalidValue if error.get(ContextKind::InvalidValue).is_some_and(|v| v.to_string().is_empty()) => {
            ("clap-value-required", vec![("arg", arg.into())], Some(("clap-possible-values", ContextKind::ValidValue)))
        }
        ErrorKind::InvalidValue => (
            "clap-invalid-value",
            vec![("arg", arg.into()), ("value", value.into())],
            Some(("clap-possible-values", ContextKind::ValidValue)),
        ),
        ErrorKind::InvalidSubcommand => {
            ("clap-unknown-subcommand", vec![("name", string(ContextKind::InvalidSubcommand).unwrap_or_default().into())], None)
        }
        ErrorKind::MissingRequiredArgument => {
            let count = strings(error.get(ContextKind::InvalidArg)).map_or(0, |v| v.len());
            ("clap-missing-required", vec![("count", count.into())], Some(("", ContextKind::InvalidArg)))
        }
        ErrorKind::MissingSubcommand => (
            "clap-missing-subcommand",
            vec![("name", string(ContextKind::InvalidSubcommand).unwrap_or_default().into())],
            Some(("clap-possible-subcommands", ContextKind::ValidSubcommand)),
        ),
        ErrorKind::TooManyValues => ("clap-too-many-values", vec![("arg", arg.into()), ("value", value.into())], None),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let expected = number(ContextKind::MinValues).or(number(ContextKind::ExpectedNumValues)).unwrap_or(0);
            let actual = number(ContextKind::ActualNumValues).unwrap_or(0);
            ("clap-wrong-number-of-values", vec![("arg", arg.into()), ("expected", expected.into()), ("actual", actual.into())], None)
        }
        ErrorKind::ValueValidation => {
            // The reason comes from the value's parser (Rust's standard library): English.
            let reason = std::error::Error::source(error).map(ToString::to_string).unwrap_or_default();
            ("clap-invalid-value-reason", vec![("arg", arg.into()), ("value", value.into()), ("reason", reason.into())], None)
        }
        ErrorKind::UnknownArgument => ("clap-unknown-argument", vec![("arg", arg.into())], None),
        ErrorKind::InvalidUtf8 => ("clap-invalid-utf8", vec![], None),
        // Help, version and I/O errors carry their own text.
        _ => return error.kind().as_str().unwrap_or_default().to_owned(),
    };
    let mut text = fr.format(id, &args).unwrap_or_else(|| id.to_owned());
    let items = list.and_then(|(list_id, kind)| Some((list_id, strings(error.get(kind))?)));
    match items {
        // Missing arguments: one per line, as clap does.
        Some(("", items)) => items.iter().for_each(|item| text.push_str(&format!("\n  {item}"))),
        Some((list_id, items)) => {
            let line = fr.format(list_id, &[("values", items.join(", ").into())]).unwrap_or_default();
            text.push_str(&format!("\n  {line}"));
        }
        None => {}
    }
    text
}

/// `ArgumentConflict`: an argument given twice, or with another it excludes.
fn conflict<F: ErrorFormatter>(error: &Error<F>, fr: &Catalog) -> String {
    let arg = match error.get(ContextKind::InvalidArg).or(error.get(ContextKind::InvalidSubcommand)) {
        Some(ContextValue::String(s)) => s.clone(),
        _ => String::new(),
    };
    let others = match error.get(ContextKind::PriorArg) {
        Some(ContextValue::String(s)) if *s == arg => None,
        Some(ContextValue::String(s)) => Some(quote(fr, s)),
        Some(ContextValue::Strings(v)) => Some(v.iter().map(|s| quote(fr, s)).collect::<Vec<_>>().join(", ")),
        _ => Some(String::new()),
    };
    let quoted = quote(fr, &arg);
    match others {
        None => fr.format("clap-used-twice", &[("arg", quoted.into())]),
        Some(others) => fr.format("clap-conflict", &[("arg", quoted.into()), ("others", others.into())]),
    }
    .unwrap_or_default()
}

fn strings(value: Option<&ContextValue>) -> Option<Vec<String>> {
    match value? {
        ContextValue::String(s) => Some(vec![s.clone()]),
        ContextValue::Strings(v) if !v.is_empty() => Some(v.clone()),
        _ => None,
    }
}

fn quote(fr: &Catalog, text: &str) -> String {
    fr.format("clap-quoted", &[("text", text.into())]).unwrap_or_else(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    /// Every path of commands in the tree, `[]` for the program.
    fn paths(cmd: &Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(prefix.clone());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut path = prefix.clone();
            path.push(sub.get_name().to_owned());
            paths(sub, path, out);
        }
    }

    fn find<'a>(cmd: &'a mut Command, path: &[String]) -> &'a mut Command {
        match path.split_first() {
            None => cmd,
            Some((first, rest)) => {
                let sub = cmd.find_subcommand_mut(first).expect("path from the tree");
                find(sub, rest)
            }
        }
    }

    #[test]
    fn every_command_and_argument_has_a_french_text_and_english_matches_the_docs() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut translator = Translator::new(Catalog::new(Lang::Fr));
        translator.english = Some(Catalog::new(Lang::En));
        let _ = translator.command(cmd, "");
        assert!(translator.missing.is_empty(), "missing in fr.ftl: {:#?}", translator.missing);
        assert!(translator.mismatched.is_empty(), "en.ftl differs from args.rs: {:#?}", translator.mismatched);
    }

    #[test]
    fn french_help_has_no_english_left() {
        let mut cmd = command(Lang::Fr);
        let mut all = Vec::new();
        paths(&cmd, Vec::new(), &mut all);
        assert!(all.len() > 20, "{all:?}");
        for path in all {
            let sub = find(&mut cmd, &path);
            for help in [sub.render_help().to_string(), sub.render_long_help().to_string()] {
                assert!(help.contains("Utilisation : mailcase"), "{path:?}:\n{help}");
                for english in ["Usage:", "Options:", "Commands:", "Arguments:", "Print help", "Print version", "[default:", "[env:", "[possible values:", "Possible values:", "<DIR>", "<COMMAND>", "help-"] {
                    assert!(!help.contains(english), "{path:?} still says {english:?}:\n{help}");
                }
            }
        }
    }

    #[test]
    fn french_help_of_investigate() {
        let mut cmd = command(Lang::Fr);
        let help = find(&mut cmd, &["investigate".to_owned()]).render_long_help().to_string();
        assert!(help.contains("Options :"), "{help}");
        assert!(help.contains("Arguments :"), "{help}");
        assert!(help.contains("--case <RÉPERTOIRE>"), "{help}");
        assert!(help.contains("- fr\u{a0}: Français"), "{help}");
        let events = find(&mut cmd, &["events".to_owned()]).render_help().to_string();
        assert!(events.contains("[par défaut\u{a0}: table]"), "{events}");
        assert!(events.contains("[variable\u{a0}: MAILCASE_CASE]"), "{events}");
        let top = command(Lang::Fr).render_help().to_string();
        assert!(top.contains("Commandes :"), "{top}");
        assert!(top.contains("<COMMANDE>"), "{top}");
    }

    #[test]
    fn english_help_is_clap_default() {
        let help = command(Lang::En).render_help().to_string();
        assert!(help.contains("Usage: mailcase [OPTIONS] <COMMAND>"), "{help}");
        assert!(help.contains("Commands:"), "{help}");
    }

    fn french_error(args: &[&str]) -> String {
        let err = command(Lang::Fr).try_get_matches_from(args).expect_err("bad command line");
        err.apply::<FrenchErrors>().render().to_string()
    }

    #[test]
    fn french_errors() {
        let missing = french_error(&["mailcase", "events"]);
        assert!(missing.starts_with("erreur : "), "{missing}");
        assert!(missing.contains("--case <RÉPERTOIRE>"), "{missing}");
        assert!(missing.contains("Utilisation : mailcase events"), "{missing}");
        assert!(missing.contains("« --help »"), "{missing}");
        assert!(!missing.contains("Usage"), "{missing}");

        let unknown = french_error(&["mailcase", "events", "--case", "x", "--acount", "a"]);
        assert!(unknown.contains("« --acount »"), "{unknown}");
        assert!(unknown.contains("« --account »"), "{unknown}");

        let value = french_error(&["mailcase", "events", "--case", "x", "--format", "xml"]);
        assert!(value.contains("« xml »") && value.contains("table, csv, json"), "{value}");

        let number = french_error(&["mailcase", "events", "--case", "x", "--limit", "many"]);
        assert!(number.contains("« many »") && number.contains("--limit"), "{number}");

        let sub = french_error(&["mailcase", "jornal"]);
        assert!(sub.contains("« jornal »") && sub.contains("« journal »"), "{sub}");

        let conflict = french_error(&["mailcase", "pivot", "--case", "x", "--ip", "1.2.3.4", "--asn", "5"]);
        assert!(conflict.contains("« --ip <IP> »") || conflict.contains("« --asn"), "{conflict}");
        assert!(!conflict.contains("cannot"), "{conflict}");
    }

    #[test]
    fn language_is_peeked_before_parsing() {
        let en = || Lang::En;
        assert_eq!(help_lang(&os(&["mailcase", "--lang", "fr", "events"]), None, en), Lang::Fr);
        assert_eq!(help_lang(&os(&["mailcase", "events", "--lang=fr"]), Some("en".into()), en), Lang::Fr);
        assert_eq!(help_lang(&os(&["mailcase", "events", "--lang", "en"]), Some("fr".into()), || Lang::Fr), Lang::En);
        assert_eq!(help_lang(&os(&["mailcase", "events"]), Some("fr_FR.UTF-8".into()), en), Lang::Fr);
        assert_eq!(help_lang(&os(&["mailcase", "events"]), None, || Lang::Fr), Lang::Fr);
        // After `--` it is a value, not the option.
        assert_eq!(help_lang(&os(&["mailcase", "query", "--", "--lang=fr"]), None, en), Lang::En);
    }
}
