//! The documents' quality notes: ingest's warnings about a member's figures (implausible values,
//! disagreement with the national table or between files), one sentence each naming the variable,
//! the value as read, the file and line, and the likely cause. The report lists its member's, the
//! handbook every member's, the briefing counts them and points to the report.

use serde::Serialize;

use super::super::common::fill_text;
use super::super::Renderer;
use crate::compute::MemberFacts;
use crate::ingest::plausible::{Concern, DataWarning, Magnitude};

/// A member's quality notes in the handbook.
#[derive(Serialize)]
pub struct MemberNotes {
    pub name: String,
    pub notes: Vec<String>,
}

/// One sentence per warning, in the order ingest found them.
pub fn notes(r: &Renderer, m: &MemberFacts) -> Vec<String> {
    m.data_warnings.iter().map(|w| note(r, w)).collect()
}

/// Every member's notes, for the handbook (members without notes are left out).
pub fn members_notes<'a>(r: &Renderer, members: impl IntoIterator<Item = &'a MemberFacts>) -> Vec<MemberNotes> {
    members
        .into_iter()
        .filter(|m| !m.data_warnings.is_empty())
        .map(|m| MemberNotes {
            name: m.member.name.clone(),
            notes: notes(r, m),
        })
        .collect()
}

/// The briefing's one line: how many notes, and where to read them (empty without notes).
pub fn briefing_line(r: &Renderer, m: &MemberFacts) -> String {
    match m.data_warnings.len() {
        0 => String::new(),
        n => fill_text(r, "quality_briefing", &[("count", n.to_string())]),
    }
}

/// A value as it was read: all its decimals (a German `3.548` read as 3.548 must show as such).
fn value(r: &Renderer, v: f64) -> String {
    let shortest = format!("{v}");
    let places = shortest.split_once('.').map_or(0, |(_, f)| f.len());
    r.locale.number(v, places)
}

/// `file, line N` in the document's words (the file alone when the line is unknown).
fn place(r: &Renderer, file: &str, line: usize) -> String {
    if line == 0 {
        return file.to_string();
    }
    fill_text(
        r,
        "quality_place",
        &[("file", file.to_string()), ("line", line.to_string())],
    )
}

/// The variable by its document label where it has one, with its name in the inputs.
fn variable(r: &Renderer, w: &DataWarning) -> String {
    let label = r.locale.label("label", &w.variable);
    let what = w.what();
    if label == w.variable {
        what
    } else {
        format!("{label} ({what})")
    }
}

