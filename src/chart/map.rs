//! Choropleth maps of the members, drawn with plotters from their boundaries. Classes use a
//! light-to-dark ramp (distinct in greyscale), every municipality carries its name and value as a
//! direct label, missing values are hatched, and the member a document is about has a thick outline.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{FONT, INK};
use crate::format::{fmt_number, Style};

/// One area of the map.
#[derive(Debug, Clone)]
pub struct Area {
    pub name: String,
    /// Rings of (longitude, latitude).
    pub rings: Vec<Vec<(f64, f64)>>,
    pub value: Option<f64>,
    pub highlight: bool,
}

#[derive(Debug, Clone)]
pub struct MapSpec {
    pub areas: Vec<Area>,
    pub unit: String,
    pub decimals: usize,
    /// Legend text for areas without a value.
    pub no_data: String,
    /// How the numbers are written (the documents' locale).
    pub style: Style,
}

/// Light to dark, equal steps in lightness.
const RAMP: [RGBColor; 5] = [
    RGBColor(240, 240, 240),
    RGBColor(198, 210, 225),
    RGBColor(140, 165, 200),
    RGBColor(70, 105, 160),
    RGBColor(20, 45, 90),
];

const W: u32 = 640;
const H: u32 = 460;

fn centroid(ring: &[(f64, f64)]) -> (f64, f64) {
    let n = ring.len().max(1) as f64;
    (
        ring.iter().map(|p| p.0).sum::<f64>() / n,
        ring.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

/// Class boundaries: five equal intervals between the smallest and largest value.
fn classes(values: &[f64]) -> Vec<f64> {
    let (lo, hi) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |a, &v| (a.0.min(v), a.1.max(v)));
    if values.is_empty() || hi <= lo {
        return vec![lo; 4];
    }
    (1..5).map(|k| lo + (hi - lo) * f64::from(k) / 5.0).collect()
}

fn class_of(v: f64, bounds: &[f64]) -> usize {
    bounds.iter().take_while(|&&b| v > b).count()
}

type Area2d<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// Longitude/latitude to pixels: an equirectangular projection, corrected for latitude, that fits
/// all points into the map frame.
struct Projection {
    x0: f64,
    y1: f64,
    k: f64,
    scale: f64,
    ox: f64,
}

impl Projection {
    /// `None` without any point.
    fn fit(areas: &[Area]) -> Option<Projection> {
        let pts: Vec<(f64, f64)> = areas.iter().flat_map(|a| a.rings.iter().flatten().copied()).collect();
        if pts.is_empty() {
            return None;
        }
        let (x0, x1, y0, y1) = pts.iter().fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |a, p| {
            (a.0.min(p.0), a.1.max(p.0), a.2.min(p.1), a.3.max(p.1))
        });
        let k = ((y0 + y1) / 2.0).to_radians().cos();
        let (map_w, map_h) = (f64::from(W) - 20.0, f64::from(H) - 90.0);
        let scale = (map_w / ((x1 - x0) * k).max(1e-9)).min(map_h / (y1 - y0).max(1e-9));
        let ox = 10.0 + (map_w - (x1 - x0) * k * scale) / 2.0;
        Some(Projection { x0, y1, k, scale, ox })
    }

    fn px(&self, p: &(f64, f64)) -> (i32, i32) {
        (
            (self.ox + (p.0 - self.x0) * self.k * self.scale) as i32,
            (10.0 + (self.y1 - p.1) * self.scale) as i32,
        )
    }
}

pub fn choropleth(spec: &MapSpec) -> String {
    let mut buf = String::new();
    let result = (|| -> Drawn {
        let root = SVGBackend::with_string(&mut buf, (W, H)).into_drawing_area();
        root.fill(&WHITE)?;
        let Some(proj) = Projection::fit(&spec.areas) else {
            return root.present();
        };
        let values: Vec<f64> = spec.areas.iter().filter_map(|a| a.value).collect();
        let bounds = classes(&values);
        draw_areas(&root, spec, &proj, &bounds)?;
        draw_labels(&root, spec, &proj)?;
        draw_legend(&root, spec, &values, &bounds)?;
        root.present()
    })();
    if let Err(e) = result {
        debug_assert!(false, "map drawing failed: {e:?}");
    }
    buf
}

