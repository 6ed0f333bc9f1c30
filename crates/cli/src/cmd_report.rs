//! `mailcase report`: assembles the report data from the case and writes the reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::Utc;

use mailcase_case::Case;
use mailcase_enrich::Enricher;
use mailcase_report::{
    AccountSummary, AsnRow, CountRow, DetectionSummary, EvidenceItem, FindingItem, IndicatorItem, IndicatorRef,
    JournalItem, Lang, ReportData, TimelineItem, VerdictItem,
};

use crate::Ctx;
use crate::args::ReportArgs;

pub fn run(ctx: &Ctx, a: ReportArgs) -> Result<ExitCode> {
    let case = ctx.open_case(&a.case.dir)?;
    let enricher = crate::cmd_geoip::open_enricher_quietly(a.geoip_dir);
    let paths = write(&case, &enricher)?;
    let author = crate::journal_util::author_or_default(None);
    for p in &paths {
        println!("{}", t!("report-written", path = p.display().to_string()));
    }
    if let Some(html) = paths.iter().find(|p| p.extension().is_some_and(|e| e == "html")) {
        crate::journal_util::system(&case, &author, t!("journal-report-written", path = html.display().to_string()), vec![])?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `reports/report.html` and `reports/report.json`; returns their paths.
pub fn write(case: &Case, enricher: &Enricher) -> Result<Vec<PathBuf>> {
    let data = assemble(case, enricher)?;
    let dir = case.reports_dir();
    mailcase_report::write_reports(&data, &dir).with_context(|| dir.display().to_string())
}

fn assemble(case: &Case, enricher: &Enricher) -> Result<ReportData> {
    let settings = case.settings();
    let lang = match crate::i18n::lang() {
        crate::i18n::Lang::Fr => Lang::Fr,
        crate::i18n::Lang::En => Lang::En,
    };
    let evidence: Vec<EvidenceItem> = case
        .list_evidence()?
        .into_iter()
        .map(|e| EvidenceItem {
            id: e.id,
            file_name: Path::new(&e.original_path)
                .file_name()
                .map_or_else(|| e.original_path.clone(), |n| n.to_string_lossy().into_owned()),
            sha256: e.sha256,
            size: e.size,
            format: crate::cmd_evidence::format_description(e.format.as_deref()),
            imported_at: e.imported_at,
            records: e.records,
            events: e.events,
            warnings: e.warnings,
        })
        .collect();
    let warnings_total = evidence.iter().map(|e| e.warnings).sum();
    let accounts = case
        .accounts_seen()?
        .into_iter()
        .map(|a| AccountSummary {
            account: a.account,
            events: a.events,
            signins_ok: a.signins_ok,
            signins_failed: a.signins_failed,
            countries: a.countries,
            first_seen: a.first,
            last_seen: a.last,
        })
        .collect();
    let signins_by_country = case
        .signins_by_country()?
        .into_iter()
        .map(|g| CountRow {
            key: g.key.clone().unwrap_or_default(),
            label: g.key.unwrap_or_else(|| "?".to_owned()),
            signins_ok: g.success,
            signins_failed: g.failure,
            accounts: g.account_list,
        })
        .collect();
    let signins_by_asn = case
        .signins_by_asn()?
        .into_iter()
        .filter_map(|g| {
            let asn = g.key.as_deref()?.parse().ok()?;
            Some(AsnRow {
                asn,
                org: g.label.unwrap_or_default(),
                country: None,
                signins_ok: g.success,
                signins_failed: g.failure,
                accounts: g.account_list,
            })
        })
        .collect();
    let timeline = case
        .timeline()?
        .into_iter()
        .map(|row| TimelineItem {
            time: row.time,
            action: crate::cmd_timeline::action_text(&row),
            source: row.source.unwrap_or_default(),
            actor: row.actor,
            account: row.account,
            comment: row.comment.unwrap_or_default(),
            event_id: row.event_id.map(|id| mailcase_model::EventId(id).to_string()),
        })
        .collect();
    let entries = case.journal_entries()?;
    let journal = entries
        .iter()
        .map(|e| JournalItem {
            seq: e.seq,
            occurred_at: e.occurred_at,
            recorded_at: e.recorded_at,
            author: e.author.clone(),
            kind: e.kind.as_str().to_owned(),
            text: if e.kind == mailcase_case::EntryKind::Strike {
                t!("journal-strike-text", seq = e.strikes.unwrap_or(0), reason = e.reason.clone().unwrap_or_default())
            } else {
                e.text.clone()
            },
            struck_by: e.struck_by,
            strike_reason: e
                .struck_by
                .and_then(|by| entries.iter().find(|s| s.seq == by))
                .and_then(|s| s.reason.clone()),
            hash: e.hash.clone(),
        })
        .collect();
    let journal_verified = case.journal_verify()?.is_ok();
    let detection = detection_data(case)?;
    let geo_attribution = enricher.databases().iter().map(|d| d.attribution.clone()).filter(|a| !a.is_empty()).collect();
    Ok(ReportData {
        case_name: settings.name.clone(),
        generated_at: Utc::now(),
        time_zone: settings.time_zone.clone(),
        lang,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        org_domains: settings.org_domains.clone(),
        evidence,
        accounts,
        signins_by_country,
        signins_by_asn,
        timeline,
        journal,
        journal_verified,
        warnings_total,
        geo_attribution,
        verdicts: detection.verdicts,
        findings: detection.findings,
        indicators: detection.indicators,
        detection: detection.summary,
    })
}

struct Detection {
    verdicts: Vec<VerdictItem>,
    findings: Vec<FindingItem>,
    indicators: Vec<IndicatorItem>,
    summary: Option<DetectionSummary>,
}

fn detection_data(case: &Case) -> Result<Detection> {
    let lang = crate::i18n::lang().code();
    let Some(run) = case.last_detection_run()? else {
        return Ok(Detection { verdicts: vec![], findings: vec![], indicators: vec![], summary: None });
    };
    let verdicts = case
        .verdicts()?
        .into_iter()
        .map(|v| VerdictItem {
            account: v.account.to_string(),
            level: v.level.as_str().to_owned(),
            reasons: v.reasons.iter().map(|r| r.get(lang).to_owned()).collect(),
            finding_ids: v.finding_ids,
        })
        .collect();
    let findings = case
        .findings(&mailcase_case::FindingFilter::default())?
        .into_iter()
        .map(|f| {
            let x = f.finding;
            FindingItem {
                id: f.id,
                rule_id: x.rule_id,
                title: x.title.get(lang).to_owned(),
                explanation: x.explanation.get(lang).to_owned(),
                severity: x.severity.as_str().to_owned(),
                confidence: serde_json::to_value(x.confidence).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
                account: x.account.map(|a| a.to_string()),
                other_accounts: x.other_accounts.iter().map(|a| a.to_string()).collect(),
                first: x.first,
                last: x.last,
                event_count: f.event_count,
                attack: x.attack,
                qualification: x.qualification,
                indicators: x.indicators.iter().map(|i| IndicatorRef { kind: i.kind.as_str().to_owned(), value: i.value.clone() }).collect(),
            }
        })
        .collect();
    let indicators = case
        .indicators()?
        .into_iter()
        .map(|i| IndicatorItem {
            kind: i.kind.as_str().to_owned(),
            value: i.value,
            first_seen: i.first_seen,
            last_seen: i.last_seen,
            finding_ids: i.finding_ids,
        })
        .collect();
    let summary = Some(DetectionSummary {
        rules_loaded: run.rules_loaded,
        rules_unsupported: run.rules_unsupported,
        findings: run.findings,
        finished_at: run.finished_at,
    });
    Ok(Detection { verdicts, findings, indicators, summary })
}
