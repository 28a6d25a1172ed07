#!/usr/bin/env python3
"""Generate inputs/factors/start_balance.csv and its companion tables from the LocalZero source tables.
Every value is read from the tables (facts/2021.csv, assumptions/2018.csv, area/flats/buildings/population/
industry_facilites/nat_agri 2021); nothing typed except documented unit conversions and GWPs.
Usage: python3 scripts/start_balance/make_start_balance.py [--commerce-key employees|settlement_area|industry_area|population] [--out DIR]
Reads the LocalZero tables in ../shared/data/national/localzero (or $LOCALZERO_DATA) and inputs/statistics/national/employees_2021.csv."""
import csv, io, sys, os, shutil, argparse
from common import *

ap = argparse.ArgumentParser()
ap.add_argument('--commerce-key', default='employees')
ap.add_argument('--out', default=FACTORS)
ap.add_argument('--copy-stats', action='store_true')
args = ap.parse_args()
OUT = args.out
os.makedirs(OUT, exist_ok=True)

F = facts(); A = assumptions()
def fv(l): return float(F[l]['value'])
def fref(l):
    r = F[l]; return (r['reference'] or 'ohne Fundstelle in facts').strip()
def fdesc(l): return F[l]['description'].strip()
def av(l): return float(A[l]['value'])
def g(x):  # compact number for derivations
    if x == 0: return '0'
    if abs(x) >= 1000: return f'{x:.0f}'
    return f'{x:.6g}'

pop = table('population'); area = table('area'); flats = table('flats'); bld = table('buildings')
kinds = table('area_kinds'); ets = table('industry_facilites'); agri = table('nat_agri')
MUN = municipalities(pop)
POP_DE = fnum(pop['DG000000']['total'])
AREA_DE = area['DG000000']
IND_HA = fnum(AREA_DE['settlement_ghd']); SET_HA = fnum(AREA_DE['land_settlement']); AGRI_HA = fnum(AREA_DE['veg_agri'])
RES_DE = fnum(flats['DG000000']['residential_buildings_area_total'])
EMP_DE = next(float(r['employees_total']) for r in csv.DictReader(open(MAIN + '/inputs/statistics/national/employees_2021.csv', encoding='utf-8')) if r['ags'] == 'DG000000')
REF_EMP = 'Beschäftigte am Arbeitsort 30.06.2021: Statistik der Bundesagentur für Arbeit via BBSR (statistics/national/employees_2021.csv, DG000000 = Summe der Gemeinden)'
REF_POP = 'Bevölkerung 31.12.2021, Statistische Ämter des Bundes und der Länder via LocalZero population/2021.csv (DG000000)'
REF_AREA = 'Flächenerhebung 33111 (ALKIS) 31.12.2021 via LocalZero area/2021.csv (DG000000)'
VY = 2021
rows = []
def row(sector, carrier, driver, value, unit, grade, source, derivation):
    rows.append(dict(sector=sector, carrier=carrier, driver=driver, value=f'{value:.6g}', unit=unit,
                     valid_year=VY, grade=grade, source=source, derivation=derivation))

# ---------------------------------------------------------------- settlement types (rt7 -> rt3)
import collections
cross = collections.Counter((r['rt7'], r['rt3']) for r in kinds.values())
m7 = {}
for (r7, r3), n in cross.items():
    m7.setdefault(r7, set()).add(r3)
assert all(len(v) == 1 for v in m7.values()), f'rt3 is not a function of rt7: {cross}'
RT7_LABEL = {'71': 'Metropole (Stadtregion)', '72': 'Regiopole und Großstadt (Stadtregion)',
             '73': 'Mittelstadt, städtischer Raum (Stadtregion)', '74': 'Kleinstädtischer, dörflicher Raum (Stadtregion)',
             '75': 'Zentrale Stadt (ländliche Region)', '76': 'Mittelstadt, städtischer Raum (ländliche Region)',
             '77': 'Kleinstädtischer, dörflicher Raum (ländliche Region)'}
with open(f'{OUT}/settlement_types.csv', 'w', newline='', encoding='utf-8') as f:
    f.write('# RegioStaR7 (BMVI) -> LocalZero rt3 class (city / smcty / rural). Checked: in LocalZero area_kinds/2021.csv rt3 is a function of rt7 '
            f'(crosstab over all {len(kinds)} AGS: ' + '; '.join(f'{k[0]}->{k[1]}: {n}' for k, n in sorted(cross.items())) + ').\n')
    f.write('# Mapping per LocalZero area_kinds/README.rst after Agora Energiewende "Klimaneutrales Deutschland" (2020) S. 87 Tab. 3.\n')
    w = csv.writer(f); w.writerow(['rt7', 'class', 'label', 'source'])
    for r7 in sorted(m7):
        w.writerow([r7, next(iter(m7[r7])), RT7_LABEL[r7], 'BMVI RegioStaR 2018; LocalZero area_kinds/2021.csv (rt7, rt3); Agora Energiewende 2020 Klimaneutrales Deutschland S. 87 Tab. 3'])
CLASS_OF_RT7 = {k: next(iter(v)) for k, v in m7.items()}

# ---------------------------------------------------------------- households: heat by building age
FACT_CLASSES = ['until_1919', '1919_1948', '1949_1978', '1979_1995', '1996_2002', '2003_2009', '2010_2014']
q_fact = {c: fv(f'Fact_R_P_ratio_fec_to_area_{c}_2014') * 1000 for c in FACT_CLASSES}  # MWh/m2 -> kWh/m2
# Zensus class -> list of (fact class, weight in construction years)
ZMAP = [
    ('flats_until_1919', [('until_1919', 1)], 'gleiche Klasse'),
    ('flats_1919_1948', [('1919_1948', 1)], 'gleiche Klasse'),
    ('flats_1949_1978', [('1949_1978', 1)], 'gleiche Klasse'),
    ('flats_1979_1986', [('1979_1995', 1)], 'liegt ganz in 1979–1995'),
    ('flats_1987_1990', [('1979_1995', 1)], 'liegt ganz in 1979–1995'),
    ('flats_1991_1995', [('1979_1995', 1)], 'liegt ganz in 1979–1995'),
    ('flats_1996_2000', [('1996_2002', 1)], 'liegt ganz in 1996–2002'),
    ('flats_2001_2004', [('1996_2002', 2), ('2003_2009', 2)], 'überspannt zwei Klassen: Baujahre 2001–2002 (2 Jahre) zu 1996–2002, 2003–2004 (2 Jahre) zu 2003–2009; Mittel nach Baujahren gewichtet (Bautätigkeit je Jahr als gleich angenommen)'),
    ('flats_2005_2008', [('2003_2009', 1)], 'liegt ganz in 2003–2009'),
    ('flats_2009_today', [('2003_2009', 1), ('2010_2014', 2)], 'Zensus-2011-Klasse „2009 und später“ (Stichtag 9.5.2011; von LocalZero als _today geführt): Baujahr 2009 (1 Jahr) zu 2003–2009, 2010–2011 (2 Jahre) zu 2010–2014; nach Baujahren gewichtet'),
]
q_z = {}
with open(f'{OUT}/household_heat_by_age.csv', 'w', newline='', encoding='utf-8') as f:
    f.write('# Spezifischer Endenergiebedarf Raumwärme + Warmwasser je m² Wohnfläche nach Zensus-2011-Baualtersklasse (buildings_2021.csv flats_*).\n')
    f.write('# Werte aus LocalZero facts/2021.csv Fact_R_P_ratio_fec_to_area_<Klasse>_2014 (MWh/m² x 1000 = kWh/m²), deren Baualtersklassen von den Zensus-Klassen abweichen; Zuordnung in reasoning.\n')
    f.write('# Es ist ein berechneter Bedarf (Stand 2014), kein Verbrauch: das Niveau wird in start_balance.csv über die Zeilenwerte auf die AGEB-Bilanz 2021 normiert, hier zählt die relative Form.\n')
    w = csv.writer(f); w.writerow(['flats_class', 'kwh_per_m2', 'fact_label', 'source', 'reasoning'])
    for z, parts, why in ZMAP:
        tw = sum(p[1] for p in parts)
        q = sum(q_fact[c] * wt for c, wt in parts) / tw
        q_z[z] = q
        labels = '+'.join(f'Fact_R_P_ratio_fec_to_area_{c}_2014' for c, _ in parts)
        arith = ' '.join(f'{q_fact[c]:g} kWh/m² x {wt}' for c, wt in parts)
        src = fref(f'Fact_R_P_ratio_fec_to_area_{parts[0][0]}_2014')
        if src.strip() in ('s.o.', ''): src = fref('Fact_R_P_ratio_fec_to_area_until_1919_2014')
        w.writerow([z, f'{q:.4g}', labels, src + ' via LocalZero facts/2021.csv',
                    why + (f'; ({arith}) / {tw} = {q:.4g} kWh/m²' if len(parts) > 1 else '')])
