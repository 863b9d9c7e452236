"""English cue words of the fact rules (regex fragments; compiled once by ``rules.lexicon``)."""

from __future__ import annotations

#: metric keywords: (kind, pattern). Kinds are metrics, "shares" (a move or price context), "excluded"
#: (a number the vocabulary leaves out) or "loss_*" (the signed-negative form of a metric).
KEYWORDS: list[tuple[str, str]] = [
    ("excluded", (r"pre-?tax (?:profit|income|earnings)|profit before tax|EBITDA|free cash flow|deliver(?:ies|ed)|"
                 r"subscribers|users|bookings|order intake|orders|backlog|shipments|(?:iron ore |copper |oil |gas |crude |"
                 r"steel |gold )(?:production|output)|remaining performance obligations|RPO|"
                 r"net interest income|contracted future revenue|future revenue|CET1|(?:common equity )?tier (?:one|1)(?: ratio)?|"
                 r"capital ratio|net debt|market (?:value|cap(?:italization)?|share)|share of (?:the )?(?:[\w'-]+ ){0,4}?market|valuation|volumes?|"
                 r"short interest|yields?|(?:oil|gold)(?! (?:majors?|groups?|compan(?:y|ies)|producers?|firms?|giants?|miners?|explorers?|drillers?)\b)|crude|Brent|WTI|bitcoin|dollar index|the (?:dollar|euro(?![- ]zone| area)|yen|pound)|"
                 r"inflation|GDP|unemployment|jobs|payrolls|headcount|employees|stores|comparable (?:store )?sales|"
                 r"same-store sales|comps|organic (?:sales|growth|revenue)|gross profit|segment profit|"
                 r"charges?|impairment|write-?downs?|cash flow|costs?|expenses|spending cuts|tax rate|"
                 r"stake|rate cuts? (?:by|in)|probability|odds|priced in|(?:medical (?:care|loss)|combined|loss|cost|efficiency|"
                 r"payout|leverage|expense) ratio")),
    ("deal", (r"offer price|IPO price|went public|go(?:es|ing)? public|(?:its|an|the) initial public offering|priced (?:its|the) (?:IPO|offering|shares)|buyout|takeover|acquisition|"
             r"(?:agreed |offered |to )?(?:acquire|buy(?! ?back))|in cash|per share in cash|bid|offer(?: values?)?|valuing|"
             r"values? (?=(?-i:[A-Z]))|cash-and-stock|all-cash|deal")),
    ("segment_revenue", r"(?:revenue|sales) (?:from|at|in) (?:its |the )?(?=(?-i:[A-Z]))"),
    ("eps", (r"(?:adjusted |diluted |GAAP |non-GAAP |core )?(?:earnings|profit|income) per (?:diluted )?share|"
            r"(?:adjusted |diluted |GAAP |non-GAAP )?EPS|per-share (?:earnings|profit)")),
    ("loss_eps", r"(?:adjusted |net )?loss per share"),
    ("operating_margin", r"(?:adjusted )?operating margins?|EBIT margin"),
    ("gross_margin", r"(?:adjusted )?gross margins?"),
    ("operating_income", (r"(?:adjusted )?operating (?:income|profit|earnings)|(?:adjusted )?EBIT\b|"
                         r"earnings before interest and taxes")),
    ("loss_operating_income", r"operating loss"),
    ("loss_net_income", r"net loss|loss attributable|(?<!per share )\bloss\b"),
    ("net_income", (r"net (?:income|profit|earnings)|profit attributable|(?:quarterly |annual )?(?:profit|earnings)"
                   r"(?! per)|bottom line|earned")),
    ("revenue", (r"(?:total |net |quarterly |annual |adjusted )?(?:revenues?|sales|turnover)|top line|"
                r"(?:investment[- ]banking|advisory|underwriting|(?:asset|wealth)[- ]management|brokerage) fees"
                r"(?=[^,;]{0,40}?(?:[$€£]|HK\$)\s?\d)")),
    ("capex", r"capital (?:expenditures?|spending|investment)|capex|spending on (?:data centers|AI|infrastructure)"),
    ("dividend", r"(?:quarterly |interim |final |special |annual )?dividends?|payout per share"),
    ("buyback", (r"(?:share |stock )?(?:buyback|repurchase)s?(?: program(?:me)?| plan| authori[sz]ation)?|"
                r"buy back|to repurchase")),
    ("price_target", (r"(?:price|share-price|stock-price|year-end) targets?|(?:their|its|his|her) own target|target price|price objective|"
                     r"(?:their|its|his|her) (?:12-month |twelve-month |one-year |new )?target(?= (?:to|by|at|from) \$?\d)|"
                     r"target (?:on|for) (?=(?-i:[A-Z]))|target (?:on|for) (?:the|its) (?=(?:[\w.'’-]+ ){1,3}?(?:to|at) )|"
                     r"(?:its|their|his|her) target(?= (?:to|at|of) (?:[$€£¥]|HK\$|[\d.,]+ ?(?:p|pence|euros?|yen|"
                     r"francs?|Swiss francs|kronor)\b))")),
    ("rate", (r"(?:benchmark |policy |key |federal funds |fed funds |interest |deposit |refinancing |bank )rates?|"
             r"(?:overnight |short-term )?(?:interest )?rates?(?= (?:to|at|by|unchanged|steady|on hold))|"
             r"federal funds rate|deposit facility rate|main refinancing rate|Bank Rate|(?:its |the )?target range")),
    ("shares", r"shares|stock|ADRs?|American depositary (?:receipts|shares)|its units|the company's units"),
]

