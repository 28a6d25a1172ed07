//! How sure an estimate is (issue 16, item 7): every figure of a start balance carries the error
//! measured by `klimapartner validate` (`factors/start_balance_error.csv`, reaching render as the
//! figure's [`Note::Estimate`]). Tables print "≈ 27.219 (±8 %)", charts draw error bars, and each
//! table or chart with ranges has one legend line saying what the range means. No number here is
//! fixed: they all come from the measured error file.

use crate::compute::{Figure, MemberFacts, Note};

use super::Renderer;

/// The measured error of one kind of estimate (the whole balance or one sector).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Median absolute relative error, %: the "±" printed next to the value.
    pub median_pct: f64,
    /// 80th percentile of the absolute relative error, %.
    pub p80_pct: f64,
    /// Published balances it was measured on.
    pub n: usize,
}

impl Spread {
    pub fn of_note(note: Option<&Note>) -> Option<Spread> {
        match note? {
            Note::Estimate { median_pct, p80_pct, n } => Some(Spread {
                median_pct: *median_pct,
                p80_pct: *p80_pct,
                n: *n,
            }),
            _ => None,
        }
    }

    pub fn of_figure(f: &Figure) -> Option<Spread> {
        Spread::of_note(f.note.as_ref())
    }

    /// The spread of one of a member's figures, if it is an estimate.
    pub fn of_member(m: &MemberFacts, id: &str) -> Option<Spread> {
        m.figures.iter().find(|f| f.id == id).and_then(Spread::of_figure)
    }

    /// The value ± the typical error, as an error bar's ends.
    pub fn range(&self, v: f64) -> (f64, f64) {
        let d = v.abs() * self.median_pct / 100.0;
        (v - d, v + d)
    }

    /// "±8 %".
    pub fn pm(&self, r: &Renderer) -> String {
        // No line break inside "±8 %" (U+00A0).
        format!("±{}\u{a0}%", r.locale.number(self.median_pct, 0))
    }

    /// "≈ 27.219 (±8 %)": a formatted value marked as an estimate with its typical error.
    pub fn approx(&self, r: &Renderer, value: &str) -> String {
        r.locale.fill(
            "text",
            "range_value",
            &[("value", value.to_string()), ("pm", self.pm(r))],
        )
    }
}

/// The scope a figure's error was measured for: its sector (`ghg_t_households`) or the total.
pub fn scope_of(id: &str) -> &str {
    id.strip_prefix("ghg_t_")
        .filter(|s| !s.contains("per_inhabitant"))
        .unwrap_or("total")
}

/// The legend of one table or chart: what its ranges mean, per scope of error shown.
#[derive(Default)]
pub struct Legend {
    entries: Vec<(String, Spread)>,
}

impl Legend {
    pub fn add(&mut self, scope: &str, s: Option<Spread>) {
        if let Some(s) = s {
            if !self.entries.iter().any(|(k, _)| k == scope) {
                self.entries.push((scope.to_string(), s));
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// "±: typische Abweichung, gemessen an 21 veröffentlichten Stadtbilanzen; 80 % der Fälle
    /// innerhalb ±29 %." — with one clause per scope where errors of several scopes are shown.
    /// `mark` is the `[text]` key naming what carries the range (values with ±, error bars).
    pub fn sentence(&self, r: &Renderer, mark: &str) -> String {
        let mark = r.locale.text(mark);
        match self.entries.as_slice() {
            [] => String::new(),
            [(_, s)] => r.locale.fill(
                "text",
                "range_legend",
                &[
                    ("mark", mark),
                    ("pm", s.pm(r)),
                    ("n", s.n.to_string()),
                    ("p80", r.locale.number(s.p80_pct, 0)),
                ],
            ),
            many => {
                let items: Vec<String> = many
                    .iter()
                    .map(|(scope, s)| {
                        let what = if scope == "total" {
                            r.locale.text("range_scope_total")
                        } else {
                            r.locale.label("sector", scope)
                        };
                        r.locale.fill(
                            "text",
                            "range_legend_item",
                            &[
                                ("scope", what),
                                ("pm", s.pm(r)),
                                ("n", s.n.to_string()),
                                ("p80", r.locale.number(s.p80_pct, 0)),
                            ],
                        )
                    })
                    .collect();
                r.locale.fill(
                    "text",
                    "range_legend_many",
                    &[("mark", mark), ("items", items.join("; "))],
                )
            }
        }
    }

    /// The legend of a chart's error bars, without the final full stop (the caption adds one).
    pub fn caption(&self, r: &Renderer) -> String {
        self.sentence(r, "range_mark_bars").trim_end_matches('.').to_string()
    }
}
