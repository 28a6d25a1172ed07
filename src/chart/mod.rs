//! Charts: plotters draws SVG strings from plain chart specs. No I/O, no knowledge of members or
//! files: render builds the specs (labels in the document's language) and embeds the SVGs.
//! Colours are solid (no alpha) and differ in lightness, and every bar carries its value as a
//! direct label, so the charts read in greyscale print.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::format::de_number;

/// Font family of all chart text: must match a font loaded into typst exactly.
pub const FONT: &str = "DejaVu Sans";

const WIDTH: u32 = 640;
const INK: RGBColor = RGBColor(30, 30, 30);
const GRID: RGBColor = RGBColor(200, 200, 200);
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
}

/// Horizontal bars; negative values extend left of zero (e.g. a land sink).
#[derive(Debug, Clone)]
pub struct BarChart {
    pub unit: String,
    pub bars: Vec<Bar>,
    pub decimals: usize,
}

/// Horizontal bars with two values per row, e.g. an earlier and a later reference date.
#[derive(Debug, Clone)]
pub struct PairedChart {
    pub unit: String,
    pub series: [String; 2],
    pub rows: Vec<(String, [Option<f64>; 2], bool)>,
    pub decimals: usize,
}

/// 100 % stacked bars (shares of a whole), e.g. land use by member.
#[derive(Debug, Clone)]
pub struct StackedChart {
    /// Segment names in stacking order, with their colour.
    pub segments: Vec<(String, RGBColor)>,
    /// Row label, shares in % per segment, highlight.
    pub rows: Vec<(String, Vec<f64>, bool)>,
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

fn text<'a>(size: f64, pos: Pos) -> TextStyle<'a> {
    (FONT, size).into_font().color(&INK).pos(pos)
}

fn bold<'a>(size: f64, pos: Pos) -> TextStyle<'a> {
    (FONT, size).into_font().style(FontStyle::Bold).color(&INK).pos(pos)
}

type Res = Result<(), DrawingAreaErrorKind<std::io::Error>>;

fn finish(buf: String, r: Res) -> String {
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
        let min = spec.bars.iter().map(|b| b.value).fold(0.0, f64::min);
        let max = spec.bars.iter().map(|b| b.value).fold(0.0, f64::max);
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
            let label = de_number(b.value, spec.decimals);
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
                    de_number(*v, spec.decimals),
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
    let h = 8 + row_h * spec.rows.len() as i32 + 16 + legend_rows * 20;
    let mut buf = String::new();
    let r = (|| -> Res {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, h as u32)).into_drawing_area();
        root.fill(&WHITE)?;
        let label_w = label_width(spec.rows.iter().map(|r| r.0.as_str())) + 14;
        let (x0, x1) = (label_w + 10, WIDTH as i32 - 20);
        let w = f64::from(x1 - x0);
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
                let a = x0 + (acc / 100.0 * w) as i32;
                acc += share;
                let b = x0 + (acc / 100.0 * w) as i32;
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
                    root.draw(&Text::new(
                        format!("{} %", de_number(*share, 0)),
                        ((a + b) / 2, y + row_h / 2),
                        style,
                    ))?;
                }
            }
        }
        let ly0 = 8 + row_h * spec.rows.len() as i32 + 10;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_svg_with_german_labels_and_no_transparency() {
        let svg = bars(&BarChart {
            unit: "t CO₂e".into(),
            decimals: 0,
            bars: vec![
                Bar {
                    label: "Gebäude".into(),
                    value: 1_440_023.0,
                    highlight: false,
                },
                Bar {
                    label: "Wald".into(),
                    value: -1234.0,
                    highlight: true,
                },
            ],
        });
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("1.440.023") && svg.contains("−1.234") && svg.contains("Gebäude"));
        assert!(svg.contains(FONT));
        assert!(!svg.contains("opacity=\"0."), "charts must not use transparency");
    }

    #[test]
    fn stacked_shares_label_wide_segments() {
        let svg = stacked(&StackedChart {
            segments: vec![
                ("Siedlung".into(), LAND_COLOURS[0]),
                ("Landwirtschaft".into(), LAND_COLOURS[2]),
            ],
            rows: vec![("Thallwitz".into(), vec![30.0, 70.0], true)],
        });
        assert!(svg.contains("70 %") && svg.contains("Landwirtschaft"));
    }
}
