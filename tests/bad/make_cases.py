#!/usr/bin/env python3
"""Writes the bad-input corpus tests/bad/<case>/ from tests/fixtures/small.

Each case folder holds only the files that differ from tests/fixtures/small (an overlay), plus:
  expect.txt   first line `exit 0` (warnings only) or `exit 1` (error); then substrings the output
               must contain (stderr for errors, stdout+stderr for warning-only cases); `#` lines are notes
  command.txt  optional: `build` (default `check`), then further arguments (`build --year 2005`)
  DELETE       optional: paths (relative to inputs/) to remove before the run
  setup.txt    optional: what cannot be committed, made at test time in the temp dir:
               `symlink LINK TARGET` (replacing a file), `mkdir PATH` (replacing a file),
               `bigfile PATH MEGABYTES`, `fifo PATH` (a named pipe, replacing a file)
Run from the repository root: python3 tests/bad/make_cases.py  (it rewrites all cases)
"""
import io, os, shutil, zipfile

ROOT = os.path.dirname(os.path.abspath(__file__))
SMALL = os.path.join(ROOT, "../fixtures/small")


def small(rel, mode="r"):
    with open(os.path.join(SMALL, rel), "rb" if "b" in mode else "r", **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as f:
        return f.read()


def case(name, expect, files=None, command=None, delete=None, setup=None, exit_code=1, note=None):
    d = os.path.join(ROOT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for rel, content in (files or {}).items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(content if isinstance(content, bytes) else content.encode("utf-8"))
    lines = [f"exit {exit_code}"] + ([f"# {note}"] if note else []) + expect
    open(os.path.join(d, "expect.txt"), "w").write("\n".join(lines) + "\n")
    if command:
        open(os.path.join(d, "command.txt"), "w").write(command + "\n")
    if delete:
        open(os.path.join(d, "DELETE"), "w").write("\n".join(delete) + "\n")
    if setup:
        open(os.path.join(d, "setup.txt"), "w").write("\n".join(setup) + "\n")


for old in os.listdir(ROOT):
    if os.path.isdir(os.path.join(ROOT, old)):
        shutil.rmtree(os.path.join(ROOT, old))

def zipped(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, c in entries:
            z.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0)), c, zipfile.ZIP_DEFLATED)
    return b.getvalue()

POP = "statistics/national/population_2021.csv"
AREA = "statistics/national/area_2021.csv"
GEN = "statistics/regionalstatistik/12411-01-01-5_00_extract_Sachsen-Leipzig.csv"
ZEN = "statistics/zensus2022/1000A-0000_de_flat.csv"
LONG = "statistics/leipzig/leipzig_bisko_2019.csv"
pop, area, gen, zen, lng = small(POP), small(AREA), small(GEN), small(ZEN), small(LONG)

# --- bytes and encodings -------------------------------------------------------------------
case("empty_file", [POP, "the file is empty", "how to fix"], {POP: ""})
case("whitespace_only", [POP, "the file is empty"], {POP: "\n  \n\t\n"})
case("header_only", [POP, "line 1", "header but no data rows"], {POP: "ags,total\n"})
case("binary_garbage", ["statistics/national/garbage.csv", "is not a text file", "zero byte"],
     {"statistics/national/garbage.csv": bytes(range(256)) * 8})
case("excel_workbook_as_csv", ["statistics/national/population_2022.csv", "no .csv file", "Excel"],
     {"statistics/national/population_2022.csv": zipped([("xl/workbook.xml", "<workbook/>")])})
case("pdf_is_skipped", ["statistics/national/notes.pdf", "not a data file"],
     {"statistics/national/notes.pdf": b"%PDF-1.4\n\x00\x01binary"}, exit_code=0)
case("utf16_is_read", ["UTF-16", "observations for members"],
     {POP: b"\xff\xfe" + pop.encode("utf-16-le")}, exit_code=0,
     note="a spreadsheet's 'Unicode text' save: UTF-16 with BOM is decoded, not refused")
