//! Between JS values and the client's types: JSON, paths, document URLs,
//! presence values, save states; the clock and errors for JS.

use super::*;

pub(super) fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

pub(super) fn err(e: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&e.to_string()).into()
}

pub(super) fn to_js(v: &Json) -> JsValue {
    use serde::Serialize;
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

pub(super) fn from_js(v: JsValue) -> Result<Json, JsValue> {
    serde_wasm_bindgen::from_value(v).map_err(err)
}

pub(super) fn path(v: JsValue) -> Result<Vec<Key>, JsValue> {
    match from_js(v)? {
        Json::Array(items) => items
            .iter()
            .map(|k| Key::from_json(k).map_err(err))
            .collect(),
        Json::Null => Ok(vec![]),
        _ => Err(err(edit::EditError::BadPath)),
    }
}

pub(super) fn doc_id(url: &str) -> Result<DocumentId, JsValue> {
    DocumentId::from_url(url).map_err(err)
}

pub(super) fn json_to_presence(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => n
            .as_i64()
            .map(Value::Int)
            .unwrap_or(Value::Float(n.as_f64().unwrap_or(0.0))),
        Json::String(s) => Value::Text(s.clone()),
        Json::Array(a) => Value::Array(a.iter().map(json_to_presence).collect()),
        Json::Object(m) => Value::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), json_to_presence(v)))
                .collect(),
        ),
    }
}

pub(super) fn presence_to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Text(s) => json!(s),
        Value::Bytes(_) => Json::Null,
        Value::Array(a) => Json::Array(a.iter().map(presence_to_json).collect()),
        Value::Map(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), presence_to_json(v)))
                .collect(),
        ),
    }
}

pub(super) fn save_name(s: SaveState) -> &'static str {
    match s {
        SaveState::Saved => "saved",
        SaveState::Saving => "saving",
        SaveState::Offline => "offline",
    }
}