fn note(r: &Renderer, w: &DataWarning) -> String {
    let mut vars = vec![
        ("variable", variable(r, w)),
        ("date", w.date.display(r.locale.style)),
        ("value", value(r, w.value)),
        ("place", place(r, &w.file, w.line)),
    ];
    match &w.concern {
        Concern::NotWhole { meant } => {
            let mut s = fill_text(r, "quality_not_whole", &vars);
            if let Some(m) = meant {
                s.push(' ');
                s.push_str(&fill_text(r, "quality_german_number", &[("meant", value(r, *m))]));
            }
            s
        }
        Concern::AboveAny { limit } => {
            vars.push(("limit", value(r, *limit)));
            fill_text(r, "quality_above_any", &vars)
        }
        Concern::National {
            file,
            line,
            value: national,
            tolerance_pct,
            magnitude,
        } => {
            let apart = ((w.value - national) / national).abs() * 100.0;
            vars.extend([
                ("national_place", place(r, file, *line)),
                ("national_value", value(r, *national)),
                ("difference", r.locale.number(apart, 0)),
                ("tolerance", value(r, *tolerance_pct)),
            ]);
            // Orders of magnitude apart, the percentage says nothing (109,906 %): the cause does.
            let key = if magnitude.is_some() {
                "quality_national_far"
            } else {
                "quality_national"
            };
            let mut s = fill_text(r, key, &vars);
            match magnitude {
                Some(Magnitude::GermanNumber) => {
                    s.push(' ');
                    s.push_str(&r.locale.text("quality_magnitude_german"));
                }
                Some(Magnitude::Factor(f)) => {
                    s.push(' ');
                    s.push_str(&fill_text(
                        r,
                        "quality_magnitude_factor",
                        &[("factor", r.locale.number(*f, crate::format::auto_decimals(*f)))],
                    ));
                }
                None => {}
            }
            s
        }
        Concern::Negative => fill_text(r, "quality_negative", &vars),
        Concern::ShareOver100 => fill_text(r, "quality_share_over_100", &vars),
        Concern::ClassOverTotal { total } => {
            vars.extend([
                ("total", value(r, *total)),
                ("share", r.locale.number(w.value / total * 100.0, 0)),
            ]);
            fill_text(r, "quality_class_over_total", &vars)
        }
        Concern::Conflict {
            file,
            line,
            value: other,
        } => {
            vars.extend([
                ("other_place", place(r, file, *line)),
                ("other_value", value(r, *other)),
            ]);
            fill_text(r, "quality_conflict", &vars)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ags, RefDate};

    fn warning(concern: Concern, value: f64) -> DataWarning {
        DataWarning {
            ags: Ags::parse("14729030").unwrap(),
            variable: "population".into(),
            category: None,
            date: RefDate::end_of_year(2021),
            value,
            file: "statistics/x.csv".into(),
            line: 4,
            concern,
        }
    }

    #[test]
    fn notes_name_variable_value_file_and_line_in_both_languages() {
        let de = Renderer::new("de", None, None).unwrap();
        let en = Renderer::new("en", None, None).unwrap();
        let w = warning(Concern::NotWhole { meant: Some(5014.0) }, 5.014);
        let s = note(&de, &w);
        assert!(
            s.contains("statistics/x.csv, Zeile 4")
                && s.contains("5,014")
                && s.contains("5.014")
                && s.contains("(population)")
                && s.contains("31.12.2021"),
            "{s}"
        );
        let s = note(&en, &w);
        assert!(
            s.contains("statistics/x.csv, line 4") && s.contains("5.014") && s.contains("5,014"),
            "{s}"
        );
        let national = Concern::National {
            file: "statistics/national/population_2021.csv".into(),
            line: 9,
            value: 5014.0,
            tolerance_pct: 5.0,
            magnitude: Some(Magnitude::GermanNumber),
        };
        let s = note(&de, &warning(national, 5.014));
        assert!(
            s.contains("statistics/national/population_2021.csv, Zeile 9")
                && s.contains("5.014")
                && !s.contains("Abweichung")
                && s.contains(&de.locale.text("quality_magnitude_german")),
            "{s}"
        );
        let near = Concern::National {
            file: "statistics/national/population_2021.csv".into(),
            line: 9,
            value: 5014.0,
            tolerance_pct: 5.0,
            magnitude: None,
        };
        let s = note(&de, &warning(near, 6000.0));
        assert!(
            s.contains("nennt 5.014") && s.contains("20 % Abweichung, zulässig sind 5 %"),
            "{s}"
        );
        let mut class = warning(Concern::ClassOverTotal { total: 4681.0 }, 5000.0);
        class.variable = "land_area".into();
        class.category = Some("veg_agri".into());
        let s = note(&en, &class);
        assert!(
            s.contains("land_area (veg_agri)")
                && s.contains("5,000 ha")
                && s.contains("107 %")
                && s.contains("4,681 ha"),
            "{s}"
        );
        let conflict = Concern::Conflict {
            file: "statistics/a.csv".into(),
            line: 2,
            value: 5014.0,
        };
        let s = note(&de, &warning(conflict, 5100.0));
        assert!(
            s.contains("statistics/a.csv, Zeile 2 nennt 5.014") && s.contains("verwendet wird 5.100"),
            "{s}"
        );
        for key in [
            "quality_heading",
            "quality_intro",
            "quality_briefing",
            "quality_place",
            "quality_not_whole",
            "quality_german_number",
            "quality_above_any",
            "quality_national",
            "quality_national_far",
            "quality_magnitude_german",
            "quality_magnitude_factor",
            "quality_conflict",
            "quality_negative",
            "quality_share_over_100",
            "quality_class_over_total",
        ] {
            for r in [&de, &en] {
                assert_ne!(r.locale.text(key), key, "{key} missing in {}", r.locale.lang);
            }
        }
    }
}
