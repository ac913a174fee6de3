//! The card schema for JS: blank documents, choices, labels, the validator
//! and the exports, all from `codraft-schema` so the web app, the server's
//! seed and the exports agree.

use codraft_schema::card::{self, Card};
use codraft_schema::{Lang, describe, export, labels, validate};
use serde_json::{Value as Json, json};
use wasm_bindgen::prelude::*;

use super::{err, from_js, to_js};

fn lang(code: &str) -> Result<Lang, JsValue> {
    Lang::parse(code).ok_or_else(|| err(format!("unknown language {code:?}: ar, fr or zgh")))
}

fn read_card(v: JsValue) -> Result<Card, JsValue> {
    Card::from_json(&from_js(v)?).map_err(err)
}

/// The JSON of a new card in a thematic group.
#[wasm_bindgen(js_name = blankCard)]
pub fn blank_card(group: &str) -> JsValue {
    to_js(&card::blank_card(group))
}

/// A blank row: `activity`, `indicator` or `actor`.
#[wasm_bindgen(js_name = blankRow)]
pub fn blank_row(kind: &str) -> Result<JsValue, JsValue> {
    Ok(to_js(&match kind {
        "activity" => card::blank_activity(),
        "indicator" => card::blank_indicator("qualitative"),
        "actor" => card::blank_actor(),
        _ => return Err(err(format!("no row kind {kind:?}"))),
    }))
}

/// Every field of the card, in order (`codraft_schema::fields::CARD`):
/// `[{path, label, kind, rows?, choices?, labels?, radio?, item?, row?,
/// columns?, need, panel, group, export}]`. The editor lays the card out
/// from it; each choice list is resolved to its values.
#[wasm_bindgen(js_name = cardFields)]
pub fn card_fields() -> JsValue {
    to_js(&describe::card_fields())
}

/// The choices of every select and checkbox group of the card.
#[wasm_bindgen(js_name = cardChoices)]
pub fn card_choices() -> JsValue {
    to_js(&describe::card_choices())
}

/// Every field's and choice's name in a language (`ar`, `fr`, `zgh`).
#[wasm_bindgen(js_name = cardLabels)]
pub fn card_labels(code: &str) -> Result<JsValue, JsValue> {
    Ok(to_js(&Json::Object(labels::all(lang(code)?))))
}

/// What the card lacks: `[{code, field, severity, message}]`, messages in
/// `lang`.
#[wasm_bindgen(js_name = validateCard)]
pub fn validate_card(card: JsValue, code: &str) -> Result<JsValue, JsValue> {
    let l = lang(code)?;
    let issues: Vec<Json> = validate::validate(&read_card(card)?)
        .iter()
        .map(|i| {
            json!({ "code": i.code, "field": i.field, "severity": i.severity,
                    "message": i.message(l) })
        })
        .collect();
    Ok(to_js(&Json::Array(issues)))
}

/// The card as `markdown` or as a printable `html` page in `lang`;
/// `stylesheet` is linked from the HTML page (fonts). `date` (ISO) and
/// `version` are printed under the title.
#[wasm_bindgen(js_name = exportCard)]
pub fn export_card(
    card: JsValue,
    code: &str,
    format: &str,
    stylesheet: Option<String>,
    date: String,
    version: String,
) -> Result<String, JsValue> {
    let (card, l) = (read_card(card)?, lang(code)?);
    let imprint = export::Imprint { date, version };
    match format {
        "markdown" => Ok(export::markdown(&card, l, Some(&imprint))),
        "html" => Ok(export::html(
            &card,
            l,
            stylesheet.as_deref(),
            Some(&imprint),
        )),
        _ => Err(err(format!(
            "unknown export format {format:?}: markdown or html"
        ))),
    }
}

/// An ISO date as people write it in `lang`.
#[wasm_bindgen(js_name = formatDate)]
pub fn format_date(iso: &str, code: &str) -> Result<String, JsValue> {
    Ok(codraft_schema::lang::format_date(iso, lang(code)?))
}
