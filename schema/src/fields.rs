//! Every field of the commitment card, declared once: its path, how it is
//! edited ([`Kind`]), its label key, whether the validator requires it
//! ([`Need`]), where the editor lays it out ([`Panel`], a group) and
//! whether the exports print it.
//!
//! The editor lays the card out from [`CARD`] (through the WASM client's
//! `cardFields()`), the validator takes its required fields and columns
//! from it, and the exports their fields, sections and table columns. A new
//! field is a new row here (and its labels in [`crate::labels`]).

use serde::Serialize;

use crate::card::{
    ACTIVITY_STATUSES, ACTOR_KINDS, AXES, COMPLETIONS, DECISIONS, INDICATOR_KINDS, WORKFLOW,
};

/// How the editor binds a field, and how the exports print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// Collaborative text in one language (`rows` lines tall).
    Text {
        rows: u8,
    },
    /// A text in Arabic, French and Amazigh, each with its status.
    Multilingual {
        rows: u8,
    },
    /// An ISO date, shown in the interface's form.
    Date,
    Number,
    Check,
    /// One of a list: its values are [`choices`]`(choices)`, each labelled
    /// `{labels}.{value}`; `radio`: shown as radio buttons.
    Choice {
        choices: &'static str,
        labels: &'static str,
        radio: bool,
    },
    /// The OGP values, each ticked with a justification.
    Values,
    /// A list of rows (`item`: the label key of one row; `row`: the kind
    /// of blank row to add).
    Table {
        item: &'static str,
        row: &'static str,
        columns: &'static [Column],
    },
}

/// What the validator asks of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    Optional,
    /// Blocks completeness when empty.
    Required,
    /// Shown when empty, does not block.
    Recommended,
}

/// The editor's panels, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Panel {
    General,
    Description,
    Plan,
    FollowUp,
}

/// One column of a table field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Column {
    pub key: &'static str,
    /// Label key.
    pub label: &'static str,
    /// [`Kind::Text`], [`Kind::Multilingual`] (a title, a deliverable, a
    /// label: in ar/fr/zgh like the long texts), [`Kind::Date`] or
    /// [`Kind::Choice`].
    #[serde(flatten)]
    pub kind: Kind,
    pub need: Need,
    /// Printed in the exports' tables.
    pub export: bool,
}

/// One field of the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Field {
    /// JSON path, `/`-separated (`budget/amount`).
    pub path: &'static str,
    /// Label key.
    pub label: &'static str,
    #[serde(flatten)]
    pub kind: Kind,
    pub need: Need,
    pub panel: Panel,
    /// Fields laid out together: `pair` (side by side), else a fieldset
    /// whose legend is this label key.
    pub group: Option<&'static str>,
    /// Printed among the exports' fields or sections.
    pub export: bool,
}

/// The values of a choice list, by the name [`Kind::Choice`] gives.
pub fn choices(name: &str) -> &'static [&'static str] {
    match name {
        "axes" => &AXES,
        "groups" => &crate::workspace::GROUPS,
        "workflow" => &WORKFLOW,
        "actorKinds" => &ACTOR_KINDS,
        "activityStatuses" => &ACTIVITY_STATUSES,
        "indicatorKinds" => &INDICATOR_KINDS,
        "decisions" => &DECISIONS,
        "completions" => &COMPLETIONS,
        _ => &[],
    }
}

const fn text(rows: u8) -> Kind {
    Kind::Text { rows }
}

const fn multi(rows: u8) -> Kind {
    Kind::Multilingual { rows }
}

const fn choice(choices: &'static str, labels: &'static str) -> Kind {
    Kind::Choice {
        choices,
        labels,
        radio: false,
    }
}

const fn col(
    key: &'static str,
    label: &'static str,
    kind: Kind,
    need: Need,
    export: bool,
) -> Column {
    Column {
        key,
        label,
        kind,
        need,
        export,
    }
}

const fn field(
    path: &'static str,
    label: &'static str,
    kind: Kind,
    need: Need,
    panel: Panel,
) -> Field {
    Field {
        path,
        label,
        kind,
        need,
        panel,
        group: None,
        export: true,
    }
}

const fn grouped(mut f: Field, group: &'static str) -> Field {
    f.group = Some(group);
    f
}

const fn unprinted(mut f: Field) -> Field {
    f.export = false;
    f
}