case("mixed_encoding", [GEN, "mixes two encodings", "ISO-8859-1"],
     {GEN: gen.encode("utf-8").replace("Sachsen".encode(), "S\xe4chsen".encode("latin-1"), 1)})
case("bom_in_middle", [POP, "line 4", "column 1", "U+FEFF (byte-order mark)", "delete it"],
     {POP: pop.replace("\n14729030", "\n\ufeff14729030")},
     note="a byte-order mark inside the text is an unprintable character in a cell: refused with its place")
case("bom_in_middle_two_files_pasted", [POP, "line 8", "column 1", "byte-order mark", "pasting two files"],
     {POP: pop + "\ufeff" + pop})
# --- control characters in statistics cells (checked in `check` as in `build`) ------------------
case("statistics_cell_with_esc", [POP, "line 4", "column 2", "U+001B (ESC)", "character 11"],
     {POP: pop.replace("14729030,5014", "14729030,5\x1b[31m014")})
case("statistics_cell_with_bel_genesis", [GEN, "U+0007 (BEL)", "column"],
     {GEN: gen.replace(";4906;", ";49\x0706;", 1)})
case("statistics_cell_with_c1_control_long", [LONG, "line 6", "column 2", "U+0085"],
     {LONG: lng.replace("14713000,final_energy", "14713000,\x85final_energy", 1)})
case("statistics_cell_with_del_in_zip", ["statistics/national/pop_zip.zip (population_2021.csv)", "U+007F (DEL)", "line 4"],
     {"statistics/national/pop_zip.zip": zipped([("population_2021.csv", pop.replace("14729030,5014", "14729030,\x7f5014"))])})
case("build_statistics_cell_with_esc", [POP, "line 4", "U+001B (ESC)"],
     {POP: pop.replace("14729030,5014", "14729030,5\x1b[31m014")}, command="build")
case("mixed_line_endings", ["observations for members", "OK"],
     {AREA: area.replace("\n", "\r\n", 3).replace("\n", "\r", 6)}, exit_code=0,
     note="CRLF, LF and a lone CR in one file all end lines")
case("crlf_genesis_table", ["12411-01-01-5", "OK"], {GEN: gen.replace("\n", "\r\n")}, exit_code=0)

# --- separators and structure ----------------------------------------------------------------
case("wrong_separator_tab", [AREA, "tab-separated"], {AREA: area.replace(",", "\t")})
case("wrong_separator_long_format", [LONG, "comma-separated", "line 5"],
     {LONG: lng.replace(",", ";")})
case("wrong_separator_genesis_comma", [GEN, "no column header"], {GEN: gen.replace(";", ",")})
case("wrong_separator_ffcsv_comma", [ZEN, "format is not recognised", "statistics_code,statistics_label"],
     {ZEN: zen.replace(";", ",")})
case("truncated_genesis_table", [GEN, "line 50", "4 fields", "26", "cut off"],
     {GEN: gen[: gen.index("14729380;")] + "14729380;        Thallwitz;3563;18"})
case("truncated_in_quoted_field", [LONG, "never closed", "line 10"],
     {LONG: "\n".join(lng.split("\n")[:9]) + '\n14713000,final_energy,buildings,gas,2019-12-31,1,MWh,"cut of'})
case("unknown_format", ["statistics/national/misc_2021.csv", "format is not recognised", "`foo,bar`"],
     {"statistics/national/misc_2021.csv": "foo,bar\n1,2\n"})
case("genesis_without_table_code", [GEN, "no table code", "GENESIS-Tabelle"],
     {GEN: gen[gen.index("\n") + 1:]})
case("genesis_header_only", [GEN, "header but no data rows"],
     {GEN: gen[: gen.index("DG;")] })
case("genesis_without_date", [GEN, "no reference date", "line"],
     {GEN: "\n".join(l for l in gen.split("\n") if not l.startswith(";;31.12."))})
case("ffcsv_missing_column", [ZEN, "`value_unit` is missing"],
     {ZEN: zen.replace(";value_unit;", ";unit;", 1)})
case("ffcsv_without_variable_code", [ZEN, "`1_variable_code` is missing"],
     {ZEN: zen.replace(";1_variable_code;", ";1_code;", 1)},
     note="once a panic (index out of bounds), found while writing the fuzz targets")
