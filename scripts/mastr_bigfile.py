#!/usr/bin/env python3
"""Writes a synthetic Marktstammdatenregister Gesamtdatenexport of realistic size for the
benchmark (scripts/bench_mastr.sh): a deflated ZIP of UTF-16 LE XML files with BOM, parts of
100,000 units each (EinheitenSolar_1.xml, _2, …, then EinheitenWind.xml, EinheitenBiomasse.xml,
EinheitenWasser.xml), each unit with the ~40 fields of the register's EinheitSolar (about 3.6 KB of
UTF-16 per unit, as the real EinheitenSolar_1.xml: 365 MB for 100,000 units in the export of
3 Feb 2022), keys spread over 11,000 made-up municipalities, commissioning years 1990–2025, 85 %
of units in operation. The XML is built from 16 different blocks of 2,000 random units, written in
turn (each block is larger than deflate's 32 KB window, so it compresses like fresh data).

    python3 scripts/mastr_bigfile.py GB OUT.zip     e.g. 1.2 /tmp/Gesamtdatenexport_20250403_25.1.zip
"""
import random
import sys
import zipfile

UNITS_PER_PART = 100_000
BLOCK_UNITS = 2_000
BLOCKS = 16
STAMP = (2025, 4, 3, 3, 0, 0)

rng = random.Random(14)
KEYS = sorted({f"{rng.randint(1, 16):02d}{rng.randint(0, 9)}{rng.randint(1, 99):02d}{rng.randint(1, 999):03d}"
               for _ in range(11_000)})
STATUS = [35] * 85 + [31] * 8 + [37] * 2 + [38] * 5


def unit(kind, i):
    nr = f"SEE{900000000000 + i:012d}"
    ags = rng.choice(KEYS)
    kw = f"{rng.lognormvariate(2.3, 1.4):.3f}"
    year = rng.randint(1990, 2025)
    start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    status = rng.choice(STATUS)
    f = [
        ("EinheitMastrNummer", nr), ("DatumLetzteAktualisierung", "2025-03-17T10:19:00.3860556"),
        ("LokationMaStRNummer", "SEL" + nr[3:]), ("NetzbetreiberpruefungStatus", "1"),
        ("NetzbetreiberpruefungDatum", "2021-05-06"), ("AnlagenbetreiberMastrNummer", "ABR9" + nr[4:]),
        ("Land", "84"), ("Bundesland", "14" + ags[:2]), ("Landkreis", "Landkreis " + ags[:5]),
        ("Gemeinde", "Gemeinde " + ags), ("Gemeindeschluessel", ags), ("Postleitzahl", f"{rng.randint(1000, 99999):05d}"),
        ("Gemarkung", "Gemarkung Nord"), ("FlurFlurstuecknummern", f"{rng.randint(1, 99)}/{rng.randint(1, 999)}"),
        ("Ort", "Ort " + ags[-3:]), ("Laengengrad", f"{rng.uniform(6, 15):.6f}"), ("Breitengrad", f"{rng.uniform(47, 55):.6f}"),
        ("Registrierungsdatum", "2020-09-07"), ("Inbetriebnahmedatum", start), ("EinheitSystemstatus", "472"),
        ("EinheitBetriebsstatus", str(status)), ("NichtVorhandenInMigriertenEinheiten", "0"),
        ("NameStromerzeugungseinheit", f"{kind}anlage {i}"), ("Weic_nv", "0"), ("Kraftwerksnummer_nv", "0"),
        ("Energietraeger", "2495"), ("Bruttoleistung", kw), ("Nettonennleistung", kw),
        ("AnschlussAnHoechstOderHochSpannung", "0"), ("Schwarzstartfaehigkeit", "0"), ("Inselbetriebsfaehigkeit", "0"),
        ("Einsatzverantwortlicher", "ABR900000000001"), ("FernsteuerbarkeitNb", "0"), ("FernsteuerbarkeitDv", "0"),
        ("FernsteuerbarkeitDr", "0"), ("EinspeisungsVollOderTeileinspeisung", "689"),
        ("GemeinsamerWechselrichterMitSpeicher", "2"), ("AnzahlModule", str(rng.randint(4, 4000))),
        ("Lage", "853"), ("Leistungsbegrenzung", "802"), ("EinheitlicheAusrichtungUndNeigungswinkel", "1"),
        ("Hauptausrichtung", "696"), ("HauptausrichtungNeigungswinkel", "809"), ("Nutzungsbereich", "713"),
        ("EegMaStRNummer", "EEG" + nr[3:]),
    ]
    if status == 38:
        f.append(("DatumEndgueltigeStilllegung", f"{min(year + 10, 2025)}-01-01"))
    return f"<Einheit{kind}>" + "".join(f"<{k}>{v}</{k}>" for k, v in f) + f"</Einheit{kind}>"


def blocks(kind):
    return [("".join(unit(kind, b * BLOCK_UNITS + i) for i in range(BLOCK_UNITS))).encode("utf-16-le")
            for b in range(BLOCKS)]


def write_part(z, name, kind, units, data):
    info = zipfile.ZipInfo(name, date_time=STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    written = 0
    with z.open(info, "w", force_zip64=True) as f:
        head = f'<?xml version="1.0" encoding="utf-16"?><Einheiten{kind}>'.encode("utf-16-le")
        f.write(b"\xff\xfe" + head)
        written += 2 + len(head)
        for i in range(units // BLOCK_UNITS):
            f.write(data[i % BLOCKS])
            written += len(data[i % BLOCKS])
        tail = f"</Einheiten{kind}>".encode("utf-16-le")
        f.write(tail)
        written += len(tail)
    return written


def main():
    gb, out = float(sys.argv[1]), sys.argv[2]
    target = int(gb * 1e9)
    solar, other = blocks("Solar"), {k: blocks(k) for k in ("Wind", "Biomasse", "Wasser")}
    total, part = 0, 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        # Wind, biomass and hydro: a part each, 1/20 of the size; solar fills the rest.
        for kind, data in other.items():
            units = max(BLOCK_UNITS, int(target / 20 / len(data[0]) * BLOCK_UNITS) // BLOCK_UNITS * BLOCK_UNITS)
            total += write_part(z, f"Einheiten{kind}.xml", kind, units, data)
        while total < target:
            part += 1
            units = min(UNITS_PER_PART, max(BLOCK_UNITS, (target - total) // len(solar[0]) * BLOCK_UNITS))
            total += write_part(z, f"EinheitenSolar_{part}.xml", "Solar", units, solar)
        z.writestr(zipfile.ZipInfo("Katalogwerte.xml", date_time=STAMP),
                   b"\xff\xfe" + "<Katalogwerte><Katalogwert><Id>35</Id><Wert>In Betrieb</Wert></Katalogwert></Katalogwerte>".encode("utf-16-le"))
    print(f"{out}: {total / 1e6:.0f} MB of UTF-16 XML")


if __name__ == "__main__":
    main()