ZCLS = [z for z, _, _ in ZMAP]

def heat_demand(a):
    b = bld.get(a); fl = flats.get(a)
    if not b or not fl: return 0.0, 0.0
    ft = fnum(b['flats_total']); area_k = fnum(fl['residential_buildings_area_total'])
    if ft <= 0: return 0.0, 0.0
    H = sum(fnum(b[z]) * (area_k * 1000 / ft) * q_z[z] for z in ZCLS) / 1000.0  # MWh
    hn = min(1.0, fnum(b['flats_heatnet']) / ft)
    return H * hn, H * (1 - hn)
H_hn = H_oth = 0.0
for a in MUN:
    x, y = heat_demand(a); H_hn += x; H_oth += y

REF_RS = {}
def rs(l): return fv(l)
dh = rs('Fact_R_S_heatnet_fec_2018')
jaz = fv('Fact_R_S_air_heatpump_mean_annual_performance_factor_stock_2018') * fv('Fact_R_S_ratio_air_to_ground_heatpumps_in_new_installations_2018') + \
      fv('Fact_R_S_ground_heatpump_mean_annual_performance_factor_stock_2018') * fv('Fact_R_S_ratio_ground_to_air_heatpumps_in_new_installations_2018')
amb = rs('Fact_R_S_heatpump_fec_2018')
hp_el = amb / (jaz - 1)
el_direct = rs('Fact_R_S_elec_heating_fec_2018')
heat_other = [
    ('natural_gas', 'Fact_R_S_gas_fec_2018', None),
    ('heating_oil', 'Fact_R_S_fueloil_fec_2018', None),
    ('liquid_gas', 'Fact_R_S_lpg_fec_2018', None),
    ('lignite', 'Fact_R_S_coal_fec_2018', 'Annahme: Stein- und Braunkohlen ohne Aufteilung in der Quelle; als lignite geführt (Hausbrand überwiegend Braunkohlenbriketts; nicht belegt), Güte D'),
    ('biomass', 'Fact_R_S_biomass_fec_2018', None),
    ('solar_thermal', 'Fact_R_S_solarth_fec_2018', None),
    ('environmental_heat', 'Fact_R_S_heatpump_fec_2018', 'Umweltwärme + Geothermie der Wärmepumpen (ohne deren Antriebsstrom)'),
]
E = {c: rs(l) for c, l, _ in heat_other}
# Heat-pump electricity is not counted as electricity: the BISKO factor of environmental heat (federal mix / annual
# performance factor 3.2, emission_factors.csv) already carries it; counting both would count it twice.
E['electricity'] = el_direct
tot_oth = sum(E.values())
k_oth = tot_oth / H_oth
k_hn = dh / H_hn
row('households', 'district_heat', 'heat_demand_heatnet', k_hn, 'MWh/MWh', 'D',
    f'{fref("Fact_R_S_heatnet_fec_2018")} (Fact_R_S_heatnet_fec_2018); Wärmebedarf nach Baualter: household_heat_by_age.csv, buildings_2021.csv (Gebäudezensus 2011, flats_*), flats_2021.csv; via LocalZero facts/2021.csv',
    f'Normierung auf die Bundesbilanz: Fact_R_S_heatnet_fec_2018 {g(dh)} MWh (EEV Haushalte 2021 Fernwärme) / Summe über {len(MUN)} Gemeinden von heat_demand_heatnet {g(H_hn)} MWh = {k_hn:.6g}. '
    'Der Bedarfsansatz (Fact_R_P_ratio_fec_to_area_*, Stand 2014) liegt für fernwärmeversorgte Wohnungen um diesen Faktor neben dem Verbrauch 2021 (u. a. kleinere Geschosswohnungen, Bedarf statt Verbrauch).')
for c, l, note in heat_other:
    share = E[c] / tot_oth
    row('households', c, 'heat_demand_other', share * k_oth, 'MWh/MWh', 'D',
        f'{fref(l)} ({l}); Wärmebedarf nach Baualter: household_heat_by_age.csv, buildings_2021.csv, flats_2021.csv; via LocalZero facts/2021.csv',
        f'Anteil {l} {g(E[c])} MWh an der Haushaltswärme ohne Fernwärme {g(tot_oth)} MWh = {share:.5f}; x Normierung {k_oth:.5f} '
        f'(= {g(tot_oth)} MWh AGEB / Summe heat_demand_other über alle Gemeinden {g(H_oth)} MWh) = {share*k_oth:.6g} MWh/MWh' + (f'. {note}' if note else ''))
share = E['electricity'] / tot_oth
row('households', 'electricity', 'heat_demand_other', share * k_oth, 'MWh/MWh', 'D',
    f'{fref("Fact_R_S_elec_heating_fec_2018")} (Fact_R_S_elec_heating_fec_2018); {fref("Fact_R_S_heatpump_fec_2018")}; Jahresarbeitszahlen Fact_R_S_*_heatpump_mean_annual_performance_factor_stock_2018; via LocalZero facts/2021.csv',
    f'Heizstrom = Direktheizung Raumwärme+Warmwasser Fact_R_S_elec_heating_fec_2018 {g(el_direct)} MWh (Wärmepumpenstrom nicht hier: im Faktor der Umweltwärme enthalten); '
    f'Anteil an {g(tot_oth)} MWh = {share:.5f}; x Normierung {k_oth:.5f} = {share*k_oth:.6g} MWh/MWh')
