//! The assessment system (`inputs/catalogues/indicators.toml`) and the toolbox
//! (`inputs/catalogues/measures.toml`), validated on load: every error names the file, the entry
//! and the fix.

use std::collections::BTreeSet;
use std::path::Path;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::registry::read_text;
use crate::error::InputError;
use crate::formula::Expr;
use crate::model::Role;

const INDICATORS: &str = "catalogues/indicators.toml";
const MEASURES: &str = "catalogues/measures.toml";

/// Figure ids the program computes per member; formulas may use these and, in indicators fed from
/// local data, the administrations' own variables.
pub const FIGURES: &[&str] = &[
    "population",
    "population_census",
    "land_total",
    "area_settlement",
    "area_traffic",
    "area_agriculture",
    "area_forest",
    "area_woody",
    "area_water",
    "area_other",
    "share_settlement_traffic",
    "share_agriculture",
    "share_forest",
    "land_take_ha_per_year",
    "land_sink_t",
    "land_sink_t_per_ha",
    "re_pv_kw",
    "re_wind_kw",
    "re_biomass_kw",
    "re_hydro_kw",
    "pv_kw_per_inhabitant",
    "wind_kw_per_inhabitant",
    "pv_growth_pct",
    "wind_growth_pct",
    "final_energy_mwh",
    "final_energy_mwh_per_inhabitant",
    "ghg_t",
    "ghg_t_per_inhabitant",
    "ghg_t_buildings",
    "ghg_t_transport",
    "ghg_t_industry",
    "ghg_t_households",
    "ghg_t_commerce",
    "ghg_t_municipal",
];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    pub name: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Lower,
    Higher,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DataKind {
    Public,
    Local,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub field: String,
    pub name: String,
    pub explanation: String,
    pub formula: String,
    pub unit: String,
    pub direction: Direction,
    pub target: Option<f64>,
    pub target_year: Option<i32>,
    #[serde(default)]
    pub target_source: String,
    pub levels: Vec<f64>,
    #[serde(default)]
    pub levels_source: String,
    pub weight: f64,
    pub data: DataKind,
    #[serde(default)]
    pub supplier: String,
    #[serde(skip)]
    pub expr: Option<Expr>,
    /// The id and field, shared by every member's rating of this indicator.
    #[serde(skip)]
    pub key: Arc<str>,
    #[serde(skip)]
    pub field_key: Arc<str>,
}

