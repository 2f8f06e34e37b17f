#!/usr/bin/python3
"""mls.py - a stand-in for the Phoenix MLS site (phoenixmlssearch.com: WordPress
with the Flexmls IDX plugin), on loopback.

Markup as ../shared/spec/mls-site.md describes it, under the permabase /mls/:

  /robots.txt                         WordPress's virtual file (--robots variants)
  /mls/search/?PostalCode=Z&pg=N&Limit=L
                                      server-rendered results: "N matches found",
                                      classic cards (div.flexmls_connect__sr_result)
                                      or v2 cards (a.flexmls-listing), pagination
                                      with <button href> Previous/Next and <a> numbers
  /mls/<slug>-mls_<MLS#>/             detail page, classic or v2 template (written by
                                      tests/fixtures/mls/pages.py, the extractor's
                                      fixtures); unknown ids give the plugin's
                                      soft-404 ("This listing is no longer available.",
                                      status 200); no trailing slash: 301 to it

Listings: ZIP 85031 (37) and 85033 (53), every fixture variant of pages.py
(statuses, dwelling types, HOA and none, acres, price range, masked values, no
photos, entities and non-ASCII, a remark addressed to an LLM, two MLS numbers at
one address) plus generated ones. Cards: classic for 85031, v2 for 85033 (--cards).
ZIP 85099 holds the trouble pages: soft-404, changed layout, "missing required
data", a truncated body, a slow first byte, a card linking without the trailing
slash.

Block pages (--block MODE, after --block-after N good answers, for --block-count
K answers, 0 = for ever): 7g (plain nginx 403), cf-challenge (403 cf-mitigated),
cf-429, 429-seconds, 429-date (Retry-After as an HTTP date), 503, datadome,
datadome-ban, perimeterx, akamai, challenge-200 (a 200 that is a challenge).
A 7G-style user-agent rule always answers 403 to bad-bot names.

Every request is one NDJSON line of --log. Standard library only; run it with
Debian's /usr/bin/python3.
"""
import argparse
import email.utils
import gzip
import hashlib
import html
import json
import os
import random
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fixtures", "mls"))
import pages  # noqa: E402  (the fixture writer: one markup for both)
import maricopa  # noqa: E402  (the assessor stand-in: its parcels are for sale here)

ZIPS = {"85031": 37, "85033": 53}
TROUBLE_ZIP = "85099"
BAD_BOTS = re.compile(r"(?i)(mj12bot|ahrefs|semrush|sqlmap|nikto|python-requests|"
                      r"python-httpx|python-urllib|go-http-client|libwww-perl)")
ROBOTS = {
    "wordpress": "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
                 "Sitemap: {base}/wp-sitemap.xml\n",
    "crawl-delay": "User-agent: *\nCrawl-delay: 10\nDisallow: /wp-admin/\n"
                   "Allow: /wp-admin/admin-ajax.php\n",
    "disallow-search": "User-agent: *\nDisallow: /mls/search\nDisallow: /wp-admin/\n",
    "disallow-all": "User-agent: *\nDisallow: /\n",
    # detail pages of the 6940* fixtures are off limits, one of them allowed again
    "disallow-some": "User-agent: *\nDisallow: /wp-admin/\nDisallow: /mls/*-mls_6940\n"
                     "Allow: /mls/*-mls_69400\n",
    # a group for phx-fetch that is stricter than the one for everyone
    "phx-group": "User-agent: *\nDisallow: /wp-admin/\n\nUser-agent: phx-fetch\n"
                 "Disallow: /mls/search\n",
}
SEVEN_G = ("<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
           "<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n"
           "</body>\r\n</html>\r\n")
CF_CHALLENGE = ("<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>"
                "<meta http-equiv=\"refresh\" content=\"360\"></head><body>"
                "<div class=\"main-wrapper\" role=\"main\"><div class=\"main-content\">"
                "<noscript>Enable JavaScript and cookies to continue</noscript></div></div>"
                "<script>(function(){window._cf_chl_opt={cvId: '3',cZone: 'www.example',"
                "cType: 'managed'};var a=document.createElement('script');"
                "a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f00';"
                "document.getElementsByTagName('head')[0].appendChild(a);}());</script>"
                "</body></html>")
