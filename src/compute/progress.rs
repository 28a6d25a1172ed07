//! Progress: the emission series of a member, change against the previous and the base year,
//! target paths and an on-track verdict from the trend.

use serde::Serialize;

use super::select::ObsIndex;
use crate::config::Target;
use crate::model::Ags;

/// One year of the series.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub year: i32,
    /// Total emissions in t (CO2 or CO2e, see `kind`).
    pub total_t: Option<f64>,
    pub per_inhabitant: Option<f64>,
    /// Emissions by sector in t, in the split of the source.
    pub sectors: Vec<(String, f64)>,
    /// `series` (published series, CO2), `balance` (the BISKO balance of this program).
    pub kind: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetStatus {
    pub year: i32,
    pub indicator: String,
    /// The target in the indicator's unit (t per inhabitant, or % reduction).
    pub value: f64,
    /// The target expressed as t per inhabitant or total t for the path.
    pub level: f64,
    pub source: String,
    /// Where the trend of the series arrives in the target year.
    pub trend_at_target: Option<f64>,
    pub on_track: Option<bool>,
    /// Reduction needed per year from the latest value to reach the target.
    pub required_per_year: Option<f64>,
    /// A target of every member (`ags = "*"` in partnership.toml, the national path), not the member's own.
    pub national: bool,
    /// The base year's value is of another method than the latest value: no verdict is given.
    pub method_break: Option<MethodBreak>,
}

/// Two points of a comparison are of different methods (`kind`): a published series against
/// this program's BISKO balance. No change and no verdict is computed across it.
#[derive(Debug, Clone, Serialize)]
pub struct MethodBreak {
    /// The year of the earlier point (the base year or the previous value).
    pub year: i32,
    /// Its kind (`series`, `balance`).
    pub kind: String,
    /// The kind of the latest point.
    pub latest_kind: String,
}

