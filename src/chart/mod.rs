//! Charts: plotters draws SVG strings from plain chart specs. No I/O, no knowledge of members or
//! files: render builds the specs (labels in the document's language) and embeds the SVGs.
//! Colours are solid (no alpha) and differ in lightness, and every bar carries its value as a
//! direct label, so the charts read in greyscale print.

pub mod map;
pub mod supply;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::format::{fmt_number, Style};

/// Font family of all chart text: must match a font loaded into typst exactly.
pub const FONT: &str = "DejaVu Sans";

pub(crate) const WIDTH: u32 = 640;
pub(crate) const INK: RGBColor = RGBColor(30, 30, 30);
pub(crate) const GRID: RGBColor = RGBColor(200, 200, 200);
/// Bar colours in order of decreasing darkness.
pub const SERIES: [RGBColor; 3] = [RGBColor(27, 42, 73), RGBColor(110, 150, 200), RGBColor(200, 200, 200)];
/// Highlight for the member a document is about.
const HIGHLIGHT: RGBColor = RGBColor(196, 90, 20);

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Drawn in the highlight colour with a bold label (the member of this report).
    pub highlight: bool,
    /// An uncertainty range (low, high) drawn as an error bar, e.g. an estimate's typical error.
    pub range: Option<(f64, f64)>,
}

/// Horizontal bars; negative values extend left of zero (e.g. a land sink).
#[derive(Debug, Clone)]
pub struct BarChart {
    pub unit: String,
    pub bars: Vec<Bar>,
    pub decimals: usize,
    /// How the numbers are written (the documents' locale).
    pub style: Style,
}

/// Horizontal bars with two values per row, e.g. an earlier and a later reference date.
#[derive(Debug, Clone)]
pub struct PairedChart {
    pub unit: String,
    pub series: [String; 2],
    pub rows: Vec<(String, [Option<f64>; 2], bool)>,
    pub decimals: usize,
    /// How the numbers are written (the documents' locale).
    pub style: Style,
}

/// Stacked bars, e.g. land use by member (shares, 100 %) or emissions by sector over the years.
#[derive(Debug, Clone)]
pub struct StackedChart {
    /// `None`: rows are shares in % that fill the width; `Some(unit)`: absolute values on a common scale.
    pub absolute: Option<String>,
    /// Segment names in stacking order, with their colour.
    pub segments: Vec<(String, RGBColor)>,
    /// Row label, shares in % per segment, highlight.
    pub rows: Vec<(String, Vec<f64>, bool)>,
    /// How the numbers are written (the documents' locale).
    pub style: Style,
}

/// Land-use colours: neighbours in the stack differ clearly in lightness.
pub const LAND_COLOURS: [RGBColor; 7] = [
    RGBColor(61, 61, 61),    // settlement
    RGBColor(154, 154, 154), // traffic
    RGBColor(240, 220, 140), // agriculture
    RGBColor(31, 90, 50),    // forest
    RGBColor(127, 176, 105), // woody
    RGBColor(47, 111, 176),  // water
    RGBColor(230, 230, 230), // other
];

pub(crate) fn text<'a>(size: f64, pos: Pos) -> TextStyle<'a> {
    (FONT, size).into_font().color(&INK).pos(pos)
}

fn bold<'a>(size: f64, pos: Pos) -> TextStyle<'a> {
    (FONT, size).into_font().style(FontStyle::Bold).color(&INK).pos(pos)
}

pub(crate) type Res = Result<(), DrawingAreaErrorKind<std::io::Error>>;

pub(crate) fn finish(buf: String, r: Res) -> String {
    match r {
        Ok(()) => buf,
        // Drawing into a string cannot fail for I/O reasons; keep whatever was drawn.
        Err(_) => buf,
    }
}

