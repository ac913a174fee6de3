//! The workspace document: the thematic groups and the cards of each.

use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};

use crate::card::SCHEMA_VERSION;

/// The steering committee's secretariat: a group of its own (not a
/// thematic one) whose writers adopt and publish validated cards.
pub const SECRETARIAT: &str = "secretariat";
/// The steering committee, as a body that meets (its members: the
/// administrations' and associations' representatives and the secretariat).
pub const STEERING_COMMITTEE: &str = "steering_committee";

/// The groups that are not thematic: the secretariat and the committee.
pub const OTHER_GROUPS: [&str; 2] = [SECRETARIAT, STEERING_COMMITTEE];

/// The six thematic groups the steering committee proposed on 3 February
/// 2026, in its order.
pub const GROUPS: [&str; 6] = [
    "disability_inclusion",
    "digital_governance",
    "climate_environment",
    "civic_space",
    "open_justice",
    "transparency_integrity",
];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Group {
    pub id: String,
    /// `automerge:` URLs of the group's cards.
    pub cards: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workspace {
    pub schema: u32,
    pub kind: String,
    pub groups: Vec<Group>,
}

impl Workspace {
    pub fn from_json(v: &Json) -> Result<Workspace, serde_json::Error> {
        serde_json::from_value(v.clone())
    }
}

/// The JSON of a workspace with the six groups, each with `cards(group)`.
pub fn workspace_json(mut cards: impl FnMut(&str) -> Vec<String>) -> Json {
    let groups: Vec<Json> = GROUPS
        .iter()
        .map(|g| json!({ "id": g, "cards": cards(g) }))
        .collect();
    json!({ "schema": SCHEMA_VERSION, "kind": "workspace", "groups": groups })
}