el_tot = rs('Fact_R_S_elec_fec_2018')
el_rest = el_tot - el_direct - hp_el
row('households', 'electricity', 'population', el_rest / POP_DE, 'MWh/EW', 'D',
    f'{fref("Fact_R_S_elec_fec_2018")} (Fact_R_S_elec_fec_2018); {REF_POP}; Jahresarbeitszahlen Fact_R_S_*_heatpump_mean_annual_performance_factor_stock_2018; via LocalZero facts/2021.csv',
    f'(Fact_R_S_elec_fec_2018 {g(el_tot)} MWh - Direktheizung {g(el_direct)} MWh (über heat_demand_other gezählt) - Wärmepumpenstrom {g(hp_el)} MWh '
    f'(= Umweltwärme {g(amb)} MWh / (JAZ {jaz:.3f} - 1); JAZ = Luft {fv("Fact_R_S_air_heatpump_mean_annual_performance_factor_stock_2018")} x {fv("Fact_R_S_ratio_air_to_ground_heatpumps_in_new_installations_2018")} + Erdreich {fv("Fact_R_S_ground_heatpump_mean_annual_performance_factor_stock_2018")} x {fv("Fact_R_S_ratio_ground_to_air_heatpumps_in_new_installations_2018")}; im Emissionsfaktor der Umweltwärme enthalten, nicht doppelt gezählt)) = {g(el_rest)} MWh / {g(POP_DE)} EW = {el_rest/POP_DE:.6g} MWh/EW')

# ---------------------------------------------------------------- commerce + municipal
ck = args.commerce_key
CK_DEN = {'settlement_area': (SET_HA, 'ha', 'Siedlungsfläche land_settlement', REF_AREA),
          'industry_area': (IND_HA, 'ha', 'Industrie- und Gewerbefläche settlement_ghd', REF_AREA),
          'population': (POP_DE, 'EW', 'Einwohner', REF_POP),
          'employees': (EMP_DE, 'Beschäftigte', 'Beschäftigte am Arbeitsort', REF_EMP)}[ck]
ghd = [
    ('electricity', lambda: fv('Fact_BAW_S_elec_fec_2018') - fv('Fact_A_S_elec_fec_2018'),
     'Fact_BAW_S_elec_fec_2018 {a} MWh - Fact_A_S_elec_fec_2018 {b} MWh (Landwirtschaft, eigene Zeile)', ['Fact_BAW_S_elec_fec_2018', 'Fact_A_S_elec_fec_2018'], 'Abfallwirtschaft bleibt enthalten'),
    ('district_heat', lambda: fv('Fact_B_S_heatnet_fec_2018'), 'Fact_B_S_heatnet_fec_2018 {a} MWh', ['Fact_B_S_heatnet_fec_2018'], ''),
    ('natural_gas', lambda: fv('Fact_B_S_gas_fec_2018'), 'Fact_B_S_gas_fec_2018 {a} MWh', ['Fact_B_S_gas_fec_2018'], 'LocalZero-Wert schon ohne Landwirtschaft'),
    ('liquid_gas', lambda: fv('Fact_B_S_lpg_fec_2018'), 'Fact_B_S_lpg_fec_2018 {a} MWh', ['Fact_B_S_lpg_fec_2018'], ''),
    ('heating_oil', lambda: fv('Fact_B_S_fueloil_fec_2018'), 'Fact_B_S_fueloil_fec_2018 {a} MWh', ['Fact_B_S_fueloil_fec_2018'], ''),
    ('hard_coal', lambda: fv('Fact_B_S_coal_fec_2018'), 'Fact_B_S_coal_fec_2018 {a} MWh', ['Fact_B_S_coal_fec_2018'], 'Kohle ohne Aufteilung, als hard_coal geführt (vernachlässigbar)'),
    ('biomass', lambda: fv('Fact_B_S_biomass_fec_2018'), 'Fact_B_S_biomass_fec_2018 {a} MWh', ['Fact_B_S_biomass_fec_2018'], ''),
    ('environmental_heat', lambda: fv('Fact_B_S_orenew_fec_2018'), 'Fact_B_S_orenew_fec_2018 {a} MWh', ['Fact_B_S_orenew_fec_2018'], 'Sonstige EE ungeteilt als Umweltwärme (Annahme)'),
]
# Municipal facilities: dena's public-sector final energy x the municipal share (inputs/factors/municipal_facilities.csv),
# as a share of national GHD final energy (without agriculture).
MUNI = {r['item']: r for r in csv.DictReader(l for l in open(FACTORS + '/municipal_facilities.csv', encoding='utf-8') if not l.startswith('#'))}
MUN_MWH = float(MUNI['public_sector_mwh']['value']) * float(MUNI['municipal_share']['value'])
GHD_TOT = sum(fn() for _, fn, _, _, _ in ghd)
MUN_SHARE = MUN_MWH / GHD_TOT
MUN_REF = ('kommunale Einrichtungen: dena, Öffentliche Hand, rund 60 Mrd. kWh/a, davon über 60 % Kommunen (publicus 15.04.2014) = '
           f'{g(MUN_MWH)} MWh / GHD ohne Landwirtschaft {g(GHD_TOT)} MWh = Anteil {MUN_SHARE:.6f} (factors/municipal_facilities.csv)')
for c, fn, tmpl, labels, note in ghd:
    tot = fn()
    vals = [g(fv(l)) for l in labels]
    base = tmpl.format(a=vals[0], b=vals[1] if len(vals) > 1 else '')
    src = '; '.join(sorted(set(fref(l) for l in labels))) + f'; Anteil {MUN_REF}; {CK_DEN[3]}; via LocalZero facts/2021.csv'
    com = tot * (1 - MUN_SHARE); mun = tot * MUN_SHARE
    row('commerce', c, ck, com / CK_DEN[0], f'MWh/{CK_DEN[1]}', 'D', src,
        f'{base} = {g(tot)} MWh x (1 - {MUN_SHARE:.6f} Anteil kommunale Einrichtungen) = {g(com)} MWh / {g(CK_DEN[0])} {CK_DEN[1]} ({CK_DEN[2]}, Deutschland) = {com/CK_DEN[0]:.6g} MWh/{CK_DEN[1]}' + (f'. {note}' if note else ''))
    row('municipal', c, 'population', mun / POP_DE, 'MWh/EW', 'D', src.replace(CK_DEN[3], REF_POP),
        f'{base} = {g(tot)} MWh x {MUN_SHARE:.6f} (Energieanteil kommunaler Einrichtungen: dena 60 TWh öffentliche Hand x 60 % Kommunen / GHD) = {g(mun)} MWh / {g(POP_DE)} EW = {mun/POP_DE:.6g} MWh/EW' + (f'. {note}' if note else ''))