/// Room for row labels: estimated from the longest label (plotters without its `ttf` feature
/// cannot measure text, so assume ~6.8 px per character at 12 px, which fits DejaVu Sans).
fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> i32 {
    let longest = labels.map(|l| l.chars().count()).max().unwrap_or(0) as i32;
    (longest * 68 / 10 + 14).clamp(70, 300)
}
const ROW_H: i32 = 26;
const TOP: i32 = 10;

/// Horizontal bar chart with a zero line, value labels at the bar ends and the unit on the axis.
pub fn bars(spec: &BarChart) -> String {
    let h = TOP + ROW_H * spec.bars.len() as i32 + 40;
    let mut buf = String::new();
    let r = (|| -> Res {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, h as u32)).into_drawing_area();
        root.fill(&WHITE)?;
        let label_w = label_width(spec.bars.iter().map(|b| b.label.as_str()));
        let ends = |b: &Bar| {
            let (lo, hi) = b.range.unwrap_or((b.value, b.value));
            (b.value.min(lo), b.value.max(hi))
        };
        let min = spec.bars.iter().map(|b| ends(b).0).fold(0.0, f64::min);
        let max = spec.bars.iter().map(|b| ends(b).1).fold(0.0, f64::max);
        let span = (max - min).max(f64::EPSILON);
        let (x0, x1) = (label_w + 10 + if min < 0.0 { 60 } else { 0 }, WIDTH as i32 - 90);
        let scale = |v: f64| x0 + ((v - min) / span * f64::from(x1 - x0)) as i32;
        let zero = scale(0.0);
        for (i, b) in spec.bars.iter().enumerate() {
            let y = TOP + i as i32 * ROW_H;
            let style = if b.highlight {
                bold(12.0, Pos::new(HPos::Right, VPos::Center))
            } else {
                text(12.0, Pos::new(HPos::Right, VPos::Center))
            };
            root.draw(&Text::new(b.label.clone(), (label_w, y + ROW_H / 2), style))?;
            let colour = if b.highlight { HIGHLIGHT } else { SERIES[0] };
            let end = scale(b.value);
            let (a, c) = if end >= zero { (zero, end) } else { (end, zero) };
            root.draw(&Rectangle::new(
                [(a, y + 4), (c.max(a + 1), y + ROW_H - 4)],
                colour.filled(),
            ))?;
            // Error bar: a solid line with end caps in ink, readable in greyscale on any bar colour.
            let (mut a, mut c) = (a, c);
            if let Some((lo, hi)) = b.range {
                let (l, h, mid) = (scale(lo), scale(hi), y + ROW_H / 2);
                // A white halo under the ink line keeps it visible where it crosses the dark bar.
                for (colour, width) in [(WHITE, 3), (INK, 1)] {
                    root.draw(&PathElement::new(vec![(l, mid), (h, mid)], colour.stroke_width(width)))?;
                    for x in [l, h] {
                        root.draw(&PathElement::new(
                            vec![(x, mid - 5), (x, mid + 5)],
                            colour.stroke_width(width),
                        ))?;
                    }
                }
                (a, c) = (a.min(l), c.max(h));
            }
            let label = fmt_number(b.value, spec.decimals, spec.style);
            let (lx, pos) = if b.value >= 0.0 {
                (c + 4, HPos::Left)
            } else {
                (a - 4, HPos::Right)
            };
            root.draw(&Text::new(
                label,
                (lx, y + ROW_H / 2),
                text(11.0, Pos::new(pos, VPos::Center)),
            ))?;
        }
        let bottom = TOP + ROW_H * spec.bars.len() as i32;
        root.draw(&PathElement::new(
            vec![(zero, TOP), (zero, bottom)],
            INK.stroke_width(1),
        ))?;
        root.draw(&PathElement::new(
            vec![(x0, bottom + 2), (x1, bottom + 2)],
            GRID.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            spec.unit.clone(),
            ((x0 + x1) / 2, bottom + 20),
            text(11.0, Pos::new(HPos::Center, VPos::Center)),
        ))?;
        root.present()
    })();
    finish(buf, r)
}