impl Indicator {
    /// Rating 1 (worst) to 5 (best) against the four ascending level boundaries.
    pub fn rate(&self, v: f64) -> u8 {
        let l = &self.levels;
        match self.direction {
            Direction::Lower => 5 - l.iter().take_while(|&&b| v > b).count() as u8,
            Direction::Higher => 1 + l.iter().take_while(|&&b| v >= b).count() as u8,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorFile {
    field: Vec<Field>,
    indicator: Vec<Indicator>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub id: String,
    pub title: String,
    pub field: String,
    pub description: String,
    pub actors: Vec<String>,
    pub roles: Vec<Role>,
    pub applies: String,
    pub basis: String,
    pub eligible_share: f64,
    #[serde(default)]
    pub eligible_share_source: String,
    pub effect: f64,
    pub effect_unit: String,
    pub effect_source: String,
    pub investment: f64,
    pub running_cost: f64,
    /// `running_cost` is a saving (a negative cost allowed): set where the measure pays for itself.
    #[serde(default)]
    pub running_cost_is_saving: bool,
    pub cost_unit: String,
    pub cost_source: String,
    pub years_to_effect: f64,
    pub lifetime_years: f64,
    #[serde(default)]
    pub co_benefits: Vec<String>,
    #[serde(default)]
    pub lifts: Vec<String>,
    #[serde(default)]
    pub compensation: bool,
    #[serde(default)]
    pub joint: bool,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub assumption: bool,
    #[serde(default)]
    pub assumption_note: String,
    // The cost model (issue 13; `compute::cost`). All optional: older catalogues keep loading.
    /// Share of one unit (ha) taken out of agricultural production: costs the farmland rent.
    #[serde(default)]
    pub land_out_of_production: f64,
    /// Forgone contribution margin per unit and year beyond the rent (timber, arable margin), €.
    #[serde(default)]
    pub forgone_margin: f64,
    /// Revenues and savings per unit and year (electricity sold, energy saved, wood), €.
    #[serde(default)]
    pub revenue: f64,
    /// Public payments already received per unit and year (eco-schemes …), €.
    #[serde(default)]
    pub public_funding: f64,
    #[serde(default)]
    pub economics_source: String,
    /// Share of the effect that is additional to what is required (GLÖZ) or already paid for.
    #[serde(default = "one")]
    pub additional_share: f64,
    #[serde(default)]
    pub additionality_source: String,
    /// Years over which the effect ramps up linearly from 0 (young stands).
    #[serde(default)]
    pub ramp_years: f64,
    /// Years after which the effect stops (humus equilibrium); 0 = never.
    #[serde(default)]
    pub saturation_years: f64,
    /// What happens after the contract: what is paid for, what is held back.
    #[serde(default)]
    pub permanence_note: String,
    /// Where the effect counts: the member's own BISKO balance, elsewhere (grid), or a land sink.
    #[serde(default)]
    pub effect_scope: Option<EffectScope>,
    /// Share of the eligible units expected to take part (measures outside the offer).
    #[serde(default = "one")]
    pub uptake: f64,
    #[serde(default)]
    pub uptake_source: String,
    /// A member figure already achieved, in the units of basis × eligible share; deducted.
    #[serde(default)]
    pub existing: String,
    /// BISKO sectors whose emissions cap the effect on the member's own balance.
    #[serde(default)]
    pub cap_sectors: Vec<String>,
    #[serde(skip)]
    pub rule: Option<Expr>,
    /// The id, shared: every member's recommendation of this measure points at it (national runs
    /// hold hundreds of thousands of recommendations).
    #[serde(skip)]
    pub key: Arc<str>,
}

fn one() -> f64 {
    1.0
}

/// Where a measure's effect counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EffectScope {
    /// Lowers the member's own BISKO balance.
    Own,
    /// Avoids emissions outside the balance (grid electricity from local generation).
    Elsewhere,
    /// A land-use removal (outside BISKO; may count as regional compensation).
    Sink,
}

/// BISKO sectors a measure's own-balance effect may be capped by.
pub const CAP_SECTORS: &[&str] = &["households", "commerce", "industry", "transport", "municipal"];

impl Measure {
    /// Where the effect counts: as written, else a sink for compensation measures, else own.
    pub fn scope(&self) -> EffectScope {
        self.effect_scope.unwrap_or(if self.compensation {
            EffectScope::Sink
        } else {
            EffectScope::Own
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureFile {
    measure: Vec<Measure>,
}

const ACTORS: &[&str] = &["city", "rural", "farmers", "utilities", "citizens", "businesses"];

/// Both catalogues, validated.
#[derive(Debug, Clone, Default)]
pub struct Catalogues {
    pub fields: Vec<Field>,
    pub indicators: Vec<Indicator>,
    pub measures: Vec<Measure>,
}

fn toml_error(file: &str, text: &str, e: toml::de::Error) -> InputError {
    let mut err = InputError::new(
        file,
        e.message().trim().to_string(),
        "check the entry against inputs/catalogues/README.md",
    );
    if let Some(span) = e.span() {
        err = err.at(crate::error::line_of_offset(text, span.start));
    }
    err
}

/// Line of the entry with this id, for messages.
fn line_of_id(text: &str, id: &str) -> Option<usize> {
    let needle = format!("id = \"{id}\"");
    text.find(&needle).map(|o| crate::error::line_of_offset(text, o))
}

fn entry_error(file: &str, text: &str, kind: &str, id: &str, message: String, hint: &str) -> InputError {
    let mut e = InputError::new(file, format!("{kind} `{id}`: {message}"), hint);
    if let Some(l) = line_of_id(text, id) {
        e = e.at(l);
    }
    e
}

pub fn load(inputs: &Path) -> Result<Catalogues, InputError> {
    let itext = read_text(inputs, INDICATORS)?;
    super::text::check_toml_texts(INDICATORS, &itext)?;
    let ifile: IndicatorFile = toml::from_str(&itext).map_err(|e| toml_error(INDICATORS, &itext, e))?;
    let mtext = read_text(inputs, MEASURES)?;
    super::text::check_toml_texts(MEASURES, &mtext)?;
    let mfile: MeasureFile = toml::from_str(&mtext).map_err(|e| toml_error(MEASURES, &mtext, e))?;
    let declared = declared_local(inputs);
    validate(ifile.field, ifile.indicator, mfile.measure, &itext, &mtext, &declared)
}

/// Local variables declared in the comment lines of `local/local_data.csv` (`# name – meaning`).
fn declared_local(inputs: &Path) -> BTreeSet<String> {
    // Errors are reported where the file is read as data.
    let Ok(text) = read_text(inputs, "local/local_data.csv") else {
        return BTreeSet::new();
    };
    text.lines()
        .filter_map(|l| l.strip_prefix('#'))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let name = parts.next()?;
            let dash = parts.next()?;
            let valid = name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            (valid && (dash == "–" || dash == "-")).then(|| name.to_string())
        })
        .collect()
}

fn validate(
    fields: Vec<Field>,
    mut indicators: Vec<Indicator>,
    mut measures: Vec<Measure>,
    itext: &str,
    mtext: &str,
    declared: &BTreeSet<String>,
) -> Result<Catalogues, InputError> {
    let known = |v: &str| FIGURES.contains(&v) || declared.contains(v);
    let field_ids: BTreeSet<&str> = fields.iter().map(|f| f.id.as_str()).collect();
    if field_ids.len() != fields.len() {
        return Err(InputError::new(
            INDICATORS,
            "a field id appears twice",
            "give every [[field]] its own id",
        ));
    }
    let names = Names {
        field_ids: &field_ids,
        known: &known,
        declared,
    };
    let mut seen = BTreeSet::new();
    for ind in &mut indicators {
        ind.expr = Some(check_indicator(ind, itext, &names, &mut seen)?);
        (ind.key, ind.field_key) = (Arc::from(ind.id.as_str()), Arc::from(ind.field.as_str()));
    }
    let indicator_ids: BTreeSet<String> = indicators.iter().map(|i| i.id.clone()).collect();
    let mut seen = BTreeSet::new();
    for m in &mut measures {
        m.rule = Some(check_measure(m, mtext, &names, &indicator_ids, &mut seen)?);
        m.key = Arc::from(m.id.as_str());
    }
    Ok(Catalogues {
        fields,
        indicators,
        measures,
    })
}

/// The names an entry of the catalogues may use.
struct Names<'a> {
    field_ids: &'a BTreeSet<&'a str>,
    /// A computed figure or a declared local variable.
    known: &'a dyn Fn(&str) -> bool,
    /// The variables declared in `local/local_data.csv`.
    declared: &'a BTreeSet<String>,
}

/// The checks every entry (kind, id, field) starts with: its id is new, and its field is one of
/// the catalogue's (`field_hint` says what to write instead).
fn check_id_and_field(
    (kind, id, field): (&str, &str, &str),
    field_ids: &BTreeSet<&str>,
    seen: &mut BTreeSet<String>,
    err: &dyn Fn(String, &str) -> InputError,
    field_hint: impl FnOnce() -> String,
) -> Result<(), InputError> {
    if !seen.insert(id.to_string()) {
        return Err(err(
            "the id appears twice".into(),
            &format!("give every {kind} its own id"),
        ));
    }
    if !field_ids.contains(field) {
        return Err(err(format!("unknown field `{field}`"), &field_hint()));
    }
    Ok(())
}

/// Checks an indicator (unique id, field, levels, target, formula) and returns its parsed formula.
fn check_indicator(
    ind: &Indicator,
    itext: &str,
    names: &Names<'_>,
    seen: &mut BTreeSet<String>,
) -> Result<Expr, InputError> {
    let Names {
        field_ids,
        known,
        declared,
    } = names;
    let err = |m: String, hint: &str| entry_error(INDICATORS, itext, "indicator", &ind.id, m, hint);
    let hint = || {
        format!(
            "use one of: {}",
            field_ids.iter().copied().collect::<Vec<_>>().join(", ")
        )
    };
    check_id_and_field(("indicator", &ind.id, &ind.field), field_ids, seen, &err, hint)?;
    if ind.levels.len() != 4 || ind.levels.windows(2).any(|w| w[0] > w[1]) || ind.levels.iter().any(|v| !v.is_finite())
    {
        return Err(err(
            format!("levels must be four ascending numbers, found {:?}", ind.levels),
            "write four boundaries between the five rating levels, e.g. levels = [1.9, 3.5, 5.0, 7.0]",
        ));
    }
    if ind.target.is_some() != ind.target_year.is_some() {
        return Err(err("target and target_year go together".into(), "give both or neither"));
    }
    let expr = Expr::parse(&ind.formula).map_err(|e| {
        err(
            format!(
                "formula `{}` does not parse {e}",
                super::text::shorten(&ind.formula, 80)
            ),
            "use numbers, figure ids, + - * / and parentheses",
        )
    })?;
    if ind.data == DataKind::Local && !declared.is_empty() {
        if let Some(v) = expr.variables().into_iter().find(|v| !known(v)) {
            return Err(err(
                format!("formula uses `{v}`, which is neither a computed figure nor declared in local/local_data.csv"),
                "declare the variable in the comment lines of inputs/local/local_data.csv (`# name – meaning – supplier`) or fix the name",
            ));
        }
    }
    if ind.data == DataKind::Public {
        if let Some(v) = expr.variables().into_iter().find(|v| !FIGURES.contains(&v.as_str())) {
            return Err(err(
                format!("formula uses `{v}`, which is not a figure the program computes"),
                "use a figure id listed in inputs/catalogues/README.md, or set data = \"local\" for a locally supplied variable",
            ));
        }
    }
    Ok(expr)
}

/// Checks a measure (unique id, field, lifts, actors, numbers, basis, rule) and returns its parsed rule.
fn check_measure(
    m: &Measure,
    mtext: &str,
    names: &Names<'_>,
    indicator_ids: &BTreeSet<String>,
    seen: &mut BTreeSet<String>,
) -> Result<Expr, InputError> {
    let Names { field_ids, known, .. } = names;
    let err = |msg: String, hint: &str| entry_error(MEASURES, mtext, "measure", &m.id, msg, hint);
    let hint = || "use a field id of indicators.toml".to_string();
    check_id_and_field(("measure", &m.id, &m.field), field_ids, seen, &err, hint)?;
    if let Some(l) = m.lifts.iter().find(|l| !indicator_ids.contains(*l)) {
        return Err(err(
            format!("lifts the unknown indicator `{l}`"),
            "name an indicator id of indicators.toml",
        ));
    }
    if let Some(a) = m.actors.iter().find(|a| !ACTORS.contains(&a.as_str())) {
        return Err(err(
            format!("unknown actor `{a}`"),
            &format!("use: {}", ACTORS.join(", ")),
        ));
    }
    check_measure_numbers(m, &err)?;
    if !known(&m.basis) {
        return Err(err(
            format!("basis `{}` is not a figure the program computes", m.basis),
            "use a figure id such as area_agriculture or population",
        ));
    }
    if !m.existing.is_empty() && !known(&m.existing) {
        return Err(err(
            format!("existing `{}` is not a figure the program computes", m.existing),
            "name the figure of what is already achieved, e.g. re_pv_kw, or leave existing out",
        ));
    }
    let rule = Expr::parse(&m.applies).map_err(|e| {
        err(
            format!("rule `{}` does not parse {e}", super::text::shorten(&m.applies, 80)),
            "write a condition such as area_agriculture >= 200",
        )
    })?;
    if let Some(v) = rule
        .variables()
        .into_iter()
        .find(|v| !known(v) && !indicator_ids.contains(v))
    {
        return Err(err(
            format!("rule uses the unknown name `{v}`"),
            "use figure ids or indicator ids",
        ));
    }
    Ok(rule)
}

/// The numbers of a measure: a share between 0 and 1, finite amounts, no negative investment, no
/// negative running cost unless it is a saving, a positive lifetime.
fn check_measure_numbers(m: &Measure, err: &dyn Fn(String, &str) -> InputError) -> Result<(), InputError> {
    // A share of the basis, or units per unit of basis (kW per inhabitant) where the effect is per
    // such unit: not negative, and not absurd.
    if !(0.0..=1000.0).contains(&m.eligible_share) {
        return Err(err(
            format!("eligible_share {} is not between 0 and 1000", m.eligible_share),
            "write a share, e.g. 0.3, or the units per unit of basis, e.g. 1.77 kW per inhabitant",
        ));
    }
    for (name, v) in [
        ("investment", m.investment),
        ("running_cost", m.running_cost),
        ("effect", m.effect),
        ("years_to_effect", m.years_to_effect),
        ("lifetime_years", m.lifetime_years),
    ] {
        if !v.is_finite() {
            return Err(err(format!("{name} is {v}, not a number"), "write a plain number"));
        }
    }
    if m.investment < 0.0 {
        return Err(err(
            format!("investment is {}; an investment cannot be negative", m.investment),
            "write the investment as a positive amount (subsidies are not subtracted here)",
        ));
    }
    if m.running_cost < 0.0 && !m.running_cost_is_saving {
        return Err(err(
            format!(
                "running_cost is {}; a negative cost would move the measure up the ranking",
                m.running_cost
            ),
            "write the cost as a positive amount, or set running_cost_is_saving = true if the measure really saves money every year",
        ));
    }
    for (name, v) in [
        ("land_out_of_production", m.land_out_of_production),
        ("additional_share", m.additional_share),
        ("uptake", m.uptake),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(err(
                format!("{name} {v} is not between 0 and 1"),
                "write a share, e.g. 0.3",
            ));
        }
    }
    for (name, v) in [
        ("forgone_margin", m.forgone_margin),
        ("revenue", m.revenue),
        ("public_funding", m.public_funding),
        ("ramp_years", m.ramp_years),
        ("saturation_years", m.saturation_years),
    ] {
        if !v.is_finite() || v < 0.0 {
            return Err(err(
                format!("{name} is {v}; it must be a number of at least 0"),
                "write a positive amount (a revenue is its own field, not a negative cost)",
            ));
        }
    }
    if let Some(s) = m.cap_sectors.iter().find(|s| !CAP_SECTORS.contains(&s.as_str())) {
        return Err(err(
            format!("cap_sectors names `{s}`, which is not a BISKO sector"),
            "use households, commerce, industry, transport or municipal",
        ));
    }
    if m.lifetime_years <= 0.0 {
        return Err(err(
            "lifetime_years must be positive".into(),
            "give the years the measure lasts",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &str = "[[field]]\nid = \"climate_energy\"\nname = \"Klima\"\nweight = 1.0\n";
    const IND: &str = "[[indicator]]\nid = \"ghg\"\nfield = \"climate_energy\"\nname = \"THG\"\nexplanation = \"x\"\nformula = \"ghg_t / population\"\nunit = \"t\"\ndirection = \"lower\"\ntarget = 1.9\ntarget_year = 2030\nlevels = [1.9, 3.5, 5.0, 7.0]\nweight = 1.0\ndata = \"public\"\n";

    fn check(ind: &str) -> Result<Catalogues, InputError> {
        let text = format!("{FIELDS}{ind}");
        let f: IndicatorFile = toml::from_str(&text).map_err(|e| toml_error(INDICATORS, &text, e))?;
        validate(f.field, f.indicator, Vec::new(), &text, "", &BTreeSet::new())
    }

    #[test]
    fn rating_follows_direction() {
        let c = check(IND).unwrap();
        let i = &c.indicators[0];
        assert_eq!(
            (i.rate(1.0), i.rate(1.9), i.rate(4.0), i.rate(5.28), i.rate(9.0)),
            (5, 5, 3, 2, 1)
        );
        let mut h = i.clone();
        h.direction = Direction::Higher;
        assert_eq!((h.rate(1.0), h.rate(1.9), h.rate(7.5)), (1, 2, 5));
    }

    #[test]
    fn catalogue_errors_name_entry_and_fix() {
        let e = check(&IND.replace("ghg_t / population", "ghg_t / nobody")).unwrap_err();
        assert!(
            e.message.contains("indicator `ghg`") && e.message.contains("`nobody`"),
            "{e}"
        );
        let e = check(&IND.replace("levels = [1.9, 3.5, 5.0, 7.0]", "levels = [1.9, 3.5, 5.0]")).unwrap_err();
        assert!(e.message.contains("levels"), "{e}");
        let e = check(&IND.replace("ghg_t / population", "ghg_t / (population")).unwrap_err();
        assert!(e.message.contains("does not parse"), "{e}");
        let e = check(&format!("{IND}{IND}")).unwrap_err();
        assert!(e.message.contains("twice") && e.line.is_some(), "{e}");
        let e = check(&IND.replace("levels = [1.9, 3.5, 5.0, 7.0]", "")).unwrap_err();
        assert!(e.message.contains("levels"), "{e}");
    }
}