#: a metric named right after the number ("$1.20 a share", "$5 billion in revenue")
POSTFIX: list[tuple[str, str]] = [
    ("eps", r"(?:a|per) (?:diluted )?share|of (?:adjusted )?EPS|in (?:adjusted )?EPS"),
    ("revenue", r"(?:in|of) (?:total |quarterly )?(?:revenues?|sales)"),
    ("net_income", r"(?:in|of) (?:net )?(?:profit|income|earnings)"),
    ("loss_net_income", r"(?:in|of) (?:net )?loss(?:es)?"),
    ("operating_income", r"(?:in|of) operating (?:income|profit)|(?:at|on) (?:the|an) operating (?:level|basis)"),
    ("capex", r"(?:in|of|on) capital (?:expenditures?|spending)|in capex"),
    ("buyback", r"(?:share |stock )?(?:buyback|repurchase)"),
    ("price_target", r"(?:price |share-price |stock-price |year-end )?target"),
    ("dividend", r"(?:quarterly |special |interim |final )?dividend"),
]

GUIDANCE = (r"\b(?:(?:is|are) expected to (?:be|come in|total|range)|forecasts?|forecasted|forecasting|outlook|"
            r"guidance|guided|expects?|projects?|projected|projecting|anticipates?|predicts?|sees|see(?= (?:revenue|sales|"
            r"adjusted|EPS|earnings|profit|operating|gross|full))|(?-i:targets?|targeting)|aims?|aiming|is aiming for|now sees|estimates? "
            r"(?:its|that)|to (?:range|be) between|plans?|planned|budget(?:ed)?|intends)\b")
#: analysts' figures: the number after this is an expectation (a reference, never a fact by itself)
EXPECT_BEFORE = (r"(?:estimates?|expectations?|consensus|views?) (?:of|for|at|was|were|"
                 r"had been|calling for|stood at)(?: an?)?(?: average| adjusted| consensus)*|"
                 r"analysts(?:'| polled| surveyed)?[^.;]{0,40}?(?:expected|expecting|estimated|forecast|had "
                 r"(?:expected|forecast|projected|anticipated|pencil?led in)|projected|were looking for|looked for|"
                 r"anticipated|predicted|saw|see|expect|had been expecting)|expected(?: by analysts)?|"
                 r"consensus(?: estimate| forecast| view| expectation)?(?: of| for)?|the Street(?:'s)?(?: view)?|"
                 r"Wall Street(?:'s)?(?: (?:estimate|target|forecast|view|expectation))?(?: of)?|"
                 r"LSEG(?: data)?|FactSet|Visible Alpha|Bloomberg(?: consensus)?|analysts' (?:average )?"
                 r"(?:estimate|forecast|target|view|expectation)s?(?: of)?|average (?:analyst )?estimate(?: of)?|"
                 r"(?:the |an? )?(?:estimated|expected|projected|anticipated)|(?:the |an? )forecast|estimate")
