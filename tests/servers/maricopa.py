#!/usr/bin/python3
"""maricopa.py - a stand-in for the Maricopa County Assessor API, on loopback.

It answers the way the live API answered in the July 2025 captures (the
traps are listed in phx-fetch(1)): search pages of 25 with only
TOTAL and Results, parcel details in one object, HTTP 500 with the message in
the reason phrase when the token is wrong, HTML for unknown paths, 404 with an
empty body for an unknown APN and 200 [] on its sub-resources.  Parcels are
generated, deterministically, for ZIPs 85031, 85033 and 85035 in the counts
the live API reported, with the live data's quirks.

Fault switches (429 past a budget, seeded 503s, slow answers, dropped
connections) let tests exercise a client's retry and rate logic; every request
is recorded in an NDJSON log.  The token itself is never written anywhere.

Standard library only; run it with Debian's /usr/bin/python3.
"""
import argparse
import email.utils
import gzip
import json
import os
import random
import re
import socket
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

PAGE_SIZE = 25
ZIP_COUNTS = {"85031": 6632, "85033": 13097, "85035": 9921}
# Each ZIP gets its own APN book, so APNs never collide between ZIPs.
ZIP_BOOKS = {"85031": "103", "85033": "102", "85035": "104"}
BASE_TAX_YEAR = 2026  # fixed, so the data does not change with the clock
AUTH_REASON = "[search]:Unauthorized access! Please contact support."
LOGGED_HEADERS = ("user-agent", "accept", "accept-encoding", "connection",
                  "x-forwarded-for", "via")

# --------------------------------------------------------------------------
# Generated data

SURNAMES = ("GARCIA", "MARTINEZ", "LOPEZ", "HERNANDEZ", "GONZALEZ", "RODRIGUEZ",
            "PEREZ", "SANCHEZ", "RAMIREZ", "TORRES", "FLORES", "RIVERA",
            "GOMEZ", "DIAZ", "REYES", "CRUZ", "MORALES", "ORTIZ", "GUTIERREZ",
            "CHAVEZ", "RAMOS", "RUIZ", "ALVAREZ", "MENDOZA", "CASTILLO",
            "JIMENEZ", "MORENO", "ROMERO", "HERRERA", "MEDINA", "AGUILAR",
            "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "MILLER",
            "DAVIS", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE",
            "JACKSON", "MARTIN", "LEE", "THOMPSON", "WHITE", "HARRIS", "CLARK")
GIVEN = ("MARIA", "JOSE", "JUAN", "ROSA", "LUIS", "ANA", "CARLOS", "JESUS",
         "ELENA", "MIGUEL", "PATRICIA", "JAMES", "MARY", "ROBERT", "LINDA",
         "MICHAEL", "BARBARA", "DAVID", "SUSAN", "RICHARD", "KAREN", "DANIEL")
COMPANY_WORDS = ("DESERT", "SUNBELT", "SALT RIVER", "CAMELBACK", "SONORAN",
                 "MARYVALE", "SAGUARO", "VALLEY", "CACTUS", "MESQUITE")
COMPANY_KINDS = ("INVESTMENT GROUP LLC", "PROPERTIES LLC", "HOLDINGS LLC",
                 "HOMES LLC", "RENTALS LP", "REAL ESTATE TRUST")