impl MethodBreak {
    /// `Some` if `a` is of another kind than `latest`.
    fn between(a: &Point, latest: &Point) -> Option<Self> {
        (a.kind != latest.kind).then(|| Self {
            year: a.year,
            kind: a.kind.clone(),
            latest_kind: latest.kind.clone(),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub points: Vec<Point>,
    pub base_year: Option<i32>,
    pub latest_year: i32,
    /// Change of the per-inhabitant value (else total) against the previous point, in % (`None`
    /// across a method break).
    pub change_previous_pct: Option<f64>,
    /// The previous point is of another method than the latest.
    pub previous_break: Option<MethodBreak>,
    /// Change against the first point, in % (`None` across a method break).
    pub change_base_pct: Option<f64>,
    /// The first point is of another method than the latest.
    pub base_break: Option<MethodBreak>,
    /// Linear trend of per-inhabitant emissions (t per inhabitant and year) over the points since 2010.
    pub trend_per_year: Option<f64>,
    /// The years the trend is fitted on: first, last and the number of points.
    pub trend_years: Option<(i32, i32, usize)>,
    pub targets: Vec<TargetStatus>,
    pub budget: Option<BudgetStatus>,
    /// Sources of the published series points (the balance point is this program's own).
    #[serde(skip)]
    pub sources: Vec<std::sync::Arc<crate::model::Source>>,
}

/// The remaining carbon budget: used so far (the series, years between points at the earlier
/// point's level) and how many years remain at the latest annual emissions.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetStatus {
    pub from_year: i32,
    pub budget_t: f64,
    pub used_t: f64,
    pub remaining_t: f64,
    pub years_left: Option<f64>,
    /// The year up to which use is counted (the reporting year).
    pub until_year: i32,
    /// The year in which the rest is used up at the latest annual emissions (`None` if already
    /// used up or without emissions).
    pub runs_out_year: Option<i32>,
    pub source: String,
}

fn budget_status(points: &[Point], b: &crate::config::Budget, year: i32) -> Option<BudgetStatus> {
    let latest = points.iter().rev().find(|p| p.total_t.is_some())?;
    let level_in = |y: i32| -> Option<f64> {
        points
            .iter()
            .rev()
            .find(|p| p.year <= y && p.total_t.is_some())
            .and_then(|p| p.total_t)
    };
    let used_t: f64 = (b.from_year..=year).filter_map(level_in).sum();
    let remaining_t = b.t - used_t;
    let annual = latest.total_t?;
    let years_left = (annual > 0.0).then(|| remaining_t / annual);
    Some(BudgetStatus {
        runs_out_year: years_left.filter(|y| *y > 0.0).map(|y| year + y.ceil() as i32),
        from_year: b.from_year,
        budget_t: b.t,
        used_t,
        remaining_t,
        years_left,
        until_year: year,
        source: b.source.clone(),
    })
}

/// Least-squares slope of (x, y).
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    (sxx > 0.0).then(|| points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx)
}

/// Builds the series from the published series (variables `ghg_series_kt`, `ghg_series_kt_total`,
/// `ghg_t_per_inhabitant_published`) and this year's balance.
pub fn progress(
    ags: &Ags,
    index: &ObsIndex<'_>,
    balance: Option<&super::balance::Balance>,
    targets: &[&Target],
    budget: Option<&crate::config::Budget>,
    year: i32,
) -> Option<Progress> {
    let (mut points, sources) = published_points(ags, index, year);
    if let Some(b) = balance {
        let i = point(&mut points, b.date.year, "balance");
        points[i].kind = "balance".into();
        points[i].total_t = Some(b.total_t);
        points[i].per_inhabitant = b.t_per_inhabitant.or(points[i].per_inhabitant);
        points[i].sectors = b.sectors.iter().map(|s| (s.sector.clone(), s.t)).collect();
    }

    if points.is_empty() {
        return None;
    }
    points.sort_by_key(|p| p.year);
    let latest = points.last()?.clone();
    let base = points.first()?.clone();
    let previous = (points.len() >= 2).then(|| points[points.len() - 2].clone());
    let previous_break = previous.as_ref().and_then(|a| MethodBreak::between(a, &latest));
    let change_previous_pct = previous
        .as_ref()
        .filter(|_| previous_break.is_none())
        .and_then(|a| change(a, &latest));
    let base_break = (points.len() >= 2)
        .then(|| MethodBreak::between(&base, &latest))
        .flatten();
    let change_base_pct = (points.len() >= 2 && base_break.is_none())
        .then(|| change(&base, &latest))
        .flatten();
    let recent: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.year >= 2010)
        .filter_map(|p| Some((f64::from(p.year), p.per_inhabitant?)))
        .collect();
    let trend_per_year = slope(&recent);
    let trend_years = trend_per_year.and_then(|_| {
        let first = recent.first()?.0 as i32;
        let last = recent.last()?.0 as i32;
        Some((first, last, recent.len()))
    });
    let statuses = targets
        .iter()
        .filter(|t| t.year > latest.year)
        .filter_map(|t| target_status(t, &points, &latest, trend_per_year))
        .collect();
    let budget_now = budget.and_then(|b| budget_status(&points, b, year));
    Some(Progress {
        base_year: (points.len() >= 2).then_some(base.year),
        latest_year: latest.year,
        points,
        change_previous_pct,
        previous_break,
        change_base_pct,
        base_break,
        trend_per_year,
        trend_years,
        budget: budget_now,
        targets: statuses,
        sources,
    })
}

/// The points of the published series up to `year`, with the sources they cite.
fn published_points(
    ags: &Ags,
    index: &ObsIndex<'_>,
    year: i32,
) -> (Vec<Point>, Vec<std::sync::Arc<crate::model::Source>>) {
    let mut points: Vec<Point> = Vec::new();
    let mut sources: Vec<std::sync::Arc<crate::model::Source>> = Vec::new();
    let mut cite = |o: &crate::model::Observation| {
        if !sources.iter().any(|s| s.file == o.source.file) {
            sources.push(o.source.clone());
        }
    };
    for o in index
        .series(ags, "ghg_series_kt_total", None)
        .iter()
        .filter(|o| o.date.year <= year)
    {
        let i = point(&mut points, o.date.year, "series");
        points[i].total_t = o.value.ok().map(|v| v * 1000.0);
        cite(o);
    }
    for o in index
        .all_on_all_years(ags, "ghg_series_kt")
        .into_iter()
        .filter(|o| o.date.year <= year)
    {
        let i = point(&mut points, o.date.year, "series");
        if let (Some(s), Ok(v)) = (&o.sector, o.value) {
            points[i].sectors.push((s.clone(), v * 1000.0));
        }
        cite(o);
    }
    for o in index
        .series(ags, "ghg_t_per_inhabitant_published", None)
        .iter()
        .filter(|o| o.date.year <= year)
    {
        let i = point(&mut points, o.date.year, "series");
        points[i].per_inhabitant = o.value.ok();
        cite(o);
    }
    (points, sources)
}