/// Two bars per row (earlier, later), with a legend.
pub fn paired(spec: &PairedChart) -> String {
    let row_h = 34;
    let h = 30 + row_h * spec.rows.len() as i32 + 36;
    let mut buf = String::new();
    let r = (|| -> Res {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, h as u32)).into_drawing_area();
        root.fill(&WHITE)?;
        let label_w = label_width(spec.rows.iter().map(|r| r.0.as_str())) + 14;
        // Legend first.
        let mut lx = label_w + 10;
        for (i, name) in spec.series.iter().enumerate() {
            let c = [SERIES[1], SERIES[0]][i];
            root.draw(&Rectangle::new([(lx, 6), (lx + 14, 18)], c.filled()))?;
            root.draw(&Rectangle::new([(lx, 6), (lx + 14, 18)], INK.stroke_width(1)))?;
            root.draw(&Text::new(
                name.clone(),
                (lx + 20, 12),
                text(11.0, Pos::new(HPos::Left, VPos::Center)),
            ))?;
            lx += 40 + 7 * name.chars().count() as i32;
        }
        let max = spec
            .rows
            .iter()
            .flat_map(|r| r.1.iter().flatten())
            .fold(0.0_f64, |a, &b| a.max(b))
            .max(f64::EPSILON);
        let (x0, x1) = (label_w + 10, WIDTH as i32 - 90);
        let scale = |v: f64| x0 + (v.max(0.0) / max * f64::from(x1 - x0)) as i32;
        for (i, (label, vals, hl)) in spec.rows.iter().enumerate() {
            let y = 30 + i as i32 * row_h;
            let style = if *hl {
                bold(12.0, Pos::new(HPos::Right, VPos::Center))
            } else {
                text(12.0, Pos::new(HPos::Right, VPos::Center))
            };
            root.draw(&Text::new(
                format!("{}{label}", if *hl { "▶ " } else { "" }),
                (label_w, y + row_h / 2),
                style,
            ))?;
            for (k, v) in vals.iter().enumerate() {
                let Some(v) = v else { continue };
                let yy = y + 3 + k as i32 * 14;
                let c = [SERIES[1], SERIES[0]][k];
                root.draw(&Rectangle::new(
                    [(x0, yy), (scale(*v).max(x0 + 1), yy + 12)],
                    c.filled(),
                ))?;
                root.draw(&Text::new(
                    fmt_number(*v, spec.decimals, spec.style),
                    (scale(*v) + 4, yy + 6),
                    text(10.0, Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        let bottom = 30 + row_h * spec.rows.len() as i32;
        root.draw(&PathElement::new(vec![(x0, 30), (x0, bottom)], INK.stroke_width(1)))?;
        root.draw(&Text::new(
            spec.unit.clone(),
            ((x0 + x1) / 2, bottom + 18),
            text(11.0, Pos::new(HPos::Center, VPos::Center)),
        ))?;
        root.present()
    })();
    finish(buf, r)
}

/// 100 % stacked bars with segment labels where there is room, and a legend.
pub fn stacked(spec: &StackedChart) -> String {
    let row_h = 28;
    let legend_rows = spec.segments.len().div_ceil(4) as i32;
    let unit_h = if spec.absolute.is_some() { 18 } else { 0 };
    let h = 8 + row_h * spec.rows.len() as i32 + 16 + unit_h + legend_rows * 20;
    let mut buf = String::new();
    let r = (|| -> Res {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, h as u32)).into_drawing_area();
        root.fill(&WHITE)?;
        let label_w = label_width(spec.rows.iter().map(|r| r.0.as_str())) + 14;
        let (x0, x1) = (
            label_w + 10,
            WIDTH as i32 - if spec.absolute.is_some() { 80 } else { 20 },
        );
        let w = f64::from(x1 - x0);
        let full = match &spec.absolute {
            Some(_) => spec
                .rows
                .iter()
                .map(|r| r.1.iter().sum::<f64>())
                .fold(0.0_f64, f64::max)
                .max(f64::EPSILON),
            None => 100.0,
        };
        for (i, (label, shares, hl)) in spec.rows.iter().enumerate() {
            let y = 8 + i as i32 * row_h;
            let style = if *hl {
                bold(12.0, Pos::new(HPos::Right, VPos::Center))
            } else {
                text(12.0, Pos::new(HPos::Right, VPos::Center))
            };
            root.draw(&Text::new(
                format!("{}{label}", if *hl { "▶ " } else { "" }),
                (label_w, y + row_h / 2),
                style,
            ))?;
            let mut acc = 0.0;
            for (k, share) in shares.iter().enumerate() {
                let a = x0 + (acc / full * w) as i32;
                acc += share;
                let b = x0 + (acc / full * w) as i32;
                let colour = spec.segments[k].1;
                root.draw(&Rectangle::new([(a, y + 3), (b, y + row_h - 3)], colour.filled()))?;
                root.draw(&PathElement::new(
                    vec![(b, y + 3), (b, y + row_h - 3)],
                    WHITE.stroke_width(1),
                ))?;
                if b - a >= 34 {
                    let light =
                        u32::from(colour.0) * 299 + u32::from(colour.1) * 587 + u32::from(colour.2) * 114 > 128_000;
                    let ink = if light { INK } else { WHITE };
                    let style = (FONT, 10.0)
                        .into_font()
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center));
                    let label = match &spec.absolute {
                        Some(_) => fmt_number(*share, 0, spec.style),
                        None => format!("{} %", fmt_number(*share, 0, spec.style)),
                    };
                    root.draw(&Text::new(label, ((a + b) / 2, y + row_h / 2), style))?;
                }
            }
            if spec.absolute.is_some() {
                let total: f64 = shares.iter().sum();
                let xe = x0 + (total / full * w) as i32;
                root.draw(&Text::new(
                    fmt_number(total, 0, spec.style),
                    (xe + 4, y + row_h / 2),
                    text(10.0, Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        if let Some(unit) = &spec.absolute {
            let yb = 8 + row_h * spec.rows.len() as i32;
            root.draw(&Text::new(
                unit.clone(),
                ((x0 + x1) / 2, yb + 4),
                text(10.0, Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        let ly0 = 8 + row_h * spec.rows.len() as i32 + 10 + unit_h;
        for (k, (name, colour)) in spec.segments.iter().enumerate() {
            let (col, row) = (k as i32 % 4, k as i32 / 4);
            let x = 20 + col * 155;
            let y = ly0 + row * 20;
            root.draw(&Rectangle::new([(x, y), (x + 14, y + 12)], colour.filled()))?;
            root.draw(&Rectangle::new([(x, y), (x + 14, y + 12)], INK.stroke_width(1)))?;
            root.draw(&Text::new(
                name.clone(),
                (x + 20, y + 6),
                text(11.0, Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        root.present()
    })();
    finish(buf, r)
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineStyle {
    /// Actual values: dark solid line with filled circles.
    Actual,
    /// Target path: dashed grey line with open squares.
    Target,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub style: LineStyle,
    /// Uncertainty ranges (x, low, high) drawn as vertical error bars, e.g. a start balance's
    /// typical error at its year.
    pub ranges: Vec<(f64, f64, f64)>,
}

/// A line chart over years, e.g. emissions per inhabitant against the target path.
#[derive(Debug, Clone)]
pub struct LineChart {
    pub unit: String,
    pub lines: Vec<Line>,
    /// How the numbers are written (the documents' locale).
    pub style: Style,
}

pub fn lines(spec: &LineChart) -> String {
    let (w, h) = (WIDTH as i32, 300);
    let mut buf = String::new();
    let r = (|| -> Res {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, h as u32)).into_drawing_area();
        root.fill(&WHITE)?;
        let pts: Vec<(f64, f64)> = spec.lines.iter().flat_map(|l| l.points.iter().copied()).collect();
        if pts.is_empty() {
            return root.present();
        }
        let (xmin, xmax) = pts
            .iter()
            .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.0), a.1.max(p.0)));
        let highs = spec.lines.iter().flat_map(|l| l.ranges.iter().map(|r| r.2));
        let ymax = pts.iter().map(|p| p.1).chain(highs).fold(0.0_f64, f64::max) * 1.1;
        let (px0, px1, py0, py1) = (60, w - 20, 40, h - 40);
        let sx = |x: f64| px0 + ((x - xmin) / (xmax - xmin).max(1.0) * f64::from(px1 - px0)) as i32;
        let sy = |y: f64| py1 - (y / ymax.max(f64::EPSILON) * f64::from(py1 - py0)) as i32;
        // Horizontal grid with labels.
        for k in 0..=4 {
            let v = ymax * f64::from(k) / 4.0;
            let y = sy(v);
            root.draw(&PathElement::new(vec![(px0, y), (px1, y)], GRID.stroke_width(1)))?;
            root.draw(&Text::new(
                fmt_number(v, if ymax < 20.0 { 1 } else { 0 }, spec.style),
                (px0 - 6, y),
                text(10.0, Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        root.draw(&PathElement::new(vec![(px0, py1), (px1, py1)], INK.stroke_width(1)))?;
        // Year ticks at every point's year.
        let mut years: Vec<i32> = pts.iter().map(|p| p.0 as i32).collect();
        years.sort_unstable();
        years.dedup();
        let mut last_x = -1000;
        for yr in years {
            let x = sx(f64::from(yr));
            if x - last_x < 28 {
                continue;
            }
            last_x = x;
            root.draw(&PathElement::new(vec![(x, py1), (x, py1 + 4)], INK.stroke_width(1)))?;
            root.draw(&Text::new(
                yr.to_string(),
                (x, py1 + 14),
                text(10.0, Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
        root.draw(&Text::new(
            spec.unit.clone(),
            (px0 - 50, py0 - 22),
            text(10.0, Pos::new(HPos::Left, VPos::Center)),
        ))?;
        // Legend.
        let mut lx = px0 + 120;
        for l in &spec.lines {
            let (c, dash) = match l.style {
                LineStyle::Actual => (SERIES[0], false),
                LineStyle::Target => (RGBColor(110, 110, 110), true),
            };
            draw_segment(&root, (lx, 12), (lx + 24, 12), c, dash)?;
            root.draw(&Text::new(
                l.name.clone(),
                (lx + 30, 12),
                text(10.0, Pos::new(HPos::Left, VPos::Center)),
            ))?;
            lx += 60 + 6 * l.name.chars().count() as i32;
        }
        for l in &spec.lines {
            let (c, dash) = match l.style {
                LineStyle::Actual => (SERIES[0], false),
                LineStyle::Target => (RGBColor(110, 110, 110), true),
            };
            for w2 in l.points.windows(2) {
                draw_segment(&root, (sx(w2[0].0), sy(w2[0].1)), (sx(w2[1].0), sy(w2[1].1)), c, dash)?;
            }
            for &(x, lo, hi) in &l.ranges {
                vertical_error_bar(&root, sx(x), sy(hi), sy(lo))?;
            }
            for p in &l.points {
                let (x, y) = (sx(p.0), sy(p.1));
                match l.style {
                    LineStyle::Actual => root.draw(&Circle::new((x, y), 3, c.filled()))?,
                    LineStyle::Target => {
                        root.draw(&Rectangle::new([(x - 3, y - 3), (x + 3, y + 3)], WHITE.filled()))?;
                        root.draw(&Rectangle::new([(x - 3, y - 3), (x + 3, y + 3)], c.stroke_width(1)))?;
                    }
                }
                root.draw(&Text::new(
                    fmt_number(p.1, 2, spec.style),
                    (x + 5, y - 9),
                    text(9.0, Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        root.present()
    })();
    finish(buf, r)
}

/// A vertical error bar with caps, in ink on a white halo: readable in greyscale on any line.
fn vertical_error_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    x: i32,
    top: i32,
    bottom: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for (colour, width) in [(WHITE, 3), (INK, 1)] {
        root.draw(&PathElement::new(
            vec![(x, top), (x, bottom)],
            colour.stroke_width(width),
        ))?;
        for y in [top, bottom] {
            root.draw(&PathElement::new(
                vec![(x - 5, y), (x + 5, y)],
                colour.stroke_width(width),
            ))?;
        }
    }
    Ok(())
}

fn draw_segment<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    a: (i32, i32),
    b: (i32, i32),
    c: RGBColor,
    dashed: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if !dashed {
        return root.draw(&PathElement::new(vec![a, b], c.stroke_width(2)));
    }
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let n = (len / 6.0).ceil() as i32;
    for k in (0..n).step_by(2) {
        let t0 = f64::from(k) / f64::from(n);
        let t1 = (f64::from(k + 1) / f64::from(n)).min(1.0);
        let p = |t: f64| (a.0 + (dx * t) as i32, a.1 + (dy * t) as i32);
        root.draw(&PathElement::new(vec![p(t0), p(t1)], c.stroke_width(2)))?;
    }
    Ok(())
}

/// One step of a waterfall.
#[derive(Debug, Clone)]
pub struct Step {
    pub label: String,
    pub value: f64,
    /// A total bar from zero (gross, remaining) rather than a change.
    pub total: bool,
}

/// A horizontal waterfall: gross → sinks → measures → remaining.
#[derive(Debug, Clone)]
pub struct Waterfall {
    pub unit: String,
    pub steps: Vec<Step>,
    /// How the numbers are written (the documents' locale).
    pub style: Style,
}

pub fn waterfall(spec: &Waterfall) -> String {
    let h = TOP + ROW_H * spec.steps.len() as i32 + 40;
    let mut buf = String::new();
    let r = (|| -> Res {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, h as u32)).into_drawing_area();
        root.fill(&WHITE)?;
        let label_w = label_width(spec.steps.iter().map(|s| s.label.as_str()));
        let mut level = 0.0_f64;
        let mut spans = Vec::new();
        for s in &spec.steps {
            if s.total {
                spans.push((0.0, s.value));
                level = s.value;
            } else {
                spans.push((level, level + s.value));
                level += s.value;
            }
        }
        let max = spans
            .iter()
            .map(|s| s.0.max(s.1))
            .fold(0.0_f64, f64::max)
            .max(f64::EPSILON);
        let (x0, x1) = (label_w + 10, WIDTH as i32 - 100);
        let scale = |v: f64| x0 + (v.max(0.0) / max * f64::from(x1 - x0)) as i32;
        for (i, (s, (a, b))) in spec.steps.iter().zip(&spans).enumerate() {
            let y = TOP + i as i32 * ROW_H;
            root.draw(&Text::new(
                s.label.clone(),
                (label_w, y + ROW_H / 2),
                text(12.0, Pos::new(HPos::Right, VPos::Center)),
            ))?;
            let (l, r) = (scale(a.min(*b)), scale(a.max(*b)).max(scale(a.min(*b)) + 1));
            let colour = if s.total { SERIES[0] } else { SERIES[1] };
            root.draw(&Rectangle::new([(l, y + 4), (r, y + ROW_H - 4)], colour.filled()))?;
            root.draw(&Rectangle::new([(l, y + 4), (r, y + ROW_H - 4)], INK.stroke_width(1)))?;
            let label = if s.total {
                fmt_number(s.value, 0, spec.style)
            } else {
                format!(
                    "{}{}",
                    if s.value > 0.0 { "+" } else { "" },
                    fmt_number(s.value, 0, spec.style)
                )
            };
            root.draw(&Text::new(
                label,
                (r + 4, y + ROW_H / 2),
                text(11.0, Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        let bottom = TOP + ROW_H * spec.steps.len() as i32;
        root.draw(&PathElement::new(vec![(x0, TOP), (x0, bottom)], INK.stroke_width(1)))?;
        root.draw(&Text::new(
            spec.unit.clone(),
            ((x0 + x1) / 2, bottom + 20),
            text(11.0, Pos::new(HPos::Center, VPos::Center)),
        ))?;
        root.present()
    })();
    finish(buf, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_svg_with_german_labels_and_no_transparency() {
        let svg = bars(&BarChart {
            unit: "t CO₂e".into(),
            decimals: 0,
            style: Style::German,
            bars: vec![
                Bar {
                    label: "Gebäude".into(),
                    value: 1_440_023.0,
                    highlight: false,
                    range: Some((1_300_000.0, 1_600_000.0)),
                },
                Bar {
                    label: "Wald".into(),
                    value: -1234.0,
                    highlight: true,
                    range: None,
                },
            ],
        });
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("1.440.023") && svg.contains("−1.234") && svg.contains("Gebäude"));
        assert!(svg.contains(FONT));
        assert!(!svg.contains("opacity=\"0."), "charts must not use transparency");
    }

    #[test]
    fn waterfall_and_lines_draw_their_values() {
        let svg = waterfall(&Waterfall {
            unit: "t".into(),
            style: Style::German,
            steps: vec![
                Step {
                    label: "Brutto".into(),
                    value: 3_500_000.0,
                    total: true,
                },
                Step {
                    label: "Senke".into(),
                    value: -10_000.0,
                    total: false,
                },
                Step {
                    label: "Rest".into(),
                    value: 3_490_000.0,
                    total: true,
                },
            ],
        });
        assert!(svg.contains("3.500.000") && svg.contains("−10.000") && svg.contains("3.490.000"));
        let svg = lines(&LineChart {
            unit: "t/EW".into(),
            style: Style::German,
            lines: vec![
                Line {
                    name: "Ist".into(),
                    points: vec![(2011.0, 6.4), (2019.0, 5.28)],
                    style: LineStyle::Actual,
                    ranges: Vec::new(),
                },
                Line {
                    name: "Ziel".into(),
                    points: vec![(2019.0, 5.28), (2030.0, 1.9)],
                    style: LineStyle::Target,
                    ranges: Vec::new(),
                },
            ],
        });
        assert!(svg.contains("2030") && svg.contains("1,90") && svg.contains("Ziel"));
        // An estimated point gets an error bar: a stem and two caps, each in halo and ink.
        let chart = |ranges: Vec<(f64, f64, f64)>| {
            lines(&LineChart {
                unit: "t/EW".into(),
                style: Style::German,
                lines: vec![Line {
                    name: "Ist".into(),
                    points: vec![(2011.0, 6.4), (2019.0, 5.28)],
                    style: LineStyle::Actual,
                    ranges,
                }],
            })
        };
        let (with_range, without) = (chart(vec![(2019.0, 4.8, 5.7)]), chart(Vec::new()));
        assert_eq!(
            with_range.matches("<polyline").count(),
            without.matches("<polyline").count() + 6
        );
    }

    #[test]
    fn stacked_shares_label_wide_segments() {
        let svg = stacked(&StackedChart {
            absolute: None,
            style: Style::German,
            segments: vec![
                ("Siedlung".into(), LAND_COLOURS[0]),
                ("Landwirtschaft".into(), LAND_COLOURS[2]),
            ],
            rows: vec![("Thallwitz".into(), vec![30.0, 70.0], true)],
        });
        assert!(svg.contains("70 %") && svg.contains("Landwirtschaft"));
    }
}
