// Shared by the file-format targets: the five partners as members, Lossatal's merger, and a
// reader that must never panic: any input gives observations or an InputError.
use std::collections::BTreeSet;

use klimapartner::ingest::MunicipalChanges;
use klimapartner::model::Ags;

pub fn members() -> BTreeSet<Ags> {
    ["14713000", "14729030", "14729245", "14729380", "14729410"]
        .iter()
        .map(|a| Ags::parse(a).unwrap())
        .collect()
}

pub fn changes() -> MunicipalChanges {
    MunicipalChanges::from_csv(
        "ags,name,valid_from,predecessors,source\n14729245,Lossatal,2012-01-01,14729130 14729200,x\n",
    )
    .unwrap()
}

/// Reads `prefix` + `data` as a file named `name`; errors are fine, panics are not.
pub fn read(name: &str, prefix: &[u8], data: &[u8]) {
    let mut bytes = prefix.to_vec();
    bytes.extend_from_slice(data);
    if let Ok(Some((report, obs, _))) = klimapartner::ingest::parse_file(name, &bytes, &members(), &changes()) {
        // Whatever was read is well-formed: keys of members, finite values.
        for o in &obs {
            assert_eq!(o.ags.as_str().len(), 8);
            if let Ok(v) = o.value {
                assert!(v.is_finite(), "{v} in {report:?}");
            }
        }
    }
}