DATADOME = ("<html><head><title>phoenixmlssearch.com</title></head><body>"
            "<iframe src=\"https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqA&"
            "hash=A55FBF4311ED6F1BF9911EB71931D5&cid=x&t={t}&referer=x\" width=\"100%\" "
            "height=\"100%\"></iframe></body></html>")
PERIMETERX = ("<!DOCTYPE html><html><head><title>Access to this page has been denied.</title>"
              "<script>window._pxAppId = 'PXabc123';</script>"
              "<script src=\"//client.perimeterx.net/PXabc123/main.min.js\"></script></head>"
              "<body><div id=\"px-captcha\"></div><p>Press &amp; Hold to confirm you are a "
              "human (and not a bot).</p></body></html>")
AKAMAI = ("<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied"
          "</H1>\nYou don't have permission to access \"http&#58;&#47;&#47;www&#46;example"
          "&#47;\" on this server.<P>\nReference&#32;&#35;18&#46;6a2f1602&#46;1733400000"
          "&#46;1f2e3d4c\n</BODY>\n</HTML>\n")
MAINTENANCE = ("<!DOCTYPE html><html><head><title>Briefly unavailable for scheduled "
               "maintenance</title></head><body><p>Briefly unavailable for scheduled "
               "maintenance. Check back in a minute.</p></body></html>")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# --------------------------------------------------------------------------
# The listings


