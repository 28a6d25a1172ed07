//! Municipal boundaries from GeoJSON (VG250, key `AGS_0`), for the maps.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use walkdir::WalkDir;

use crate::error::InputError;
use crate::model::Ags;

/// The outline of one municipality: rings of (longitude, latitude).
#[derive(Debug, Clone)]
pub struct Boundary {
    pub ags: Ags,
    pub rings: Vec<Vec<(f64, f64)>>,
}

fn ring(v: &Value) -> Option<Vec<(f64, f64)>> {
    v.as_array()?
        .iter()
        .map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
        .collect()
}

/// Outer rings of the members' polygons in all `*.geojson` files under `inputs/geometry/`.
pub fn load(inputs: &Path, members: &BTreeSet<Ags>) -> Result<Vec<Boundary>, InputError> {
    let dir = inputs.join("geometry");
    let mut out: Vec<Boundary> = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for e in WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "geojson") {
            continue;
        }
        let rel = format!("geometry/{}", e.path().strip_prefix(&dir).unwrap_or(e.path()).display());
        let bytes = super::policy::read_file(super::policy::Place::Inside(inputs), e.path(), &rel)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            InputError::new(
                &rel,
                "is not UTF-8 text, as GeoJSON must be",
                "download the boundaries again",
            )
        })?;
        let v: Value = serde_json::from_str(&text).map_err(|err| {
            InputError::new(
                &rel,
                format!("is not valid GeoJSON: {err}"),
                "download the boundaries again",
            )
            .at(err.line())
        })?;
        for f in v["features"].as_array().into_iter().flatten() {
            let Some(Ok(ags)) = f["properties"]["AGS_0"].as_str().map(Ags::parse) else {
                continue;
            };
            if !members.contains(&ags) || out.iter().any(|b| b.ags == ags) {
                continue;
            }
            let g = &f["geometry"];
            let rings: Vec<Vec<(f64, f64)>> = match g["type"].as_str() {
                Some("Polygon") => g["coordinates"]
                    .as_array()
                    .and_then(|r| r.first())
                    .and_then(ring)
                    .into_iter()
                    .collect(),
                Some("MultiPolygon") => g["coordinates"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|poly| poly.as_array().and_then(|r| r.first()).and_then(ring))
                    .collect(),
                _ => Vec::new(),
            };
            if !rings.is_empty() {
                out.push(Boundary { ags, rings });
            }
        }
    }
    Ok(out)
}