# agriculture energy (AGEB counts it in GHD; BISKO sector Wirtschaft/GHD), keyed by agricultural land
for c, l in [('electricity', 'Fact_A_S_elec_fec_2018'), ('natural_gas', 'Fact_A_S_gas_fec_2018'), ('liquid_gas', 'Fact_A_S_lpg_fec_2018'),
             ('heating_oil', 'Fact_A_S_fueloil_fec_2018'), ('biomass', 'Fact_A_S_biomass_fec_2018'), ('diesel', 'Fact_A_S_diesel_fec_2018'),
             ('petrol', 'Fact_A_S_petrol_fec_2018')]:
    v = fv(l)
    row('commerce', c, 'agri_area', v / AGRI_HA, 'MWh/ha', 'D', f'{fref(l)} ({l}); {REF_AREA}; via LocalZero facts/2021.csv',
        f'Landwirtschaft (in AGEB Zeile 67 GHD enthalten): {l} {g(v)} MWh / {g(AGRI_HA)} ha Landwirtschaftsfläche veg_agri (Deutschland) = {v/AGRI_HA:.6g} MWh/ha' +
        ('. Kraftstoff der Landmaschinen (Offroad, nicht Verkehr)' if c in ('diesel', 'petrol') else ''))

# ---------------------------------------------------------------- industry
CAR = [('elec', 'electricity'), ('heatnet', 'district_heat'), ('gas', 'natural_gas'), ('lpg', 'liquid_gas'), ('fueloil', 'heating_oil'),
       ('coal', 'hard_coal'), ('diesel', 'diesel'), ('opetpro', 'other_fossil'), ('ofossil', 'other_fossil'), ('biomass', 'biomass'), ('orenew', 'environmental_heat')]
ETS_ROWS = {a: r for a, r in ets.items() if a != 'DG000000'}
ETS_COLS = ['chem_ammonia', 'chem_basic', 'chem_other', 'metal_nonfe', 'metal_steel_primary', 'metal_steel_secondary', 'miner_cement', 'miner_ceram', 'miner_chalk', 'miner_glas', 'other_food', 'other_further', 'other_paper']
ets_nat = {c: sum(fnum(r[c]) for r in ETS_ROWS.values()) for c in ETS_COLS}
# steel: split branch-wide gas and electricity between the routes with the specific consumption facts
p_sec = fv('Fact_I_P_metal_steel_secondary_prodvol_2018')
sec_el = p_sec * fv('Fact_I_P_metal_steel_secondary_ratio_fec_elec_to_prodvol_2018')
sec_gas = p_sec * fv('Fact_I_P_metal_steel_secondary_ratio_fec_gas_to_prodvol_2018')
steel_el = fv('Fact_I_S_metal_steel_elec_fec_2018'); steel_gas = fv('Fact_I_S_metal_steel_gas_fec_2018')
BR = [
    ('chem_basic', ['chem_basic', 'chem_ammonia'], 'chem_basic',
     'Fakten-Branche Grundstoffchemie WZ 20.1 „inkl. Ammoniak“: es gibt keine eigene Ammoniak-Energiezeile, daher zählen die ETS-Spalten chem_basic und chem_ammonia gemeinsam als Schlüssel.'),
    ('chem_other', ['chem_other'], 'chem_other', 'Sonstige Chemie WZ 20, 21 ohne 20.1; ETS-Spalte chem_other eins zu eins.'),
    ('metal_steel_primary', ['metal_steel_primary'], 'metal_steel_primary',
     'Hochofen-/Direktreduktionsroute inkl. Warmwalzen. Kohle, Öl, sonstige Fossile, Fernwärme aus Fact_I_S_metal_steel_primary_*; Strom und Erdgas sind in den Fakten nur für die ganze Branche angegeben '
     '(Fact_I_S_metal_steel_elec/gas_fec_2018): davon wird der Anteil der Elektrostahlroute (Produktion x spezifischer Verbrauch) abgezogen, der Rest gehört zur Primärroute.'),
    ('metal_steel_secondary', ['metal_steel_secondary'], 'metal_steel_secondary',
     'Elektrostahlroute: Fact_I_S_metal_steel_secondary_* sind für alle Träger 0; Strom und Erdgas = Fact_I_P_metal_steel_secondary_prodvol_2018 x Fact_I_P_metal_steel_secondary_ratio_fec_elec/gas_to_prodvol_2018. '
     'Eigener Schlüssel, weil ein Elektrostahlwerk viel Strom, aber wenig ETS-CO2 hat; mit einem gemeinsamen Stahlschlüssel bekäme es fast nichts.'),
    ('metal_nonfe', ['metal_nonfe'], 'metal_nonfe', 'NE-Metalle WZ 24.4, 24.5; ETS-Spalte metal_nonfe eins zu eins.'),
    ('miner_cementchalk', ['miner_cement', 'miner_chalk'], 'miner_cementchalk', 'Die Fakten fassen Zement und Kalk zusammen (WZ 23 Rest); Schlüssel = Summe der ETS-Spalten miner_cement + miner_chalk.'),
    ('miner_glasceram', ['miner_glas', 'miner_ceram'], 'miner_glasceram', 'Die Fakten fassen Glas und Keramik zusammen (WZ 23.1, 23.2, 23.31, 23.4); Schlüssel = Summe der ETS-Spalten miner_glas + miner_ceram.'),
    ('other_paper', ['other_paper'], 'other_paper', 'Papier WZ 17; ETS-Spalte other_paper eins zu eins.'),
    ('other_food', ['other_food'], 'other_food', 'Ernährung WZ 10, 11, 12; ETS-Spalte other_food eins zu eins. Nur große Betriebe sind im ETS; der Schlüssel konzentriert die ganze Branche auf ETS-Standorte (siehe START_BALANCE.md).'),
    ('other_further', [], 'other_further',
     'Restliche Industrie (WZ 8, 22, 24.2, 24.3, 25, 28 ohne 28.23, 29, 30 u. a.): Schlüssel Industrie- und Gewerbefläche (industry_area), NICHT die ETS-Spalte other_further. '
     'Diese ETS-Spalte sammelt verschiedenartige Anlagen (meist Feuerungsanlagen in Industrieparks); als Schlüssel würde sie die vielen kleinen Betriebe ohne ETS-Pflicht auf wenige Standorte legen. Sie bleibt Gegenprobe.'),
]
with open(f'{OUT}/industry_branches.csv', 'w', newline='', encoding='utf-8') as f:
    f.write('# Industriebranchen der Startbilanz: ETS-Spalten (LocalZero industry_facilites/2021.csv, DEHSt) als Schlüssel je Branche der Energiefakten (Fact_I_S_<fact_prefix>_<Träger>_fec_2018, Werte 2021).\n')
    f.write('# ets_columns leer = kein ETS-Schlüssel (Rest über industry_area). Nationale Summe der Spalten über alle Zeilen außer DG000000 (die Tabelle hat eine Deutschland-Zeile und eine Summenspalte DG000000).\n')
    f.write('# national_ets_t = Summe der ets_columns über alle Gemeindezeilen ohne die Deutschland-Zeile DG000000 (t CO2, DEHSt via LocalZero); Nenner des Anteils ets_share.\n')
    w = csv.writer(f, lineterminator='\n'); w.writerow(['branch', 'ets_columns', 'fact_prefix', 'reasoning', 'source', 'national_ets_t'])
    for b, cols, pre, why in BR:
        nat = sum(fnum(r[c]) for r in ETS_ROWS.values() for c in cols) if cols else None
        w.writerow([b, '+'.join(cols), pre, why, 'DEHSt verifizierte Emissionen via LocalZero industry_facilites/2021.csv; AG EB 2023 Bilanz 2021 via LocalZero facts/2021.csv', '' if nat is None else f'{nat:.0f}'])

