"""Throughput of ``newsdesk.tickers.find_symbols`` against a naive cashtag regex, one core.

    .venv/bin/python bench/bench_tickers.py [--n N] [--repeat R] [--seed S]

Both sides scan the same synthetic news texts of about 150 words (market prose with numbers,
dollar amounts, "US$", upper-case words such as CEO, EPS, AI and IT, a URL, and in most texts a
cashtag, an exchange notation like "(NASDAQ: AMZN)" or "Company Inc. (TICKER)"):

* baseline: ``re.findall(r"\\$[A-Z]{1,5}\\b", text)``, the plain cashtag regex one would write
  first (no validation, no exchange notations, no names);
* newsdesk: ``find_symbols(text)`` (one compiled regex pass, validated against the bundled list).

Prints a Markdown table: texts/s and MB/s of both and their ratio (fastest of ``--repeat``
runs), plus the one-off cost of loading the list (first call, in a fresh process).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsdesk.tickers import companies, find_symbols  # noqa: E402

WORDS = ("the company said on Tuesday that revenue for the quarter rose while margins narrowed as "
         "costs for freight and labour climbed analysts had expected a smaller gain and shares fell "
         "in early trading before recovering later in the session the board also approved a new "
         "buyback programme and raised its dividend guidance for the full year remains unchanged "
         "according to a statement investors will watch the central bank meeting next week").split()
TRAPS = ("CEO", "EPS", "AI", "IT", "USD", "Fed", "GDP", "A", "I", "US$5 billion", "$1.5 billion",
         "$20", "internet", "NET", "F", "Q3", "ETF", "(AI)", "(EPS)", "$FB", "Nasdaq: AI stocks")
NAIVE = re.compile(r"\$[A-Z]{1,5}\b")


def make_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    listed = [c for c in companies() if c.home]
    texts = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(140)]
        for _ in range(4):
            words.insert(rng.randrange(len(words)), rng.choice(TRAPS))
        company = rng.choice(listed)
        mention = rng.choice((f"${company.ticker.rstrip('.')}", f"({company.exchange}: {company.ticker})",
                              f"{company.name} ({company.ticker.rstrip('.')})", "", f"{company.name} shares"))
        words.insert(rng.randrange(len(words)), mention)
        if rng.random() < 0.3:
            words.append("https://example.com/news/markets?id=42&ref=$AMZN")
        text = " ".join(words)
        texts.append(text[:1].upper() + text[1:] + ".")
    return texts


def timed(fn: Callable[[str], object], texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def load_cost() -> float:
    """Seconds for importing the module and the first call (list load), in a fresh process."""
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); t = time.perf_counter(); "
            "from newsdesk.tickers import find_symbols; find_symbols('$AMZN'); "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT / "src")], capture_output=True, text=True,
                         check=True)
    return float(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    texts = make_texts(args.n, args.seed)
    find_symbols(texts[0])  # load the list outside the timing
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    words = sum(len(t.split()) for t in texts) / len(texts)
    base = timed(NAIVE.findall, texts, args.repeat)
    ours = timed(find_symbols, texts, args.repeat)
    found = sum(1 for t in texts if find_symbols(t))
    print(f"{args.n} texts, {words:.0f} words each on average, {megabytes:.1f} MB; "
          f"{found} with a symbol found; list: {len(companies())} companies\n")
    print("| scanner | texts/s | MB/s | time vs baseline |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| baseline: naive cashtag regex | {args.n / base:,.0f} | {megabytes / base:.1f} | 1.00x |")
    print(f"| newsdesk find_symbols | {args.n / ours:,.0f} | {megabytes / ours:.1f} | {ours / base:.2f}x |")
    print(f"\nimport + list load (fresh process, first call): {load_cost() * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