/// The areas filled by class (hatched without a value), with their outlines.
fn draw_areas(root: &Area2d, spec: &MapSpec, proj: &Projection, bounds: &[f64]) -> Drawn {
    for a in &spec.areas {
        for r in &a.rings {
            let poly: Vec<(i32, i32)> = r.iter().map(|p| proj.px(p)).collect();
            match a.value {
                Some(v) => root.draw(&Polygon::new(poly.clone(), RAMP[class_of(v, bounds)].filled()))?,
                None => {
                    root.draw(&Polygon::new(poly.clone(), WHITE.filled()))?;
                    hatch(root, &poly)?;
                }
            }
            let mut closed = poly.clone();
            closed.push(poly[0]);
            root.draw(&PathElement::new(closed, RGBColor(90, 90, 90).stroke_width(1)))?;
        }
    }
    Ok(())
}

/// Highlight outlines and the name-and-value labels, on top of the areas.
fn draw_labels(root: &Area2d, spec: &MapSpec, proj: &Projection) -> Drawn {
    for a in &spec.areas {
        if a.highlight {
            for r in &a.rings {
                let mut poly: Vec<(i32, i32)> = r.iter().map(|p| proj.px(p)).collect();
                poly.push(poly[0]);
                root.draw(&PathElement::new(poly, INK.stroke_width(4)))?;
            }
        }
        let Some(largest) = a.rings.iter().max_by_key(|r| r.len()) else {
            continue;
        };
        let (cx, cy) = proj.px(&centroid(largest));
        let value = a
            .value
            .map(|v| fmt_number(v, spec.decimals, spec.style))
            .unwrap_or_else(|| "–".into());
        let lines = [a.name.clone(), value];
        let wmax = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as i32 * 6 + 8;
        root.draw(&Rectangle::new(
            [(cx - wmax / 2, cy - 15), (cx + wmax / 2, cy + 15)],
            WHITE.filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(cx - wmax / 2, cy - 15), (cx + wmax / 2, cy + 15)],
            INK.stroke_width(1),
        ))?;
        let weight = if a.highlight {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        for (i, l) in lines.iter().enumerate() {
            let style = (FONT, 10.0)
                .into_font()
                .style(weight)
                .color(&INK)
                .pos(Pos::new(HPos::Center, VPos::Center));
            root.draw(&Text::new(l.clone(), (cx, cy - 7 + 14 * i as i32), style))?;
        }
    }
    Ok(())
}

/// Legend: classes with their ranges, then "no data", then the unit.
fn draw_legend(root: &Area2d, spec: &MapSpec, values: &[f64], bounds: &[f64]) -> Drawn {
    let ly = H as i32 - 62;
    let lo = values.iter().copied().fold(f64::MAX, f64::min);
    let hi = values.iter().copied().fold(f64::MIN, f64::max);
    let mut edges = vec![lo];
    edges.extend(bounds.iter().copied());
    edges.push(hi);
    let show = if values.is_empty() {
        0
    } else if hi > lo {
        5
    } else {
        1
    };
    let left = |size| {
        (FONT, size)
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center))
    };
    for c in 0..show {
        let x = 10 + c as i32 * 120;
        root.draw(&Rectangle::new(
            [(x, ly), (x + 16, ly + 12)],
            RAMP[if show == 1 { 2 } else { c }].filled(),
        ))?;
        root.draw(&Rectangle::new([(x, ly), (x + 16, ly + 12)], INK.stroke_width(1)))?;
        let text = if show == 1 {
            fmt_number(lo, spec.decimals, spec.style)
        } else {
            format!(
                "{}–{}",
                fmt_number(edges[c], spec.decimals, spec.style),
                fmt_number(edges[c + 1], spec.decimals, spec.style)
            )
        };
        root.draw(&Text::new(text, (x + 22, ly + 6), left(10.0)))?;
    }
    if spec.areas.iter().any(|a| a.value.is_none()) {
        let y = ly + 22;
        let sq = vec![(10, y), (26, y), (26, y + 12), (10, y + 12)];
        root.draw(&Polygon::new(sq.clone(), WHITE.filled()))?;
        hatch(root, &sq)?;
        root.draw(&Rectangle::new([(10, y), (26, y + 12)], INK.stroke_width(1)))?;
        root.draw(&Text::new(spec.no_data.clone(), (32, y + 6), left(10.0)))?;
    }
    root.draw(&Text::new(spec.unit.clone(), (10, H as i32 - 14), left(10.0)))?;
    Ok(())
}