EXPECT_AFTER = (r"(?:(?:loss|profit) (?=(?:that |which )?(?:analysts|Wall Street|the Street|expected|estimated|forecast)))?"
                r"(?:(?:expected|estimated|forecast|anticipated|projected)(?: by analysts)?|consensus|estimates?|"
                r"(?:average|mean|median|consensus) (?:analyst |analysts' )?(?:estimate|forecast|expectation)s?|(?:analysts'|Street) "
                r"estimates?|(?:that |which )?(?:analysts|Wall Street|the Street|economists)(?: had| were| have| on average|"
                r" (?:polled|surveyed|compiled|tracked) by (?:[A-Z][\w&.]*)(?: [A-Z][\w&.]*)?)* ?(?:expected|estimated|"
                r"forecast|projected|anticipated|been expecting|were looking for|had pencil?led in|pencil?led in|"
                r"(?:been )?modell?(?:ed|ing)|predicted|predict|expect)|pencil?led in by analysts|"
                r"(?:average|mean|median) of (?:analyst|analysts'?) (?:projections|estimates|forecasts))")
BEAT = (r"\b(?:beat|beats|beating|topped|tops|topping|exceeded|exceeds|exceeding|surpassed|surpassing|outpaced|"
        r"outstripped|above|ahead of|better than|higher than|more than analysts|blew past|cruised past|"
        r"slightly above|came in above|above the)\b")
MISS = (r"\b(?:missed|misses|missing|miss|short of|fell short|falling short|below|lagged|lagging|trailed|trailing|"
        r"weaker than|lower than|worse than|under|undershot|behind)\b")
INLINE = r"\b(?:in line|inline|matched|matching|met|meeting|as expected|roughly in line|in-line|on par with|equal to)\b"
RAISE = r"\b(?:doubl(?:e|es|ed|ing)|rais(?:ed|es|ing)|lift(?:ed|s|ing)|increas(?:ed|es|ing)|boost(?:ed|s|ing)|upgrad(?:ed|es)|hik(?:ed|es|ing)|expand(?:ed|s|ing)|upped|bump(?:ed|s) up|top(?:ped)? up|revised up(?:ward)?)\b"
CUT = r"\b(?:cut(?:s|ting)?|lower(?:ed|s|ing)|reduc(?:ed|es|ing)|trimm?(?:ed|s|ing)|slash(?:ed|es|ing)|downgrad(?:ed|es)|revised down(?:ward)?|scal(?:ed|es) back)\b"
HOLD = (r"\b(?:still expects|continues to expect|reaffirm(?:ed|s|ing)|confirm(?:ed|s|ing)|maintain(?:ed|s|ing)|reiterat(?:ed|es|ing)|kept|keeps|"
        r"keeping|held|holds|holding|left|leaves|unchanged|steady|stood by|stands by|on hold)\b")
NARROW = r"\b(?:narrow(?:ed|s|ing)|tighten(?:ed|s|ing))\b"
UP = (r"\b(?:rose|rise|rises|rising|gained|gains|gaining|jumped|jumps|jumping|climbed|climbs|climbing|rallied|rallies|"
      r"surged|surges|surging|soared|soars|soaring|advanced|advances|added|adds|adding|rebounded|rebounds|increased|"
      r"grew|grows|growing|up|higher|edged up|ticked up|firmed|spiked|popped|leapt|leaped|picked up|improved|expanded|"
      r"widened|doubled|tripled|increase|growth|gain|rise|jump|rally|advance|improvement|expansion|risen|"
      r"surged|climbed|soared|rallied|jumped|gained)\b")
DOWN = (r"\b(?:fell|falls|falling|fall|dropped|drops|dropping|declined|declines|declining|slid|slides|sliding|slipped|"
        r"slips|lost|loses|losing|sank|sinks|sinking|tumbled|tumbles|plunged|plunges|plummeted|retreated|retreats|"
        r"decreased|shed|sheds|dipped|dips|eased|eases|down|lower|slumped|slumps|skidded|shrank|shrunk|contracted|"
        r"narrowed|decline|drop|decrease|contraction|slump|tanked|cratered|halved|weakened|gave up|lost ground|"
        r"erased|pared|fallen|sunk|shrunk|tumbled|plunged|declined|dropped|lost|slumped)\b")
