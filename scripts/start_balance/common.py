"""Shared readers for the start-balance generator and the prototype estimator."""
import csv, os
_HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = os.path.normpath(os.path.join(_HERE, '..', '..'))
# Development-time only: the public LocalZero tables beside the checkout (../shared); never read at run time.
LZ = os.environ.get('LOCALZERO_DATA', os.path.normpath(os.path.join(MAIN, '..', 'shared', 'data', 'national', 'localzero')))
FACTORS = MAIN + '/inputs/factors'

def fix(s):
    """Repair double-encoded UTF-8 (WaldflÃ¤che -> Waldfläche); leave clean text alone."""
    if s is None:
        return s
    try:
        t = s.encode('cp1252').decode('utf-8')
        return t
    except (UnicodeEncodeError, UnicodeDecodeError):
        try:
            return s.encode('latin-1').decode('utf-8')
        except (UnicodeEncodeError, UnicodeDecodeError):
            return s

def read_labelled(path):
    out = {}
    for r in csv.DictReader(open(path, encoding='utf-8')):
        r = {k: fix(v) for k, v in r.items()}
        out[r['label']] = r
    return out

def facts():
    return read_labelled(LZ + '/facts/2021.csv')

def assumptions():
    return read_labelled(LZ + '/assumptions/2018.csv')

def table(name, year='2021', key='ags'):
    path = f'{LZ}/{name}/{year}.csv'
    out = {}
    for r in csv.DictReader(open(path, encoding='utf-8')):
        out[r[key]] = r
    return out

def is_municipality(ags, all_ags):
    """True for a municipality row: not DG000000, not an aggregate (state / Regierungsbezirk / Landkreis)
    that has other rows below it. Kreisfreie Städte (XXXXX000 without other rows XXXXX...) and city states count."""
    if not ags or not ags[:2].isdigit():
        return False
    if ags.endswith('000000'):
        p = ags[:2]
    elif ags.endswith('00000'):
        p = ags[:3]
    elif ags.endswith('000'):
        p = ags[:5]
    else:
        return True
    return not any(b != ags and b.startswith(p) for b in all_ags)

_muni_cache = {}
def municipalities(tab):
    ids = id(tab)
    if ids in _muni_cache:
        return _muni_cache[ids]
    keys = list(tab.keys())
    by5 = {}
    by3 = {}
    by2 = {}
    for k in keys:
        by5.setdefault(k[:5], 0); by5[k[:5]] += 1
        by3.setdefault(k[:3], 0); by3[k[:3]] += 1
        by2.setdefault(k[:2], 0); by2[k[:2]] += 1
    res = []
    for k in keys:
        if not k[:2].isdigit():
            continue
        if k.endswith('000000'):
            ok = by2[k[:2]] == 1
        elif k.endswith('00000'):
            ok = by3[k[:3]] == 1
        elif k.endswith('000'):
            ok = by5[k[:5]] == 1
        else:
            ok = True
        if ok:
            res.append(k)
    _muni_cache[ids] = res
    return res

def fnum(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return 0.0