def branch_energy(b):
    out = {}  # bisko carrier -> (MWh, [label terms])
    def add(c, v, term):
        e = out.setdefault(c, [0.0, []]); e[0] += v; e[1].append(term)
    for k, c in CAR:
        if b == 'metal_steel_primary':
            if k == 'elec':
                add(c, steel_el - sec_el, f'Fact_I_S_metal_steel_elec_fec_2018 {g(steel_el)} - Elektrostahl {g(sec_el)}'); continue
            if k == 'gas':
                add(c, steel_gas - sec_gas, f'Fact_I_S_metal_steel_gas_fec_2018 {g(steel_gas)} - Elektrostahl {g(sec_gas)}'); continue
        if b == 'metal_steel_secondary':
            if k == 'elec':
                add(c, sec_el, f'Fact_I_P_metal_steel_secondary_prodvol_2018 {g(p_sec)} t x {fv("Fact_I_P_metal_steel_secondary_ratio_fec_elec_to_prodvol_2018")} MWh/t'); continue
            if k == 'gas':
                add(c, sec_gas, f'Fact_I_P_metal_steel_secondary_prodvol_2018 {g(p_sec)} t x {fv("Fact_I_P_metal_steel_secondary_ratio_fec_gas_to_prodvol_2018")} MWh/t'); continue
        l = f'Fact_I_S_{b}_{k}_fec_2018'
        if l in F:
            add(c, fv(l), f'{l} {g(fv(l))}')
    return out

# ETS coverage of a branch: the ETS holds the large plants only. Share of the branch's national emissions
# (energy-related + process CO2e, UBA inventory figures via LocalZero facts) that its ETS installations report; only
# that part of the branch energy is keyed by a municipality's ETS share, the rest (plants below the ETS threshold)
# like the remaining industry by industrial area. Capped at 1 (ETS and inventory differ in scope and year).
COVER_LABELS = {
    'chem_basic': ['Fact_I_P_chem_basic_CO2e_cb_2018', 'Fact_I_P_chem_ammonia_CO2e_pb_2018', 'Fact_I_P_chem_carbon_black_CO2e_pb_2018', 'Fact_I_P_chem_soda_CO2e_pb_2018', 'Fact_I_P_chem_petro_chemicals_CO2e_pb_2018', 'Fact_I_P_chem_sum_of_smaller_emissions_CO2e_pb_2018'],
    'chem_other': ['Fact_I_P_chem_other_CO2e_cb_2018', 'Fact_I_P_chem_other_CO2e_pb_2018'],
    'miner_cementchalk': ['Fact_I_P_miner_cement_CO2e_cb_2017', 'Fact_I_P_miner_cement_CO2e_pb_2018', 'Fact_I_P_miner_chalk_CO2e_cb_2016', 'Fact_I_P_miner_chalk_CO2e_pb_2018'],
    'miner_glasceram': ['Fact_I_P_miner_glas_CO2e_cb_2015', 'Fact_I_P_miner_glas_CO2e_pb_2018', 'Fact_I_P_miner_ceram_CO2e_cb_2016', 'Fact_I_P_miner_ceram_CO2e_pb_2018'],
    'other_paper': ['Fact_I_P_other_paper_CO2e_cb_2018'],
    'other_food': ['Fact_I_P_other_food_CO2e_cb_2018'],
    'metal_steel_primary': ['Fact_I_P_metal_steel_CO2e_cb_2018'],
}
COVER = {}
COVER_TEXT = {}
for b, cols, pre, why in BR:
    if not cols:
        continue
    ets_t = sum(ets_nat[x] for x in cols)
    labels = [l for l in COVER_LABELS.get(b, []) if l in F]
    inv = sum(fv(l) for l in labels)
    if b == 'metal_steel_primary':
        # the inventory gives steel's energy-related CO2e for both routes together: compare with both ETS columns
        ets_t = ets_nat['metal_steel_primary'] + ets_nat['metal_steel_secondary']
    if inv > 0:
        COVER[b] = min(1.0, ets_t / inv)
        COVER_TEXT[b] = (f'ETS-Deckung {COVER[b]:.3f} = min(1, ETS {g(ets_t)} t / Inventar ' + ' + '.join(f'{l} {g(fv(l))}' for l in labels) + f' = {g(inv)} t)')
    else:
        COVER[b] = 1.0
        COVER_TEXT[b] = 'ETS-Deckung 1 (kein Inventarwert der Branche; ganz über den ETS-Anteil)'

check = collections.defaultdict(float)
uncovered = collections.defaultdict(lambda: [0.0, []])  # carrier -> MWh of branches below the ETS threshold
for b, cols, pre, why in BR:
    en = branch_energy(b)
    for c, (v, terms) in en.items():
        check[c] += v
        if v <= 0: continue
        labels = [t.split()[0] for t in terms]
        src = '; '.join(sorted(set(fref(l) for l in labels if l in F)))
        if cols:
            cov = COVER[b]
            row('industry', c, f'ets_share:{b}', v * cov, 'MWh', 'D', f'{src}; Schlüssel: DEHSt via LocalZero industry_facilites/2021.csv Spalten {"+".join(cols)}; ETS-Deckung: Fact_I_P_*_CO2e (UBA-Inventar via LocalZero facts/2021.csv); via LocalZero facts/2021.csv',
                f'Bundes-Endenergie der Branche {b}: ' + ' + '.join(terms) + f' = {g(v)} MWh; x {COVER_TEXT[b]} = {g(v * cov)} MWh; x Anteil der Gemeinde an den ETS-Emissionen {"+".join(cols)} (Deutschland {g(sum(ets_nat[x] for x in cols))} t)')
            if cov < 1.0:
                uncovered[c][0] += v * (1 - cov)
                uncovered[c][1].append(f'{b} {g(v * (1 - cov))} MWh (1 - {cov:.3f})')
        else:
            extra, extra_terms = uncovered.get(c, [0.0, []])
            tot = v + extra
            row('industry', c, 'industry_area', tot / IND_HA, 'MWh/ha', 'D', f'{src}; {REF_AREA}; via LocalZero facts/2021.csv',
                f'Weitere Branchen: ' + ' + '.join(terms) + f' = {g(v)} MWh' + (f' + nicht vom ETS gedeckter Teil der Branchen ({"; ".join(extra_terms)})' if extra_terms else '') + f' = {g(tot)} MWh / {g(IND_HA)} ha Industrie- und Gewerbefläche (Deutschland) = {tot/IND_HA:.6g} MWh/ha')
            uncovered.pop(c, None)