case("ffcsv_bad_time", [ZEN, "`15/05/22` is not a date", "column time"],
     {ZEN: zen.replace("2022-05-15", "15/05/22", 1)})
case("per_ags_year_not_in_name", ["statistics/national/area_latest.csv", "reference year", "land_total"],
     {"statistics/national/area_latest.csv": area}, delete=[AREA])

# --- keys ---------------------------------------------------------------------------------------
case("leading_zero_lost", [POP, "`1001000` has 7 digits", "leading zeros"],
     {POP: pop + "1001000,91113\n"})
case("letter_in_ags", [POP, "`14729O30`", "only digits"], {POP: pop.replace("14729030", "14729O30")})
case("genesis_bad_key", [GEN, "`1472903O` is not a regional key", "column 1"],
     {GEN: gen.replace("14729030;", "1472903O;")})
case("long_format_unknown_ags", ["14729999 is not a member", "ignored"],
     {LONG: lng.replace("14713000,final_energy,buildings,electricity", "14729999,final_energy,buildings,electricity", 1)},
     exit_code=0)

# --- values -------------------------------------------------------------------------------------
case("text_in_number_column", [POP, "`5O14` is not a number", "column total", "line 4"],
     {POP: pop.replace("14729030,5014", "14729030,5O14")})
case("genesis_text_in_number", [GEN, "`49O6` is not a number", "German number", "column 3"],
     {GEN: gen.replace(";4906;", ";49O6;", 1)})
case("absurdly_large_number", [POP, "too large", "10^15"], {POP: pop.replace("14729030,5014", "14729030,99999999999999999999")})
case("absurd_but_finite_population", [POP, "line 4", "is 50000000", "orders of magnitude"],
     {POP: pop.replace("14729030,5014", "14729030,50000000")}, exit_code=0)
case("negative_area", [AREA, "line 4", "land_area (land_total) of 14729030", "is -4681", "cannot be below 0"],
     {AREA: area.replace("14729030,4681,", "14729030,-4681,")})
case("land_class_over_total", ["veg_agri", "% of the municipality"],
     {AREA: area.replace("14729030,4681,446,161,2547,", "14729030,4681,446,161,9547,")}, exit_code=0)
case("share_over_100_percent", ["a share over 100 %", "Wahlbeteiligung"],
     {"statistics/regionalstatistik/14111-01-02-5_wahl.csv": "GENESIS-Tabelle: 14111-01-02-5\nBundestagswahl: Wahlberechtigte und -beteiligung;;;;\n;;;Wahlberechtigte;Wahlbeteiligung\n;;;Anzahl;Prozent\n22.09.2013;14729030;        Bennewitz;4265;173,6\n__________\nStand: 10.10.2017\n"},
     exit_code=0)
case("duplicate_rows_different_values", [POP, "duplicate row", "line 4", "line 8", "keep one"],
     {POP: pop + "14729030,5100\n"})
case("duplicate_rows_same_values", ["OK"], {POP: pop + "14729030,5014\n"}, exit_code=0)
case("conflict_between_files", ["says 5014", "says 5100", "the later file is used"],
     {"statistics/zzz_extra/population_2021.csv": "ags,total\n14729030,5100\n"}, exit_code=0)
# --- cross-check with the national table (a warning naming both files and values) -----------------
case("national_cross_check_mismatch", ["statistics/own/population_2021.csv line 2", "is 6000",
     "the national table statistics/national/population_2021.csv line 4 gives 5014", "more than the 5 % allowed"],
     {"statistics/own/population_2021.csv": "ags,total\n14729030,6000\n"}, exit_code=0)
case("national_cross_check_german_number", ["statistics/own/population_2021.csv line 2", "is 5.014",
     "line 4 gives 5014", "factor of about 1000", "German-formatted number"],
     {"statistics/own/population_2021.csv": "ags,total\n14729030,5.014\n"}, exit_code=0)