/// The index of the point of year `y`, added (of `kind`) if there is none yet.
fn point(points: &mut Vec<Point>, y: i32, kind: &str) -> usize {
    match points.iter().position(|p| p.year == y) {
        Some(i) => i,
        None => {
            points.push(Point {
                year: y,
                total_t: None,
                per_inhabitant: None,
                sectors: Vec::new(),
                kind: kind.into(),
            });
            points.len() - 1
        }
    }
}

/// Change from `a` to `b` in %. Compares like with like: per inhabitant if both have it, else totals.
fn change(a: &Point, b: &Point) -> Option<f64> {
    let (x, y) = match (a.per_inhabitant, b.per_inhabitant) {
        (Some(x), Some(y)) => (x, y),
        _ => (a.total_t?, b.total_t?),
    };
    Some((y - x) / x * 100.0)
}

/// Where a target stands: its level, where the trend leads by its year and the reduction needed per year.
fn target_status(t: &Target, points: &[Point], latest: &Point, trend_per_year: Option<f64>) -> Option<TargetStatus> {
    let mut method_break = None;
    let (level, current) = match t.indicator.as_str() {
        "ghg_t_per_inhabitant" => (t.value, latest.per_inhabitant?),
        _ => {
            let base = points.iter().find(|p| Some(p.year) == t.base_year)?;
            method_break = MethodBreak::between(base, latest);
            (base.total_t? * (1.0 - t.value / 100.0), latest.total_t?)
        }
    };
    let years = f64::from(t.year - latest.year);
    let trend_at_target = match t.indicator.as_str() {
        "ghg_t_per_inhabitant" => trend_per_year.map(|s| (current + s * years).max(0.0)),
        _ => trend_per_year
            .zip(latest.per_inhabitant)
            .map(|(s, pi)| (current * (1.0 + s * years / pi)).max(0.0)),
    };
    Some(TargetStatus {
        year: t.year,
        indicator: t.indicator.clone(),
        value: t.value,
        level,
        source: t.source.clone(),
        trend_at_target,
        // A level from a base of another method is no yardstick for the latest value.
        on_track: trend_at_target.filter(|_| method_break.is_none()).map(|v| v <= level),
        required_per_year: method_break.is_none().then(|| (current - level) / years),
        national: t.ags.is_none(),
        method_break,
    })
}

#[cfg(test)]
mod tests {
    use super::{slope, target_status, MethodBreak, Point};
    use crate::config::Target;

    fn pt(year: i32, total_t: f64, per_inhabitant: f64, kind: &str) -> Point {
        Point {
            year,
            total_t: Some(total_t),
            per_inhabitant: Some(per_inhabitant),
            sectors: Vec::new(),
            kind: kind.into(),
        }
    }

    /// Issue 16: a reduction target whose base year is of another method than the latest value
    /// gets no verdict and no required reduction; of the same method it does.
    #[test]
    fn a_base_year_of_another_method_gives_no_verdict() {
        let target = Target {
            ags: None,
            indicator: "ghg_reduction_pct".into(),
            year: 2030,
            value: 65.0,
            base_year: Some(1990),
            source: "KSG".into(),
        };
        let latest = pt(2019, 3.0e6, 5.0, "balance");
        for (base_kind, broken) in [("series", true), ("balance", false)] {
            let points = vec![pt(1990, 6.0e6, 11.0, base_kind), latest.clone()];
            let s = target_status(&target, &points, &latest, Some(-0.5)).unwrap();
            assert!(s.national);
            assert_eq!(s.method_break.is_some(), broken);
            assert_eq!(s.on_track.is_none(), broken);
            assert_eq!(s.required_per_year.is_none(), broken);
        }
        assert!(MethodBreak::between(&pt(2018, 1.0, 1.0, "series"), &latest).is_some());
    }

    #[test]
    fn slope_of_a_line() {
        assert_eq!(slope(&[(2011.0, 6.0), (2013.0, 5.0), (2015.0, 4.0)]), Some(-0.5));
        assert_eq!(slope(&[(2011.0, 6.0)]), None);
    }
}
