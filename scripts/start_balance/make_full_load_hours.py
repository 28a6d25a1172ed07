"""Writes inputs/factors/renewable_full_load_hours.csv: national full-load hours per technology (2021)
= national gross generation of the technology / installed capacity summed over the municipal rows of
the per-AGS register table the documents use (inputs/statistics/national/renewable_energy_2021.csv).

Generation: LocalZero facts/2021.csv (Destatis Bruttostromerzeugung shares of 587.2 TWh; wind onshore
93 TWh from the UBA press release). Capacity: the same register table that the local capacities come
from, so local generation = local capacity x national generation / national capacity of that table.
Development-time only (reads ../shared); the program reads the CSV it writes.
"""
import csv
from common import facts, MAIN, FACTORS

F = facts()
def fv(l): return float(F[l]['value'])
def fref(l): return (F[l]['reference'] or '').strip() + ' (' + (F[l]['link'] or '').strip() + ')'

GROSS_DESTATIS = 587.2e6  # MWh: the total Destatis' shares refer to, stated in the facts' rationale
rows = list(csv.DictReader(open(MAIN + '/inputs/statistics/national/renewable_energy_2021.csv')))
children = {r['ags'][:5] for r in rows if not r['ags'].endswith('000')}
municipal = [r for r in rows if not r['ags'].endswith('000')
             or (not r['ags'].endswith('000000') and r['ags'][:5] not in children)]
cap = {k: sum(float(r[k]) for r in municipal) / 1000.0 for k in ('pv', 'wind_on', 'biomass', 'water')}

gen = {
    'pv': (fv('Fact_E_P_pv_pct_of_gep_2018') * GROSS_DESTATIS,
           f"Fact_E_P_pv_pct_of_gep_2018 = {fv('Fact_E_P_pv_pct_of_gep_2018'):.6f} x 587,2 TWh", 'Fact_E_P_pv_pct_of_gep_2018'),
    # The facts' onshore share rests on the UBA press release's absolute figure (93 of 118 bn kWh on land),
    # which is quoted in the fact's rationale; that figure is used, not the share re-multiplied.
    'wind': (float(F['Fact_E_P_wind_onshore_pct_of_gep_2018']['rationale'].split('davon ')[1].split(' Mrd')[0]) * 1e6,
             'UBA-Pressemitteilung 2021: 93 Mrd. kWh aus Windenergieanlagen an Land (zitiert in Fact_E_P_wind_onshore_pct_of_gep_2018)', 'Fact_E_P_wind_onshore_pct_of_gep_2018'),
    'biomass': ((fv('Fact_E_P_biomass_pct_of_gep_2018') - fv('Fact_E_P_biomass_waste_pct_of_gep_2018')) * GROSS_DESTATIS,
                '(Fact_E_P_biomass_pct_of_gep_2018 - Fact_E_P_biomass_waste_pct_of_gep_2018) x 587,2 TWh (ohne biogenen Abfall, den Destatis getrennt ausweist; Annahme: Abfallverbrennungsanlagen stehen im Register nicht unter Biomasse)', 'Fact_E_P_biomass_pct_of_gep_2018'),
    'hydro': (fv('Fact_E_P_hydro_pct_of_gep_2018') * GROSS_DESTATIS,
              f"Fact_E_P_hydro_pct_of_gep_2018 = {fv('Fact_E_P_hydro_pct_of_gep_2018'):.6f} x 587,2 TWh", 'Fact_E_P_hydro_pct_of_gep_2018'),
}
col = {'pv': 'pv', 'wind': 'wind_on', 'biomass': 'biomass', 'hydro': 'water'}
out = open(FACTORS + '/renewable_full_load_hours.csv', 'w', newline='')
out.write("# National full-load hours of renewable power plants, 2021: gross generation of the technology in Germany / installed capacity\n"
          "# summed over the municipal rows of statistics/national/renewable_energy_2021.csv (Marktstammdatenregister via LocalZero; the table the\n"
          "# members' capacities come from). Used only for the memo line 'local renewable generation' (outside the BISKO total; BISKO credits no local\n"
          "# generation). An estimate: real full-load hours vary with site and year (2021 was a weak wind year). Written by\n"
          "# scripts/start_balance/make_full_load_hours.py; the values are read from the source tables, none is typed in.\n")
w = csv.writer(out, lineterminator='\n')
w.writerow(['technology', 'year', 'full_load_hours', 'generation_mwh', 'capacity_mw', 'source', 'derivation'])
for tech in ('pv', 'wind', 'biomass', 'hydro'):
    g, how, label = gen[tech]
    c = cap[col[tech]]
    w.writerow([tech, 2021, f'{g / c:.0f}', f'{g:.0f}', f'{c:.0f}',
                f'{fref(label)}; Bruttostromerzeugung via LocalZero facts/2021.csv; Leistung: Marktstammdatenregister je Gemeinde (renewable_energy_2021.csv, Spalte {col[tech]}, Summe der Gemeindezeilen)',
                f'{how} = {g / 1e6:.2f} TWh / {c:,.0f} MW = {g / c:.0f} h'])
print({t: round(gen[t][0] / cap[col[t]]) for t in gen})
