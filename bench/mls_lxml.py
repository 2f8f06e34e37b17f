#!/usr/bin/python3
"""mls_lxml.py LIST [SELECTORS] - what a user would otherwise write: the MLS
detail pages of LIST ("FILE URL" lines) read with Python lxml, running the
same XPath selectors as phx (etc/mls-selectors.conf by default), with the
same layers (URL, JSON-LD, meta, selectors, text fallback for what is
missing) and value rules. One JSON record a line on stdout."""
import json
import re
import sys
import time

from lxml import etree, html

ACRE = 43560


def load(path):
    conf = {"template": [], "row": [], "field": [], "label": {}, "text": []}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kw, _, rest = line.partition(" ")
        if kw == "template":
            name, _, xp = rest.partition(" ")
            conf["template"].append((name, etree.XPath(xp)))
        elif kw == "row":
            t, _, xp = rest.partition(" ")
            conf["row"].append([t, etree.XPath(xp), None, None])
        elif kw == "row-label":
            conf["row"][-1][2] = etree.XPath(rest)
        elif kw == "row-value":
            conf["row"][-1][3] = etree.XPath(rest)
        elif kw == "field":
            t, f, xp = rest.split(" ", 2)
            conf["field"].append((t, f, etree.XPath(xp)))
        elif kw == "label":
            f, _, text = rest.partition(" ")
            conf["label"].setdefault(norm(text), f)
        elif kw == "text":
            f, _, pat = rest.partition(" ")
            conf["text"].append((f, re.compile(pat, re.I)))
    return conf


def norm(s):
    s = " ".join(s.replace("\xa0", " ").split()).lower()
    s = s.rstrip(":# ")
    return s.lstrip("# ")


def text_of(r):
    if isinstance(r, list):
        out = []
        for n in r:
            if isinstance(n, str):
                out.append(n)
            elif n.tag == "br":
                out.append("\n")
            else:
                out.append("".join(n.itertext()))
        return "".join(out)
    return str(r)


def squeeze(s):
    return " ".join(s.replace("\xa0", " ").split())


def is_null(s):
    s = (s or "").strip()
    return not s or set(s) == {"*"} or s.upper() in ("N/A", "NA", "-", "--")


def num(s):
    m = re.search(r"[0-9][0-9,]*(\.[0-9]+)?", s or "")
    return float(m.group(0).replace(",", "")) if m else None


def money(s):
    ps = re.findall(r"\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?)", s or "")
    vals = [round(float(p.replace(",", ""))) for p in ps[:2]]
    return (min(vals), len(vals) > 1) if vals else (None, False)


def baths(s):
    parts = re.findall(r"([0-9.]+)\s*(full|half)", s, re.I)
    if parts:
        return sum(float(n) * (1 if k.lower() == "full" else 0.5) for n, k in parts)
    return num(s)


STATUS = [("ucb", "active", "UCB"), ("ccbs", "active", "CCBS"), ("active", "active", None),
          ("coming soon", "coming_soon", None), ("pending", "pending", None),
          ("closed", "sold", None), ("temp off market", "off_market", None),
          ("cancelled", "withdrawn", None), ("expired", "expired", None)]
DWELL = [("single family", "single_family"), ("patio", "townhouse"),
         ("townhouse", "townhouse"), ("gemini", "townhouse"), ("apartment", "condo"),
         ("loft", "condo"), ("mfg", "manufactured"), ("modular", "manufactured")]


def convert(v, cand):
    def put(k, x):
        if x is not None and k not in cand:
            cand[k] = x
    g = lambda k: None if is_null(v.get(k)) else v.get(k)
    if g("mls_id"):
        m = re.search(r"([0-9A-Za-z]{4,})\s*$", g("mls_id"))
        put("mls_id", m and m.group(1))
    if g("title"):
        m = re.match(r"(.*), *([^,]+), *([A-Z]{2}) +([0-9]{5}) - MLS# *(\w+)", g("title"))
        if m:
            put("street", m.group(1) or None)
            put("city", m.group(2))
            put("zip", m.group(4))
    if g("street_line"):
        put("street", g("street_line"))
    if g("list_price"):
        p, rng = money(g("list_price"))
        put("list_price", p)
    if g("status"):
        w = g("status").lower()
        for pre, st, det in STATUS:
            if w.startswith(pre):
                put("status", st)
                put("status_detail", det)
                break
    if g("dwelling_type"):
        for pre, t in DWELL:
            if g("dwelling_type").lower().startswith(pre):
                put("property_type", t)
    for k in ("bedrooms", "square_feet", "year_built", "garage_spaces", "stories"):
        if g(k) and num(g(k)) is not None:
            put(k, int(num(g(k))))
    if g("bathrooms"):
        put("bathrooms", baths(g("bathrooms")))
    elif g("full_baths"):
        put("bathrooms", baths(g("full_baths")))
    if g("lot_sqft"):
        put("lot_size_sqft", int(num(g("lot_sqft"))))
    if g("lot_acres"):
        put("lot_size_sqft", round(num(g("lot_acres")) * ACRE))
    if g("apn"):
        a = re.sub(r"[-. ]", "", g("apn")).upper()
        put("apn", a if re.fullmatch(r"[0-9]{8}[A-Z]?", a) else None)
    if g("hoa") or g("hoa_fee"):
        put("hoa", {"has_hoa": (g("hoa") or "").lower().startswith("y"),
                    "fee": money(g("hoa_fee"))[0], "frequency": (g("hoa_frequency") or "").lower() or None})
    if g("pool"):
        put("pool", g("pool").lower().startswith("y"))
    if v.get("description"):
        put("description", v["description"].strip())
    if v.get("photos"):
        put("photos", [p for p in v["photos"] if "nophoto" not in p])
    for k in ("agent", "brokerage"):
        if g(k):
            put(k, g(k).split(":", 1)[-1].strip())
    for k, out in (("latitude", "lat"), ("longitude", "lon")):
        if g(k):
            put(out, float(g(k)))