# carriers of uncovered branch energy that other_further does not use get their own area row
for c, (extra, extra_terms) in uncovered.items():
    if extra > 0:
        row('industry', c, 'industry_area', extra / IND_HA, 'MWh/ha', 'D', f'{REF_AREA}; via LocalZero facts/2021.csv',
            f'Nicht vom ETS gedeckter Teil der Branchen ({"; ".join(extra_terms)}) = {g(extra)} MWh / {g(IND_HA)} ha = {extra/IND_HA:.6g} MWh/ha')
# process emissions (memo)
PROC = {
    'chem_basic': ['Fact_I_P_chem_ammonia_CO2e_pb_2018', 'Fact_I_P_chem_carbon_black_CO2e_pb_2018', 'Fact_I_P_chem_soda_CO2e_pb_2018', 'Fact_I_P_chem_petro_chemicals_CO2e_pb_2018', 'Fact_I_P_chem_sum_of_smaller_emissions_CO2e_pb_2018'],
    'metal_steel_primary': ['Fact_I_P_metal_steel_primary_CO2e_pb_HKR_2018', 'Fact_I_P_metal_steel_primary_CO2e_pb_DRI_2018'],
    'metal_steel_secondary': ['Fact_I_P_metal_steel_secondary_CO2e_pb_2018'],
    'metal_nonfe': ['Fact_I_P_metal_nonfe_CO2e_pb_2018'],
    'miner_cementchalk': ['Fact_I_P_miner_cement_CO2e_pb_2018', 'Fact_I_P_miner_chalk_CO2e_pb_2018'],
    'miner_glasceram': ['Fact_I_P_miner_glas_CO2e_pb_2018', 'Fact_I_P_miner_ceram_CO2e_pb_2018'],
    'other_further': ['Fact_I_P_other_further_CO2e_pb_2018'],
}
for b, cols, pre, why in BR:
    if b not in PROC: continue
    v = sum(fv(l) for l in PROC[b]); terms = ' + '.join(f'{l} {g(fv(l))} t' for l in PROC[b])
    src = '; '.join(sorted(set(fref(l) for l in PROC[b]))) + '; via LocalZero facts/2021.csv'
    if cols:
        row('memo_process', f'process_{b}', f'ets_share:{b}', v, 't CO2e', 'D', src + f'; Schlüssel DEHSt Spalten {"+".join(cols)}',
            f'Prozessemissionen Deutschland 2021: {terms} = {g(v)} t; x ETS-Anteil der Gemeinde. Außerhalb der BISKO-Summe (nachrichtlich)')
    else:
        row('memo_process', f'process_{b}', 'industry_area', v / IND_HA, 't CO2e/ha', 'D', src + f'; {REF_AREA}',
            f'{terms} (Schmiermittel, Paraffine, Lösemittel; CRF 2.D) / {g(IND_HA)} ha = {v/IND_HA:.6g} t/ha. F-Gase (Fact_I_P_other_2efgh_CO2e_pb_2018, Produktverwendung) nicht enthalten. Nachrichtlich')
# industry check
ind_tot = {}
for k, c in CAR:
    l = f'Fact_I_S_{k}_fec_2018'
    if l in F: ind_tot[c] = ind_tot.get(c, 0) + fv(l)
CHECK_LINES = []
for c in sorted(set(ind_tot) | set(check)):
    a, b = check.get(c, 0), ind_tot.get(c, 0)
    CHECK_LINES.append(f'{c}: Branchen+Rest {a/1e6:.3f} TWh, Fact_I_S_<Träger> {b/1e6:.3f} TWh, Abw. {(a-b)/b*100 if b else 0:+.2f} %')
CHECK_LINES.append(f'Summe: {sum(check.values())/1e6:.3f} TWh vs {sum(ind_tot.values())/1e6:.3f} TWh')

# ---------------------------------------------------------------- transport
# national bottom-up 2018 (facts): passenger vs freight energy per carrier, to split the AGEB 2021 road+rail totals
def car_fracs():
    d = fv('Fact_T_S_Car_frac_diesel_mlg_2018'); lpg = fv('Fact_T_S_Car_frac_lpg_mlg_2018'); cng = fv('Fact_T_S_Car_frac_cng_mlg_2018')
    bev = fv('Fact_T_S_Car_frac_bev_with_phev_mlg_2018'); pet = 1 - d - lpg - cng - bev
    return dict(diesel=d, liquid_gas=lpg, natural_gas=cng, electricity=bev, petrol=pet)
cf = car_fracs()
P = collections.defaultdict(float); G = collections.defaultdict(float)
for sub in ('it_ot', 'ab'):
    mil = fv(f'Fact_T_D_mlg_Car_{sub}_2018')
    P['diesel'] += mil * cf['diesel'] * fv(f'Fact_T_S_Car_SEC_diesel_{sub}_2018')
    P['petrol'] += mil * cf['petrol'] * fv(f'Fact_T_S_Car_SEC_petrol_{sub}_2018')
    P['liquid_gas'] += mil * cf['liquid_gas'] * fv(f'Fact_T_S_Car_SEC_petrol_{sub}_2018')
    P['natural_gas'] += mil * cf['natural_gas'] * fv(f'Fact_T_S_Car_SEC_petrol_it_ot_2018')
    P['electricity'] += mil * cf['electricity'] * fv(f'Fact_T_S_Car_SEC_elec_{sub}_2018')
    mil = fv(f'Fact_T_D_mlg_LDT_{sub}_2018')
    G['diesel'] += mil * fv('Fact_T_S_LDT_frac_diesel_mlg_2018') * fv(f'Fact_T_S_LDT_SEC_diesel_{sub}_2018')
    G['petrol'] += mil * fv('Fact_T_S_LDT_frac_petrol_mlg_2018') * fv(f'Fact_T_S_LDT_SEC_petrol_{sub}_2018')
    G['liquid_gas'] += mil * fv('Fact_T_S_LDT_frac_lpg_mlg_2018') * fv(f'Fact_T_S_LDT_SEC_petrol_{sub}_2018')
    G['electricity'] += mil * fv('Fact_T_S_LDT_frac_bev_mlg_2018') * fv(f'Fact_T_S_LDT_SEC_elec_{sub}_2018')
    mil = fv(f'Fact_T_D_mlg_MHD_{sub}_2018')
    G['diesel'] += mil * fv('Fact_T_S_MHD_frac_diesel_stock_2018') * fv(f'Fact_T_S_MHD_SEC_diesel_{sub}_2018')
    G['natural_gas'] += mil * fv('Fact_T_S_MHD_frac_cng_lngl_stock_2018') * fv(f'Fact_T_S_MHD_SEC_diesel_{sub}_2018')
    G['electricity'] += mil * fv('Fact_T_S_MHD_frac_bev_stock_2018') * fv(f'Fact_T_S_MHD_SEC_elec_{sub}_2018')