use Need::{Optional, Recommended, Required};
use Panel::{Description, FollowUp, General, Plan};

const ACTORS: [Column; 3] = [
    col(
        "organisation",
        "actor.organisation",
        text(1),
        Optional,
        true,
    ),
    col(
        "kind",
        "actor.kind",
        choice("actorKinds", "kind"),
        Optional,
        true,
    ),
    col("role", "actor.role", text(1), Optional, true),
];

const ACTIVITIES: [Column; 7] = [
    col("title", "activity.title", multi(1), Required, true),
    col(
        "deliverable",
        "activity.deliverable",
        multi(1),
        Required,
        true,
    ),
    col("start", "activity.start", Kind::Date, Required, true),
    col("end", "activity.end", Kind::Date, Required, true),
    col(
        "responsible",
        "activity.responsible",
        text(1),
        Required,
        true,
    ),
    col(
        "status",
        "activity.status",
        choice("activityStatuses", "astatus"),
        Optional,
        true,
    ),
    col("evidence", "activity.evidence", text(1), Optional, false),
];

const INDICATORS: [Column; 6] = [
    col("label", "indicator.label", multi(1), Required, true),
    col(
        "kind",
        "indicator.kind",
        choice("indicatorKinds", "ikind"),
        Required,
        true,
    ),
    col("unit", "indicator.unit", text(1), Optional, true),
    col("baseline", "indicator.baseline", text(1), Optional, true),
    col("target", "indicator.target", text(1), Required, true),
    col(
        "verification",
        "indicator.verification",
        text(1),
        Required,
        true,
    ),
];

const fn contact(path: &'static str, label: &'static str, who: &'static str) -> Field {
    grouped(field(path, label, text(1), Optional, FollowUp), who)
}