def extract(conf, data, url):
    if b"This listing is no longer available." in data:
        return {"reject": "mls.not_found"}
    doc = html.fromstring(data)
    layers = []
    u = {}
    m = re.search(r"-mls_([0-9A-Za-z]+)/?(\?|$)", url)
    if m:
        u["mls_id"] = m.group(1)
    u["url"] = url.split("?")[0]
    layers.append(u)
    ld = {}
    for s in doc.xpath("//script[@type='application/ld+json']"):
        try:
            j = json.loads(s.text or "")
        except ValueError:
            continue
        stack = [j]
        while stack:
            o = stack.pop()
            if isinstance(o, list):
                stack.extend(o)
            elif isinstance(o, dict):
                stack.extend(o.get(k) for k in ("@graph", "about", "mainEntity") if k in o)
                t = o.get("@type")
                t = t if isinstance(t, list) else [t]
                if "RealEstateListing" in t or "SingleFamilyResidence" in t:
                    off = o.get("offers") or {}
                    if isinstance(off, dict) and "price" in off:
                        ld.setdefault("list_price", money(str(off["price"]))[0])
                    if "numberOfBedrooms" in o:
                        ld.setdefault("bedrooms", int(o["numberOfBedrooms"]))
    layers.append(ld)
    meta = {}
    for mt in doc.xpath("//head/meta[@property or @name]"):
        k = mt.get("property") or mt.get("name")
        c = mt.get("content") or ""
        if k == "og:title":
            m = re.match(r"(.*), *([^,]+), *([A-Z]{2}) +([0-9]{5}) \(MLS# *(\w+)\)", c)
            if m:
                meta.update(street=m.group(1) or None, city=m.group(2), zip=m.group(4),
                            mls_id=m.group(5))
        elif k == "og:url":
            meta["url"] = c.split("?")[0]
        elif k == "product:price:amount" and c.isdigit():
            meta["list_price"] = int(c)
        elif k in ("description", "og:description"):
            if len(c) > len(meta.get("description", "")):
                meta["description"] = c
    layers.append(meta)
    tmpl = None
    for name, xp in conf["template"]:
        if xp(doc):
            tmpl = name
            break
    vals, labels = {}, {}
    for t, rx, lx, vx in conf["row"]:
        if t not in ("*", tmpl):
            continue
        for row in rx(doc):
            lab = text_of(lx(row))
            n = norm(lab)
            if not n:
                continue
            val = squeeze(text_of(vx(row)))
            labels.setdefault(squeeze(lab).rstrip(": "), val)
            f = conf["label"].get(n)
            if f == "photos":
                vals.setdefault("photos", []).append(val)
            elif f:
                vals.setdefault(f, val)
    for t, f, xp in conf["field"]:
        if t not in ("*", tmpl):
            continue
        r = xp(doc)
        if f == "photos":
            if "photos" not in vals:
                got = [squeeze(text_of([x])) for x in r]
                if got:
                    vals["photos"] = got
        elif f not in vals:
            s = text_of(r)
            if s.strip():
                vals[f] = s if f == "description" else squeeze(s)
    if not tmpl or not (vals or labels):
        return {"reject": "mls.layout_changed"}
    x = {}
    convert(vals, x)
    layers.append(x)
    merged, conflicts = {}, []
    for lay in layers:
        for k, v in lay.items():
            if v is None:
                continue
            if k not in merged:
                merged[k] = v
            elif k == "description" and v.startswith(merged[k].rstrip(". ")):
                merged[k] = v  # the meta tag's cut remarks, completed
            elif merged[k] != v:
                conflicts.append(k)
    missing = [f for f, _ in conf["text"] if f not in merged]
    if missing:
        body = squeeze(text_of([doc]))
        tv = {}
        for f, rx in conf["text"]:
            if f in merged:
                continue
            m = rx.search(body)
            if m:
                tv[f] = m.group(1)
        t = {}
        convert(tv, t)
        for k, v in t.items():
            merged.setdefault(k, v)
    merged.setdefault("status", "active" if tmpl == "classic" else "unknown")
    return {"source": "phoenix_mls", "template": tmpl, "listing": merged, "labels": labels,
            "conflicts": conflicts}


def main():
    conf = load(sys.argv[2] if len(sys.argv) > 2 else "etc/mls-selectors.conf")
    out = sys.stdout
    for line in open(sys.argv[1]):
        f, _, url = line.rstrip("\n").partition(" ")
        with open(f, "rb") as fh:
            data = fh.read()
        out.write(json.dumps(extract(conf, data, url), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