def ordinal(n):
    if 10 <= n % 100 <= 20:
        return "%dTH" % n
    return "%d%s" % (n, {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH"))


# (street, kind): kind "ave" runs north-south (N <n>TH AVE), "road" east-west.
STREETS = {
    "85031": [("N %s AVE" % ordinal(n), "ave") for n in range(43, 68)] + [
        ("W CAMELBACK RD", "road"), ("W MONTEBELLO AVE", "road"),
        ("W CLARENDON AVE", "road"), ("W INDIAN SCHOOL RD", "road"),
        ("W WHITTON AVE", "road"), ("W HEATHERBRAE DR", "road"),
        ("W AMELIA AVE", "road"), ("W PICCADILLY RD", "road")],
    "85033": [("N %s AVE" % ordinal(n), "ave") for n in range(67, 92)] + [
        ("W INDIAN SCHOOL RD", "road"), ("W OSBORN RD", "road"),
        ("W THOMAS RD", "road"), ("W EARLL DR", "road"),
        ("W GLENROSA AVE", "road"), ("W MINNEZONA AVE", "road"),
        ("W COLUMBUS AVE", "road"), ("W FAIRMOUNT AVE", "road")],
    "85035": [("N %s AVE" % ordinal(n), "ave") for n in range(51, 76)] + [
        ("W MCDOWELL RD", "road"), ("W VIRGINIA AVE", "road"),
        ("W WINDSOR AVE", "road"), ("W CATALINA DR", "road"),
        ("W ENCANTO BLVD", "road"), ("W HOLLY ST", "road"),
        ("W PALM LN", "road"), ("W MONTE VISTA RD", "road")],
}
SUBDIVISIONS = ("MARYVALE TERRACE  3 AMD", "MARYVALE TERRACE 12", "PARKRIDGE 2",
                "VILLA DE PAZ UNIT 4", "CASA FIESTA 5", "ESTRELLA VISTA",
                "MARYVALE TERRACE 26", "WESTWOOD VILLAGE", "SUNSET PARK LOT 1-120",
                "COUNTRY PLACE UNIT 2", "DESERT SANDS 3 ", "IVY TERRACE")
# Metes-and-bounds parcels: no MCR, a legal fragment where a name would be.
LEGAL_FRAGMENTS = (
    "E 500F OF S 500F OF SE4 EX E 255F OF S 455F TH/OF  & EX S & E RDS",
    "N 165F OF W 264F OF E2 NW4 SW4 SEC 22 EX N 33F RD",
    "LOT 3 & S 10F OF LOT 4 BLK 2 EX W 5F",
    "W2 OF NE4 OF NE4 OF SW4 EX N 40F & EX W 33F")
# (PropertyType as the county writes it, weight, residential?)
PROPERTY_TYPES = (("RESIDENTIAL", 880, True), ("COMMERCIAL", 40, False),
                  ("VACANT LAND RESIDENTIAL", 30, False),
                  ("VACANT LAND COMMERCIAL ", 20, False),
                  ("WAREHOUSE", 12, False), ("AGRICULTURAL", 5, False),
                  ("RESIDENTIAL ", 13, True))
SCHOOLS = {"85031": "CARTWRIGHT ELEMENTARY DISTRICT",
           "85033": "PENDERGAST ELEMENTARY DISTRICT",
           "85035": "ISAAC ELEMENTARY DISTRICT"}

# Parcels the spec quotes, pinned so examples and tests can name them.
PINNED = {
    "10306005": {"zip": "85031", "MCR": "6706",
                 "SubdivisonName": "MARYVALE TERRACE  3 AMD",
                 "SectionTownshipRange": "292N2E",
                 "Ownership": "EXAMPLE OWNER A/EXAMPLE OWNER B",
                 "SitusAddress": "4027 N 55TH AVE",
                 "PropertyType": "RESIDENTIAL", "RentalID": None},
    "10219009F": {"zip": "85033", "MCR": "",
                  "SubdivisonName": LEGAL_FRAGMENTS[0],
                  "SectionTownshipRange": "222N1E",
                  "Ownership": "EXAMPLE INVESTMENT GROUP LLC",
                  "SitusAddress": "8326 W INDIAN SCHOOL RD",
                  "PropertyType": "COMMERCIAL", "RentalID": None},
    "10301017": {"zip": "85031", "MCR": "6706",
                 "SubdivisonName": "MARYVALE TERRACE  3 AMD",
                 "SectionTownshipRange": "292N2E",
                 "Ownership": "EXAMPLE RENTALS LLC ",
                 "SitusAddress": "7606 W INDIAN SCHOOL RD 1",
                 "PropertyType": "RESIDENTIAL", "RentalID": "R0012345"},
    "10301018": {"zip": "85031", "MCR": "6706",
                 "SubdivisonName": "MARYVALE TERRACE  3 AMD",
                 "SectionTownshipRange": "292N2E",
                 "Ownership": "EXAMPLE RENTALS LLC ",
                 "SitusAddress": "7606 W INDIAN SCHOOL RD 2",
                 "PropertyType": "RESIDENTIAL", "RentalID": "R0012346"},
    # Two parcels, one situs address.
    "10302040": {"zip": "85031", "MCR": "7011", "SubdivisonName": "PARKRIDGE 2",
                 "SectionTownshipRange": "302N2E",
                 "Ownership": "EXAMPLE OWNER C",
                 "SitusAddress": "5110 W CLARENDON AVE",
                 "PropertyType": "RESIDENTIAL", "RentalID": None},
    "10302041A": {"zip": "85031", "MCR": "7011", "SubdivisonName": "PARKRIDGE 2",
                  "SectionTownshipRange": "302N2E",
                  "Ownership": "EXAMPLE OWNER D  ",
                  "SitusAddress": "5110 W CLARENDON AVE",
                  "PropertyType": "VACANT LAND COMMERCIAL ", "RentalID": None},
}


def weighted(rng, table):
    total = sum(t[1] for t in table)
    x = rng.randrange(total)
    for t in table:
        x -= t[1]
        if x < 0:
            return t
    return table[-1]


def owner_name(rng):
    r = rng.random()
    if r < 0.12:
        return "%s %s" % (rng.choice(COMPANY_WORDS), rng.choice(COMPANY_KINDS))
    a = "%s %s" % (rng.choice(SURNAMES), rng.choice(GIVEN))
    if r < 0.55:
        a = "%s/%s %s" % (a, rng.choice(SURNAMES), rng.choice(GIVEN))
    elif r < 0.60:
        a = "%s  & %s" % (a, rng.choice(GIVEN))  # double space
    if rng.random() < 0.03:
        a += " "  # trailing space, as the county sends some
    return a


def situs_address(rng, zipc, used):
    street, kind = rng.choice(STREETS[zipc])
    for _ in range(50):
        if kind == "ave":
            num = rng.randrange(2800, 4900)
        else:
            num = rng.randrange(4300, 9200)
        addr = "%d %s" % (num, street)
        if addr not in used:
            break
    r = rng.random()
    if r < 0.01:
        addr += " %d" % rng.randrange(1, 9)  # unit glued to the street
    elif r < 0.015:
        addr = addr.replace(" ", "  ", 1)  # a double space
    return addr


def generate_zip(zipc):
    """The parcels of one ZIP, as search results, sorted by APN."""
    rng = random.Random("maricopa-standin-" + zipc)
    count, book = ZIP_COUNTS[zipc], ZIP_BOOKS[zipc]
    out, used, mapno = [], {}, 1
    while len(out) < count:
        parcel = 0
        per_map = rng.randrange(120, 230)
        mcr = str(rng.randrange(3000, 9999))
        subdiv = rng.choice(SUBDIVISIONS)
        sect = "%d%dN%dE" % (rng.randrange(1, 37), rng.randrange(1, 3), rng.randrange(1, 3))
        for _ in range(per_map):
            if len(out) >= count:
                break
            parcel += rng.choice((1, 1, 1, 2, 3))
            apn = "%s%02d%03d" % (book, mapno, parcel)
            if rng.random() < 0.02:
                apn += rng.choice("ABCDEFG")
            ptype = weighted(rng, PROPERTY_TYPES)
            metes = rng.random() < 0.04
            addr = situs_address(rng, zipc, used)
            if rng.random() < 0.004 and used:
                addr = rng.choice(list(used))  # a second parcel at one address
            used[addr] = 1
            out.append({
                "MCR": "" if metes else mcr,
                "SubdivisonName": rng.choice(LEGAL_FRAGMENTS) if metes else subdiv,
                "SectionTownshipRange": sect,
                "APN": apn,
                "Ownership": owner_name(rng),
                "SitusAddress": addr,
                "SitusCity": "PHOENIX",
                "SitusZip": zipc,
                "PropertyType": ptype[0],
                "RentalID": ("R%07d" % rng.randrange(10 ** 6, 10 ** 7)
                             if rng.random() < 0.06 else None),
            })
        mapno += 1
    pin_parcels(zipc, out)
    out.sort(key=lambda p: p["APN"])
    return out


def pin_parcels(zipc, out):
    """Overwrite generated parcels with the pinned ones, keeping the count."""
    index = {p["APN"]: i for i, p in enumerate(out)}
    slot = 7
    for apn, fields in sorted(PINNED.items()):
        if fields["zip"] != zipc:
            continue
        if apn in index:
            i = index[apn]
        else:
            while out[slot]["APN"] in PINNED:
                slot += 1
            i = slot
        rec = {k: v for k, v in fields.items() if k != "zip"}
        rec.update({"APN": apn, "SitusCity": "PHOENIX", "SitusZip": zipc})
        out[i] = {k: rec[k] for k in ("MCR", "SubdivisonName", "SectionTownshipRange",
                                      "APN", "Ownership", "SitusAddress", "SitusCity",
                                      "SitusZip", "PropertyType", "RentalID")}
        index[apn] = i


def money(n):
    return "{:,}".format(n)


def parcel_details(p):
    """The /parcel/<apn> object for a search result, generated from its APN."""
    rng = random.Random(zlib.crc32(p["APN"].encode()))
    residential = p["PropertyType"].strip() == "RESIDENTIAL"
    zipc = p["SitusZip"]
    lot = rng.randrange(5200, 9800) if residential else rng.randrange(8000, 90000)
    fcv = rng.randrange(180, 420) * 1000 if residential else rng.randrange(300, 3000) * 1000
    use = "0131" if residential else rng.choice(("1730", "0011", "2110", "3710"))
    tac = "%06d" % rng.choice((51600, 51700, 79400))
    vals = []
    lpv = int(fcv * 0.62)
    for k in range(5):
        year = BASE_TAX_YEAR - k
        f = int(fcv * (1 - 0.07 * k)) // 100 * 100
        lp = int(lpv * (0.95 ** k))
        # The assessed figures are not published yet for the newest year.
        na = k == 0 or rng.random() < 0.05
        vals.append({
            "TaxYear": str(year),
            "FullCashValue": money(f),
            "LimitedPropertyValue": money(lp),
            "AssessedFCV": "na" if na else money(f // 10),
            "AssessedLPV": "na" if na else money(lp // 10),
            "LegalClassification": "4.1" if residential else "1.12",
            "LegalClassificationCode": "4.1" if residential else "1.12",
            "AssessmentRatioPercentage": "10.0" if residential else "16.0",
            "PropertyUseCode": use,
            "TaxAreaCode": tac,
        })
    redacted = rng.random() < 0.02
    deed_year = rng.randrange(1978, 2025)
    deed_date = "%d-%02d-%02dT00:00:00" % (deed_year, rng.randrange(1, 13), rng.randrange(1, 29))
    sold = rng.random() < 0.8
    mail_addr = p["SitusAddress"].strip() if rng.random() < 0.7 else \
        "PO BOX %d" % rng.randrange(100, 99999)
    owner = {
        "Ownership": "REDACTED" if redacted else p["Ownership"],
        "InCareOf": None if rng.random() < 0.9 else "C/O " + rng.choice(SURNAMES),
        "MailingAddress1": None if redacted else mail_addr,
        "MailingCity": None if redacted else "PHOENIX",
        "MailingState": None if redacted else "AZ",
        "MailingZip": None if redacted else zipc,
        "FullMailingAddress": None if redacted else
        "%s PHOENIX AZ %s" % (mail_addr, zipc),
        "DeedDate": deed_date,
        "DeedType": rng.choice(("WARRANTY DEED", "SPECIAL WARRANTY DEED",
                                "QUIT CLAIM DEED", "JOINT TENANCY DEED")),
        "SalePrice": money(rng.randrange(60, 400) * 1000) if sold else None,
        "SaleDate": deed_date if sold else None,
        "Redacted": redacted,
    }
    rpd = None
    if residential:
        year = rng.randrange(1954, 1986)
        rpd = {
            "ConstructionYear": year,
            "OriginalConstructionYear": year,
            "LotSize": lot,
            "LivableSpace": rng.randrange(850, 2400),
            "Pool": rng.choice((0, 0, 0, 0, 380, 450, 512)),
            "NumberOfGarages": rng.choice((0, 0, 1, 2)),
            "NumberOfCarports": rng.choice((0, 1, 1, 2)),
            "BathFixtures": rng.randrange(3, 12),
            "ExteriorWalls": rng.choice(("8\" PAINTED BLOCK", "FRAME STUCCO",
                                         "BLOCK  ")),
            "RoofType": rng.choice(("ASPHALT SHINGLE", "BUILT-UP", "CONCRETE TILE")),
            "Cooling": rng.choice(("REFRIGERATION", "EVAPORATIVE", "BOTH")),
            "Heating": rng.choice(("YES", "NO")),
            "ImprovementQualityGrade": rng.choice(("FAIR", "AVERAGE", "GOOD")),
        }
    lat = 33.4600 + (zlib.crc32(p["APN"].encode() + b"lat") % 4000) / 100000
    lon = -112.2400 + (zlib.crc32(p["APN"].encode() + b"lon") % 9000) / 100000
    return {
        "MCR": p["MCR"],
        "PropertyType": p["PropertyType"],
        "LotSize": lot,
        "IsResidential": residential,
        "TaxAreaCode": tac,
        "SubdivisionName": p["SubdivisonName"],
        "PropertyDescription": p["SubdivisonName"] if not p["MCR"] else
        "%s MCR %s" % (p["SubdivisonName"], p["MCR"]),
        "Zoning": ["R1-6"] if residential else [rng.choice(("C-2", "A-1", "C-3"))],
        "PropertyUseCode": use,
        "SectionTownshipRange": p["SectionTownshipRange"],
        "ElementarySchoolDistrict": SCHOOLS[zipc],
        "Geo": {"lat": round(lat, 6), "long": round(lon, 6)},
        "Owner": owner,
        "ResidentialPropertyData": rpd,
        "Valuations": vals,
        "APN": p["APN"],
        "SitusAddress": p["SitusAddress"],
        "SitusCity": p["SitusCity"],
        "SitusZip": zipc,
    }


class Data:
    """All parcels, indexed by ZIP, APN and normalised address.

    A ZIP's parcels are generated the first time something needs them (a
    parcel's APN book names its ZIP), so a test that only touches 85031 does
    not wait for the other 23,000."""

    def __init__(self):
        self.lock = threading.Lock()
        self.zips = {}
        self.apns = {}
        self.all = None

    def zip_rows(self, zipc):
        with self.lock:
            if zipc not in self.zips:
                rows = generate_zip(zipc)
                for p in rows:
                    self.apns[p["APN"]] = p
                self.zips[zipc] = rows
            return self.zips[zipc]

    def everything(self):
        if self.all is None:
            rows = [p for z in ZIP_COUNTS for p in self.zip_rows(z)]
            self.all = sorted(rows, key=lambda p: p["APN"])
        return self.all

    def parcel(self, apn):
        for zipc, book in ZIP_BOOKS.items():
            if apn.startswith(book):
                self.zip_rows(zipc)
        return self.apns.get(apn)

    def search(self, q):
        q = " ".join(q.upper().split())
        if not q:
            return []
        if q in ZIP_COUNTS:
            return self.zip_rows(q)
        out = []
        for p in self.everything():
            a = " ".join(p["SitusAddress"].upper().split())
            if a == q or a.startswith(q + " "):
                out.append(p)
        return out

    def search_sub(self, q):
        q = " ".join(q.upper().split())
        counts = {}
        if q:
            for p in self.everything():
                if p["MCR"] and q in p["SubdivisonName"].upper():
                    name = p["SubdivisonName"]
                    counts[name] = counts.get(name, 0) + 1
        return [{"SubdivisionName": k, "ParcelCount": v} for k, v in sorted(counts.items())]


def apn_key(raw):
    return re.sub(r"[\s.\-]", "", unquote(raw)).upper()


# --------------------------------------------------------------------------
# Faults and the request log

class Faults:
    """The fault switches, decided under one lock so concurrent requests agree."""

    def __init__(self, args):
        self.a = args
        self.lock = threading.Lock()
        self.rng = random.Random(args.seed)
        self.served = 0           # requests counted against --budget
        self.blocked_until = 0.0  # 429 mode ends at this time
        self.trips = 0            # how many times the budget ran out
        self.recent = []          # arrival times in the last second (--ceiling)

    def window(self, now):
        with self.lock:
            self.recent = [t for t in self.recent if t > now - 1.0]
            self.recent.append(now)
            return len(self.recent)

    def decide(self, now):
        """Return (fault, retry_after_header, retry_until) for one request."""
        a = self.a
        with self.lock:
            if a.drop_rate and self.rng.random() < a.drop_rate:
                return "drop", None, None
            if a.budget is not None:
                if now < self.blocked_until:
                    return "429", self.retry_after(self.blocked_until, now), self.blocked_until
                if self.served >= a.budget and (a.budget_trips == 0 or
                                                self.trips < a.budget_trips):
                    self.trips += 1
                    self.served = 0
                    until = now + a.retry_after
                    if a.retry_after_form == "date":
                        until = float(int(until) + 1)  # HTTP dates have whole seconds
                    self.blocked_until = until
                    return "429", self.retry_after(until, now), until
                self.served += 1
            if a.fail_rate and self.rng.random() < a.fail_rate:
                return "503", None, None
            if a.slow_rate and self.rng.random() < a.slow_rate:
                return "slow", None, None
        return None, None, None

    def retry_after(self, until, now):
        if self.a.retry_after_form == "date":
            return email.utils.formatdate(until, usegmt=True)
        return str(max(1, int(until - now + 0.999)))


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


HOME_PAGE = ("\ufeff<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
             "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
             "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n"
             "<title>Maricopa County Assessor's Office</title>\n</head>\n<body>\n"
             "<h1>Maricopa County Assessor's Office</h1>\n"
             "<p>Stand-in home page: the path you asked for is not part of the API.</p>\n"
             "</body>\n</html>\n").encode("utf-8")

# --------------------------------------------------------------------------
# HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The county's front (Cloudflare) sends the head and body of an answer
    # without Nagle's delay; without this a keep-alive client met a 40 ms
    # delayed-ACK stall per request that the real API does not show.
    disable_nagle_algorithm = True
    server_version = "cloudflare"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet: the NDJSON log is the record
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle and the
        # peer's delayed ACK add 40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_HEAD(self):
        self.handle_api(head=True)

    def do_GET(self):
        self.handle_api(head=False)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.handle_api(head=False, method_ok=False)

    def handle_api(self, head, method_ok=True):
        srv = self.server
        ms = int(time.time() * 1000)
        now = ms / 1000.0
        url = urlsplit(self.path)
        entry = {"t": now,
                 "at": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) +
                 ".%03dZ" % (ms % 1000),
                 "method": self.command, "path": url.path, "query": url.query,
                 "conn": id(self.connection) % 1000000,
                 "headers": {h: self.headers.get(h) for h in LOGGED_HEADERS
                             if self.headers.get(h) is not None}}
        if srv.args.ceiling:
            entry["window"] = srv.faults.window(now)
            entry["over"] = entry["window"] > srv.args.ceiling
        token = self.headers.get("Authorization")
        if token is None:
            entry["auth"] = "missing"
        else:
            entry["auth"] = "ok" if token == srv.token else "bad"
        fault, retry_after, until = srv.faults.decide(now)
        if fault:
            entry["fault"] = fault
        if fault == "drop":
            entry["status"] = 0
            entry["drop"] = srv.args.drop_mode
            srv.log.write(entry)
            self.drop(srv.args.drop_mode)
            return
        if fault == "429":
            entry["retry_after"] = retry_after
            entry["retry_until"] = round(until, 3)
            self.reply(429, b"", "text/html", entry, head,
                       extra=[("Retry-After", retry_after)])
            return
        if fault == "503":
            extra = []
            if srv.args.fail_retry_after is not None:
                extra.append(("Retry-After", str(srv.args.fail_retry_after)))
            self.reply(503, b"", "text/html", entry, head, extra=extra)
            return
        delay = srv.args.delay_ms / 1000.0
        if fault == "slow":
            delay += srv.args.slow_ms / 1000.0
        if delay > 0:
            time.sleep(delay)
        if not method_ok:
            self.reply(405, b"", "text/html", entry, head)
            return
        self.route(url, entry, head)

    def route(self, url, entry, head):
        srv, path = self.server, url.path
        api = path.startswith(("/search/", "/parcel/", "/mapid/"))
        if not api:
            self.reply(200, HOME_PAGE, "text/html; charset=utf-8", entry, head)
            return
        if entry["auth"] != "ok":
            self.reply(500, b"", "text/html", entry, head, reason=AUTH_REASON)
            return
        qs = parse_qs(url.query, keep_blank_values=True)
        m = re.fullmatch(r"/search/(property|sub|rental)/?", path)
        if m:
            self.search(m.group(1), qs, entry, head)
            return
        m = re.fullmatch(r"/parcel/([^/]+)(?:/(propertyinfo|address|valuations|"
                         r"residential-details|owner-details))?/?", path)
        if m:
            self.parcel(apn_key(m.group(1)), m.group(2), entry, head)
            return
        m = re.fullmatch(r"/mapid/parcel/([^/]+)/?", path)
        if m:
            p = srv.data.parcel(apn_key(m.group(1)))
            maps = ["%s-%s.pdf" % (p["APN"][:3], p["APN"][3:5])] if p else []
            self.json(maps, entry, head)
            return
        self.reply(200, HOME_PAGE, "text/html; charset=utf-8", entry, head)

    def search(self, kind, qs, entry, head):
        data = self.server.data
        q = (qs.get("q") or [""])[0]
        try:
            page = int((qs.get("page") or ["1"])[0])
        except ValueError:
            page = 1
        page = max(page, 1)
        if kind == "sub":
            rows = data.search_sub(q)
        else:
            rows = data.search(q)
            if kind == "rental":
                rows = [p for p in rows if p["RentalID"] is not None]
        entry["total"] = len(rows)
        start = (page - 1) * PAGE_SIZE
        self.json({"TOTAL": len(rows), "Results": rows[start:start + PAGE_SIZE]}, entry, head)

    def parcel(self, apn, sub, entry, head):
        p = self.server.data.parcel(apn)
        if p is None:
            if sub is None:
                self.reply(404, b"", "text/html", entry, head)
            else:
                self.json([], entry, head)
            return
        d = parcel_details(p)
        if sub is None:
            body = d
            if self.server.args.parcel_without_apn:
                body = {k: v for k, v in d.items() if k != "APN"}
        elif sub == "propertyinfo":
            body = {k: d[k] for k in ("MCR", "PropertyType", "LotSize", "IsResidential",
                                      "TaxAreaCode", "SubdivisionName", "PropertyDescription",
                                      "Zoning", "PropertyUseCode", "SectionTownshipRange",
                                      "ElementarySchoolDistrict", "Geo")}
        elif sub == "address":
            body = {k: d[k] for k in ("APN", "SitusAddress", "SitusCity", "SitusZip")}
        elif sub == "valuations":
            body = d["Valuations"]
        elif sub == "residential-details":
            body = d["ResidentialPropertyData"] or []
        else:
            body = d["Owner"]
        self.json(body, entry, head)

    def json(self, obj, entry, head):
        body = json.dumps(obj, separators=(",", ":")).encode("utf-8")
        self.reply(200, body, "application/json; charset=utf-8", entry, head)

    def reply(self, status, body, ctype, entry, head, reason=None, extra=()):
        gz = "gzip" in (self.headers.get("Accept-Encoding") or "") and len(body) > 256
        if gz:
            body = gzip.compress(body, compresslevel=1, mtime=0)
        self.send_response_only(status, reason)
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Server", "cloudflare")
        if gz:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        if status == 200:
            self.send_header("Set-Cookie", "pecan=standin%06d; path=/; secure; HttpOnly"
                             % (entry["conn"] % 1000000))
        for k, v in extra:
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        # Logged before the answer goes out: a client that has its answer
        # (a test's oracle curl) must find its request in the log already.
        entry["status"] = status
        entry["bytes"] = len(body)
        self.server.log.write(entry)
        try:
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (its timeout)
        drop_after = self.server.args.close_after
        if drop_after:
            self.server.count_on_conn(self)

    def drop(self, mode):
        """Close the connection without an answer, as a dying peer does, or
        (mode "partial") after the headers and half of the promised body."""
        self.close_connection = True
        try:
            if mode == "partial":
                body = json.dumps({"TOTAL": 1, "Results": [{"APN": "10306005"}]}).encode()
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: %d\r\n\r\n" % len(body) +
                                 body[:len(body) // 2])
                self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # A client that hangs up mid-request is normal here, not a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def count_on_conn(self, handler):
        n = getattr(handler, "_served", 0) + 1
        handler._served = n
        if n >= self.args.close_after:
            handler.close_connection = True


def read_token(args):
    if args.token_file:
        with open(args.token_file, encoding="utf-8") as f:
            return f.read().strip()
    if args.token is not None:
        return args.token
    return os.environ.get("MARICOPA_STANDIN_TOKEN", "")


# --------------------------------------------------------------------------
# Offline report of a request log


def report(path, ceiling):
    """Rates seen in a request log: achieved rate, busiest second, 1 s window."""
    times, statuses = [], {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            times.append(e["t"])
            statuses[str(e.get("status"))] = statuses.get(str(e.get("status")), 0) + 1
    times.sort()
    out = {"requests": len(times), "statuses": statuses}
    if times:
        span = times[-1] - times[0]
        per_sec = {}
        for t in times:
            per_sec[int(t)] = per_sec.get(int(t), 0) + 1
        busiest = max(per_sec.items(), key=lambda kv: (kv[1], -kv[0]))
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] <= t - 1.0:
                j += 1
            best = max(best, i - j + 1)
        out.update({"span_s": round(span, 3),
                    "rate": round((len(times) - 1) / span, 3) if span > 0 else None,
                    "busiest_second": {"at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                           time.gmtime(busiest[0])),
                                       "count": busiest[1]},
                    "max_in_1s_window": best})
        if ceiling:
            out["ceiling"] = ceiling
            out["seconds_over_ceiling"] = sum(1 for c in per_sec.values() if c > ceiling)
    print(json.dumps(out))
    return 0 if not ceiling or out.get("max_in_1s_window", 0) <= ceiling else 1


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="maricopa.py",
        description="Stand-in for the Maricopa County Assessor API on 127.0.0.1: "
        "generated parcels for ZIPs 85031 (6,632), 85033 (13,097) and 85035 (9,921), "
        "the live API's answers and quirks, and fault switches for tests.",
        epilog="Examples:\n"
        "  maricopa.py --port 0 --token-file tok --log req.ndjson\n"
        "  maricopa.py --port-file p --token-file tok --budget 20 --retry-after 2\n"
        "  maricopa.py --report req.ndjson --ceiling 5\n"
        "Endpoints: /search/property/?q=&page=, /search/sub/?q=, /search/rental/?q=,\n"
        "/parcel/APN[/propertyinfo|/address|/valuations|/residential-details|"
        "/owner-details],\n/mapid/parcel/APN; any other path: the HTML home page.\n"
        "Every API request needs the header AUTHORIZATION: TOKEN, otherwise HTTP 500\n"
        "'" + AUTH_REASON + "'.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    g = p.add_argument_group("serving")
    g.add_argument("--port", type=int, default=0,
                   help="TCP port on 127.0.0.1; 0 picks a free one and prints it "
                   "unless --port-file is given (default 0)")
    g.add_argument("--port-file", help="write the port to FILE once listening")
    g.add_argument("--token", help="the accepted token (visible in ps; prefer --token-file)")
    g.add_argument("--token-file", help="read the accepted token from FILE")
    g.add_argument("--log", help="append one NDJSON line per request to FILE "
                   "(never the token: only whether it matched)")
    g = p.add_argument_group("faults")
    g.add_argument("--budget", type=int, metavar="N",
                   help="after N requests answer 429 with Retry-After until it expires, "
                   "then allow N more")
    g.add_argument("--budget-trips", type=int, default=0, metavar="K",
                   help="run out of budget at most K times (0: no limit)")
    g.add_argument("--retry-after", type=float, default=2.0, metavar="S",
                   help="seconds of 429 once the budget is spent (default 2)")
    g.add_argument("--retry-after-form", choices=("seconds", "date"), default="seconds",
                   help="send Retry-After as delta-seconds or as an HTTP date")
    g.add_argument("--fail-rate", type=float, default=0.0, metavar="P",
                   help="answer 503 to a fraction P of requests (seeded)")
    g.add_argument("--fail-retry-after", type=int, metavar="S",
                   help="add Retry-After: S to those 503s")
    g.add_argument("--drop-rate", type=float, default=0.0, metavar="P",
                   help="close the connection without an answer for a fraction P")
    g.add_argument("--drop-mode", choices=("close", "partial"), default="close",
                   help="close at once, or after the headers and half the body")
    g.add_argument("--close-after", type=int, default=0, metavar="N",
                   help="close each keep-alive connection after N answers")
    g.add_argument("--delay-ms", type=int, default=0, metavar="MS",
                   help="wait MS before every answer")
    g.add_argument("--slow-rate", type=float, default=0.0, metavar="P",
                   help="make a fraction P of answers slow by --slow-ms")
    g.add_argument("--slow-ms", type=int, default=3000, metavar="MS")
    g.add_argument("--parcel-without-apn", action="store_true",
                   help="leave the APN key out of /parcel/APN answers (the county "
                   "sometimes does; the request names the APN)")
    g.add_argument("--seed", type=int, default=1, help="seed for the random faults")
    g.add_argument("--ceiling", type=int, metavar="N",
                   help="mark requests that make more than N in one second "
                   "(log: window, over); with --report, the limit to check")
    p.add_argument("--list", metavar="QUERY",
                   help="do not serve: print the APNs a search for QUERY finds, one a line")
    p.add_argument("--report", metavar="LOG",
                   help="do not serve: print rates seen in a request log as JSON "
                   "(exit 1 if a 1 s window holds more than --ceiling)")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    if args.report:
        return report(args.report, args.ceiling)
    if args.list is not None:
        try:
            for p in Data().search(args.list):
                print(p["APN"])
            sys.stdout.flush()
        except BrokenPipeError:  # `--list 85031 | head`: the reader has enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    token = read_token(args)
    if not token:
        print("maricopa.py: no token: give --token-file, --token or "
              "MARICOPA_STANDIN_TOKEN", file=sys.stderr)
        return 64
    srv = Server(("127.0.0.1", args.port), Handler)
    srv.args, srv.token = args, token
    srv.data = Data()
    srv.faults = Faults(args)
    srv.log = Log(args.log)
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    if args.port == 0 and not args.port_file:
        print(port, flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