/// The card, field by field, in the order of the editor and the exports.
pub const CARD: &[Field] = &[
    field("number", "number", text(1), Recommended, General),
    field("axis", "axis", choice("axes", "axis"), Required, General),
    field(
        "group",
        "group",
        choice("groups", "group"),
        Required,
        General,
    ),
    field(
        "workflow",
        "workflow",
        choice("workflow", "workflow"),
        Optional,
        General,
    ),
    field("title", "title", multi(1), Required, General),
    field("summary", "summary", multi(2), Required, General),
    field("lead", "lead", text(1), Required, General),
    grouped(
        field("start", "start", Kind::Date, Required, General),
        "pair",
    ),
    grouped(field("end", "end", Kind::Date, Required, General), "pair"),
    field(
        "actors",
        "actors",
        Kind::Table {
            item: "actor.organisation",
            row: "actor",
            columns: &ACTORS,
        },
        Recommended,
        General,
    ),
    field("problem", "problem", multi(3), Required, Description),
    field("causes", "causes", multi(3), Required, Description),
    field("baseline", "baseline", multi(3), Optional, Description),
    field("solution", "solution", multi(3), Required, Description),
    field("results", "results", multi(3), Required, Description),
    field(
        "contribution",
        "contribution",
        multi(3),
        Required,
        Description,
    ),
    field("values", "values", Kind::Values, Required, Description),
    field(
        "activities",
        "activities",
        Kind::Table {
            item: "activity",
            row: "activity",
            columns: &ACTIVITIES,
        },
        Required,
        Plan,
    ),
    field(
        "indicators",
        "indicators",
        Kind::Table {
            item: "indicator",
            row: "indicator",
            columns: &INDICATORS,
        },
        Required,
        Plan,
    ),
    grouped(
        field(
            "budget/amount",
            "budget.amount",
            Kind::Number,
            Optional,
            FollowUp,
        ),
        "budget",
    ),
    grouped(
        field(
            "budget/source",
            "budget.source",
            text(1),
            Optional,
            FollowUp,
        ),
        "budget",
    ),
    grouped(
        field(
            "budget/funded",
            "budget.funded",
            Kind::Check,
            Optional,
            FollowUp,
        ),
        "budget",
    ),
    field("sdgs", "sdgs", text(2), Optional, FollowUp),
    field("proposals", "proposals", text(2), Optional, FollowUp),
    contact(
        "contacts/government/name",
        "contact.name",
        "contacts.government",
    ),
    contact(
        "contacts/government/title",
        "contact.title",
        "contacts.government",
    ),
    contact(
        "contacts/government/department",
        "contact.department",
        "contacts.government",
    ),
    contact(
        "contacts/government/email",
        "contact.email",
        "contacts.government",
    ),
    contact(
        "contacts/government/phone",
        "contact.phone",
        "contacts.government",
    ),
    contact(
        "contacts/civilSociety/name",
        "contact.name",
        "contacts.civilSociety",
    ),
    contact(
        "contacts/civilSociety/title",
        "contact.title",
        "contacts.civilSociety",
    ),
    contact(
        "contacts/civilSociety/department",
        "contact.department",
        "contacts.civilSociety",
    ),
    contact(
        "contacts/civilSociety/email",
        "contact.email",
        "contacts.civilSociety",
    ),
    contact(
        "contacts/civilSociety/phone",
        "contact.phone",
        "contacts.civilSociety",
    ),
    grouped(
        field(
            "revision/decision",
            "revision.decision",
            Kind::Choice {
                choices: "decisions",
                labels: "decision",
                radio: true,
            },
            Required,
            FollowUp,
        ),
        "revision",
    ),
    grouped(
        field(
            "revision/rationale",
            "revision.rationale",
            multi(2),
            Optional,
            FollowUp,
        ),
        "revision",
    ),
    grouped(
        field(
            "revision/meeting",
            "revision.meeting",
            Kind::Date,
            Optional,
            FollowUp,
        ),
        "revision",
    ),
    unprinted(grouped(
        field(
            "assessment/completion",
            "assessment.completion",
            choice("completions", "completion"),
            Optional,
            FollowUp,
        ),
        "assessment",
    )),
    unprinted(grouped(
        field(
            "assessment/percent",
            "assessment.percent",
            Kind::Number,
            Optional,
            FollowUp,
        ),
        "assessment",
    )),
    unprinted(grouped(
        field(
            "assessment/narrative",
            "assessment.narrative",
            text(2),
            Optional,
            FollowUp,
        ),
        "assessment",
    )),
    unprinted(grouped(
        field(
            "assessment/evidence",
            "assessment.evidence",
            text(1),
            Optional,
            FollowUp,
        ),
        "assessment",
    )),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::label;
    use crate::lang::Lang;

    #[test]
    fn every_field_and_column_has_a_label_and_its_choices_exist() {
        for f in CARD {
            for lang in [Lang::Ar, Lang::Fr, Lang::Zgh] {
                assert_ne!(
                    label(f.label, lang),
                    f.label,
                    "{} has no label in {lang:?}",
                    f.path
                );
            }
            let kinds: Vec<Kind> = match f.kind {
                Kind::Table { columns, item, .. } => {
                    assert_ne!(label(item, Lang::Fr), item);
                    columns.iter().map(|c| c.kind).collect()
                }
                k => vec![k],
            };
            for k in kinds {
                if let Kind::Choice {
                    choices: c, labels, ..
                } = k
                {
                    assert!(!choices(c).is_empty(), "{}: no choice list {c}", f.path);
                    for v in choices(c) {
                        let key = format!("{labels}.{v}");
                        assert_ne!(label(&key, Lang::Fr), key, "no label {key}");
                    }
                }
            }
        }
    }

    #[test]
    fn fields_and_columns_serialise_flat_for_the_editor() {
        let json = serde_json::to_value(CARD).unwrap();
        let axis = &json[1];
        assert_eq!(
            (axis["path"].as_str(), axis["kind"].as_str()),
            (Some("axis"), Some("choice"))
        );
        assert_eq!(axis["choices"], "axes");
        let activities = json
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == "activities")
            .unwrap();
        assert_eq!(activities["kind"], "table");
        let status = &activities["columns"][5];
        assert_eq!(
            (status["key"].as_str(), status["kind"].as_str()),
            (Some("status"), Some("choice"))
        );
        assert_eq!(status["labels"], "astatus");
    }

    #[test]
    fn every_field_of_a_blank_card_is_declared() {
        let blank = crate::card::blank_card("open_justice");
        let declared = |top: &str| CARD.iter().any(|f| f.path.split('/').next() == Some(top));
        for key in blank.as_object().unwrap().keys() {
            if ["schema", "kind"].contains(&key.as_str()) {
                continue;
            }
            assert!(
                declared(key),
                "the card's {key:?} is not declared in fields::CARD"
            );
        }
    }
}