case("national_cross_check_other_unit", ["statistics/own/area_2021.csv line 2", "is 46.81",
     "statistics/national/area_2021.csv line 4 gives 4681", "factor 0.01", "another unit"],
     {"statistics/own/area_2021.csv": "ags,land_total\n14729030,46.81\n"}, exit_code=0)
case("build_national_cross_check_mismatch", ["statistics/own/population_2021.csv line 2", "gives 3548"],
     {"statistics/own/population_2021.csv": "ags,total\n14729380,4200\n"}, command="build", exit_code=0)
case("plausibility_tolerance_not_a_number", ["plausibility.csv", "line 2", "column national_tolerance_pct", "`viel` is not a number"],
     {"plausibility.csv": "variable,min,max,kind,unit,warn_above,national_tolerance_pct\npopulation,1,,integer,Personen,,viel\n"})
case("genesis_unknown_symbol", [GEN, "`?` is not a number"], {GEN: gen.replace(";4906;", ";?;", 1)})
case("long_format_bad_date", [LONG, "`2019-13-31` is not a date", "column date"],
     {LONG: lng.replace("2019-12-31", "2019-13-31", 1)})

# --- archives, register, boundaries ---------------------------------------------------------------
case("zip_with_two_csv_files", ["statistics/zensus2022/1000A-0000_de_flat.zip", "2 .csv files"],
     {"statistics/zensus2022/1000A-0000_de_flat.zip": zipped([("a.csv", zen), ("b.csv", zen)])}, delete=[ZEN])
case("zip_corrupt", ["statistics/zensus2022/1000A-0000_de_flat.zip", "not a readable ZIP archive"],
     {"statistics/zensus2022/1000A-0000_de_flat.zip": b"PK\x03\x04" + b"\x00garbage" * 20}, delete=[ZEN])
case("zip_is_read", ["GENESIS flat (ffcsv, ZIP)", "OK"],
     {"statistics/zensus2022/1000A-0000_de_flat.zip": zipped([("1000A-0000_de_flat.csv", zen)])}, delete=[ZEN], exit_code=0)
MASTR_H = '\ufeff"MaStR-Nr. der Einheit";"Betriebs-Status";"Energieträger";"Nettonennleistung der Einheit";"Inbetriebnahmedatum der Einheit";"Gemeindeschlüssel";"\tLetzte Aktualisierung"\r\n'
case("mastr_bad_date", ["statistics/mastr/export.csv", "`13/45/2019` is not a date", "line 3", "DD.MM.YYYY"],
     {"statistics/mastr/export.csv": MASTR_H + '"SEE1";"In Betrieb";"Wind";"3.060";"1/31/2019";"14729380";"2/1/2019"\r\n"SEE2";"In Betrieb";"Wind";"3.060";"13/45/2019";"14729380";"2/1/2019"\r\n'})
case("mastr_bad_capacity", ["statistics/mastr/export.csv", "`3,06,0` is not a number", "Nettonennleistung"],
     {"statistics/mastr/export.csv": MASTR_H + '"SEE1";"In Betrieb";"Wind";"3,06,0";"1/31/2019";"14729380";"2/1/2019"\r\n'})
case("mastr_header_only", ["statistics/mastr/export.csv", "header but no data rows"],
     {"statistics/mastr/export.csv": MASTR_H})
case("geojson_broken", ["geometry/vg250_gem_2019_leipzig_5gemeinden.geojson", "is not valid GeoJSON", "line 1"],
     {"geometry/vg250_gem_2019_leipzig_5gemeinden.geojson": small("geometry/vg250_gem_2019_leipzig_5gemeinden.geojson")[:5000]})

# --- the file system ------------------------------------------------------------------------------
case("file_of_100_mb", ["statistics/national/big_2021.csv", "100 MB", "64 MB", "cut the export"],
     setup=["bigfile statistics/national/big_2021.csv 100"],
     note="generated at test time, never committed")
case("symlink_loop", ["statistics/loop", "symbolic link", "not followed", "OK"],
     setup=["symlink statistics/loop ."], exit_code=0,
     note="links are not followed (walkdir follow_links(false)): a loop cannot hang the run")
