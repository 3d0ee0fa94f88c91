"""Per-program gap closed and log error ratio, sliced by the fixed T_FX error (issue 16, docs/results.md).

Usage: python3 bench/analysis/gap_by_fixed_error.py CELL/evaluation/evaluation.json

For each slice of programs by their fixed-transform relative L2 error, and each method: the median over programs of
(e_fixed - e_method) / (e_fixed - e_oracle) ("gap closed", programs with e_fixed > e_oracle) and the median of
log(e_method / e_fixed). Seeded methods (learned, input_independent) use the geometric mean of their seeds' errors.
"""
import json,sys,math,statistics as st
e=json.load(open(sys.argv[1]));P=e['programs']
def gm(v): return math.exp(sum(math.log(max(x,1e-300)) for x in v)/len(v)) if isinstance(v,list) else v
for lo,hi in [(0,1e-6),(1e-6,1e-5),(1e-5,1e-4),(1e-4,1e-3),(1e-3,1e-1),(1e-1,1e9),(0,1e9)]:
  rows=[p for p in P if lo<=p['errors']['fixed']<hi]
  out=[]
  for meth in ['learned','input_independent','pade','economised_n1']:
    g=[];lr=[]
    for p in rows:
      E=p['errors'];f=E['fixed'];o=E['oracle'];l=gm(E[meth])
      if f-o>0: g.append((f-l)/(f-o))
      lr.append(math.log(l/f) if l>0 and f>0 else 0)
    out.append("%s gap %+.0f%% lr %+.3f"%(meth, 100*st.median(g) if g else float('nan'), st.median(lr) if lr else float('nan')))
  print("fixed in [%g,%g): n=%d | %s"%(lo,hi,len(rows)," | ".join(out)))