def modified(mls):
    """A fixed "Last Modified" per listing: 3:04pm, December 5, 2026."""
    h = int(hashlib.sha256(mls.encode()).hexdigest()[:8], 16)
    hour, minute, day = h % 12 + 1, h // 12 % 60, h // 720 % 28 + 1
    ampm = "am" if h // 20160 % 2 else "pm"
    return "%d:%02d%s, %s %d, 2026" % (hour, minute, ampm, MONTHS[11 - h // 40320 % 3], day)


_PARCELS = {}


def parcel_for_sale(rng, zipc):
    """A residential parcel of the assessor stand-in in zipc, never the same
    one twice: as on the live site, a listing is a house the county knows,
    under its APN (shown with dashes) and situs address, so phx-store joins
    the two sources."""
    if zipc not in _PARCELS:
        _PARCELS[zipc] = [p for p in maricopa.generate_zip(zipc)
                          if p["PropertyType"].strip() == "RESIDENTIAL" and p["SitusAddress"]
                          and "  " not in p["SitusAddress"]]
    pool = _PARCELS[zipc]
    p = pool.pop(rng.randrange(len(pool)))
    raw = p["APN"]
    return p["SitusAddress"], "%s-%s-%s" % (raw[:3], raw[3:5], raw[5:])


def generated(rng, mls, zipc):
    street, apn = parcel_for_sale(rng, zipc)
    price = rng.randrange(180, 520) * 1000
    status = rng.choice(["Active"] * 6 + ["Pending", "Coming Soon", "UCB", "CCBS"])
    dwelling = rng.choice(["Single Family - Detached"] * 4 + ["Patio Home", "Townhouse",
                                                              "Apartment Style/Flat"])
    kw = dict(price=price, price_text=price, status=status, dwelling=dwelling,
              beds=rng.randrange(2, 6), baths=rng.choice([1, 1.5, 2, 2.5, 3]),
              sqft="{:,}".format(rng.randrange(900, 2600)), year=rng.randrange(1955, 2006),
              lot_sqft="{:,}".format(rng.randrange(4000, 9000)),
              photos=pages.photos(mls, rng.randrange(0, 12)),
              remarks="Block home in %s with %s." % (zipc, rng.choice(
                  ["a covered patio", "new flooring", "an RV gate", "a pool", "solar"])),
              apn=apn)
    if dwelling != "Single Family - Detached":
        kw["hoa"] = [("HOA Y/N", "Y"), ("HOA Fee", "$%d" % rng.randrange(90, 300)),
                     ("HOA Paid (Freq)", rng.choice(["Monthly", "Quarterly", "Annually"]))]
    return pages.base(mls, street, zipc, **kw)


def catalogue():
    """{zip: [listing...]} and {mls: listing}; each listing has "tmpl"
    (classic, v2 or a trouble kind)."""
    by_zip = {z: [] for z in list(ZIPS) + [TROUBLE_ZIP]}
    i = 0
    for name, (fn, l) in sorted(pages.fixtures().items()):
        l = dict(l)
        if l["zip"] not in ZIPS:
            l["zip"] = sorted(ZIPS)[i % 2]
            i += 1
        l["tmpl"] = "v2" if fn is pages.v2 else "classic"
        l["fixture"] = name
        by_zip[l["zip"]].append(l)
    rng = random.Random(20261206)
    n = 6950000
    for z in sorted(ZIPS):
        while len(by_zip[z]) < ZIPS[z]:
            l = generated(rng, "%07d" % n, z)
            l["tmpl"] = "v2" if n % 5 == 0 else "classic"
            by_zip[z].append(l)
            n += 1
    for mls, street, kind in (("6949998", "1 W Main St", "gone"),
                              ("6949999", "3 W Main St", "layout"),
                              ("6949993", "5 W Main St", "missing"),
                              ("6949997", "7 W Main St", "truncated"),
                              ("6949996", "9 W Main St", "slow"),
                              ("6949995", "11 W Main St", "noslash"),
                              ("6949994", "13 W Main St", "classic")):
        l = pages.base(mls, street, TROUBLE_ZIP)
        l["tmpl"] = kind
        by_zip[TROUBLE_ZIP].append(l)
    for z in by_zip:  # OrderBy=-ListPrice, the plugin's default sort here
        by_zip[z].sort(key=lambda x: (-(x.get("price") or 0), x["mls"]))
    return by_zip, {l["mls"]: l for ls in by_zip.values() for l in ls}


def apply_changes(by_mls, changes):
    """--change MLS: the listing's price drops by 5,000 (its card shows it)."""
    for mls in changes:
        l = by_mls.get(mls)
        if l and isinstance(l.get("price"), int):
            l["price"] -= 5000
            if isinstance(l.get("price_text"), int):
                l["price_text"] = l["price"]


# --------------------------------------------------------------------------
# Pages


def esc(s):
    return html.escape(str(s), quote=True)


def money(l):
    return pages.money(l["price_text"])


def search_url(zipc, pg, limit):
    return "/mls/search/?PostalCode=%s&OrderBy=-ListPrice&pg=%d&Limit=%d" % (zipc, pg, limit)


def detail_href(l, query, v2):
    url = pages.url_of(l)
    if l["tmpl"] == "noslash":
        url = url.rstrip("/")
    if v2:
        return "%s?%s&search_referral_url=%s" % (url, query, quote(
            pages.BASE.rstrip("/") + "/search/?" + query, safe=""))
    return "%s?%s&p=y&n=y&m=az" % (url, query)


def classic_card(l, query):
    href = esc(detail_href(l, query, False))
    one = pages.one_line(l)
    out = ["<div class='flexmls_connect__sr_result' title='%s - MLS# %s' link='%s'>" %
           (esc(one), l["mls"], href)]
    photo = (l.get("photos") or ["/wp-content/plugins/flexmls-idx/images/nophoto.gif"])[0]
    out.append("<div class='flexmls_connect__sr_price'>%s</div>" % esc(money(l)))
    out.append("<div class='flexmls_connect__sr_address'><a href='%s'>%s<br />%s, AZ %s</a>"
               "</div>" % (href, esc(l.get("street") or ""), esc(l["city"]), l["zip"]))
    out.append("<img class='flexmls_connect__sr_main_photo' src='%s'>" % esc(photo))
    out.append("<button href='%s'>View Details</button> <button>View Photos (%d)</button>" %
               (href, len(l.get("photos") or [])))
    facts = []
    if l.get("status", "Active") != "Active":
        facts.append(("Status", l["status"]))
    facts += [("Property Type", "Residential"), ("# of Bedrooms", l.get("beds")),
              ("# of Bathrooms", l.get("baths")), ("Square Footage", l.get("sqft")),
              ("Year Built", l.get("year")), ("Subdivision", l.get("subdivision")),
              ("Description", (l.get("remarks") or "")[:75] + "...")]
    for lab, v in facts:
        if v is None:
            continue
        out.append("<div class='flexmls_connect__zebra'><span class='flexmls_connect__field_"
                   "label'>%s: </span><span class='flexmls_connect__field_value'>%s</span>"
                   "</div>" % (esc(lab), esc(v)))
    out.append("<div class='flexmls_connect__sr_listing_office'>Listing Office: %s</div>" %
               esc(l.get("office", "Example Desert Realty")))
    out.append("</div>")
    return "\n".join(out)


def v2_card(l, query):
    status = l.get("status", "Active")
    slug = re.sub(r"[^a-z0-9]+", "-", status.lower()).strip("-")
    photo = (l.get("photos") or ["/wp-content/plugins/flexmls-idx/images/nophoto.gif"])[0]
    return "\n".join([
        "<a href=\"%s\" class=\"flexmls-listing\">" % esc(detail_href(l, query, True)),
        "<div class=\"flexmls-listing-photo\" style=\"background-image:url('%s')\"></div>" %
        esc(photo),
        "<span class=\"flexmls-price\">%s</span>" % esc(money(l)),
        "<div class=\"flexmls-address\">%s, %s, AZ</div>" % (esc(l.get("street") or ""),
                                                            esc(l["city"])),
        "<span class=\"flexmls-status flexmls-status-%s\">%s</span>" % (slug, esc(status)),
        "<span class=\"flexmls-detail\">%sBD</span>" % l.get("beds"),
        "<span class=\"flexmls-detail\">%sBA</span>" % l.get("baths"),
        "<span class=\"flexmls-detail\">%sSF</span>" % l.get("sqft"),
        "<span class=\"flexmls-detail\">Last Modified: %s</span>" % modified(l["mls"]),
        "<span class=\"flexmls-office-name\">Listing Office: %s</span>" %
        esc(l.get("office", "Example Desert Realty")),
        "</a>"])


def search_page(listings, zipc, pg, limit, v2):
    total = len(listings)
    pages_n = max(1, -(-total // limit))
    start = (pg - 1) * limit
    shown = listings[start:start + limit] if pg <= pages_n else []
    query = "PostalCode=%s&OrderBy=-ListPrice&pg=%d&Limit=%d" % (zipc, pg, limit)
    h = ["<!DOCTYPE html>", "<html lang='en-US'><head><meta charset='UTF-8'>",
         "<title>Search Results - Phoenix MLS Search</title>",
         "<meta name='robots' content='noindex, follow'>"]
    if pg > 1:
        h.append("<link rel=\"prerender\" href=\"%s\">" % esc(search_url(zipc, pg - 1, limit)))
    if pg < pages_n:
        h.append("<link rel=\"prerender\" href=\"%s\">" % esc(search_url(zipc, pg + 1, limit)))
    h.append("</head><body class='page'><div class='flexmls_connect__search_results'>")
    h.append("<div class='flexmls_connect__sr_matches'><span class='flexmls_connect__sr_"
             "matches_count'>{:,}</span> matches found</div>".format(total))
    h.append("<select name='OrderBy'><option value='-ListPrice' selected>Price (High to Low)"
             "</option><option value='ListPrice'>Price (Low to High)</option></select>")
    h.append("<select name='listings_per_page'>%s</select>" % "".join(
        "<option value='%d'%s>%d</option>" % (n, " selected" if n == limit else "", n)
        for n in (5, 10, 15, 20, 25)))
    if v2:
        h.append("<div class='flexmls-listings-list'>")
        h += [v2_card(l, query) for l in shown]
        h.append("</div>")
    else:
        h += [classic_card(l, query) for l in shown]
    if total:
        p = ["<div class='flexmls_connect__sr_pagination'>"]
        if pg > 1:
            p.append("<button href='%s'>Previous</button>" % esc(search_url(zipc, pg - 1,
                                                                           limit)))
        lo, hi = max(1, pg - 5), min(pages_n, pg + 5)
        if lo > 1:
            p.append("<a href='%s'>1</a> ..." % esc(search_url(zipc, 1, limit)))
        for n in range(lo, hi + 1):
            p.append("<span>%d</span>" % n if n == pg else
                     "<a href='%s'>%d</a>" % (esc(search_url(zipc, n, limit)), n))
        if hi < pages_n:
            p.append("... <a href='%s'>%d</a>" % (esc(search_url(zipc, pages_n, limit)),
                                                  pages_n))
        if pg < pages_n:
            p.append("<button href='%s'>Next</button>" % esc(search_url(zipc, pg + 1, limit)))
        p.append("</div>")
        h += p
    h.append("<div class='flexmls_connect__idx_disclosure_text'>Information Deemed Reliable "
             "But Not Guaranteed. Copyright 2026 Arizona Regional Multiple Listing Service, "
             "Inc. All rights reserved.</div><p>Search powered by FBS Products</p>")
    h.append("</div></body></html>")
    return "\n".join(h) + "\n"


def detail_page(l):
    kind = l["tmpl"]
    if kind == "v2":
        return pages.v2(l)
    if kind == "layout":
        return pages.changed_layout(l)
    if kind == "gone":
        return pages.not_found()
    if kind == "missing":
        return ("<!DOCTYPE html><html><head><title>Phoenix MLS Search</title></head><body>"
                "<div class='flexmls_connect__error'>This listing is missing required data."
                "</div></body></html>\n")
    return pages.classic(l)


# --------------------------------------------------------------------------
# HTTP


class Log:
    def __init__(self, path):
        self.f = open(path, "a", encoding="utf-8") if path else None
        self.lock = threading.Lock()

    def write(self, entry):
        if not self.f:
            return
        line = json.dumps(entry, separators=(",", ":")) + "\n"
        with self.lock:
            self.f.write(line)
            self.f.flush()


class Blocker:
    """Which answers are block pages: after --block-after good ones, the next
    --block-count (0 = all) of the requests --block-on names."""

    def __init__(self, a):
        self.a, self.seen, self.blocked = a, 0, 0
        self.lock = threading.Lock()

    def decide(self, kind):
        a = self.a
        if not a.block or kind == "robots" or (a.block_on != "any" and kind != a.block_on):
            return None
        with self.lock:
            self.seen += 1
            if self.seen <= a.block_after:
                return None
            if a.block_count and self.blocked >= a.block_count:
                return None
            self.blocked += 1
            return a.block


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # nginx turns tcp_nodelay on for keep-alive connections: no 40 ms
    # delayed-ACK stall between the head and the body of an answer.
    disable_nagle_algorithm = True
    server_version = "nginx"
    sys_version = ""

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_HEAD(self):
        self.serve(head=True)

    def do_GET(self):
        self.serve(head=False)

    def serve(self, head):
        srv = self.server
        ms = int(time.time() * 1000)
        url = urlsplit(self.path)
        ua = self.headers.get("User-Agent") or ""
        e = {"t": ms / 1000.0,
             "at": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) +
             ".%03dZ" % (ms % 1000), "method": self.command, "path": url.path,
             "query": url.query, "ua": ua}
        kind, m = "other", None
        if url.path == "/robots.txt":
            kind = "robots"
        elif url.path.rstrip("/") == "/mls/search":
            kind = "search"
        else:
            m = re.fullmatch(r"/mls/(.+)-mls_([0-9A-Za-z]+)(/?)", url.path)
            if m:
                kind = "detail"
        e["kind"] = kind
        if kind != "robots" and BAD_BOTS.search(ua):
            e["block"] = "7g-ua"
            return self.reply(403, SEVEN_G, e, head, ctype="text/html")
        block = srv.blocker.decide(kind)
        if block:
            e["block"] = block
            return self.block(block, e, head)
        if kind == "robots":
            return self.robots(e, head)
        if kind == "search":
            return self.search(parse_qs(url.query), e, head)
        if kind == "detail":
            return self.detail(m, e, head)
        self.reply(404, "<html><body><h1>Page not found</h1></body></html>", e, head)

    def robots(self, e, head):
        a = self.server.args
        if a.robots == "missing":
            return self.reply(404, "<html><body>Not found</body></html>", e, head)
        if a.robots == "503":
            return self.reply(503, MAINTENANCE, e, head, extra=[("Retry-After", "1")])
        if a.robots_file:
            with open(a.robots_file, encoding="utf-8") as f:
                text = f.read()
        else:
            text = ROBOTS[a.robots].replace("{base}", self.server.base)
        self.reply(200, text, e, head, ctype="text/plain; charset=utf-8")

    def search(self, qs, e, head):
        srv = self.server
        zipc = (qs.get("PostalCode") or [""])[0]
        try:
            pg = max(1, int((qs.get("pg") or ["1"])[0]))
        except ValueError:
            pg = 1
        try:
            limit = int((qs.get("Limit") or ["10"])[0])
        except ValueError:
            limit = 10
        limit = 10 if limit <= 0 else min(limit, 25)  # the plugin's clamp
        if srv.args.page_size:  # the plugin's cookie wins over Limit
            limit = srv.args.page_size
        listings = srv.by_zip.get(zipc, [])
        cards = srv.args.cards
        v2 = cards == "v2" or (cards == "mixed" and zipc == "85033")
        e.update(zip=zipc, pg=pg, limit=limit, total=len(listings))
        self.reply(200, search_page(listings, zipc, pg, limit, v2), e, head, idx=True)

    def detail(self, m, e, head):
        srv = self.server
        l = srv.by_mls.get(m.group(2))
        e["mls"] = m.group(2)
        if l is None:
            return self.reply(200, pages.not_found(), e, head, idx=True)
        if not m.group(3):  # WordPress's canonical redirect
            loc = self.path.split("?")[0] + "/" + ("?" + self.path.split("?", 1)[1]
                                                   if "?" in self.path else "")
            return self.reply(301, "", e, head, extra=[("Location", srv.base + loc)])
        body = detail_page(l)
        if l["tmpl"] == "slow":
            time.sleep(srv.args.slow_ms / 1000.0)
        if l["tmpl"] == "truncated":
            return self.truncated(body, e)
        self.reply(200, body, e, head, idx=True)

    def block(self, mode, e, head):
        a = self.server.args
        ra = str(a.retry_after)
        if mode == "7g":
            return self.reply(403, SEVEN_G, e, head)
        if mode in ("cf-challenge", "cf-429", "challenge-200"):
            status = {"cf-challenge": 403, "cf-429": 429, "challenge-200": 200}[mode]
            extra = [("Set-Cookie", "__cf_bm=standin; path=/; HttpOnly; Secure"),
                     ("CF-RAY", "8f00c0ffee000000-PHX")]
            if mode != "challenge-200":
                extra.append(("cf-mitigated", "challenge"))
            if mode == "cf-429":
                extra.append(("Retry-After", ra))
            return self.reply(status, CF_CHALLENGE, e, head, extra=extra, server="cloudflare")
        if mode == "429-seconds":
            return self.reply(429, "<html><body>Too Many Requests</body></html>", e, head,
                              extra=[("Retry-After", ra)])
        if mode == "429-date":
            when = email.utils.formatdate(time.time() + a.retry_after + 1, usegmt=True)
            return self.reply(429, "<html><body>Too Many Requests</body></html>", e, head,
                              extra=[("Retry-After", when)])
        if mode == "503":
            return self.reply(503, MAINTENANCE, e, head, extra=[("Retry-After", ra)])
        if mode in ("datadome", "datadome-ban"):
            return self.reply(403, DATADOME.replace("{t}", "bv" if mode == "datadome-ban"
                                                   else "fe"), e, head,
                              extra=[("x-datadome", "protected"),
                                     ("Set-Cookie", "datadome=standin; Path=/; Secure")])
        if mode == "perimeterx":
            return self.reply(403, PERIMETERX, e, head)
        if mode == "akamai":
            return self.reply(403, AKAMAI, e, head, server="AkamaiGHost")
        raise ValueError(mode)

    def reply(self, status, text, e, head, ctype="text/html; charset=UTF-8", extra=(),
              idx=False, server="nginx"):
        body = text.encode("utf-8")
        gz = "gzip" in (self.headers.get("Accept-Encoding") or "") and len(body) > 512
        if gz:
            body = gzip.compress(body, compresslevel=1, mtime=0)
        self.send_response_only(status)
        self.send_header("Date", self.date_time_string())
        self.send_header("Server", server)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if idx:
            self.send_header("X-Flexmls-IDX", "idx")
        if gz:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        for k, v in extra:
            self.send_header(k, v)
        e["status"], e["bytes"] = status, len(body)
        self.server.log.write(e)  # before the answer: a client that has it finds it logged
        try:
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def truncated(self, text, e):
        """Headers promise the whole page; half of it comes, then the end."""
        body = text.encode("utf-8")
        e["status"], e["bytes"], e["truncated"] = 200, len(body) // 2, True
        self.server.log.write(e)
        self.close_connection = True
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; "
                             b"charset=UTF-8\r\nContent-Length: %d\r\n\r\n" % len(body) +
                             body[:len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="A stand-in for the Phoenix MLS site (Flexmls IDX) on 127.0.0.1.",
        epilog="--list ZIP prints the canonical detail URL path of every listing the "
               "search for ZIP shows, one a line, and exits.")
    p.add_argument("--port", type=int, default=0, help="port (0: any free one)")
    p.add_argument("--port-file", help="write the port to FILE once listening")
    p.add_argument("--log", help="append one NDJSON line per request to FILE")
    p.add_argument("--cards", choices=("mixed", "classic", "v2"), default="mixed",
                   help="search card template (mixed: classic for 85031, v2 for 85033)")
    p.add_argument("--robots", choices=sorted(ROBOTS) + ["missing", "503"],
                   default="wordpress", help="robots.txt variant")
    p.add_argument("--robots-file", help="serve this file as robots.txt")
    p.add_argument("--block", choices=("7g", "cf-challenge", "cf-429", "429-seconds",
                                       "429-date", "503", "datadome", "datadome-ban",
                                       "perimeterx", "akamai", "challenge-200"))
    p.add_argument("--block-on", choices=("any", "search", "detail"), default="any")
    p.add_argument("--block-after", type=int, default=0, metavar="N",
                   help="good answers before the blocking starts")
    p.add_argument("--block-count", type=int, default=0, metavar="K",
                   help="block answers, then good ones again (0: for ever)")
    p.add_argument("--retry-after", type=int, default=1, metavar="S",
                   help="Retry-After of 429, cf-429 and 503 answers")
    p.add_argument("--slow-ms", type=int, default=2000, help="the slow listing's delay")
    p.add_argument("--page-size", type=int, default=0, metavar="N",
                   help="cards a page whatever Limit says (the plugin's page-size cookie)")
    p.add_argument("--change", action="append", default=[], metavar="MLS",
                   help="this listing's price is 5,000 lower (its card changes)")
    p.add_argument("--list", metavar="ZIP")
    return p.parse_args(argv)


def main(argv):
    a = parse_args(argv)
    by_zip, by_mls = catalogue()
    apply_changes(by_mls, a.change)
    if a.list:
        try:
            for l in by_zip.get(a.list, []):
                print(urlsplit(pages.url_of(l)).path)
            sys.stdout.flush()
        except BrokenPipeError:  # `--list 85031 | head`: the reader has enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    srv = Server(("127.0.0.1", a.port), Handler)
    srv.args, srv.by_zip, srv.by_mls = a, by_zip, by_mls
    srv.base = "http://127.0.0.1:%d" % srv.server_address[1]
    pages.BASE = srv.base + "/mls/"  # og:url and card links name this site
    srv.blocker = Blocker(a)
    srv.log = Log(a.log)
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("%d\n" % srv.server_address[1])
        os.replace(tmp, a.port_file)
    elif a.port == 0:
        print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