case("symlink_to_outside_file", ["statistics/national/passwd_2021.csv", "symbolic link"],
     setup=["symlink statistics/national/passwd_2021.csv /etc/passwd"], exit_code=0)
case("directory_instead_of_sources_toml", ["sources.toml", "is a folder", "a file is expected"],
     setup=["mkdir sources.toml"])
case("directory_instead_of_partnership_toml", ["partnership.toml", "cannot be read"],
     setup=["mkdir partnership.toml"])
case("directory_instead_of_factor_table", ["factors/land_use_fluxes.csv", "is a folder"],
     setup=["mkdir factors/land_use_fluxes.csv"])
case("missing_factor_table", ["factors/emission_factors.csv", "cannot be read"], delete=["factors/emission_factors.csv"])
# The file policy: inside the inputs folder only regular files are read; a link out of it is an error
# that names the file (and never quotes the target's content), a named pipe is refused without hanging.
for name, rel in [("partnership_toml", "partnership.toml"), ("sources_toml", "sources.toml"),
                  ("variables_csv", "variables.csv"), ("factor_table", "factors/emission_factors.csv"),
                  ("catalogue", "catalogues/indicators.toml"), ("measure_status", "local/measure_status.csv"),
                  ("municipal_changes", "municipal_changes.csv")]:
    case(f"symlink_{name}_to_outside", [rel, "symbolic link", "outside", "copy the file into the folder"],
         setup=[f"symlink {rel} /etc/passwd"])
for name, rel in [("partnership_toml", "partnership.toml"), ("sources_toml", "sources.toml"),
                  ("factor_table", "factors/land_use_fluxes.csv"), ("measure_status", "local/measure_status.csv")]:
    case(f"fifo_as_{name}", [rel, "named pipe", "only regular files are read"], setup=[f"fifo {rel}"],
         note="made at test time; must fail at once, not wait for a writer")
case("fifo_in_statistics", ["statistics/national/pipe_2021.csv", "not a regular file", "skipped", "OK"],
     setup=["fifo statistics/national/pipe_2021.csv"], exit_code=0)

# --- plausibility per canonical variable (src/ingest/plausibility.csv) ---------------------------
loc = small("local/local_data.csv")
LOC = "local/local_data.csv"
loc_line = loc.count("\n") + 1
case("population_zero", [POP, "line 4", "population of 14729030", "is 0", "cannot be below 1", "divided"],
     {POP: pop.replace("14729030,5014", "14729030,0")})
case("population_negative", [POP, "line 4", "is -5014", "cannot be below 1"],
     {POP: pop.replace("14729030,5014", "14729030,-5014")})
case("population_german_thousands_point", [POP, "line 4", "is 5.014", "a count", "5014"],
     {POP: pop.replace("14729030,5014", "14729030,5.014")}, exit_code=0,
     note="a German 5.014 in a comma-separated file is read as 5.014 people: a warning, not silence")
case("local_share_over_100", [LOC, f"line {loc_line}", "recycling_rate_pct of 14729030", "is 250 %", "cannot be above 100 %"],
     {LOC: loc + "14729030,recycling_rate_pct,2023-12-31,250,%,Abfallbilanz,\n"})
case("local_negative_count", [LOC, f"line {loc_line}", "public_charging_points of 14729030", "is -4"],
     {LOC: loc + "14729030,public_charging_points,2023-12-31,-4,Anzahl,BNetzA,\n"})
case("local_more_evs_than_fleet", [LOC, f"line {loc_line + 1}", "municipal_fleet_ev of 14729030", "is 40", "municipal_fleet_vehicles of the same date (10)"],
     {LOC: loc + "14729030,municipal_fleet_vehicles,2023-12-31,10,Anzahl,Hauptamt,\n14729030,municipal_fleet_ev,2023-12-31,40,Anzahl,Hauptamt,\n"})
mea = small("catalogues/measures.toml")
case("catalogue_negative_cost", ["catalogues/measures.toml", "measure `humus_cropland`", "running_cost is -123.5", "running_cost_is_saving"],
     {"catalogues/measures.toml": mea.replace("running_cost = 123.5", "running_cost = -123.5", 1)})
