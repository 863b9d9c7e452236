#!/usr/bin/env python3
"""Write newsdesk's bundled sample archive: ``src/newsdesk/data/sample/stories/NNN.json``.

The committed JSON files are the source of truth; this script is how they were first written and
a convenient way to regenerate them after editing the story texts below (all of them original,
fictional market news: the companies, wires, people and figures are invented).
The format is documented in ``newsdesk/replay.py``. Run::

    .venv/bin/python tools/make_sample.py          # rewrite the files
    .venv/bin/python tools/make_sample.py --check  # exit 1 when the files differ from this script

Layout: body-tree helpers, the story texts (``define_stories``), then the writer.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "newsdesk" / "data" / "sample" / "stories"
IMAGE_BASE = "https://s3.tradingview.com/news/image/"

Node = Any

PROVIDERS: dict[str, dict[str, str]] = {
    "tradingview": {"id": "tradingview", "name": "TradingView", "logo_id": "tradingview"},
    "harborline": {"id": "harborline", "name": "Harborline Wire", "logo_id": "harborline"},
    "meridian": {"id": "meridian", "name": "Meridian Market Desk", "logo_id": "meridian"},
    "quillstone": {"id": "quillstone", "name": "Quillstone Research", "logo_id": "quillstone"},
    "kestrel": {"id": "kestrel", "name": "Kestrel FX & Crypto Notes", "logo_id": "kestrel"},
    "northgate": {"id": "northgate", "name": "Northgate Newswire", "logo_id": "northgate"},
    "rheinblick": {"id": "rheinblick", "name": "Rheinblick Finanznachrichten", "logo_id": "rheinblick"},
    "meseta": {"id": "meseta", "name": "Meseta Mercados", "logo_id": "meseta"},
}

#: logo ids of the symbols used in the archive (fictional companies get fictional logo ids)
LOGOS: dict[str, str] = {
    "NASDAQ:AMZN": "amazon", "HKEX:1810": "xiaomi", "FX:EURUSD": "country/EU", "FX:USDJPY": "country/US",
}

MARKET_TAGS: dict[str, dict[str, str]] = {
    "stock": {"en": "Stocks", "de": "Aktien", "es": "Acciones", "zh-Hans": "股票"},
    "etf": {"en": "ETFs", "de": "ETFs", "es": "ETF"},
    "crypto": {"en": "Crypto", "de": "Krypto", "es": "Cripto"},
    "forex": {"en": "Forex", "de": "Devisen", "es": "Divisas"},
    "index": {"en": "Indices", "de": "Indizes", "es": "Índices"},
    "futures": {"en": "Futures", "de": "Futures", "es": "Futuros"},
    "bond": {"en": "Bonds", "de": "Anleihen", "es": "Bonos"},
    "corp_bond": {"en": "Corporate bonds", "de": "Unternehmensanleihen", "es": "Bonos corporativos"},
    "economic": {"en": "Economy", "de": "Konjunktur", "es": "Economía"},
}
COUNTRY_TAGS: dict[str, dict[str, str]] = {
    "US": {"en": "United States", "de": "USA", "es": "Estados Unidos", "zh-Hans": "美国"},
    "DE": {"en": "Germany", "de": "Deutschland", "es": "Alemania"},
    "ES": {"en": "Spain", "de": "Spanien", "es": "España"},
    "HK": {"en": "Hong Kong", "de": "Hongkong", "es": "Hong Kong", "zh-Hans": "香港"},
    "JP": {"en": "Japan", "de": "Japan", "es": "Japón"},
}


# ----------------------------------------------------------------------------- body tree helpers

def el(kind: str, *children: Node, **params: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"type": kind, "children": list(children)}
    if params:
        node["params"] = params
    return node


def p(*c: Node) -> dict[str, Any]:
    return el("p", *c)


def b(*c: Node) -> dict[str, Any]:
    return el("b", *c)


def i(*c: Node) -> dict[str, Any]:
    return el("i", *c)


def h2(*c: Node) -> dict[str, Any]:
    return el("h2", *c)


def h3(*c: Node) -> dict[str, Any]:
    return el("h3", *c)


def quote(*c: Node) -> dict[str, Any]:
    return el("quote", *c)


def br() -> dict[str, Any]:
    return {"type": "br"}


def hr() -> dict[str, Any]:
    return {"type": "hr", "children": []}


def ul(*items: Node | tuple[Node, ...]) -> dict[str, Any]:
    """A list; each item is a string, a node, or a tuple of children of one ``*`` item."""
    return el("list", *(el("*", *(it if isinstance(it, tuple) else (it,))) for it in items))


def sym(symbol: str, text: str) -> dict[str, Any]:
    return {"type": "symbol", "params": {"symbol": symbol, "text": text}}


def url(target: str, text: str) -> dict[str, Any]:
    return {"type": "url", "params": {"url": target, "linkText": text}}


def a(href: str, *c: Node) -> dict[str, Any]:
    return {"type": "a", "params": {"href": href}, "children": list(c)}


def ref(key: str, *c: Node) -> dict[str, Any]:
    """A story-ref to another sample story by its key; resolved to id + story_path on writing."""
    return {"type": "story-ref", "params": {"ref": key}, "children": list(c)}


def image(label: str, alt: str, size: tuple[int, int], bg: str, caption: str | None = None) -> dict[str, Any]:
    """A news-image; its id is filled in from the story id and label on writing (stable)."""
    node: dict[str, Any] = {"type": "news-image", "params": {"image": {
        "id": f"@{label}", "alt": alt, "source-width": size[0], "source-height": size[1], "bg-color": bg}}}
    node["children"] = [caption] if caption else []
    return node


def legacy_image(label: str, as_url: bool) -> dict[str, Any]:
    """An old-style ``image`` node: ``params.url`` (a full address) or ``params.image`` (an id)."""
    return {"type": "image", "params": {"url" if as_url else "image": f"@{label}" + ("@url" if as_url else "")}}


def table(head: list[Node], rows: list[list[Node]], head_kind: str = "table-header") -> dict[str, Any]:
    def cells(kind: str, values: list[Node]) -> dict[str, Any]:
        return el("table-row", *(el(kind, v) for v in values))
    return el("table", el(head_kind, cells("table-header-cell", head)),
              el("table-body", *(cells("table-data-cell", r) for r in rows)))


def root(*blocks: Node, gaps: bool = False) -> dict[str, Any]:
    """The root node; ``gaps`` puts bare ``" "`` strings between the blocks, as some wires do."""
    children: list[Node] = []
    for n, block in enumerate(blocks):
        if gaps and n:
            children.append(" ")
        children.append(block)
    return {"type": "root", "children": children}


def at(when: str) -> int:
    """``"2026-10-02 14:20"`` (UTC) -> epoch seconds."""
    return int(_dt.datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=_dt.timezone.utc).timestamp())


# ----------------------------------------------------------------------------- story records

STORIES: dict[str, dict[str, Any]] = {}


def story(key: str, sid: str, when: str, provider: str, *, versions: dict[str, tuple[str, Node | None] |
          tuple[str, Node | None, str]], symbols: tuple[str, ...] = (), markets: tuple[str, ...] = ("stock",),
          countries: tuple[str, ...] = ("US",), urgency: int = 2, slug: bool = True, link: str | None = None,
          paywall: bool = False, permission: str | None = None, flash: bool = False,
          facets: dict[str, list[str]] | None = None) -> None:
    """Register one story: ``versions`` maps a language to (title, tree[, short description])."""
    assert key not in STORIES, key
    first_title = versions["en"][0] if "en" in versions else next(iter(versions.values()))[0]
    path_id = sid.removeprefix("tag:")
    slug_text = slugify(first_title) if slug else ""
    record: dict[str, Any] = {
        "id": sid, "published": at(when), "urgency": urgency, "provider": PROVIDERS[provider],
    }
    if symbols:
        record["related_symbols"] = [{"symbol": s, "logoid": LOGOS.get(s, logo_of(s))} for s in symbols]
    record["story_path"] = f"/news/{path_id}-{slug_text}/" if slug_text else f"/news/{path_id}/"
    if link:
        record["link"] = link
    if paywall:
        record["paywall"] = True
    if permission:
        record["permission"] = permission
    if flash:
        record["is_flash"] = True
    record["markets"] = list(markets)
    record["countries"] = list(countries)
    if facets:
        record["facets"] = facets
    record["versions"] = {}
    for lang, version in versions.items():
        title, tree = version[0], version[1]
        digest = version[2] if len(version) == 3 else short_description(tree)  # type: ignore[misc]
        record["versions"][lang] = {
            "title": title, "short_description": digest, "ast_description": tree,
            "tags": tags_for(record, lang),
        }
    STORIES[key] = record


def slugify(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower().replace("'", ""))
    return "-".join(words)


def logo_of(symbol: str) -> str:
    return "sample-" + symbol.split(":", 1)[-1].lower()


def tags_for(record: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    provider = record["provider"]
    tags = [{"title": provider["name"], "args": [{"id": "provider", "value": provider["id"]}]}]
    for market in record["markets"]:
        names = MARKET_TAGS[market]
        tags.append({"title": names.get(lang, names["en"]), "args": [{"id": "market", "value": market}]})
    for country in record["countries"]:
        names = COUNTRY_TAGS[country]
        tags.append({"title": names.get(lang, names["en"]), "args": [{"id": "market_country", "value": country}]})
    return tags


def short_description(tree: Node | None, limit: int = 300) -> str:
    """The service's digest: text leaves glued (no space between blocks), cut near 300 chars + ``…``."""
    if tree is None:
        return ""
    parts: list[str] = []

    def walk(node: Node) -> None:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, dict):
            params = node.get("params") or {}
            if node.get("type") in ("symbol", "url") and not node.get("children"):
                parts.append(str(params.get("text") or params.get("linkText") or ""))
            for child in node.get("children") or ():
                walk(child)

    walk(tree)
    text = " ".join("".join(parts).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def resolve(node: Node, sid: str, keys: dict[str, dict[str, Any]]) -> Node:
    """Fill in story-ref targets and stable image ids (derived from the story id and a label)."""
    if isinstance(node, list):
        return [resolve(n, sid, keys) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: resolve(v, sid, keys) for k, v in node.items()}
    if out.get("type") == "story-ref":
        target = keys[out["params"].pop("ref")]
        out["params"] = {"id": target["id"], "story_path": target["story_path"]}
    if isinstance(out.get("id"), str) and out["id"].startswith("@"):
        out["id"] = image_id(sid, out["id"][1:])
    params = out.get("params")
    if out.get("type") == "image" and isinstance(params, dict):
        for field in ("url", "image"):
            value = params.get(field)
            if isinstance(value, str) and value.startswith("@"):
                label, _, as_url = value[1:].partition("@")
                params[field] = f"{IMAGE_BASE}{image_id(sid, label)}-resized.jpeg" if as_url else image_id(sid, label)
    return out


def image_id(sid: str, label: str) -> str:
    """``<story id without :N and tag:>-<32 hex>`` like the service's ids; only [A-Za-z0-9:._-]."""
    stem = re.sub(r"[^A-Za-z0-9:._-]", "-", sid.removeprefix("tag:").rsplit(":", 1)[0])
    return f"{stem}-{hashlib.md5(f'{sid}#{label}'.encode()).hexdigest()}"


# ----------------------------------------------------------------------------- the stories

def define_stories() -> None:  # noqa: PLR0915 (one long list of texts)
    """Register every sample story (texts are original and fictional)."""
    # --- TradingView house stories in three languages -------------------------------------------
    story("voltaris_orders", "tradingview:3f9c1a7e52b04:0", "2026-10-02 14:20", "tradingview",
          symbols=("NASDAQ:VLTR",), facets={"corp_activity": ["earnings"]}, versions={
        "en": ("VLTR: Voltaris Robotics Jumps 9% as Warehouse Orders Double", root(
            p("Key points:"),
            ul("Voltaris shares jump 9% in early trading", "Robot orders double from a year earlier",
               "Full-year revenue guidance raised for a second time"),
            image("lead", "Warehouse robot arm", (1200, 675), "#1e222d",
                  "Voltaris picking robots at a distribution center. Illustration by TradingView"),
            p("Voltaris Robotics ", sym("NASDAQ:VLTR", "VLTR"), " had the kind of morning growth investors "
              "dream about: a beat on every line that matters and a guidance raise on top."),
            p("🔥 ", b("Orders Are the Story")),
            ul((p("The Austin-based maker of autonomous picking robots booked $412 million in new orders in "
                  "the third quarter, roughly twice the figure from a year ago."),),
               (p("Revenue rose 38% to $268 million, ahead of the $251 million analysts had pencilled in, "
                  "while the adjusted loss narrowed to 6 cents a share."),)),
            p("🧭 ", b("Guidance Goes Up Again")),
            ul("Management now sees full-year revenue of $1.02 billion to $1.05 billion, up from $960 million "
               "to $1 billion.",
               "Chief executive Mara Okafor told analysts the backlog covers \"most of next year's plan "
               "already,\" a line that did a lot of work for the stock."))),
        "de": ("VLTR: Voltaris Robotics springt um 9 % – Lageraufträge verdoppeln sich", root(
            p("Das Wichtigste:"),
            ul("Voltaris-Aktie steigt im frühen Handel um 9 %", "Roboteraufträge verdoppeln sich im Jahresvergleich",
               "Umsatzprognose für das Gesamtjahr zum zweiten Mal angehoben"),
            image("lead", "Roboterarm in einem Lager", (1200, 675), "#1e222d",
                  "Kommissionierroboter von Voltaris in einem Verteilzentrum. Illustration von TradingView"),
            p("Voltaris Robotics ", sym("NASDAQ:VLTR", "VLTR"), " erlebte einen Vormittag, von dem Wachstumsanleger "
              "träumen: übertroffene Erwartungen bei allen wichtigen Kennzahlen und obendrein eine höhere Prognose."),
            p("🔥 ", b("Die Aufträge machen die Musik")),
            ul((p("Der Hersteller autonomer Kommissionierroboter aus Austin verbuchte im dritten Quartal neue "
                  "Aufträge über 412 Millionen Dollar – etwa doppelt so viel wie vor einem Jahr."),),
               (p("Der Umsatz stieg um 38 % auf 268 Millionen Dollar und lag damit über den von Analysten "
                  "erwarteten 251 Millionen Dollar; der bereinigte Verlust verringerte sich auf 6 Cent je Aktie."),)),
            p("🧭 ", b("Prognose erneut angehoben")),
            ul("Das Management rechnet nun mit einem Jahresumsatz von 1,02 bis 1,05 Milliarden Dollar, nach "
               "zuvor 960 Millionen bis 1 Milliarde Dollar.",
               "Vorstandschefin Mara Okafor sagte Analysten, der Auftragsbestand decke „den Großteil des Plans "
               "für das kommende Jahr bereits ab“ – ein Satz, der der Aktie kräftig Rückenwind gab."))),
        "es": ("VLTR: Voltaris Robotics sube un 9% tras duplicar sus pedidos de almacén", root(
            p("Puntos clave:"),
            ul("Las acciones de Voltaris suben un 9% en las primeras operaciones",
               "Los pedidos de robots se duplican frente al año anterior",
               "La previsión de ingresos anual se eleva por segunda vez"),
            image("lead", "Brazo robótico en un almacén", (1200, 675), "#1e222d",
                  "Robots de preparación de pedidos de Voltaris en un centro de distribución. Ilustración de "
                  "TradingView"),
            p("Voltaris Robotics ", sym("NASDAQ:VLTR", "VLTR"), " vivió la mañana con la que sueñan los inversores "
              "de crecimiento: superó las previsiones en todas las líneas relevantes y, además, elevó su guía."),
            p("🔥 ", b("Los pedidos, la clave")),
            ul((p("El fabricante de robots autónomos de preparación de pedidos, con sede en Austin, registró 412 "
                  "millones de dólares en nuevos pedidos en el tercer trimestre, aproximadamente el doble que hace "
                  "un año."),),
               (p("Los ingresos crecieron un 38%, hasta 268 millones de dólares, por encima de los 251 millones "
                  "que esperaban los analistas, y la pérdida ajustada se redujo a 6 centavos por acción."),)),
            p("🧭 ", b("La guía vuelve a subir")),
            ul("La dirección prevé ahora ingresos anuales de entre 1.020 y 1.050 millones de dólares, frente a "
               "la horquilla anterior de 960 a 1.000 millones.",
               "La consejera delegada, Mara Okafor, dijo a los analistas que la cartera de pedidos ya cubre «la "
               "mayor parte del plan del próximo año», una frase que impulsó con fuerza la acción."))),
    })

    story("helixar_trial", "tradingview:8b21d04c6e9fa:0", "2026-10-05 12:40", "tradingview",
          symbols=("NASDAQ:HLXR",), versions={
        "en": ("Helixar Therapeutics Soars After Late-Stage Trial Meets Main Goal", root(
            p("Shares of ", sym("NASDAQ:HLXR", "Helixar Therapeutics"), " more than doubled in premarket trading "
              "Monday after the biotech said its kidney-disease drug HLX-204 met the primary goal of a "
              "640-patient Phase 3 study."),
            image("lead", "Laboratory pipettes over a sample tray", (1600, 900), "#f5f5f0"),
            h2("What the trial showed"),
            p("Patients on HLX-204 saw a 31% reduction in protein leakage into the urine after 36 weeks, against "
              "4% for placebo. Side effects were mostly mild, and discontinuation rates were similar in both arms."),
            h3("Next steps"),
            p("The company plans to file for approval in the first half of next year. Full data will be presented "
              "at a medical meeting; a summary is on the company's ",
              url("https://investors.helixar.example/news/hlx-204-phase-3", "investor relations site"), "."),
            quote("This is the result we built the company around. Our job now is to get it to patients quickly."),
            p("— Dr. Anika Verhoeven, chief executive"),
            p(i("Helixar had about $380 million in cash at the end of June, enough to fund operations into 2028, "
                "it said.")), gaps=True)),
        "de": ("Helixar Therapeutics hebt ab: Zulassungsstudie erreicht Hauptziel", root(
            p("Die Aktie von ", sym("NASDAQ:HLXR", "Helixar Therapeutics"), " hat sich am Montag im vorbörslichen "
              "Handel mehr als verdoppelt, nachdem das Biotech-Unternehmen mitgeteilt hatte, dass sein "
              "Nierenmedikament HLX-204 das primäre Ziel einer Phase-3-Studie mit 640 Patienten erreicht hat."),
            image("lead", "Laborpipetten über einem Probentablett", (1600, 900), "#f5f5f0"),
            h2("Was die Studie zeigte"),
            p("Bei Patienten unter HLX-204 sank der Eiweißverlust über den Urin nach 36 Wochen um 31 %, in der "
              "Placebogruppe um 4 %. Die Nebenwirkungen waren überwiegend mild, die Abbruchraten in beiden Gruppen "
              "ähnlich."),
            h3("Wie es weitergeht"),
            p("Das Unternehmen will die Zulassung im ersten Halbjahr des kommenden Jahres beantragen. Die "
              "vollständigen Daten sollen auf einem Fachkongress vorgestellt werden; eine Zusammenfassung steht "
              "auf der ", url("https://investors.helixar.example/news/hlx-204-phase-3", "Investor-Relations-Seite"),
              " des Unternehmens."),
            quote("Auf dieses Ergebnis haben wir das Unternehmen ausgerichtet. Jetzt geht es darum, es schnell zu "
                  "den Patienten zu bringen."),
            p("— Dr. Anika Verhoeven, Vorstandschefin"),
            p(i("Helixar verfügte Ende Juni nach eigenen Angaben über rund 380 Millionen Dollar an Barmitteln, "
                "genug, um den Betrieb bis ins Jahr 2028 zu finanzieren.")), gaps=True)),
        "es": ("Helixar Therapeutics se dispara tras cumplir el objetivo principal de su ensayo en fase avanzada", root(
            p("Las acciones de ", sym("NASDAQ:HLXR", "Helixar Therapeutics"), " se duplicaron con creces en la "
              "preapertura del lunes después de que la biotecnológica anunciara que su fármaco para enfermedades "
              "renales HLX-204 cumplió el objetivo principal de un estudio de fase 3 con 640 pacientes."),
            image("lead", "Pipetas de laboratorio sobre una bandeja de muestras", (1600, 900), "#f5f5f0"),
            h2("Qué mostró el ensayo"),
            p("Los pacientes tratados con HLX-204 registraron una reducción del 31% en la pérdida de proteínas por "
              "la orina tras 36 semanas, frente al 4% del grupo placebo. Los efectos secundarios fueron en su "
              "mayoría leves y las tasas de abandono, similares en ambos grupos."),
            h3("Próximos pasos"),
            p("La compañía prevé solicitar la aprobación en el primer semestre del próximo año. Los datos completos "
              "se presentarán en un congreso médico; el resumen está disponible en la ",
              url("https://investors.helixar.example/news/hlx-204-phase-3", "web de relación con inversores"),
              " de la empresa."),
            quote("Este es el resultado en torno al cual construimos la compañía. Ahora nuestro trabajo es llevarlo "
                  "rápidamente a los pacientes."),
            p("— Dra. Anika Verhoeven, consejera delegada"),
            p(i("Helixar contaba con unos 380 millones de dólares en caja a finales de junio, suficiente para "
                "financiar sus operaciones hasta 2028, según la empresa.")), gaps=True)),
    })

    story("northwind_ipo", "tradingview:c47e0b9d13a25:0", "2026-10-12 15:10", "tradingview",
          symbols=("NYSE:NWGD",), facets={"corp_activity": ["ipo"]}, versions={
        "en": ("Northwind Grid Files for IPO\nTerms Set at $18 to $20 a Share", root(
            p(sym("NYSE:NWGD", "Northwind Grid"), ", the battery-storage and transmission developer, set terms for "
              "its initial public offering on Monday, aiming to raise up to $760 million."),
            table(["Term", "Detail"], [["Shares offered", "38 million"], ["Price range", "$18–$20"],
                                       ["Ticker", "NWGD"], ["Exchange", "NYSE"],
                                       ["Expected pricing", "Week of Oct. 26"]], head_kind="table-head"),
            p("At the top of the range the company would be valued at about $5.4 billion. Proceeds will go toward "
              "three storage projects in Texas and Arizona and toward paying down a construction loan."),
            p("Northwind reported revenue of $214 million for the first half of the year and a net loss of $31 "
              "million. Its filing lists ", b("interest-rate exposure"), " and ", b("grid-connection delays"),
              " as the two main risks to its build-out plan."))),
        "de": ("Northwind Grid beantragt Börsengang\nPreisspanne: 18 bis 20 Dollar je Aktie", root(
            p(sym("NYSE:NWGD", "Northwind Grid"), ", Entwickler von Batteriespeichern und Stromtrassen, hat am "
              "Montag die Konditionen für seinen Börsengang festgelegt und will bis zu 760 Millionen Dollar "
              "einsammeln."),
            table(["Eckdaten", "Details"], [["Angebotene Aktien", "38 Millionen"], ["Preisspanne", "18–20 $"],
                                            ["Kürzel", "NWGD"], ["Börse", "NYSE"],
                                            ["Preisfestsetzung", "Woche ab 26. Okt."]], head_kind="table-head"),
            p("Am oberen Ende der Spanne würde das Unternehmen mit rund 5,4 Milliarden Dollar bewertet. Der Erlös "
              "soll in drei Speicherprojekte in Texas und Arizona fließen und einen Baukredit tilgen."),
            p("Northwind meldete für das erste Halbjahr einen Umsatz von 214 Millionen Dollar und einen "
              "Nettoverlust von 31 Millionen Dollar. Im Prospekt werden ", b("Zinsrisiken"), " und ",
              b("Verzögerungen beim Netzanschluss"), " als die beiden größten Risiken für den Ausbauplan genannt."))),
        "es": ("Northwind Grid solicita su salida a bolsa\nRango de precio: de 18 a 20 dólares por acción", root(
            p(sym("NYSE:NWGD", "Northwind Grid"), ", promotora de almacenamiento en baterías y líneas de "
              "transmisión, fijó el lunes las condiciones de su oferta pública inicial, con la que aspira a captar "
              "hasta 760 millones de dólares."),
            table(["Condición", "Detalle"], [["Acciones ofrecidas", "38 millones"], ["Rango de precio", "18–20 $"],
                                             ["Símbolo", "NWGD"], ["Bolsa", "NYSE"],
                                             ["Fijación del precio", "Semana del 26 de oct."]], head_kind="table-head"),
            p("En la parte alta del rango, la compañía estaría valorada en unos 5.400 millones de dólares. Los "
              "fondos se destinarán a tres proyectos de almacenamiento en Texas y Arizona y a amortizar un "
              "préstamo de construcción."),
            p("Northwind registró ingresos de 214 millones de dólares en el primer semestre y una pérdida neta de "
              "31 millones. Su folleto señala ", b("la exposición a los tipos de interés"), " y ",
              b("los retrasos en la conexión a la red"), " como los dos principales riesgos para su plan de "
              "expansión."))),
    })

    story("pinecrest_beat", "tradingview:5ad8e3f7021bc:0", "2026-10-15 20:35", "tradingview",
          symbols=("NASDAQ:PCCF",), facets={"corp_activity": ["earnings"]}, versions={
        "en": ("Pinecrest Coffee Brews a Surprise: Same-Store Sales Beat, Shares Rise 6% ☕", root(
            p("Key points:"),
            ul("Same-store sales up 5.2% vs. 2.8% expected", "Loyalty members now drive 61% of U.S. sales",
               "Shares up 6% after hours"),
            image("lead", "Coffee cup on a café counter", (1200, 800), "#3b2a20", "Illustration by TradingView"),
            p(sym("NASDAQ:PCCF", "Pinecrest Coffee"), " gave investors a jolt after the closing bell on Thursday. "
              "Traffic rose for the first time in five quarters as cheaper weekday bundles pulled customers back "
              "in the afternoon."),
            p("Margins were the soft spot: operating margin slipped to 13.1% from 13.9% as dairy and labor costs "
              "rose. Management kept its full-year outlook and said price increases would stay \"surgical.\""))),
        "de": ("Pinecrest Coffee überrascht: Flächenbereinigter Umsatz über Erwartungen, Aktie steigt um 6 % ☕", root(
            p("Das Wichtigste:"),
            ul("Flächenbereinigter Umsatz +5,2 % statt erwarteter +2,8 %",
               "Mitglieder des Treueprogramms stehen für 61 % des US-Umsatzes", "Aktie nachbörslich 6 % im Plus"),
            image("lead", "Kaffeetasse auf einer Café-Theke", (1200, 800), "#3b2a20", "Illustration von TradingView"),
            p(sym("NASDAQ:PCCF", "Pinecrest Coffee"), " sorgte am Donnerstag nach Börsenschluss für einen Weckruf. "
              "Die Kundenzahl stieg erstmals seit fünf Quartalen, weil günstigere Wochentags-Angebote die Gäste am "
              "Nachmittag zurückholten."),
            p("Schwachpunkt waren die Margen: Die operative Marge sank wegen höherer Milch- und Personalkosten auf "
              "13,1 % nach 13,9 %. Das Management bestätigte die Jahresprognose und kündigte an, Preiserhöhungen "
              "weiterhin „gezielt“ vorzunehmen."))),
        "es": ("Pinecrest Coffee da la sorpresa: las ventas comparables superan previsiones y la acción sube un 6% ☕",
               root(
            p("Puntos clave:"),
            ul("Ventas comparables +5,2% frente al +2,8% esperado",
               "Los miembros del programa de fidelidad ya generan el 61% de las ventas en EE. UU.",
               "La acción sube un 6% tras el cierre"),
            image("lead", "Taza de café sobre la barra de una cafetería", (1200, 800), "#3b2a20",
                  "Ilustración de TradingView"),
            p(sym("NASDAQ:PCCF", "Pinecrest Coffee"), " dio una sacudida a los inversores tras el cierre del jueves. "
              "La afluencia de clientes creció por primera vez en cinco trimestres gracias a menús más baratos entre "
              "semana que atrajeron de nuevo público por la tarde."),
            p("Los márgenes fueron el punto débil: el margen operativo bajó al 13,1% desde el 13,9% por el aumento "
              "de los costes lácteos y laborales. La dirección mantuvo su previsión anual y afirmó que las subidas "
              "de precios seguirán siendo «quirúrgicas»."))),
    })

    story("options_iv", "tradingview:e1907fb4c8d36:0", "2026-10-28 11:00", "tradingview", markets=("stock",),
          countries=(), versions={
        "en": ("Options 101: What Is Implied Volatility, and Why Does It Jump Before Earnings?", root(
            p("Implied volatility, or IV, is the market's estimate of how much a stock could move, backed out of "
              "option prices. It is quoted as an annualized percentage, and it tends to climb in the days before "
              "a company reports."),
            h2("Three things to know"),
            ul((b("It is forward-looking."), " Historical volatility measures what already happened; IV prices "
                "what traders expect."),
               (b("It is not directional."), " A high reading says a big move is expected, not which way."),
               (b("It usually drops after the event."), " Once results are out, the uncertainty premium tends to "
                "drain from option prices — traders call it the volatility crush.")),
            p("A rough rule of thumb converts IV into an expected move: divide by the square root of 252 trading "
              "days to get a one-day figure. At 48% IV, that is about 3% either way."),
            hr(),
            p(i("This article is for education only and is not investment advice.")))),
        "de": ("Optionen 101: Was ist implizite Volatilität – und warum steigt sie vor Quartalszahlen?", root(
            p("Die implizite Volatilität (IV) ist die aus Optionspreisen abgeleitete Schätzung des Marktes, wie "
              "stark sich eine Aktie bewegen könnte. Sie wird als annualisierter Prozentwert angegeben und steigt "
              "meist in den Tagen vor der Veröffentlichung von Unternehmenszahlen."),
            h2("Drei Dinge, die man wissen sollte"),
            ul((b("Sie blickt nach vorn."), " Die historische Volatilität misst, was bereits geschehen ist; die IV "
                "preist ein, was Händler erwarten."),
               (b("Sie sagt nichts über die Richtung."), " Ein hoher Wert bedeutet, dass eine große Bewegung "
                "erwartet wird – nicht, in welche Richtung."),
               (b("Nach dem Ereignis fällt sie meist."), " Sind die Zahlen veröffentlicht, schwindet die "
                "Unsicherheitsprämie in den Optionspreisen – Händler sprechen vom Volatility Crush.")),
            p("Eine grobe Faustregel rechnet die IV in eine erwartete Bewegung um: Man teilt sie durch die Wurzel "
              "aus 252 Handelstagen und erhält einen Tageswert. Bei 48 % IV sind das etwa 3 % in beide Richtungen."),
            hr(),
            p(i("Dieser Artikel dient ausschließlich der Information und ist keine Anlageberatung.")))),
        "es": ("Opciones 101: ¿qué es la volatilidad implícita y por qué se dispara antes de los resultados?", root(
            p("La volatilidad implícita, o VI, es la estimación del mercado sobre cuánto podría moverse una acción, "
              "deducida de los precios de las opciones. Se expresa como un porcentaje anualizado y suele subir en "
              "los días previos a la publicación de resultados."),
            h2("Tres cosas que conviene saber"),
            ul((b("Mira hacia adelante."), " La volatilidad histórica mide lo que ya ocurrió; la VI refleja lo que "
                "esperan los operadores."),
               (b("No indica dirección."), " Una lectura alta señala que se espera un gran movimiento, no hacia "
                "dónde."),
               (b("Suele caer tras el evento."), " Una vez publicados los resultados, la prima de incertidumbre "
                "tiende a desaparecer de los precios de las opciones: es lo que los operadores llaman el desplome "
                "de la volatilidad.")),
            p("Una regla práctica convierte la VI en un movimiento esperado: se divide entre la raíz cuadrada de "
              "252 sesiones para obtener una cifra diaria. Con una VI del 48%, eso equivale a alrededor de un 3% "
              "en cualquier dirección."),
            hr(),
            p(i("Este artículo tiene fines exclusivamente educativos y no constituye asesoramiento de inversión.")))),
    })

    # --- other languages: en + de, es + en, en + zh-Hans, de only --------------------------------
    story("kaiserwerk_record", "tradingview:27f6c9a0d4e18:0", "2026-11-09 09:15", "tradingview",
          symbols=("XETR:KSWK",), countries=("DE",), versions={
        "en": ("Kaiserwerk Stock Hits Record as Rail Orders Pile Up", root(
            p(sym("XETR:KSWK", "Kaiserwerk"), " shares climbed 4% in Frankfurt to an all-time high on Monday, "
              "extending a run that has added roughly a third to the stock since July."),
            p("The trigger was a pair of signalling contracts in Scandinavia worth a combined €620 million, "
              "announced before the open. They follow the €1.4 billion award in Germany last month and push the "
              "rail unit's order book past €9 billion."),
            p("Read more: ", ref("kaiserwerk_contract", "Kaiserwerk wins €1.4 billion rail signalling contract")),
            p("Not everyone is convinced the rally has room to run. At about 19 times next year's earnings, "
              "Kaiserwerk now trades at a premium to most European industrial peers."))),
        "de": ("Kaiserwerk-Aktie auf Rekordhoch – Bahnaufträge stapeln sich", root(
            p("Die Aktie von ", sym("XETR:KSWK", "Kaiserwerk"), " stieg am Montag in Frankfurt um 4 % auf ein "
              "Allzeithoch und setzte damit eine Rally fort, die ihr seit Juli rund ein Drittel an Wert beschert hat."),
            p("Auslöser waren zwei vor Handelsbeginn gemeldete Signaltechnik-Aufträge in Skandinavien im "
              "Gesamtwert von 620 Millionen Euro. Sie folgen auf den Auftrag über 1,4 Milliarden Euro in "
              "Deutschland im vergangenen Monat und heben den Auftragsbestand der Bahnsparte auf über 9 Milliarden "
              "Euro."),
            p("Mehr dazu: ", ref("kaiserwerk_contract", "Kaiserwerk erhält Signaltechnik-Auftrag über 1,4 Milliarden "
                                 "Euro")),
            p("Nicht alle sind überzeugt, dass die Rally weitergehen kann. Mit rund dem 19-Fachen des erwarteten "
              "Gewinns für das kommende Jahr wird Kaiserwerk inzwischen mit einem Aufschlag zu den meisten "
              "europäischen Industriewerten bewertet."))),
    })

    story("solera_pipeline", "meseta:MM-20261021-0117:0", "2026-10-21 08:30", "meseta",
          symbols=("BME:SOLI",), countries=("ES",), versions={
        "es": ("Solera Ibérica dispara su cartera de proyectos solares hasta los 7,8 gigavatios", root(
            p(sym("BME:SOLI", "Solera Ibérica"), " elevó su cartera de proyectos fotovoltaicos hasta los 7,8 "
              "gigavatios al cierre de septiembre, un 22% más que a principios de año, según informó la compañía "
              "este miércoles."),
            p("La empresa, con sede en Sevilla, atribuyó el crecimiento a la compra de dos promotoras en "
              "Castilla-La Mancha y Extremadura y a nuevos acuerdos de compraventa de energía a largo plazo con "
              "clientes industriales."),
            p("El resultado bruto de explotación (ebitda) del tercer trimestre alcanzó los 96 millones de euros, un "
              "14% más que un año antes. La compañía mantuvo su objetivo de cerrar el ejercicio con un ebitda de "
              "entre 370 y 390 millones."))),
        "en": ("Solera Ibérica lifts solar project pipeline to 7.8 gigawatts", root(
            p(sym("BME:SOLI", "Solera Ibérica"), " raised its pipeline of photovoltaic projects to 7.8 gigawatts at "
              "the end of September, up 22% since the start of the year, the company said on Wednesday."),
            p("The Seville-based company credited the purchase of two developers in Castilla-La Mancha and "
              "Extremadura and new long-term power purchase agreements with industrial customers."),
            p("Third-quarter EBITDA reached €96 million, up 14% from a year earlier. The company kept its target "
              "of full-year EBITDA between €370 million and €390 million."))),
    })

    story("ticker_explainer", "tradingview:9e0d4b17a6c53:0", "2026-10-19 03:30", "tradingview",
          symbols=("HKEX:1810", "NASDAQ:AMZN"), countries=("HK", "US"), versions={
        "en": ("Reading Ticker Symbols: Why Hong Kong Uses Numbers Like HKEX:1810", root(
            p("If you follow stocks in more than one market, you have seen two very different kinds of symbols. "
              "U.S. listings use letters, so Amazon trades as ", sym("NASDAQ:AMZN", "AMZN"), ". In Hong Kong, "
              "listings use numeric stock codes: Xiaomi's shares, for example, trade as ", sym("HKEX:1810", "1810"),
              "."),
            p("On TradingView, every symbol carries an exchange prefix, written before a colon. The prefix matters "
              "because the same letters or numbers can refer to different securities on different exchanges."),
            h3("Quick guide"),
            ul("NASDAQ:AMZN — exchange NASDAQ, ticker AMZN", "HKEX:1810 — exchange HKEX, stock code 1810",
               "XETR:KSWK — Germany's Xetra venue, ticker KSWK"),
            p("Numeric codes are common across Asia: many listings in Tokyo, Shanghai and Shenzhen use them too."))),
        "zh-Hans": ("看懂港股数字代码", root(
            p("如果你同时关注多个市场的股票，就会看到两种截然不同的代码。美国上市公司使用字母，例如亚马逊的代码是 ",
              sym("NASDAQ:AMZN", "AMZN"), "。香港上市公司则使用数字代码，例如小米的股票代码是 ",
              sym("HKEX:1810", "1810"), "。"),
            p("在 TradingView 上，每个代码前面都带有交易所前缀，并用冒号分隔。前缀很重要，因为同样的字母或数字在"
              "不同交易所可能代表不同的证券。"),
            h3("速查"),
            ul("NASDAQ:AMZN — 交易所为纳斯达克，代码为 AMZN", "HKEX:1810 — 交易所为港交所，股票代码为 1810",
               "XETR:KSWK — 德国 Xetra 交易平台，代码为 KSWK"),
            p("数字代码在亚洲很常见：东京、上海和深圳的许多上市公司也使用数字代码。"))),
    })

    story("kaiserwerk_accord", "rheinblick:2026-11-12:a4c1e7:0", "2026-11-12 16:45", "rheinblick",
          symbols=("XETR:KSWK",), countries=("DE",), versions={
        "de": ("Kaiserwerk: Betriebsrat und Vorstand einigen sich auf Standortvertrag bis 2031", root(
            p("Der Industriekonzern ", sym("XETR:KSWK", "Kaiserwerk"), " hat sich mit dem Betriebsrat auf einen "
              "Standortvertrag für seine sieben deutschen Werke geeinigt. Betriebsbedingte Kündigungen sind damit "
              "bis Ende 2031 ausgeschlossen, wie beide Seiten am Donnerstag mitteilten."),
            p("Im Gegenzug sollen in der Bahnsparte flexiblere Arbeitszeitmodelle eingeführt werden, um "
              "Auftragsspitzen besser abzufedern. Zudem sagte der Vorstand Investitionen von rund 450 Millionen "
              "Euro in die Standorte zu."),
            p("Analysten werteten die Einigung als Signal für mehr Planungssicherheit. Die Aktie reagierte im "
              "späten Handel kaum."))),
    })

    # --- Harborline Wire: tag: ids holding "/", "," and ":" ---------------------------------------
    story("brevan_outlook", "tag:harborline.example,2026-10-06:newsml_HLB2X7P9/1:0", "2026-10-06 21:10",
          "harborline", symbols=("NYSE:BRVF",), versions={
        "en": ("Brevan Freight cuts full-year outlook as parcel volumes soften", root(
            p("Oct 6 (Harborline) - Brevan Freight on Tuesday cut its full-year profit forecast, saying parcel "
              "volumes from e-commerce customers had slowed in September and pricing on long-haul routes remained "
              "under pressure."),
            p("The Memphis-based carrier now expects adjusted earnings of $3.10 to $3.30 per share, down from "
              "$3.60 to $3.90. Its shares fell 7% in extended trading."),
            p("\"We are seeing customers consolidate shipments ahead of the holidays rather than expand them,\" "
              "chief executive Dale Whitcombe said on a call with analysts."),
            p("(Reporting by Priya Raman; Editing by Tom Azevedo)"), gaps=True)),
    })

    story("quorvane_flash1", "tag:harborline.example,2026-10-14:newsml_HLQ4F0Z1/1:0", "2026-10-14 14:02",
          "harborline", symbols=("NYSE:QRVE",), urgency=1, flash=True, facets={"priority": ["important"]},
          versions={
        "en": ("QUORVANE ENERGY SAYS IT HAS HALTED DELAWARE BASIN DRILLING AFTER THIRD-PARTY PIPELINE OUTAGE",
               None, ""),
    })

    story("quorvane_flash2", "tag:harborline.example,2026-10-14:newsml_HLQ4F0Z2/1:0", "2026-10-14 14:19",
          "harborline", symbols=("NYSE:QRVE",), urgency=1, flash=True, versions={
        "en": ("Quorvane Energy says outage to last 'at least a week'", root(
            p("HOUSTON, Oct 14 (Harborline) - Quorvane Energy said a third-party pipeline outage that forced it to "
              "halt Delaware Basin drilling would last 'at least a week'. More to follow."))),
    })

    story("kaiserwerk_contract", "tag:harborline.example,2026-10-20:newsml_HLK8D1W3/1:0", "2026-10-20 07:55",
          "harborline", symbols=("XETR:KSWK",), countries=("DE",), versions={
        "en": ("Kaiserwerk wins €1.4 billion rail signalling contract in Germany", root(
            p("FRANKFURT, Oct 20 (Harborline) - German industrial group Kaiserwerk said on Tuesday it had won a "
              "€1.4 billion contract to modernise signalling on about 1,100 km of regional rail lines, the largest "
              "single order in the history of its rail unit."),
            p("The work, to be carried out between 2027 and 2034, covers digital interlockings and the "
              "installation of the European Train Control System on lines in Bavaria and Baden-Württemberg, the "
              "company said."),
            p("Kaiserwerk's rail division accounted for 38% of group sales last year. The company did not say how "
              "the contract would affect its margin targets."),
            p("(Reporting by Lena Brandt; Editing by Tom Azevedo)"), gaps=True)),
    })

    story("tallow_breach", "tag:harborline.example,2026-10-27:newsml_HLT6S3C8/1:0", "2026-10-27 22:30",
          "harborline", symbols=("NASDAQ:TLWS",), versions={
        "en": ("Tallow Street Securities says login page was tampered with; no client funds lost", root(
            p("Oct 27 (Harborline) - Online broker Tallow Street Securities said on Tuesday that an attacker had "
              "altered its web login page for about 40 minutes on Sunday, inserting a <script> tag that tried to "
              "copy usernames to an outside server."),
            p("The company said no client funds were moved and that two-factor codes were not exposed. In a notice "
              "to customers, it listed the steps it had taken:"),
            ul("[x] Removed the injected code and rotated signing keys",
               "[x] Forced a password reset for affected accounts",
               "[ ] Independent review of the content pipeline (under way)"),
            p("# of affected accounts: 212, according to the notice."),
            p("1. Change your password. 2. Check your linked bank details. 3. Turn on app-based two-factor codes. "
              "Those were the three steps the broker urged customers to take, in that order."),
            p("The injected snippet, which security researchers posted online, began with "
              "<script src=\"//cdn-metrics.example/t.js\"> and used a variable named __tw_capture__ with a "
              "*wildcard* selector on all input fields; researchers also flagged a template string, "
              "`${user}:${pass}`, in the code."),
            p("(Reporting by Priya Raman; Editing by Tom Azevedo)"), gaps=True)),
    })

    story("northwind_bond", "tag:harborline.example,2026-11-02:newsml_HLN5G2B6/1:0", "2026-11-02 19:20",
          "harborline", symbols=("NYSE:NWGD",), markets=("corp_bond", "bond"), versions={
        "en": ("Northwind Grid prices $1.2 billion green bond in first deal since listing", root(
            p("NEW YORK, Nov 2 (Harborline) - Northwind Grid sold $1.2 billion of green bonds on Monday, its first "
              "debt deal since its stock market debut last week, according to a term sheet seen by Harborline."),
            p("The deal was split between $700 million of seven-year notes priced to yield 5.85% and $500 million "
              "of 12-year notes at 6.2%. Orders peaked above $4 billion, allowing the company to tighten pricing by "
              "about 25 basis points from initial guidance."),
            p("Proceeds will refinance construction debt on two battery-storage projects in Texas."), gaps=True)),
    })

    story("quorvane_restart", "tag:harborline.example,2026-11-11:newsml_HLQ9R5T2/1:0", "2026-11-11 15:50",
          "harborline", symbols=("NYSE:QRVE",), versions={
        "en": ("Quorvane Energy restarts Delaware Basin output after pipeline repairs", root(
            p("HOUSTON, Nov 11 (Harborline) - Quorvane Energy said on Wednesday it had restarted drilling and "
              "production in the Delaware Basin after a third-party operator completed repairs to a pipeline that "
              "had been shut for nearly four weeks."),
            p("The company estimated the outage cut fourth-quarter output by about 14,000 barrels of oil equivalent "
              "per day and said it would update its full-year guidance in February."),
            p("Background: ", ref("quorvane_flash2", "Quorvane Energy says outage to last 'at least a week'")),
            p("(Reporting by Marcus Lee; Editing by Tom Azevedo)"), gaps=True)),
    })

    story("castellan_vote", "tag:harborline.example,2026-11-19:newsml_HLC2A8P4/1:0", "2026-11-19 20:05",
          "harborline", symbols=("NYSE:CSTF", "NYSE:OKMR"), urgency=1, flash=True, versions={
        "en": ("CASTELLAN FINANCIAL SAYS OAKMERE SHAREHOLDERS APPROVE MERGER", root(
            p("Castellan Financial said on Thursday that Oakmere Bancorp shareholders had approved the all-stock "
              "merger of the two banks. The deal still needs regulatory approval."))),
    })

    # --- Meridian Market Desk ---------------------------------------------------------------------
    story("brief_1", "MMD_MD20261007004512:0", "2026-10-07 11:30", "meridian",
          symbols=("NYSE:BRVF", "NASDAQ:VLTR"), markets=("stock", "economic"), versions={
        "en": ("Morning Brief: Five Things to Watch", root(
            p("Good morning. Here is what is on the desk before the U.S. open:"),
            ul(("Brevan Freight ", sym("NYSE:BRVF", "BRVF"), " is set to open lower after cutting its outlook late "
                "Tuesday."),
               ("Robotics names remain in focus after last week's Voltaris report. Watch:",
                ul("Order commentary from component suppliers", "Any read-across to warehouse automation budgets")),
               "The Pemberton small-business survey is due at 10 a.m. ET.",
               ("Crude traders are watching ", a("https://www.harborline.example/energy/inventories",
                                                 "weekly inventory data"), " after a choppy start to the week."),
               "Earnings after the bell: two regional banks and a handful of small-cap software names."),
            p(i("Morning Brief is compiled by the Meridian Market Desk.")))),
    })

    story("helixar_ceo", "MMD_MD20261016001108:0", "2026-10-16 17:45", "meridian", symbols=("NASDAQ:HLXR",),
          versions={
        "en": ("Helixar CEO: \"We are not for sale\"", root(
            p("Helixar Therapeutics chief executive Anika Verhoeven said the company was not pursuing a sale, days "
              "after a trial win sent its market value above $6 billion and prompted speculation about larger "
              "drugmakers circling."),
            quote(p("We are not for sale. We have the cash and the team to launch this drug ourselves.")),
            p("Verhoeven made the comments at a healthcare investor conference in Boston. She declined to say "
              "whether the company had received any approaches."),
            p("Helixar shares slipped 2% after the remarks but remain up about 140% this month."))),
    })

    story("brief_2", "MMD_MD20261021003977:0", "2026-10-21 11:30", "meridian",
          symbols=("BME:SOLI", "NASDAQ:HLXR", "NYSE:NWGD"), versions={
        "en": ("Morning Brief: Five Things to Watch", root(
            p("Good morning. Five things on our screens today:"),
            ul((p("Solera Ibérica lifted its project pipeline overnight; European solar names could get a lift."),),
               (p("Helixar Therapeutics trades near a record after ", ref("helixar_trial", "its trial readout "
                  "earlier this month"), "; options imply a 7% move either way this week."),),
               (p("Northwind Grid's IPO roadshow continues, with pricing expected next week."),),
               (p("Kaiserwerk's signalling win keeps European rail suppliers in focus."),
                p("Watch smaller component makers for sympathy moves.")),
               (p("Retail earnings pick up pace tomorrow."),)),
            p(i("Morning Brief is compiled by the Meridian Market Desk.")))),
    })

    story("brevan_talks", "MMD_MD20261023000731:0", "2026-10-23 16:05", "meridian", symbols=("NYSE:BRVF",),
          versions={
        "en": ("Brevan Freight in talks to sell European parcel unit — sources", None,
               "Brevan Freight is in advanced talks to sell its European parcel unit to a private equity group for "
               "about $900 million, according to two people familiar with the matter. The full text of this story "
               "is not available for redistribution…"),
    })

    story("pemberton_index", "MMD_MD20261030002266:0", "2026-10-30 14:00", "meridian", markets=("economic",),
          facets={"economic_category": ["labor"]}, versions={
        "en": ("Pemberton small-business hiring index slips to 48.6 in October", root(
            p("A gauge of hiring plans at U.S. small businesses fell to 48.6 in October from 50.3 in September, "
              "dropping below the 50 mark that separates expansion from contraction for the first time since "
              "spring, the Pemberton Institute said on Friday."),
            table(["Component", "October", "September"],
                  [["Hiring plans", "48.6", "50.3"], ["Capital spending plans", "51.2", "51.9"],
                   ["Expected sales", "49.8", "52.0"], ["Price increases planned", "55.4", "54.1"]]),
            p("Owners cited higher borrowing costs and softer holiday orders. Retail and construction firms were "
              "the most cautious."))),
    })

    story("castellan_deal", "MMD_MD20261104001840:0", "2026-11-04 12:10", "meridian",
          symbols=("NYSE:CSTF", "NYSE:OKMR"), facets={"corp_activity": ["mergers"]}, versions={
        "en": ("Castellan Financial to buy Oakmere Bancorp for $3.1 billion in all-stock deal", root(
            p("Castellan Financial agreed to buy regional lender Oakmere Bancorp in an all-stock deal valued at "
              "about $3.1 billion, the companies said on Wednesday, creating a bank with roughly $74 billion in "
              "assets across the Midwest."),
            p("Oakmere shareholders will receive 0.92 Castellan shares for each share they own, a 24% premium to "
              "Tuesday's close. The deal is expected to close in the second quarter, subject to regulatory "
              "approval."),
            p("Castellan expects cost savings of about 30% of Oakmere's expense base, and said the deal would add "
              "to earnings per share in its first full year."))),
    })

    story("voltaris_cfo", "MMD_MD20261110000512:0", "2026-11-10 13:20", "meridian", symbols=("NASDAQ:VLTR",),
          versions={
        "en": ("Voltaris Robotics names former logistics executive Hannah Ilves as CFO", root(
            p("Voltaris Robotics appointed Hannah Ilves, previously finance chief at a European parcel carrier, as "
              "its chief financial officer, effective Dec. 1. She succeeds Greg Mallory, who is retiring after "
              "seven years in the role."),
            p("Ilves will be based in Austin. Voltaris said it remains on track to meet its full-year outlook."))),
    })

    story("index_rebalance", "MMD_MD20261113004021:0", "2026-11-13 21:40", "meridian",
          symbols=("NASDAQ:VLTR", "NYSE:NWGD"), markets=("index", "stock"), versions={
        "en": ("Voltaris, Northwind Grid to join Keystone Mid-Cap Index in December rebalance", root(
            p("Voltaris Robotics and Northwind Grid will join the Keystone Mid-Cap Index before the open on Dec. "
              "21, replacing two companies that were acquired, the index provider said late Friday."),
            p("Funds tracking the index will need to buy an estimated 9 million Voltaris shares and 14 million "
              "Northwind shares, based on current weights."))),
    })

    story("tallow_review", "MMD_MD20261117002954:0", "2026-11-17 15:15", "meridian", symbols=("NASDAQ:TLWS",),
          versions={
        "en": ("Tallow Street hires outside firm to review security after login-page breach", root(
            p("Tallow Street Securities has hired an outside cybersecurity firm to review its web publishing "
              "systems, the online broker said on Tuesday, three weeks after ",
              ref("tallow_breach", "an attacker tampered with its login page"), "."),
            p("The broker also said it would reimburse customers for any fees incurred while resetting linked "
              "bank accounts. Regulators have asked for a written report by the end of the year, a person familiar "
              "with the matter said."))),
    })

    story("pinecrest_stores", "MMD_MD20261117003390:0", "2026-11-17 18:30", "meridian", symbols=("NASDAQ:PCCF",),
          versions={
        "en": ("Pinecrest Coffee targets 300 new stores in 2027, sees margin lift from roasting plant", root(
            p("Pinecrest Coffee plans to open about 300 stores next year, most of them drive-through formats in the "
              "Sun Belt, executives said at the company's investor day on Tuesday."),
            p("The company also said a new roasting plant in Georgia would lift operating margin by about 80 basis "
              "points once it reaches full output in 2028."),
            p("Shares rose 3% in afternoon trading."))),
    })

    # --- Quillstone Research: gated notes, a one-line note, an unknown node type -------------------
    story("lumenfield_upgrade", "quillstone:2026-10-08:QS0042:0", "2026-10-08 13:00", "quillstone",
          symbols=("NASDAQ:LMFS",), paywall=True, versions={
        "en": ("Lumenfield Semiconductor: Upgrade to Buy on Data-Center Demand; Target $96", None,
               "We upgrade Lumenfield Semiconductor to Buy from Hold and raise our price target to $96 from $78. "
               "Data-center accelerator demand is running ahead of our model, and we think consensus gross-margin "
               "estimates for next year are too low by about 150 basis points…"),
    })

    story("castellan_note", "quillstone:2026-10-16:QS0057:0", "2026-10-16 12:15", "quillstone",
          symbols=("NYSE:CSTF",), permission="preview", versions={
        "en": ("Castellan Financial: Net Interest Income Outlook Raised; Target to $64", root(
            p("Castellan Financial raised its full-year net interest income guidance by 3% as deposit costs peaked "
              "earlier than management had expected. We lift our target to $64 from $58 and reiterate Outperform."),
            p(i("The full report is available to Quillstone subscribers.")))),
    })

    story("voltaris_target", "quillstone:2026-10-27:QS0071:0", "2026-10-27 10:40", "quillstone",
          symbols=("NASDAQ:VLTR",), versions={
        "en": ("Voltaris Robotics: Price Target Raised to $142 From $120 at Quillstone", root(
            p("Target to $142; rating stays Buy."))),
    })

    story("pinecrest_hold", "quillstone:2026-11-04:QS0088:0", "2026-11-04 13:30", "quillstone",
          symbols=("NASDAQ:PCCF",), versions={
        "en": ("Pinecrest Coffee: Reiterate Hold; Valuation Looks Full After Rally", root(
            p("Pinecrest shares have gained 18% since the October report, and at 31 times forward earnings we "
              "think the good news is largely in the price. We reiterate Hold with a $71 target."),
            p("What would change our mind: evidence that afternoon traffic gains hold through the winter months, "
              "when the bundle promotions are scheduled to end."),
            p(i("Quillstone Research and its affiliates may hold positions in the securities discussed.")))),
    })

    story("helixar_initiation", "quillstone:2026-11-16:QS0093:0", "2026-11-16 12:00", "quillstone",
          symbols=("NASDAQ:HLXR",), versions={
        "en": ("Helixar Therapeutics: Initiating at Buy; Pipeline Optionality Underappreciated", root(
            el("rating-box", "Rating: Buy | Target: $118", rating="Buy", target="118"),
            p("We initiate coverage of Helixar with a Buy rating and a $118 target. The market values HLX-204 as a "
              "single-indication drug; we think label expansion into two adjacent kidney conditions is worth "
              "another $25 a share."),
            p("#1 risk in our view is pricing: payers have pushed back on recent kidney launches, and our model "
              "assumes a net price 15% below list."))),
    })

    # --- Kestrel FX & Crypto Notes ---------------------------------------------------------------
    story("eurusd_week", "kestrel:fx-0a91c3:0", "2026-10-09 16:00", "kestrel", symbols=("FX:EURUSD",),
          markets=("forex",), countries=("US", "DE"), versions={
        "en": ("EUR/USD week ahead: PMIs, central bank speakers and a crowded calendar", root(
            p("The coming week's calendar is busy for ", sym("FX:EURUSD", "EUR/USD"), " traders. Here are the "
              "releases we are tracking, all times Eastern:"),
            table(["Day", "Time", "Release"],
                  [["Monday", "4:00 a.m.", "Euro-area investor sentiment"],
                   ["Tuesday", "10:00 a.m.", "U.S. consumer confidence"],
                   ["Wednesday", "3:30 a.m.", "German flash PMIs"],
                   ["Thursday", "8:30 a.m.", "U.S. durable goods orders"],
                   ["Friday", "4:00 a.m.", "Euro-area money supply"]]),
            p("We have no strong directional view into the data."),
            p(b("Positioning:"), " speculative accounts have trimmed euro longs for three straight weeks in the "
              "exchange data we follow, which leaves less fuel for a sell-off on soft numbers."))),
    })

    story("orbis_upgrade", "kestrel:cr-5d02e8:0", "2026-10-20 18:25", "kestrel", symbols=("CRYPTO:ORBSUSD",),
          markets=("crypto",), countries=(), versions={
        "en": ("Orbis network upgrade goes live; validators report smooth switchover", root(
            p("The Orbis blockchain completed its scheduled \"Lantern\" upgrade on Tuesday, with more than 96% of "
              "validators running the new client within two hours of activation, according to the project's "
              "public dashboard."),
            p("Operators who had not yet upgraded were told to run `orbis-node --upgrade lantern` and restart. The "
              "change cuts block times to four seconds and lowers fees for token transfers."),
            p("The ", sym("CRYPTO:ORBSUSD", "ORBS"), " token rose 5% over the day. Trading volume was roughly twice "
              "its 30-day average."))),
    })

    story("month_end", "kestrel:fx-7c44b2:0", "2026-10-29 14:45", "kestrel", symbols=("FX:USDJPY",),
          markets=("forex",), countries=("JP", "US"), versions={
        "en": ("Month-end rebalancing: what it is and why it can move currencies", root(
            p("Near the end of each month, large asset managers trim or top up currency hedges to bring portfolios "
              "back to their target weights. Those flows tend to cluster around the 4 p.m. London fix on the last "
              "trading day."),
            h3("Why traders care"),
            p("When equities in one region have outperformed, hedgers may need to sell that region's currency to "
              "rebalance. The effect is usually short-lived, but it can produce sharp moves in pairs such as ",
              sym("FX:USDJPY", "USD/JPY"), " in thin afternoon trading."),
            p("Bank desks publish estimates of the direction of month-end demand a few days ahead. Treat them as "
              "rough guides: the estimates often disagree with each other."))),
    })

    story("orbis_listings", "kestrel:cr-9b17f0:0", "2026-11-06 09:10", "kestrel", symbols=("CRYPTO:ORBSUSD",),
          markets=("crypto",), countries=(), versions={
        "en": ("Orbis token listings widen as volumes climb after upgrade", root(
            p("Two more exchanges added trading pairs for the ORBS token this week, bringing the total to 11, as "
              "activity on the Orbis network stayed elevated after last month's upgrade."),
            p("Daily transactions have averaged about 1.9 million since the switchover, up from roughly 1.2 "
              "million before it. Developers say lower fees explain most of the increase; critics note that a "
              "handful of automated wallets account for a large share."),
            p("Background: ", ref("orbis_upgrade", "Orbis network upgrade goes live"), br(),
              "Disclosure: Kestrel authors hold no ORBS tokens."))),
    })

    story("cocoa_hours", "kestrel:fu-3e61a9:0", "2026-11-20 10:30", "kestrel", markets=("futures",),
          countries=(), versions={
        "en": ("Eastport exchange to extend cocoa futures trading hours from January", root(
            p("The Eastport Commodities Exchange will extend trading hours for its cocoa futures contracts by two "
              "hours starting Jan. 11, to overlap more fully with the European session, the exchange said in a "
              "notice to members."),
            p("Exchange officials said the change responds to requests from chocolate makers hedging in both time "
              "zones. Settlement procedures are unchanged."))),
    })

    # --- Northgate Newswire press releases (one hosted elsewhere: ``link``) -------------------------
    story("ardent_call", "northgate:pr-20261013-01:0", "2026-10-13 12:00", "northgate", symbols=("NYSE:ARDM",),
          link="https://press.northgate.example/releases/2026/10/13/ardent-q3-call", versions={
        "en": ("Ardent Materials to Host Third-Quarter 2026 Results Conference Call on November 2", root(
            p("DENVER--(Northgate Newswire)--Ardent Materials, Inc. (NYSE: ARDM) will release its third-quarter "
              "2026 results before the market opens on Monday, November 2, and will host a conference call for "
              "investors at 10:00 a.m. ET the same day."),
            p("To join by phone:", br(), "United States: +1 555 0142 7788", br(), "International: +1 555 0199 3344",
              br(), "Access code: 904417"),
            p("A live webcast will be available at ", url("https://ir.ardent.example/events", "ir.ardent.example/events"),
              "."),
            p(b("About Ardent Materials"), br(), "Ardent Materials produces aggregates, cement and ready-mix "
              "concrete from 140 sites across the western United States."))),
    })

    story("ardent_results", "northgate:pr-20261102-07:0", "2026-11-02 11:05", "northgate", symbols=("NYSE:ARDM",),
          facets={"corp_activity": ["earnings"]}, versions={
        "en": ("Ardent Materials Reports Third-Quarter 2026 Results; Raises Full-Year EBITDA Outlook", root(
            p("DENVER--(Northgate Newswire)--Ardent Materials, Inc. (NYSE: ARDM) today reported third-quarter net "
              "sales of $1.18 billion, up 7% from the prior year, and adjusted EBITDA of $342 million."),
            h3("Third-Quarter Highlights"),
            ul("Aggregates shipments up 4%; average selling price up 9%", "Cement gross margin expanded 210 basis "
               "points", "Net leverage of 1.9x at quarter end"),
            h3("Outlook"),
            p("The company now expects full-year adjusted EBITDA of $1.21 billion to $1.25 billion, up from $1.16 "
              "billion to $1.22 billion previously."),
            p(i("This release contains forward-looking statements. Actual results may differ materially.")))),
    })

    # --- TradingView, English only ----------------------------------------------------------------
    story("etf_flows", "tradingview:4b8f2e6d0c1a7:0", "2026-10-31 15:00", "tradingview",
          symbols=("AMEX:BWCP", "AMEX:KGRD", "AMEX:SOLG", "AMEX:EWND"), markets=("etf",), versions={
        "en": ("ETF Flows: Clean-Power Funds Pull In $2.1 Billion in October", root(
            p("Investors poured money back into clean-energy ETFs in October, with the group taking in a net $2.1 "
              "billion, the most since early last year."),
            table(["Fund", "Ticker", "Net flows (Oct.)"],
                  [["Brightwater Clean Power ETF", sym("AMEX:BWCP", "BWCP"), "+$740M"],
                   ["Keystone Grid Infrastructure Fund", sym("AMEX:KGRD", "KGRD"), "+$515M"],
                   ["Solstice Global Solar ETF", sym("AMEX:SOLG", "SOLG"), "+$390M"],
                   ["Everwind Offshore ETF", sym("AMEX:EWND", "EWND"), "−$85M"]]),
            p("The inflows tracked a rebound in storage and grid stocks after a string of project announcements, "
              "including ", ref("northwind_ipo", "Northwind Grid's IPO filing"), "."),
            p("Offshore wind was the exception. Everwind's fund saw a fourth straight month of outflows as "
              "developers kept postponing final investment decisions."))),
    })

    story("lumenfield_slide", "tradingview:71d2b8e4f0a9c:0", "2026-11-03 21:30", "tradingview",
          symbols=("NASDAQ:LMFS",), facets={"corp_activity": ["earnings"]}, versions={
        "en": ("Lumenfield Semiconductor Slides 11% as Guidance Disappoints: 'Digestion' Is Back", root(
            p("Key points:"),
            ul("Fourth-quarter revenue guide 8% below consensus",
               "Data-center customers pausing orders to absorb inventory", "Gross margin holds at 61%"),
            legacy_image("chip", as_url=False),
            p(sym("NASDAQ:LMFS", "Lumenfield"), " shares slid 11% after hours Tuesday after the chipmaker guided "
              "fourth-quarter revenue to $1.9 billion, well short of the $2.07 billion Wall Street expected."),
            image("chart", "Bar chart of quarterly revenue", (1400, 788), "#131722",
                  "Lumenfield's quarterly revenue, in billions of dollars. Chart by TradingView"),
            p("Chief financial officer Reuben Castellanos used a word investors had hoped not to hear again: "
              "'digestion.' Two large cloud customers are working through chips they bought earlier in the year "
              "and have pushed orders into the first quarter, he said."),
            p("The damage may be temporary. Gross margin held at 61%, and the company said orders for its "
              "next-generation accelerator were 'well ahead' of the prior product's launch."))),
    })

    story("voltaris_halt", "tradingview:0f5e7a3c9b2d8:0", "2026-11-05 14:31", "tradingview",
          symbols=("NASDAQ:VLTR",), urgency=1, flash=True, slug=False, countries=(), versions={
        "en": ("🤖🚀", root(
            p("Voltaris Robotics shares were briefly halted for volatility after a 12% jump in the first minutes "
              "of trading."))),
    })

    story("week_ahead", "tradingview:b3e8f1c05d7a2:0", "2026-11-15 16:00", "tradingview",
          symbols=("NASDAQ:PCCF", "NASDAQ:LMFS", "NYSE:CSTF", "NYSE:OKMR"), versions={
        "en": ("Week Ahead: Coffee, Chips and a Bank-Deal Vote", root(
            p("Three events will set the tone this week for the mid-cap names we follow."),
            h2("Pinecrest Coffee investor day"),
            p(sym("NASDAQ:PCCF", "Pinecrest Coffee"), " hosts its first investor day in three years on Tuesday. "
              "Expect a new long-term store target and an update on the roasting plant."),
            h2("Lumenfield's comeback test"),
            p(sym("NASDAQ:LMFS", "Lumenfield"), " presents at an industry conference on Wednesday, its first "
              "public appearance since ", ref("lumenfield_slide", "the guidance miss that sent shares down 11%"),
              "."),
            h2("Castellan–Oakmere vote"),
            p("Oakmere shareholders vote on the ", sym("NYSE:CSTF", "Castellan"), " deal on Thursday. The spread "
              "between the offer and Oakmere's share price has narrowed to about 2%, suggesting the market "
              "expects approval."),
            el("calendar-widget", p("Tue: Pinecrest investor day · Wed: Lumenfield at conference · Thu: Oakmere "
                                    "vote"), symbols=["NASDAQ:PCCF", "NASDAQ:LMFS", "NYSE:OKMR"]),
            hr(),
            p(i("Dates are as announced by the companies and may change.")), gaps=True)),
    })

    story("voltaris_picker", "tradingview:6c0a4e9d2f1b8:0", "2026-11-18 16:40", "tradingview",
          symbols=("NASDAQ:VLTR",), versions={
        "en": ("Voltaris Unveils a Two-Armed Picker: Is the Hype Already Priced In? 🤖", root(
            p("Key points:"),
            ul(("New robot handles mixed-size items", ul("Pilots with two grocery chains",
                                                          "Volume production from late 2027")),
               "Stock up 60% year to date", "Valuation now about 9x forward sales"),
            image("lead", "Two-armed robot lifting a grocery crate", (1200, 675), "#0b0e14",
                  "The new picker on a customer's test floor. Illustration by TradingView"),
            p(sym("NASDAQ:VLTR", "Voltaris Robotics"), " showed off its first two-armed picking robot at a customer "
              "event on Wednesday, a machine designed to handle the jumble of shapes in a grocery order rather than "
              "the uniform boxes its current fleet moves."),
            p(b("The bull case:"), " grocery is a huge, labor-hungry market where automation has barely started, "
              "and Voltaris already sells into the same distribution centers."),
            p(b("The bear case:"), " the product will not ship in volume for a year, and a stock at roughly nine "
              "times forward sales leaves little room for delays."),
            legacy_image("floor", as_url=True),
            p("For the order story that started the rally, see ", ref("voltaris_orders", "our October earnings "
              "coverage"), "."))),
    })

    story("brevan_activist", "tradingview:d2f9b6a18e4c0:0", "2026-11-20 18:00", "tradingview",
          symbols=("NYSE:BRVF",), facets={"priority": ["top_stories"]}, versions={
        "en": ("Brevan Freight Rallies 14% as Activist Investor Discloses Stake", root(
            p(sym("NYSE:BRVF", "Brevan Freight"), " shares jumped 14% on Friday after activist fund Ironbridge "
              "Capital disclosed a 6.1% stake and said the trucking and parcel company should sell non-core "
              "assets and return the proceeds to shareholders."),
            p("In a letter to the board, Ironbridge said Brevan's stock had 'lagged every relevant peer' over three "
              "years and that the ", ref("brevan_talks", "reported sale of its European parcel unit"), " should be "
              "the start, not the end, of a portfolio review."),
            p("Brevan said it welcomed input from shareholders and would review the letter."))),
    })

    # --- the long read (2,000+ words) -----------------------------------------------------------------
    story("scorecard", "tradingview:a6c3d9e1f7042:0", "2026-11-08 13:00", "tradingview",
          symbols=("NASDAQ:VLTR", "NASDAQ:PCCF", "NYSE:ARDM", "NASDAQ:LMFS", "NYSE:BRVF", "NYSE:QRVE",
                   "NYSE:CSTF", "NASDAQ:TLWS", "XETR:KSWK", "BME:SOLI"),
          countries=("US", "DE", "ES"), facets={"corp_activity": ["earnings"], "priority": ["top_stories"]},
          versions={"en": ("Earnings Season Scorecard: What Ten Reports Told Us About the Third Quarter",
                           _scorecard_tree())})


def _scorecard_tree() -> dict[str, Any]:
    """The long read: ten company sections, a summary table and further reading."""
    def section(name: str, symbol: str, ticker: str, *paragraphs: str) -> list[Node]:
        first, *rest = paragraphs
        return [h3(name, " (", sym(symbol, ticker), ")"), p(first), *(p(x) for x in rest)]

    return root(
        p("We are past the halfway mark of third-quarter reporting season, and the picture that has emerged is "
          "more interesting than the headline beat rate suggests. Most companies cleared the bar, as they usually "
          "do, but the reactions to those beats have been unusually lopsided. Investors are rewarding a narrow set "
          "of things — order books, pricing power and anything that looks like a durable shift in demand — and "
          "punishing even small cracks in guidance."),
        p("Below we walk through the ten reports that mattered most for the mid-cap names on our radar, what each "
          "one said about its corner of the economy, and the questions we would want answered before the next "
          "round. A summary table comes first for readers in a hurry."),
        p("A word on method. \"Beat\" and \"miss\" refer to adjusted earnings per share against the average "
          "analyst estimate on the day before each report; for Kaiserwerk and Solera Ibérica we used operating "
          "profit, which is how those companies guide. Stock reactions are measured from the last close before "
          "the release to the close of the first full session after it, so after-hours moves that faded by the "
          "next afternoon are not counted. Where a company pre-announced, as Brevan did, we measured from the "
          "pre-announcement instead."),
        table(["Company", "Result vs. estimates", "Guidance", "Stock reaction"],
              [["Voltaris Robotics", "Beat", "Raised", "+9%"], ["Pinecrest Coffee", "Beat", "Kept", "+6%"],
               ["Ardent Materials", "Beat", "Raised", "+4%"], ["Lumenfield Semiconductor", "In line", "Cut", "−11%"],
               ["Brevan Freight", "Miss", "Cut (pre-announced)", "−7%"], ["Quorvane Energy", "Miss", "Withdrawn",
                                                                           "−5%"],
               ["Castellan Financial", "Beat", "Raised", "+3%"], ["Tallow Street Securities", "Beat", "Kept", "−2%"],
               ["Kaiserwerk", "Beat", "Kept", "+4%"], ["Solera Ibérica", "In line", "Kept", "+1%"]]),
        h2("The winners: orders and pricing"),
        *section("Voltaris Robotics", "NASDAQ:VLTR", "VLTR",
                 "Voltaris set the tone early in the season. Orders of $412 million roughly doubled from a year ago, "
                 "and management raised full-year revenue guidance for the second time this year. The detail we "
                 "found most telling was not the headline number but its composition: repeat customers accounted "
                 "for about two-thirds of new bookings, which suggests early deployments are paying back fast enough "
                 "for buyers to come back for more. For a hardware company selling into capital budgets, that is "
                 "the single best data point it can offer.",
                 "The risk is that expectations have now run well ahead of the fundamentals. After the report the "
                 "stock traded at roughly nine times forward sales, a multiple that leaves little room for a lumpy "
                 "quarter. Robot orders are large and irregular by nature; one delayed warehouse project could make "
                 "the next quarter look like a stumble even if the underlying trend is intact. We would watch the "
                 "book-to-bill ratio rather than revenue growth for the next two quarters."),
        *section("Pinecrest Coffee", "NASDAQ:PCCF", "PCCF",
                 "Pinecrest delivered the cleanest consumer beat we saw. Same-store sales rose 5.2% against "
                 "expectations of 2.8%, and, more importantly, traffic grew for the first time in five quarters. "
                 "The company's weekday afternoon bundles — a coffee and a pastry at a set price — did what they "
                 "were designed to do: they filled the slow hours without cannibalizing the morning rush.",
                 "Margins were the price of that success. Operating margin fell 80 basis points as dairy and wage "
                 "costs rose faster than menu prices. Management insisted that price increases would stay targeted, "
                 "which we read as a sign that it would rather protect traffic than defend margin in the near term. "
                 "That is a reasonable choice for a chain still rebuilding its customer base, but it means earnings "
                 "growth will lag sales growth for a while. The stock's post-earnings rally has already priced in "
                 "much of the good news."),
        *section("Ardent Materials", "NYSE:ARDM", "ARDM",
                 "Construction materials rarely make headlines, but Ardent's report was a quiet reminder of what "
                 "pricing power looks like. Aggregates prices rose 9% while shipments grew 4%, and cement margins "
                 "expanded by more than two percentage points. The company raised its full-year EBITDA outlook and "
                 "brought net leverage down to 1.9 times.",
                 "The question for Ardent is volume, not price. Public infrastructure spending remains supportive, "
                 "but residential construction in its western markets has softened, and commercial projects are "
                 "being delayed by higher financing costs. So far, price has more than made up the difference. We "
                 "would want to see volumes hold up in the seasonally weak first quarter before assuming the story "
                 "can run much further."),
        h2("The stumbles: guidance and visibility"),
        *section("Lumenfield Semiconductor", "NASDAQ:LMFS", "LMFS",
                 "Lumenfield produced the most painful reaction of the season among the names we follow, and the "
                 "numbers explain why. Third-quarter results were fine, but the fourth-quarter revenue guide of "
                 "$1.9 billion came in about 8% below consensus. The reason was the word investors dread: "
                 "digestion. Two large cloud customers are absorbing chips bought earlier in the year and have "
                 "deferred orders into the first quarter.",
                 "We think the sell-off overstates the damage. Gross margin held at 61%, a sign that the company is "
                 "not discounting to move inventory, and management said orders for its next-generation accelerator "
                 "were running well ahead of the previous product's launch. A pause followed by a sharp "
                 "reacceleration is a familiar pattern in semiconductors. The difficulty is timing it. Until "
                 "customers' inventory levels normalize, the stock will likely trade on every comment from the large "
                 "cloud buyers."),
        *section("Brevan Freight", "NYSE:BRVF", "BRVF",
                 "Brevan had already cut its outlook before reporting, so the quarter itself held few surprises. "
                 "Parcel volumes from e-commerce customers slowed in September, and long-haul pricing remained weak. "
                 "The more useful information came from the call: management described customers consolidating "
                 "shipments ahead of the holidays rather than expanding them, a sign that retailers are managing "
                 "inventory tightly going into the peak season.",
                 "That comment matters well beyond Brevan. If retailers are this cautious, the holiday quarter may "
                 "be weaker for freight carriers, packaging suppliers and warehouse operators alike. Brevan's own "
                 "response has been to look at its portfolio, with reports that it is in talks to sell its European "
                 "parcel business. A sale would simplify the company and shore up the balance sheet, but it would "
                 "also shrink the business at a low point in the cycle."),
        *section("Quorvane Energy", "NYSE:QRVE", "QRVE",
                 "Quorvane's quarter was overshadowed by events outside its control. A third-party pipeline outage "
                 "in mid-October forced the company to halt drilling and production in the Delaware Basin, and its "
                 "third-quarter report, published at the end of the month, could only offer a rough estimate of the "
                 "impact. Management withdrew its fourth-quarter production guidance until the line is back in "
                 "service.",
                 "Excluding the outage, the underlying business looked steady: well costs fell, and the company kept "
                 "its dividend unchanged. But the episode highlights a risk that investors often ignore in "
                 "single-basin producers. When your barrels depend on someone else's pipe, one point of failure can "
                 "wipe out a quarter's growth. We expect Quorvane to face questions about diversifying its takeaway "
                 "capacity at its next investor event."),
        h2("Financials and the deal-making theme"),
        *section("Castellan Financial", "NYSE:CSTF", "CSTF",
                 "Castellan raised its full-year net interest income guidance by 3% in mid-October, arguing that "
                 "deposit costs had peaked earlier than expected. Less than three weeks later it announced an "
                 "all-stock deal for Oakmere Bancorp valued at about $3.1 billion. The two events are connected: a "
                 "bank that is confident about its funding costs is a bank willing to take on another deposit "
                 "franchise.",
                 "The market's first reaction to the deal was skeptical, as it usually is for acquirers, but the "
                 "math is straightforward. Castellan expects to cut about 30% of Oakmere's cost base and says the "
                 "deal adds to earnings per share in the first full year. If those savings materialize, the deal "
                 "looks sensible. If integration drags, it will be an expensive distraction. Either way, we expect "
                 "more regional bank combinations as funding pressure eases."),
        *section("Tallow Street Securities", "NASDAQ:TLWS", "TLWS",
                 "Tallow Street's results showed the retail trading boom is not over: daily average revenue trades "
                 "rose 21% from a year ago, and net interest revenue on client cash held up better than feared. Yet "
                 "the quarter will be remembered for a security incident days before the report, when an attacker "
                 "tampered with the broker's login page. The company said no client funds were lost.",
                 "Brokers run on trust, and the real cost of an incident like this rarely shows up in the following "
                 "quarter. It shows up in slower account growth over the next year. Management's response — forced "
                 "password resets and a review of its publishing systems — was prompt, but we would watch new funded "
                 "accounts closely in the fourth quarter."),
        h2("Across the Atlantic"),
        *section("Kaiserwerk", "XETR:KSWK", "KSWK",
                 "Kaiserwerk's quarter confirmed what its order announcements had already suggested. The rail "
                 "unit's order book is approaching €9 billion after a €1.4 billion signalling award in Germany, and "
                 "group margins improved as the higher-margin rail business grew faster than the rest of the "
                 "company.",
                 "The challenge now is execution. Signalling projects run for years, and cost overruns on long-dated "
                 "fixed-price contracts have hurt European rail suppliers before. Kaiserwerk says it has built "
                 "inflation protection into its newest contracts, which is encouraging, but investors paying "
                 "roughly 19 times next year's earnings are assuming near-flawless delivery."),
        *section("Solera Ibérica", "BME:SOLI", "SOLI",
                 "Solera Ibérica lifted its solar pipeline to 7.8 gigawatts and grew third-quarter EBITDA by 14%. "
                 "The company has been one of the more disciplined developers in southern Europe, favoring "
                 "long-term contracts with industrial buyers over exposure to volatile wholesale power prices.",
                 "That discipline is about to be tested. Midday power prices in Spain can collapse on sunny days as "
                 "more solar capacity comes online, a phenomenon the industry calls price cannibalization. Solera's "
                 "contracted model shields it better than most, but its growth plan assumes new contracts can be "
                 "signed at attractive prices. Watch the pricing of its next few agreements."),
        h2("The read-across for everyone else"),
        p("Individual reports are noisy; the connections between them are more useful. Three threads run "
          "through this batch, and each has implications for companies that have not reported yet."),
        p("The first is the split inside capital spending. Voltaris, Northwind Grid and Kaiserwerk are all "
          "benefiting from customers who are willing to commit large sums to projects measured in years, while "
          "Brevan and Ardent describe customers postponing anything discretionary. The dividing line is not "
          "industry but payback: spending that lowers labor or energy costs is being approved, spending that "
          "merely adds capacity is being delayed. Suppliers of automation components, grid equipment and "
          "efficiency software should report firm demand; suppliers of general industrial capacity may not."),
        p("The second thread is inventory. Lumenfield's customers are digesting chips, Brevan's customers are "
          "consolidating shipments, and Pinecrest's suppliers told the company that retailers are ordering "
          "closer to need. None of this signals collapsing end demand, but it does mean that reported orders "
          "can understate consumption for a quarter or two, and then overshoot it when restocking begins. "
          "Companies early in their supply chains will feel both swings more sharply than those selling to "
          "the final customer."),
        p("The third is financing. Castellan's comment that deposit costs have peaked, Northwind's ability to "
          "sell green bonds with orders several times the deal size, and Ardent's falling leverage all point to "
          "credit conditions that are easing at the margin. If that continues, the projects being postponed "
          "today could come back onto the schedule faster than the cautious commentary suggests, which would "
          "help the laggards in this group more than the leaders."),
        h2("What it all adds up to"),
        p("Taken together, these ten reports point to an economy that is slowing at the edges but not cracking. "
          "Consumers are still spending, but they respond to value. Businesses are still investing, but they are "
          "concentrating money on projects with a clear payback, such as automation and grid infrastructure. "
          "Freight and parts of construction are already feeling the slowdown."),
        p("For investors, the lesson of this season is that guidance matters more than results. A beat with a soft "
          "outlook gets sold, and a miss with a strong order book gets forgiven. We would focus on companies with "
          "visibility: long backlogs, recurring revenue, or contracts that protect against inflation. We would be "
          "more cautious about companies whose next quarter depends on a single customer, a single pipeline or a "
          "single holiday season."),
        p("Three questions we will carry into the fourth-quarter reports:"),
        ul((p(b("Do order books convert?"), " Backlog is only worth what it turns into. Watch delivery schedules at "
              "Voltaris and Kaiserwerk."),),
           (p(b("Does the consumer stay value-driven?"), " If bundles and promotions keep working at Pinecrest, "
              "expect competitors to copy them, which would squeeze margins across the category."),),
           (p(b("How fast does digestion end?"), " Lumenfield's first-quarter guide will tell us whether the cloud "
              "pause was a blip or the start of a longer air pocket."),)),
        h3("Further reading"),
        ul((ref("voltaris_orders", "Voltaris Robotics jumps as warehouse orders double"),),
           (ref("pinecrest_beat", "Pinecrest Coffee brews a surprise"),),
           (ref("lumenfield_slide", "Lumenfield slides as guidance disappoints"),)),
        hr(),
        p(i("This article reflects the views of its author and is not investment advice.")),
    )


CHART_ALT = {"en": "Price chart", "de": "Kursverlauf", "es": "Gráfico de precios", "fr": "Graphique des cours",
             "it": "Grafico dei prezzi", "pt": "Gráfico de preços"}


def has_image(node: Node) -> bool:
    if isinstance(node, list):
        return any(has_image(n) for n in node)
    if isinstance(node, dict):
        return node.get("type") in ("news-image", "image") or any(has_image(v) for v in node.values())
    return False


def add_charts(records: list[dict[str, Any]]) -> None:
    """Every other story without an image ends with a price chart, so list pages show real
    thumbnails for most stories (the chart files come from tools/make_images.py)."""
    plain = [r for r in records if not has_image(r["versions"])
             and all(v.get("ast_description") for v in r["versions"].values())]
    for record in plain[::2]:
        for lang, version in record["versions"].items():
            chart = image("chart", CHART_ALT.get(lang, CHART_ALT["en"]), (1200, 675), "#ffffff")
            version["ast_description"]["children"].append(chart)


def render_files() -> dict[str, str]:
    records = sorted(STORIES.values(), key=lambda r: (r["published"], r["id"]))
    add_charts(records)
    files: dict[str, str] = {}
    for n, record in enumerate(records, start=1):
        out = resolve(record, record["id"], STORIES)
        files[f"{n:03d}.json"] = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    return files


def main(argv: list[str]) -> int:
    define_stories()
    files = render_files()
    if "--check" in argv:
        current = {f.name: f.read_text(encoding="utf-8") for f in OUT.glob("*.json")} if OUT.exists() else {}
        if current != files:
            print("sample archive differs from tools/make_sample.py", file=sys.stderr)
            return 1
        print(f"sample archive up to date ({len(files)} stories)")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("*.json"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} stories to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