bus = fv('Fact_T_D_mlg_Bus_2018_Destatis')
P['diesel'] += bus * fv('Fact_T_S_Bus_frac_diesel_stock_2018') * fv('Fact_T_S_Bus_SEC_diesel_2018')
P['natural_gas'] += bus * fv('Fact_T_S_Bus_frac_cng_stock_2018') * fv('Fact_T_S_Bus_SEC_diesel_2018')
P['electricity'] += bus * fv('Fact_T_S_Bus_frac_bev_stock_2018') * fv('Fact_T_S_Bus_SEC_elec_2018')
P['electricity'] += fv('Fact_T_S_RL_Train_ppl_EC_elec_2018') + fv('Fact_T_D_rail_metro_mlg_2018') * fv('Fact_T_S_Rl_Metro_SEC_fzkm_2018')
P['diesel'] += fv('Fact_T_S_RL_Train_ppl_EC_diesel_2018')
G['electricity'] += fv('Fact_T_S_RL_Train_gds_EC_elec_2018'); G['diesel'] += fv('Fact_T_S_RL_Train_gds_EC_diesel_2018')
# biofuels blended into diesel and petrol: passenger share of (diesel+petrol)
P['biofuel'] = P['diesel'] + P['petrol']; G['biofuel'] = G['diesel'] + G['petrol']
psh = {c: P[c] / (P[c] + G[c]) for c in P}
# pkm per inhabitant by class (Agora table via assumptions) and population per class 2021
pkm = {'city': av('Ass_T_D_ratio_trnsprt_ppl_to_ppl_city'), 'smcty': av('Ass_T_D_ratio_trnsprt_ppl_to_ppl_smcity'), 'rural': av('Ass_T_D_ratio_trnsprt_ppl_to_ppl_rural')}
pop_cls = collections.defaultdict(float)
for a in MUN:
    k = kinds.get(a)
    if k: pop_cls[CLASS_OF_RT7[k['rt7']]] += fnum(pop[a]['total'])
pop_cls_tot = sum(pop_cls.values())
pkm_nat = sum(pkm[c] * pop_cls[c] for c in pkm) / pop_cls_tot
NT = {
    'diesel': (['Fact_T_S_road_diesel_fec_2021_ageb', 'Fact_T_S_rail_diesel_fec_2021_ageb']),
    'petrol': (['Fact_T_S_road_petrol_fec_2021_ageb']),
    'liquid_gas': (['Fact_T_S_road_lpg_fec_2021_ageb']),
    'natural_gas': (['Fact_T_S_road_gas_fec_2021_ageb']),
    'biofuel': (['Fact_T_S_road_biomass_fec_2021_ageb', 'Fact_T_S_rail_biomass_fec_2021_ageb']),
    'electricity': (['Fact_T_S_road_elec_fec_2021_ageb', 'Fact_T_S_rail_elec_fec_2021_ageb']),
}
TRANSPORT_NOTE = {}
for c, labels in NT.items():
    N = sum(fv(l) for l in labels)
    for cls in ('city', 'smcty', 'rural'):
        rel = pkm[cls] / pkm_nat
        v = N / pop_cls_tot * (psh[c] * rel + (1 - psh[c]))
        src = '; '.join(sorted(set(fref(l) for l in labels))) + f'; Personen-km je EW: {A["Ass_T_D_ratio_trnsprt_ppl_to_ppl_city"]["reference"] or "Agora 2020 Klimaneutrales Deutschland S. 87 (Ass_T_D_trnsprt_ppl_r1..r7 / Ass_T_D_ppl_r1..r7)"} (Ass_T_D_ratio_trnsprt_ppl_to_ppl_{ {"city":"city","smcty":"smcity","rural":"rural"}[cls]}, LocalZero assumptions/2018.csv); Personen-/Güteraufteilung: Fahrleistungen und spez. Verbräuche 2018 (UBA 2020 / ifeu, LocalZero facts/2021.csv); {REF_POP}'
        row('transport', c, f'population@settlement={cls}', v, 'MWh/EW', 'D', src,
            f'AGEB 2021 Straße+Schiene {"+".join(labels)} = {g(N)} MWh / {g(pop_cls_tot)} EW = {N/pop_cls_tot:.6g} MWh/EW; x (Personenverkehrsanteil {psh[c]:.4f} x Pkm-Faktor {cls} {pkm[cls]:.1f}/{pkm_nat:.1f} Pkm/EW + Güterverkehrsanteil {1-psh[c]:.4f}) = {v:.6g} MWh/EW. '
            'Personenverkehrsanteil aus Bottom-up 2018: Pkw, Bus, Schiene/SSU-Bahn (Personen) gegen LNF, SNF, Schiene (Güter), Fahrleistung x Antriebsanteil x spez. Verbrauch. Autobahn, Transit und Güterverkehr je EW (keine Gemeindedaten); Luft- und Schiffsverkehr nicht enthalten')
        TRANSPORT_NOTE[(c, cls)] = v

# ---------------------------------------------------------------- agriculture memo (state level)
GWP_CH4, GWP_N2O = 25.0, 298.0  # AR4, as LocalZero's generator (makeentries.py) and the deposition column of nat_agri ("*298*1000")
ENT = {'cows': (['Fact_A_P_fermen_dairycow_CO2e_2018'], ['Fact_A_P_fermen_dairycow_amount_2018']),
       'cattle': (['Fact_A_P_fermen_nondairy_CO2e_2018'], ['Fact_A_P_fermen_nondairy_amount_2018']),
       'pigs': (['Fact_A_P_fermen_swine_CO2e_2018'], ['Fact_A_P_fermen_swine_amount_2018']),
       'poultry': (['Fact_A_P_fermen_poultry_CO2e_2018'], ['Fact_A_P_fermen_poultry_amount_2018']),
       'other_animals': (['Fact_A_P_fermen_sheep_CO2e_2018', 'Fact_A_P_fermen_goat_CO2e_2018', 'Fact_A_P_fermen_equid_CO2e_2018'],
                         ['Fact_A_P_fermen_sheep_amount_2018', 'Fact_A_P_fermen_goat_amount_2018', 'Fact_A_P_fermen_equid_amount_2018'])}
ent_rate = {k: sum(fv(l) for l in v[0]) / sum(fv(l) for l in v[1]) for k, v in ENT.items()}
SOIL = ['fertilizer_mineral_n2o', 'fertilizer_economy_n2o', 'sewage_sludge_n2o', 'fermentation_ecrop_n2o', 'pasturage_n2o', 'crop_residues_n2o',
        'farmed_soil_n2o', 'farmed_soil_loss_organic_n2o', 'diffuse_nitrate_emissions_n2o', 'diffuse_emissions_n2o']
LIME = [('amount_sale_calcit', 'Fact_A_P_other_liming_calcit_ratio_CO2e_pb_to_amount_2018'), ('amount_sale_dolomite', 'Fact_A_P_other_liming_dolomite_ratio_CO2e_pb_to_amount_2018'),
        ('amount_sale_kas', 'Fact_A_P_other_kas_ratio_CO2e_pb_to_amount_2018'), ('amount_sale_urea', 'Fact_A_P_other_urea_CO2e_pb_to_amount_2018')]