case("catalogue_negative_investment", ["catalogues/measures.toml", "investment is -", "cannot be negative"],
     {"catalogues/measures.toml": mea.replace("investment = 367.0", "investment = -367.0", 1)})
case("build_population_zero", [POP, "line 4", "is 0"], {POP: pop.replace("14729030,5014", "14729030,0")}, command="build")

# --- control files --------------------------------------------------------------------------------
cfg = small("partnership.toml")
case("config_typo", ["partnership.toml", "line 4", "reportng_year"], {"partnership.toml": cfg.replace("\nreporting_year =", "\nreportng_year =", 1)})
case("config_short_ags", ["partnership.toml", "`1472941` is not an 8-digit", "line 28"], {"partnership.toml": cfg.replace('"14729410"', '"1472941"')})
case("config_duplicate_member", ["partnership.toml", "listed twice"], {"partnership.toml": cfg + '\n[[member]]\nags = "14729410"\nname = "W"\nrole = "rural"\n'})
case("config_not_toml", ["partnership.toml", "line 1"], {"partnership.toml": "this is not = = toml\n" + cfg})
src = small("sources.toml")
case("sources_toml_typo", ["sources.toml", "publisherr", "line"], {"sources.toml": src.replace("\npublisher =", "\npublisherr =", 1)})
case("sources_bad_grade", ["sources.toml", "E", "grade (A, B, C or D)"], {"sources.toml": src.replace('grade = "A"', 'grade = "E"', 1)})
var = small("variables.csv")
case("variables_duplicate_raw", ["variables.csv", "`population:total` appears twice"], {"variables.csv": var + "population:total,population,,Personen\n"})
case("variables_missing_column", ["variables.csv", "the column `unit` is missing"], {"variables.csv": var.replace("raw,variable,category,unit", "raw,variable,category,units")})
mc = small("municipal_changes.csv")
case("municipal_changes_bad_date", ["municipal_changes.csv", "`2012-13-01` is not a date", "column valid_from"], {"municipal_changes.csv": mc.replace("2012-01-01", "2012-13-01")})
ef = small("factors/emission_factors.csv")
case("emission_factor_text", ["factors/emission_factors.csv", "is not a number", "column g_co2e_per_kwh"],
     {"factors/emission_factors.csv": ef + "heat,*,2019,viel,test,test,\n"})

# --- limits ---------------------------------------------------------------------------------------
ind = small("catalogues/indicators.toml")
case("formula_nested_10000_deep", ["catalogues/indicators.toml", "line 62", "indicator[1].formula has 20020 characters", "at most 2000"],
     {"catalogues/indicators.toml": ind.replace('formula = "ghg_t_per_inhabitant"', 'formula = "' + "(" * 10000 + "ghg_t_per_inhabitant" + ")" * 10000 + '"', 1)},
     note="used to overflow the stack")
case("formula_nested_too_deep", ["catalogues/indicators.toml", "line 58", "indicator `ghg_per_inhabitant`", "nested more than 64 deep"],
     {"catalogues/indicators.toml": ind.replace('formula = "ghg_t_per_inhabitant"', 'formula = "' + "(" * 100 + "ghg_t_per_inhabitant" + ")" * 100 + '"', 1)})
case("measure_rule_nested_signs", ["catalogues/measures.toml", "does not parse", "nested more than 64 deep"],
     {"catalogues/measures.toml": mea.replace('applies = "area_agriculture >= 200"', 'applies = "' + "-" * 500 + 'area_agriculture >= 200"', 1)})

# --- text that always prints ------------------------------------------------------------------------
ms = small("local/measure_status.csv")
ms_line = ms.count("\n") + 1
case("member_name_with_esc", ["partnership.toml", "line 24, column 14", "U+001B (ESC)"],
     {"partnership.toml": cfg.replace('name = "Thallwitz"', 'name = "Thall\x1b[31mwitz"', 1)},
     note="ESC must not reach the terminal raw, nor the documents")
