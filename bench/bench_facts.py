"""Market-facts extraction throughput: stories per second on one core.

Usage: .venv/bin/python bench/bench_facts.py [--stories 2000] [--repeat 3] [--seed 1]

The stories are generated here from sentence templates (en, de, es; about 150 words each, a third
per language): results against estimates, guidance, moves and levels of shares and indices, rate
decisions, dividends, buybacks, price targets, plus filler sentences without figures, with the
company names drawn from the bundled symbol list. None comes from the labelled test stories.

Measured in the same run, each on one core:

* baseline: a naive extractor (two regexes, "shares rose X%" and "EPS of $X"), the kind of
  extraction the issue compares against: the floor of a single pass over the text;
* numbers floor: ``numbers.find_quantities`` and ``periods.find_periods`` over every sentence, the
  parsing any extractor on top of them pays before it decides anything;
* in-process: ``newsdesk.facts.extract`` on every story after one warm-up story (tables loaded);
* whole process: ``newsdesk facts FILE`` over the same stories as JSON Lines, wall time of the
  process from start to exit (start-up, imports and table loading included), as a user runs it.

The target is at least 1,000 stories/s in process. The table gives each figure and its ratio to
the baseline; the machine's load changes absolute figures, the ratio much less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsdesk.facts import extract
from newsdesk.tickers import companies

TEMPLATES = {
    "en": [
        ("{co} reported third-quarter revenue of ${rev} billion, up {pct}% from a year earlier and above the "
        "${rev2} billion analysts had expected."),
        "Adjusted earnings came to ${eps} per share, beating the consensus estimate of ${eps2}.",
        "The company forecast fourth-quarter revenue of ${rev} billion to ${rev3} billion.",
        "{co} shares rose {pct}% to ${px} in extended trading after the results.",
        "The S&P 500 gained {small}% to {lvl}, while the Nasdaq Composite added {small}%.",
        "The board raised the quarterly dividend to {cents} cents a share and approved a ${bb} billion buyback.",
        "Analysts at a large broker lifted their price target on {co} to ${px} from ${px2}.",
        "The Federal Reserve cut interest rates by 25 basis points to a range of 3.75% to 4.00%.",
        ("Chief executive officers at the group said demand from customers in Europe and Asia stayed firm "
        "through the summer and into the autumn months."),
        "Rival {co2} fell {small}% after it said orders slowed in the period.",
        "Management said it would keep investing in new products and expects a steady pipeline next year.",
    ],
    "de": [
        ("{co} steigerte den Umsatz im dritten Quartal um {pct} Prozent auf {rev} Milliarden Euro und übertraf "
        "damit die Erwartungen der Analysten von {rev2} Milliarden Euro."),
        "Der Gewinn je Aktie lag bei {eps} Euro nach {eps2} Euro im Vorjahr.",
        "Für das Gesamtjahr erwartet der Konzern nun einen Umsatz von {rev} bis {rev3} Milliarden Euro.",
        "Die Aktie von {co} legte um {pct} Prozent auf {px} Euro zu.",
        "Der Leitindex Dax stieg um {small} Prozent auf {lvl} Punkte.",
        ("Die Dividende soll auf {eps} Euro je Aktie steigen, zudem kündigte das Unternehmen einen Aktienrückkauf "
        "über {bb} Milliarden Euro an."),
        "Die Europäische Zentralbank beließ den Einlagensatz bei 2,0 Prozent.",
        "Der Vorstand sprach von einer robusten Nachfrage in Europa und Asien und von vollen Auftragsbüchern.",
        "Konkurrent {co2} verlor {small} Prozent.",
        "Das Management will weiter in neue Produkte investieren und sieht eine stabile Entwicklung.",
    ],
    "es": [
        ("{co} obtuvo unos ingresos de {rev}00 millones de euros en el tercer trimestre, un {pct}% más que hace un "
        "año y por encima de los {rev2}00 millones que esperaban los analistas."),
        "El beneficio por acción fue de {eps} euros, frente a los {eps2} euros del año anterior.",
        "La compañía prevé unas ventas de entre {rev}00 y {rev3}00 millones de euros para el conjunto del año.",
        "Las acciones de {co} subieron un {pct}%, hasta {px} euros.",
        "El Ibex 35 avanzó un {small}%, hasta los {lvl} puntos.",
        ("La empresa pagará un dividendo de {eps} euros por acción y lanzará un programa de recompra de {bb}00 "
        "millones de euros."),
        "El Banco Central Europeo mantuvo los tipos de interés sin cambios.",
        "La dirección destacó la fortaleza de la demanda en Europa y América y la buena marcha de los pedidos.",
        "Su rival {co2} cayó un {small}%.",
        "La compañía seguirá invirtiendo en nuevos productos y espera un ejercicio estable.",
    ],
}
NAIVE = [re.compile(r"shares (?:rose|fell|gained|lost) (\d+(?:\.\d+)?)%"), re.compile(r"EPS of \$(\d+(?:\.\d+)?)")]


def make_stories(n: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    names = [c.aliases[0] if c.aliases else c.name for c in companies() if c.home][:400]
    out: list[dict[str, object]] = []
    for i in range(n):
        lang = ("en", "de", "es")[i % 3]
        pool = TEMPLATES[lang]
        words, sentences = 0, []
        co, co2 = rng.sample(names, 2)
        while words < 150:
            sentence = rng.choice(pool).format(
                co=co, co2=co2, rev=rng.randint(5, 90), rev2=rng.randint(5, 90), rev3=rng.randint(5, 90),
                pct=rng.randint(1, 30), small=f"{rng.randint(1, 30) / 10:.1f}", eps=f"{rng.randint(50, 900) / 100:.2f}",
                eps2=f"{rng.randint(50, 900) / 100:.2f}", px=rng.randint(20, 900), px2=rng.randint(20, 900),
                lvl=f"{rng.randint(5000, 25000):,}", cents=rng.randint(10, 99), bb=rng.randint(1, 20))
            if lang != "en":
                sentence = re.sub(r"(\d)\.(\d)", r"\1,\2", sentence)
            sentences.append(sentence)
            words += len(sentence.split())
        out.append({"id": f"b{i}", "lang": lang, "title": f"{co}: results", "text": " ".join(sentences)})
    return out


def per_second(fn: object, stories: list[dict[str, object]], repeat: int) -> float:
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        for s in stories:
            fn(s)  # type: ignore[operator]
        best = max(best, len(stories) / (time.perf_counter() - start))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    stories = make_stories(args.stories, args.seed)
    words = sum(len(str(s["text"]).split()) for s in stories) / len(stories)

    def naive(s: dict[str, object]) -> None:
        for pattern in NAIVE:
            pattern.findall(str(s["text"]))

    def engine(s: dict[str, object]) -> None:
        extract(str(s["title"]), str(s["text"]), str(s["lang"]))

    from newsdesk.facts.engine import split_sentences
    from newsdesk.facts.numbers import find_quantities
    from newsdesk.facts.periods import find_periods

    def numbers(s: dict[str, object]) -> None:
        lang = str(s["lang"])
        for _, sentence in split_sentences(str(s["text"])):
            find_quantities(sentence, lang)
            find_periods(sentence, lang)

    engine(stories[0])
    base = per_second(naive, stories, args.repeat)
    floor = per_second(numbers, stories, args.repeat)
    inproc = per_second(engine, stories, args.repeat)
    facts = sum(len(extract(str(s["title"]), str(s["text"]), str(s["lang"]))) for s in stories)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stories.jsonl"
        path.write_text("".join(json.dumps(s) + "\n" for s in stories), encoding="utf-8")
        cli = [sys.executable, "-c", "from newsdesk.cli import main; main()", "facts", str(path)]
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run(cli, check=True, stdout=subprocess.DEVNULL)
            best = min(best, time.perf_counter() - start)
        whole = len(stories) / best
    print(f"{len(stories)} stories, {words:.0f} words on average, {facts / len(stories):.1f} facts a story, "
          f"best of {args.repeat}, one core")
    print(f"{'measure':<38}{'stories/s':>11}{'us/story':>10}{'time vs baseline':>18}{'vs numbers floor':>18}")
    for label, value in (("baseline (two naive regexes)", base), ("numbers floor (numbers + periods)", floor),
                         ("extract() in process", inproc), ("newsdesk facts FILE (whole process)", whole)):
        print(f"{label:<38}{value:>11,.0f}{1e6 / value:>10,.0f}{base / value:>17,.0f}x{floor / value:>17.1f}x")
    print(f"target: 1,000 stories/s in process: {'met' if inproc >= 1000 else 'NOT met'}")


if __name__ == "__main__":
    main()