/// Diagonal hatching inside a polygon's bounding box, clipped roughly by testing midpoints.
fn hatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    poly: &[(i32, i32)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (minx, maxx) = poly
        .iter()
        .fold((i32::MAX, i32::MIN), |a, p| (a.0.min(p.0), a.1.max(p.0)));
    let (miny, maxy) = poly
        .iter()
        .fold((i32::MAX, i32::MIN), |a, p| (a.0.min(p.1), a.1.max(p.1)));
    let inside = |x: f64, y: f64| {
        let mut c = false;
        let n = poly.len();
        for i in 0..n {
            let (a, b) = (poly[i], poly[(i + n - 1) % n]);
            let (ax, ay, bx, by) = (f64::from(a.0), f64::from(a.1), f64::from(b.0), f64::from(b.1));
            if (ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax {
                c = !c;
            }
        }
        c
    };
    let mut d = minx - (maxy - miny);
    while d < maxx {
        // Segment of the line x - y = d - miny, sampled in steps; draw the parts inside.
        let mut start: Option<(i32, i32)> = None;
        let mut y = miny;
        while y <= maxy {
            let x = d + (y - miny);
            let ins = inside(f64::from(x), f64::from(y));
            match (ins, start) {
                (true, None) => start = Some((x, y)),
                (false, Some(s)) => {
                    root.draw(&PathElement::new(
                        vec![s, (x - 1, y - 1)],
                        RGBColor(120, 120, 120).stroke_width(1),
                    ))?;
                    start = None;
                }
                _ => {}
            }
            y += 1;
        }
        if let Some(s) = start {
            root.draw(&PathElement::new(
                vec![s, (d + (maxy - miny), maxy)],
                RGBColor(120, 120, 120).stroke_width(1),
            ))?;
        }
        d += 8;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_draws_labels_and_legend() {
        let sq = |x: f64| vec![(x, 51.0), (x + 0.1, 51.0), (x + 0.1, 51.1), (x, 51.1)];
        let svg = choropleth(&MapSpec {
            areas: vec![
                Area {
                    name: "A".into(),
                    rings: vec![sq(12.0)],
                    value: Some(1.0),
                    highlight: true,
                },
                Area {
                    name: "B".into(),
                    rings: vec![sq(12.2)],
                    value: Some(5.0),
                    highlight: false,
                },
                Area {
                    name: "C".into(),
                    rings: vec![sq(12.4)],
                    value: None,
                    highlight: false,
                },
            ],
            unit: "t CO₂e/Einw.".into(),
            decimals: 1,
            no_data: "keine Daten".into(),
            style: Style::German,
        });
        assert!(svg.contains("keine Daten") && svg.contains("t CO₂e/Einw."), "{svg}");
        assert!(svg.contains("\nA\n") && svg.contains("\n5,0\n"), "{svg}");

        assert!(svg.contains("stroke-width=\"4\""), "highlight outline");
        assert_eq!(class_of(1.0, &classes(&[1.0, 5.0])), 0);
        assert_eq!(class_of(5.0, &classes(&[1.0, 5.0])), 4);
    }
}