case("member_name_with_escaped_bel", ["partnership.toml", "member[4].name", "U+0007 (BEL)"],
     {"partnership.toml": cfg.replace('name = "Thallwitz"', 'name = "Thall\\u0007witz"', 1)})
case("member_name_with_bom", ["partnership.toml", "line 24", "U+FEFF (byte-order mark)"],
     {"partnership.toml": cfg.replace('name = "Thallwitz"', 'name = "Thall\ufeffwitz"', 1)})
case("publisher_with_c1_control", ["partnership.toml", "line 5", "U+0085"],
     {"partnership.toml": cfg.replace('publisher = "Stadt', 'publisher = "\x85Stadt', 1)})
case("measure_status_note_with_bel", ["local/measure_status.csv", f"line {ms_line}", "U+0007 (BEL)"],
     {"local/measure_status.csv": ms + "14729380,humus_cropland,planned,2025-01-01,,,Bauamt,Bitte \x07 klingeln\n"})
case("catalogue_title_with_control", ["catalogues/measures.toml", "line 54", "U+0001"],
     {"catalogues/measures.toml": mea.replace('title = "Humusaufbau', 'title = "\x01Humusaufbau', 1)})
case("member_name_with_emoji", ["partnership.toml: member[4].name", "U+1F333", "U+0301", "printed as \ufffd", "OK"],
     {"partnership.toml": cfg.replace('name = "Thallwitz"', 'name = "Thallwitz \U0001F333 x\u0301"', 1)}, exit_code=0)
case("build_member_name_with_emoji", ["partnership.toml: member[4].name", "U+1F333", "3 PDF(s) written"],
     {"partnership.toml": cfg.replace('name = "Thallwitz"', 'name = "Thallwitz \U0001F333"', 1)}, exit_code=0,
     command="build", note="an emoji used to make every document fail with an error pointing at main.typ")
case("member_name_100_kb", ["partnership.toml", "line 24", "member[4].name has 100000 characters", "at most 200"],
     {"partnership.toml": cfg.replace('name = "Thallwitz"', 'name = "' + "Thallwitz " * 10000 + '"', 1)},
     note="a 100 kB name used to drive memory to 24 GB")
case("measure_status_note_too_long", ["local/measure_status.csv", f"line {ms_line}", "note has 5000 characters"],
     {"local/measure_status.csv": ms + "14729380,humus_cropland,planned,2025-01-01,,,Bauamt," + "x" * 5000 + "\n"})
case("build_member_name_with_esc", ["partnership.toml", "U+001B (ESC)"],
     {"partnership.toml": cfg.replace('name = "Thallwitz"', 'name = "Thall\x1bwitz"', 1)}, command="build")

# --- no empty documents ---------------------------------------------------------------------------
unknown = cfg + '\n[[member]]\nags = "14729999"\nname = "Nirgendwo"\nrole = "rural"\n'
case("member_unknown_ags", ["member Nirgendwo (14729999)", "no input file has a figure", "partnership.toml"],
     {"partnership.toml": unknown})
case("build_member_unknown_ags", ["member Nirgendwo (14729999)", "would be empty"], {"partnership.toml": unknown},
     command="build")
case("year_before_all_data", ["reporting year 2005 is before all data", "Thallwitz (14729380)", "--year 2008"],
     command="check --year 2005")
case("build_year_before_all_data", ["reporting year 2005 is before all data", "Thallwitz (14729380)"],
     command="build --year 2005")

# --- build: a failed run leaves earlier output untouched ------------------------------------------
case("build_text_in_number", [POP, "`5O14`"], {POP: pop.replace("14729030,5014", "14729030,5O14")}, command="build")
case("build_config_typo", ["reportng_year"], {"partnership.toml": cfg.replace("\nreporting_year =", "\nreportng_year =", 1)}, command="build")
case("build_binary_garbage", ["is not a text file"], {"statistics/national/garbage.csv": bytes(range(256)) * 8}, command="build")
case("build_duplicate_conflict", ["duplicate row"], {POP: pop + "14729030,5100\n"}, command="build")
print(len([d for d in os.listdir(ROOT) if os.path.isdir(os.path.join(ROOT, d))]), "cases")
