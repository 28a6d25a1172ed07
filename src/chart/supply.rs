//! The supply curve of the compensation offer: tonnes per year (cumulative, x) available at each
//! carbon price (y), one block per measure from its break-even price, and the offered price as a
//! dashed line. Blocks above the chart's price limit are left out and named in the caption by the
//! caller (the table lists every step). Solid fills in two alternating greys read in greyscale.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{finish, text, Res, GRID, INK, SERIES, WIDTH};
use crate::format::{fmt_number, Style};

/// One block: a measure's tonnes from its break-even price on.
#[derive(Debug, Clone)]
pub struct Block {
    pub label: String,
    pub price: f64,
    pub tonnes: f64,
}

#[derive(Debug, Clone)]
pub struct SupplyChart {
    /// Blocks in price order.
    pub blocks: Vec<Block>,
    /// The offered price (dashed line).
    pub offered: f64,
    /// Highest price drawn.
    pub price_limit: f64,
    pub x_unit: String,
    pub y_unit: String,
    pub offered_label: String,
    pub style: Style,
}

pub fn supply(spec: &SupplyChart) -> String {
    let (w, h) = (WIDTH as i32, 300);
    let mut buf = String::new();
    let r = (|| -> Res {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, h as u32)).into_drawing_area();
        root.fill(&WHITE)?;
        let shown: Vec<&Block> = spec.blocks.iter().filter(|b| b.price <= spec.price_limit).collect();
        let total: f64 = shown.iter().map(|b| b.tonnes).sum::<f64>().max(1.0);
        let ymax = spec.price_limit.max(spec.offered).max(1.0);
        let (px0, px1, py0, py1) = (60, w - 20, 30, h - 40);
        let sx = |x: f64| px0 + (x / total * f64::from(px1 - px0)) as i32;
        let sy = |y: f64| py1 - (y.min(ymax) / ymax * f64::from(py1 - py0)) as i32;
        for k in 0..=4 {
            let v = ymax * f64::from(k) / 4.0;
            let y = sy(v);
            root.draw(&PathElement::new(vec![(px0, y), (px1, y)], GRID.stroke_width(1)))?;
            root.draw(&Text::new(
                fmt_number(v, 0, spec.style),
                (px0 - 6, y),
                text(10.0, Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        let mut x = 0.0;
        for (i, b) in shown.iter().enumerate() {
            let (l, r) = (sx(x), sx(x + b.tonnes).max(sx(x) + 1));
            let colour = SERIES[i % 2];
            root.draw(&Rectangle::new([(l, sy(b.price)), (r, py1)], colour.filled()))?;
            root.draw(&Rectangle::new([(l, sy(b.price)), (r, py1)], INK.stroke_width(1)))?;
            root.draw(&Text::new(
                format!("{} ({} €/t)", b.label, fmt_number(b.price, 0, spec.style)),
                (l + 2, sy(b.price) - 8 - 11 * (i as i32 % 2)),
                text(9.0, Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += b.tonnes;
        }
        // The offered price.
        let yo = sy(spec.offered);
        let mut xd = px0;
        while xd < px1 {
            root.draw(&PathElement::new(
                vec![(xd, yo), ((xd + 6).min(px1), yo)],
                INK.stroke_width(2),
            ))?;
            xd += 12;
        }
        root.draw(&Text::new(
            spec.offered_label.clone(),
            (px1, yo - 8),
            text(10.0, Pos::new(HPos::Right, VPos::Center)),
        ))?;
        root.draw(&PathElement::new(vec![(px0, py1), (px1, py1)], INK.stroke_width(1)))?;
        root.draw(&Text::new(
            fmt_number(total, 0, spec.style),
            (px1, py1 + 12),
            text(10.0, Pos::new(HPos::Right, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            "0".to_string(),
            (px0, py1 + 12),
            text(10.0, Pos::new(HPos::Center, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            spec.x_unit.clone(),
            ((px0 + px1) / 2, py1 + 26),
            text(10.0, Pos::new(HPos::Center, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            spec.y_unit.clone(),
            (px0 - 50, py0 - 18),
            text(10.0, Pos::new(HPos::Left, VPos::Center)),
        ))?;
        root.present()
    })();
    finish(buf, r)
}