FLAT = r"\b(?:flat|unchanged|stable|steady|little changed|level with)\b"
PRIOR = (r"\b(?:(?:from|compared with|compared to|versus|against|above|below|up from|down from) (?:its |the |an? )?"
         r"(?:previous|prior|earlier|old|former|original|initial) (?:\w+ )?(?:range|forecasts?|guidance|plan|outlook|"
         r"targets?|estimates?|view|goal|program(?:me)?|projections?|expectations?|predictions?)(?: of)?|"
         r"(?:(?:having|after|which it had|it had|had) )?(?:previously|earlier|initially|originally) (?:guided|forecast|"
         r"projected|expected|targeted|predicted|estimated|flagged|indicated|called for|pencil?led in|seen)"
         r"(?: (?:to|for|at|of))?|(?:larger|bigger|smaller) than|"
         r"from|compared with|compared to|versus|vs\.?|against|up from|down from|a year earlier|a year ago|"
         r"replacing|replaces|which replaces|succeeding|"
         r"year-ago|year-earlier|the prior[- ]year|last year's|in the (?:same|year-ago|prior-year) (?:period|quarter)|"
         r"previous(?:ly)?|prior)\b")
PRIOR_AFTER = (r"(?:a year (?:earlier|ago|before)|in the (?:same|year-ago|year-earlier|prior-year|previous) "
               r"(?:period|quarter|year)(?: a year (?:earlier|ago))?|(?:the )?(?:year|quarter) (?:before|earlier)|"
               r"previously|(?:in )?the prior (?:year|quarter|period))")
TO = r"\b(?:to|at|of|was|were|totaled|totalled|came in at|reached|stood at|hit)\s*$"
LEVEL = (r"\b(?:to|at|closed at|ended at|finished at|settled at|traded at|trading at|last at|quoted at)\s+"
         r"(?:(?:a|an|the|another|fresh|new|all-time|record|high|low|closing|close|finish|level|of)\s+)*$|\b(?:to|at)\s*$")
HYPOTHETICAL = (r"\b(?:could|might|would have|if|unless|scenario|bear case|bull case|implies|implying|implied|upside|"
                r"downside|potential|hypothetical|worst case|best case|sensitivity|(?:each|every|any) (?:[\w.%-]+ ){0,3}?"
                r"(?:move|change|rise|increase|drop|fall|decline|swing|shift)s? (?:in|of|against)\b)\b")
PREVIEW = (r"\b(?:(?:is|are|was|were) (?:expected|forecast|projected|estimated|seen) to (?:report|post|earn|deliver|"
           r"show|announce|reveal)|will report|due to report|set to report|scheduled to report|when it reports|"
           r"ahead of (?:its|the) (?:results|report|earnings)|is expected to reach|is set to post|will post|"
           r"expected to show)\b")
INTRADAY = (r"\b(?:as much as|as high as|as low as|at one point|intraday|earlier in the (?:session|day)|"
            r"at (?:its|their|the) (?:session )?(?:high|low|peak|lows?|highs?)|touched|briefly|opened|opening)\b")
THRESHOLD = (r"\b(?:below|above|beneath|past|through|under|over|beyond|crossed|breached|the [\d,.]+(?:-| )(?:point )?"
             r"(?:mark|level|threshold|barrier)|mark|threshold|barrier)\s*$")
FROM_PEAK = (r"^\s*(?:below|above|off|from|under|beneath|short of|shy of|within [\d.]+% of|of)\s+(?:its|their|the|a)?"
             r"\s*(?:[\w-]+\s+){0,2}?(?:record|all-time high|peak|high|low|highs|lows|bottom|top)\b")
CONTRIBUTION = r"^\s*(?:points? )?(?:off|from|to|onto) (?:the )?(?=(?-i:[A-Z]))"
CURRENT_RATE = r"\b(?:currently|now stands|stands at|is at|sits at|remains? in|current range|target range is)\b"
EXECUTED = (r"\b(?:repurchased|bought back|returned|spent [^.;]{0,20}(?:buying back|on buybacks|repurchas)|"
            r"buying back|through (?:dividends|buybacks)|executed|completed)\b")