AGRI_SRC = 'Thünen/openagrar „Berechnung von gas- und partikelförmigen Emissionen aus der deutschen Landwirtschaft 1990–2021“ via LocalZero nat_agri/2021.csv (Spalten siehe nat_agri/sources.csv)'
for st in sorted(a for a in agri if a != 'DG000000'):
    r = agri[st]; ha = fnum(area[st]['veg_agri']); nn = st[:2]
    ent = sum(fnum(r[k]) * ent_rate[k] for k in ENT)
    man = sum((fnum(r[k + '_ch4e']) * GWP_CH4 + fnum(r[k + '_n2oe']) * GWP_N2O) * 1000 for k in ENT)
    dep = fnum(r['animal_wo_poultry_deposition_co2e'])
    animals = ent + man + dep
    row('memo_agriculture', 'agri_animals', f'agri_area@state={nn}', animals / ha, 't CO2e/ha', 'C',
        f'{AGRI_SRC}; Verdauung: Fact_A_P_fermen_*_CO2e_2018 / *_amount_2018 (UBA/Thünen, LocalZero facts/2021.csv); {REF_AREA.replace("DG000000", st)}',
        f'Land {st}: Verdauung (Tierzahlen x Bundes-t CO2e je Tier) {g(ent)} t + Wirtschaftsdünger CH4 x {GWP_CH4:g} + N2O x {GWP_N2O:g} (Gg x 1000) {g(man)} t + indirektes N2O Deposition {g(dep)} t = {g(animals)} t / {g(ha)} ha Landwirtschaftsfläche = {animals/ha:.6g} t CO2e/ha. GWP AR4 wie LocalZero')
    soil = sum(fnum(r[k]) for k in SOIL) * GWP_N2O
    row('memo_agriculture', 'agri_soils', f'agri_area@state={nn}', soil / ha, 't CO2e/ha', 'C',
        f'{AGRI_SRC}; {REF_AREA.replace("DG000000", st)}',
        f'Land {st}: N2O Böden ({"+".join(SOIL)}) {g(soil/GWP_N2O)} t N2O x {GWP_N2O:g} = {g(soil)} t / {g(ha)} ha = {soil/ha:.6g} t CO2e/ha')
    lime = sum(fnum(r[k]) * fv(l) for k, l in LIME)
    row('memo_agriculture', 'agri_lime_urea', f'agri_area@state={nn}', lime / ha, 't CO2e/ha', 'C',
        f'{AGRI_SRC}; Emissionsfaktoren Fact_A_P_other_*_ratio_CO2e_pb_to_amount_2018 (LocalZero facts/2021.csv); {REF_AREA.replace("DG000000", st)}',
        f'Land {st}: ' + ' + '.join(f'{k} {g(fnum(r[k]))} t x {fv(l)}' for k, l in LIME) + f' = {g(lime)} t CO2 / {g(ha)} ha = {lime/ha:.6g} t CO2e/ha')

# ---------------------------------------------------------------- write
HDR = f'''# Startbilanz (BISKO) für Kommunen ohne eigene Energiedaten, je Sektor und Energieträger nach dem Treiber des Sektors (Methode: START_BALANCE.md).
# Zelle = value x Treiber(Gemeinde); Zellen gleicher sector+carrier werden summiert. BISKO-Sektoren: value in MWh Endenergie je Treibereinheit; Emissionen = MWh x datierter Emissionsfaktor des Trägers.
# memo_process / memo_agriculture: value in t CO2e je Treibereinheit, außerhalb der BISKO-Summe (nachrichtlich).
# Treiber: population; employees (Beschäftigte am Arbeitsort); residential_area (1000 m²); industry_area (ha settlement_ghd); settlement_area (ha land_settlement); agri_area (ha veg_agri);
#   ets_share:<branch> (ETS-Emissionen der Gemeinde in den Spalten aus industry_branches.csv / Bundessumme ohne Zeile DG000000); heat_demand_heatnet / heat_demand_other (MWh, household_heat_by_age.csv);
#   Filter @state=NN (AGS beginnt mit NN), @settlement=<class> (settlement_types.csv auf rt7 aus area_kinds_2021.csv).
# Bundeswerte 2021 (AG Energiebilanzen Bilanz 2021 u. a.) aus LocalZero facts/2021.csv (Labels tragen das historische Suffix _2018, die Werte sind 2021; Fundstelle je Zeile in source).
# Güte: D = nationale Kennzahl, C = Landeswert (nur Landwirtschaft). GHD-Schlüssel: {ck}; Landwirtschaft im GHD über die Landwirtschaftsfläche. Kommunale Einrichtungen: Anteil {MUN_SHARE:.6f} des GHD (dena: 60 TWh öffentliche Hand × 60 % Kommunen, factors/municipal_facilities.csv).
# Erzeugt mit scripts/start_balance/make_start_balance.py aus den Quelltabellen (Werte gelesen, nicht abgetippt; Text aus facts repariert).
'''
with open(f'{OUT}/start_balance.csv', 'w', newline='', encoding='utf-8') as f:
    f.write(HDR)
    w = csv.DictWriter(f, fieldnames=['sector', 'carrier', 'driver', 'value', 'unit', 'valid_year', 'grade', 'source', 'derivation'])
    w.writeheader(); w.writerows(rows)
with open(os.path.join(os.environ.get('TMPDIR', '/tmp'), 'start_balance_check.txt'), 'w') as f:
    f.write('\n'.join(CHECK_LINES) + '\n')
    f.write(f'H_hn {H_hn:.0f} MWh, H_oth {H_oth:.0f} MWh, k_hn {k_hn:.4f}, k_oth {k_oth:.4f}, heat other AGEB {tot_oth:.0f}\n')
    f.write(f'pkm_nat {pkm_nat:.1f}; pop by class {dict(pop_cls)}; passenger shares {psh}\n')
print('\n'.join(CHECK_LINES))
print(f'rows {len(rows)}; H_hn {H_hn/1e6:.1f} TWh k_hn {k_hn:.4f}; H_oth {H_oth/1e6:.1f} TWh k_oth {k_oth:.4f}; pkm_nat {pkm_nat:.0f}; psh {dict((k, round(v,3)) for k,v in psh.items())}')
if args.copy_stats:
    dst = MAIN + '/inputs/statistics/national/area_kinds_2021.csv'
    shutil.copyfile(LZ + '/area_kinds/2021.csv', dst)
    print('copied', dst)

# The ETS coverage per branch, appended to industry_branches.csv for the reader (the Rust does not need it: it is
# already in the start_balance.csv values).
_p = f'{OUT}/industry_branches.csv'
_lines = open(_p, encoding='utf-8').read().splitlines()
_out = []
for _l in _lines:
    if _l.startswith('#'):
        _out.append(_l)
        continue
    _r = next(csv.reader([_l]))
    if _r[0] == 'branch':
        _out.append('# ets_coverage = Anteil der Bundesemissionen der Branche, den ihre ETS-Anlagen melden (nur dieser Teil der Branchenenergie folgt dem ETS-Anteil der Gemeinde, der Rest der Industriefläche); Herleitung in start_balance.csv.')
        _r.append('ets_coverage')
    else:
        _r.append(f'{COVER[_r[0]]:.3f}' if _r[0] in COVER else '')
    _buf = io.StringIO(); csv.writer(_buf, lineterminator='').writerow(_r); _out.append(_buf.getvalue())
open(_p, 'w', encoding='utf-8').write('\n'.join(_out) + '\n')
print('coverage', {k: round(v, 3) for k, v in COVER.items()})