MEDIAN = r"\b(?:median|consensus|average|mean|analysts' (?:average|mean|median))\b"
SEGMENT_WORDS = r"\b(?:segment|division|unit|business|region|sales of|revenue from|revenue at|revenue in)\b"
DEPOSIT = r"deposit(?: facility)?(?: rate)?"
REFI = r"(?:main )?refinancing(?: operations)?(?: rate)?|refi rate"
AFTER_HOURS = r"\b(?:after[- ]hours|extended trading|after the bell|late trading|after-market|post-market|aftermarket)\b"
PRE_MARKET = r"\b(?:pre-?market|before the bell|premarket|pre-open|early trading in New York)\b"
CLAUSE = (r";|\s[–—]\s|,\s*(?:while|whereas|but|and|as|after|before|although|though|with|which|when|even as)\s|"
          r",\s*(?=(?:lifts|raises|cuts|hikes|boosts|lowers|trims|slashes|keeps|holds|reaffirms|sees|forecasts|"
          r"posts|reports|beats|misses|tops)\s)|"  # a headline's second verb: "declares $15 special dividend, lifts ..."
          r"\s(?:while|whereas|but|after|although|even as|as)\s(?=(?:the |its |shares |[A-Z]))")
ANY_WORD_NUMBER = (r"\b(?:half|third|fifth|quarter|doubled|tripled|halved|break even|breakeven|break-even|"
                   r"penny|dime|nickel)\b")
BY = r"\bby\s*(?:about |roughly |around |nearly |almost |some )?$"
RELATIVE_SHORT = r"\b(?:a penny|a cent|one cent|two cents|a nickel|a dime)\s+(?:short of|shy of|below|under|ahead of|above|better than|more than|less than)"
ANALYSTS = r"\b(?:analysts?|brokers?|strategists?|economists?)\b"
SUBJECT_PRONOUN = r"^(?:It|Its|The company|The group|The firm|Shares)\b"
ANALYST_VIEW = (r"\b(?:analysts?|the Street|Wall Street|consensus|estimates?|brokers?|investors)\b[^.;]{0,40}?\b(?:expect(?:s|ed|ing)?|"
                r"forecast(?:s|ing)?|estimat(?:e|es|ed|ing)(?!\s*(?:[,;:)]|(?:on|of|for|by|in|and|at|from)\b))|see|sees|project(?:s|ed)?|anticipat(?:e|es|ed)|predict(?:s|ed)?|"
                r"(?:are|were) looking for|pencil?led in|modell?(?:ed|ing)|call(?:s|ed)? for|polled)\b")
PAYOUT_TOTAL = r"\b(?:in (?:total )?dividends|total (?:dividend|payout)|dividend payments? of|paid out|payout of|dividend yield|yield)\b"
LOSS = r"\b(?:loss|losses|lost)\b"
EXPECT_NOUN = r"(?:the )?(?:analysts'? |Wall Street |Street |consensus )?(?:estimates?|expectations?|forecasts?|consensus|projections)"
SECTOR = (r"(?<![\w'’.-])(?!(?:the|its|their|his|her|our|whose|of|and|listed|traded|class|common|preferred|ordinary|"
          r"voting|new|own|b|a)\b)[a-z][\w-]*\s+(?:shares|stocks|names|sector)\b")
SEGMENT_LOWER = r"(?:data[- ]cent(?:er|re)|cloud|gaming|automotive|services|advertising|subscription|software|hardware|wearables)"
BY_AFTER = (r"(?:more|less|better|worse|higher|lower) than (?:expected|forecast|estimated|analysts expected)|"
            r"(?:above|below|ahead of|short of|shy of) (?:the )?(?:(?:average|mean|median|consensus) )?"
            r"(?:(?:analyst|analysts'|Wall Street|Street) )?"
            r"(?:estimates?|expectations|forecasts?|consensus)")
GUIDANCE_AFTER = r"(?!x)x"
PRIOR_FIRST = r"^[\s,\"”]*(?:previously|earlier|before)\b"
#: a sentence that opens on a pronoun and a verb of amount: its figure is the metric the sentence before
#: named without a number ("Revenue came in strong. It reached $4.1 billion, ...")
CARRY = (r"(?:It|They|That|This|The figure|The total)\s+(?:\w+\s+){0,2}?(?:reached|rose|climbed|jumped|grew|increased|"
         r"fell|dropped|declined|slipped|came (?:in )?(?:at|to)|totall?ed|was|were|amounted|hit|stood|surged|improved)\b")
