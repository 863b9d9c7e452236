"""Spanish cue words of the fact rules (regex fragments; compiled once by ``rules.lexicon``).
Names and meanings as in lexicon_en.py."""

from __future__ import annotations

#: "frente a un beneficio operativo de 61 millones": a prior value (PRIOR), not a metric of its own
_VS = (r"(?<!frente al )(?<!frente a un )(?<!frente a una )(?<!frente a los )(?<!frente a las )(?<!frente a unos )"
       r"(?<!frente a unas )")

KEYWORDS: list[tuple[str, str]] = [
    ("excluded", (r"beneficio antes de impuestos|resultado antes de impuestos|antes de impuestos|EBITDA|Ebitda|"
                 r"flujo de caja(?: libre)?|caja libre|entregas|entregó|suscriptores|usuarios|clientes|reservas|"
                 r"cartera de pedidos|pedidos|margen de intereses|margen financiero|ratio CET1|CET1|solvencia|"
                 r"deuda neta|deuda|capitalización(?: bursátil)?|valor de mercado|valoración(?! (?:de|para|sobre) (?-i:[A-Z])[^.;]{0,30}? (?:a|hasta|en) \d)|volumen|rentabilidad "
                 r"(?:del bono|de la deuda|del Tesoro)|rentabilidad|bono\w*|prima de riesgo|petróleo|crudo|Brent|"
                 r"WTI|oro|mineral de hierro|cobre|níquel|litio|aluminio|gas natural|trigo|cacao|café|bitcóin|bitcoin|dólar|euro(?= (?:se )?(?:sub|ca[íiy]|baj|avanz|retroced|ced|gan|perd|apreci|depreci|cotiza)\w*)|yen|libra|"
                 r"inflación|IPC(?= (?:subió|bajó|se situó|interanual))|PIB|crecimiento económico|paro|desempleo|"
                 r"empleados|trabajadores|plantilla|tiendas|oficinas|pasajeros|viajeros|ventas comparables|ventas en términos "
                 r"comparables|orgánic\w+|beneficio bruto|provisiones|deterioros?|costes|gastos|tipo impositivo|"
                 r"(?<!respecto al )(?<!respecto del )(?<!encima del )(?<!debajo del )(?<!sobre el )(?<!frente al )"
                 r"precio de (?:salida|colocación|la oferta|oferta|la OPV)|colocó(?: sus| las| los)?(?: acciones| títulos)?|"
                 r"colocaron|colocará|horquilla (?:indicativa|de precios)|rango (?:indicativo )?de precios|banda de precios|"
                 r"importe captado|captó|captará|OPA|oferta(?: pública)?|adquisición|adquirir|"
                 r"comprar|participación|probabilidad|descontando|(?<=el )peso\b|peso (?:mexicano|argentino|chileno|colombiano)|"
                 r"real brasileño|sol peruano|potencial (?:alcista|bajista|de revalorización|de subida)|recorrido al alza|(?:la )?(?:cota|barrera|umbral)(?: psicológica)?(?: de)?|(?:tasa )?Selic")),
    ("segment_revenue", (r"(?:ingresos|ventas|facturación) (?:de|en) (?:la|el|su) (?:división|segmento|negocio|unidad|"
                        r"área|filial|región)(?: de)? (?=(?-i:[A-Z]))|(?:ingresos|ventas)(?: publicitari[oa]s| "
                        r"comerciales)? (?:de|en) (?=(?-i:[A-Z]|i[A-Z])\w+(?: (?-i:[A-Z])\w+)*(?: (?:sumaron|alcanzaron|"
                        r"crecieron|aumentaron|cayeron|bajaron|subieron|ascendieron|se situaron|fueron|retrocedieron)|,))|"
                        # "los ingresos de la actividad comercial crecieron": the keyword spans the segment's name
                        r"(?:ingresos|ventas)(?: publicitari[oa]s| comerciales)? (?:de|del|en)(?: (?:la|los|las|el))? (?!(?:"
                        r"la|el|los|las|grupo|compañía|empresa|entidad|banco|firma|sociedad|conjunto|trimestre|periodo|"
                        r"semestre|cadena|operadora|eléctrica|petrolera|aseguradora|constructora|textil|gigante|"
                        r"fabricante|aerolínea|gestora|cotizada|multinacional|tecnológica|farmacéutica|energética|"
                        r"plataforma|matriz|filial|dueño|dueña|cementera|minera|teleco|red|"
                        r"ejercicio|año|mes|explotación|intereses|este|ese|dicho|su|sus|primer|segundo|tercer|cuarto|"
                        r"nueve|seis|tres)\b)(?-i:[a-záéíóúñ])[\wáéíóúñ]+(?: [\wáéíóúñ]+){0,3}(?<! de)(?<! del)"
                        r"(?= (?:(?:de|del) (?:(?-i:[A-Z])[\w&.-]* )+)?(?:sumaron|"
                        r"alcanzaron|crecieron|aumentaron|cayeron|bajaron|subieron|ascendieron|se situaron|fueron|"
                        r"retrocedieron|avanzaron|mejoraron)\b)")),
    ("loss_eps", r"pérdidas? por acción"),
    ("eps", (r"beneficio (?:neto )?por acción|BPA|ganancias? por acción|resultado por acción|beneficio ajustado por "
            r"acción|EPS")),
    ("operating_margin", r"margen (?:operativo|de explotación|EBIT|de beneficio operativo)"),
    ("gross_margin", r"margen bruto"),
    ("loss_operating_income", _VS + r"(?:pérdidas? operativas?|pérdidas? de explotación)"),
    ("operating_income", _VS + (r"(?:beneficio (?:operativo|de explotación|operacional|neto de explotación)|resultado (?:operativo|"
                         r"de explotación|operacional|neto de explotación)|EBIT|Ebit|beneficio antes de intereses e "
                         r"impuestos)")),
    ("revenue", r"ingresó|ingresaron|facturó|facturaron"),
    ("weak_net_income", r"ganó|ganaron|gana|ganan|ganar|ganará"),
    ("weak_loss_net_income", r"perdió|perdieron|perder|perderá"),
    ("revenue", r"ingresar|ingresará|facturar|facturará"),
    ("loss_net_income", _VS + r"(?:pérdidas? netas?|pérdidas? atribuidas?|números rojos)"),
    ("weak_loss_net_income", _VS + r"pérdidas?(?! por)"),
    ("net_income", _VS + (r"(?:beneficio(?:s)? (?:neto|atribuido|atribuible|consolidado|trimestral|semestral|anual)|beneficio(?!s? "
                   r"(?:por|antes|operativo|bruto|de explotación))|ganancias? (?:netas?|atribuidas?)|"
                   r"resultado neto(?: atribuido)?|utilidad neta|ganancias? netas?)")),
    ("revenue", (r"ingresos(?: totales| netos| ordinarios| consolidados)?|ventas(?: netas| totales)?|facturación|"
                r"cifra de negocios?|facturó|importe neto de la cifra de negocios")),
    ("capex", (r"inversiones(?: en capital| de capital| brutas)?|inversión|capex|gastos? de capital|invertirá|invirtió|"
              r"invertir|invierte|invertirán")),
    ("dividend", (r"dividendos?(?: a cuenta| complementario| extraordinario| trimestral| ordinario| final)?|"
                 r"remuneración al accionista por acción|"
                 # "confirmó el pago de 1,05 euros por acción": a dividend not named so
                 r"(?:pago|retribución|remuneración)(?= de \d[\d.,]* (?:euros|dólares|céntimos|libras|francos)"
                 r"(?: brutos| netos)? por (?:acción|título))")),
    ("buyback", (r"programa de recompra(?: de acciones(?: propias)?)?|recompras?(?: de acciones(?: propias)?)?|"
                r"autocartera")),
    ("price_target", (r"(?:su|una|la|nueva) valoración(?= (?:a|hasta|en|de|desde) (?:los |las )?(?:\d{1,5}(?:,\d+)? (?:euros |dólares )?(?:a|hasta) (?:los |las )?)?\d{1,5}(?:,\d+)? "
                     r"(?:euros|dólares|libras|francos)\b)|"
                     r"precio objetivo|objetivo de precio|valoración objetivo|precio obj\.|objetivo para el "
                     r"(?:índice|selectivo)|precio diana|valoración(?= (?:de|para|sobre) (?-i:[A-Z])[^.;]{0,30}? (?:a|hasta|en) \d)|"
                     # a strategist's index target: "su objetivo para el S&P 500 ... de 7.600 a 8.000 puntos",
                     # "un objetivo de 16.400 puntos para el selectivo"
                     r"objetivo para el (?=(?-i:IBEX|Ibex|S&P|Nasdaq|Dow|Euro ?Stoxx|EuroStoxx|Stoxx|DAX|Dax|CAC|FTSE|"
                     r"Nikkei|Hang Seng|IPC))|objetivo de (?=[\d.,]+ puntos para el)")),
    ("rate", (r"tipos? de interés|tipos? oficial(?:es)?|tipos? de referencia|tipos?(?= (?:en|al|del|hasta|a))|tasa(?:s)?"
             r"(?: de interés| de referencia| de fondos federales| objetivo)?|facilidad de depósito|tipo de depósito|"
             r"tipo de refinanciación|operaciones principales de financiación|precio del dinero")),
    ("shares", (r"acciones|acción|títulos?|(?<!cubren el )(?<!siguen el )(?<!cubre el )(?<!sigue el )(?<!siguen al )(?<!sigue al )(?<!cubren al )valor(?:es)?(?= (?:subió|cayó|ganó|perdió|se))|papel(?:es)?|ADRs?|"
               r"cotización|la cotizada")),
]

POSTFIX: list[tuple[str, str]] = [
    ("excluded", (r"de (?:unidades|vehículos|coches|automóviles|toneladas|barriles|pasajeros)\b|(?:de )?(?:coronas|pesos|reales|rupias|yuanes|wones|liras|rublos|soles|zlotys|rands)\b|"
                  r"(?:del|de su|de sus) (?:beneficios?|resultados?)\b")),
    ("eps", r"por (?:acción|título)"),
    ("dividend", r"(?:su|el) dividendo"),
    ("buyback", r",? (?:su|el) (?:actual )?programa de recompra"),  # "amplió en 200 millones, hasta 900 millones de euros, el programa de recompra"
    # "elevó un 12% su beneficio neto, hasta 95 millones": the change of the figure that follows
    ("net_income", r"su beneficio(?: neto)?(?: atribuido)?(?! (?:por|operativo|bruto|antes))"),
    ("revenue", r"(?:sus (?:ingresos|ventas)|su facturación)(?! (?:de|en|del) (?:la|el|su) (?:división|unidad|filial|negocio|"
                r"segmento|área|región))"),
    ("revenue", r"(?:en|de) (?:ingresos|ventas|facturación)"),
    ("net_income", r"(?:de|en) (?:beneficio(?: neto)?|ganancias)"),
    ("loss_net_income", r"(?:de|en) pérdidas"),
    ("operating_income", r"(?:de|en) (?:beneficio operativo|resultado operativo|EBIT)"),
    ("buyback", r"(?:en )?(?:recompras?|programa de recompra)"),
    ("price_target", r"(?:su|el|como) objetivo para el (?=(?-i:IBEX|Ibex|S&P|Nasdaq|Dow|Euro ?Stoxx|DAX|CAC|FTSE|Nikkei|selectivo))"),
    ("capex", r"(?:en|a) inversiones"),
]

GUIDANCE = (r"\b(?:superará|superarán|alcanzará|alcanzarán|ganará|ganarán|obtendrá|obtendrán|facturará|facturarán|ingresará|ingresarán|se situará|se situarán|rondará|rondarán|quiere|aspira|pretende|meta|prevé|preveía|previsión|previsiones|pronóstico|pronostica|pronosticó|espera|estima|"
            r"estimó|proyecta|proyectó|anticipa|anticipó|guía|objetivo|objetivos|perspectivas?|apunta a|calcula|"
            r"prevista|previsto|planea|planifica|contempla|aspira|se ha marcado|se marca|confía en)\b")
EXPECT_BEFORE = (r"(?:analistas|expertos|mercado)(?:[^.;]{0,40}?)(?:esperaban|esperaba|estimaban|preveían|"
                 r"anticipaban|pronosticaban|calculaban|habían previsto|proyectaban|esperan|prevén)|"
                 r"(?:previsiones|estimaciones|expectativas|consenso|pronósticos?)(?: de(?: los)? analistas)?"
                 r"(?: de| en| que apuntaban a| que situaban en)?|(?:lo )?esperado|previsto|estimado|"
                 r"consenso de (?:analistas|mercado)(?: de| en)?|LSEG|FactSet|Bloomberg|Visible Alpha|"
                 r"que (?:lo |la |los |las )?(?:situaban?|apuntaban?|cifraban?|estimaban?|esperaban?)(?: en| a)?|"
                 r"los (?:analistas|expertos) (?:esperaban|preveían|estimaban)")
EXPECT_AFTER = (r"(?:esperad[oa]s?|previst[oa]s?|estimad[oa]s?|pronosticad[oa]s?)(?: por (?:los )?(?:analistas|"
                r"el mercado|el consenso))?|que (?:esperaban?|esperan|preveían?|prevén|estimaban?|estiman?|anticipaban?|anticipan|"
                r"calculaban?|calculan?|pronosticaban?|descontaban?|manejaban?|proyectaban?|proyectan?|vaticinaban?|"
                r"auguraban?)\b|(?:de|según) (?:los|el) (?:analistas|consenso)|del consenso|"
                r"del mercado")
BEAT = (r"\b(?:super\w*|superó|superaron|batió|batieron|bate|batiendo|por encima|mejor de lo|mejores de lo|más de lo|"
        r"rebasó|excedió|sobrepasó|ligeramente por encima|supera)\b")
MISS = (r"\b(?:por debajo|no alcanzó|no alcanza|quedó por debajo|se quedó corto|se quedó|incumpl\w*|peor de lo|peores "
        r"de lo|menos de lo|decepcion\w*|no cumplió|defraudó|inferior\w*)\b")
INLINE = r"\b(?:en línea|acorde|conforme a lo|como se esperaba|coincid\w*|cumplió|igual(?:ó)?)\b"
RAISE = r"\b(?:elev\w*|subi\w*|sube|aument\w*|mejor\w*|increment\w*|revis\w* al alza|amplí\w*|ampli\w*|alza)\b"
CUT = r"\b(?:recort\w*|rebaj\w*|(?<!parte )(?<!zona )(?<!banda )baj\w*|reduj\w*|reduc\w*|redujo|revis\w* a la baja|disminu\w*|suprim\w*)\b"
HOLD = (r"\b(?:confirm\w*|mantiene|mantuvo|mantenido|mantener|mantuviera|mantuviese|mantenga|reiter\w*|ratific\w*|dej\w* sin cambios|sin cambios|"
        r"inalterad\w*|dej\w* (?:los tipos|el tipo|las tasas|la tasa) (?:en|sin))\b")
NARROW = r"\b(?:estrech\w*|acot\w*|precis\w*|afin\w*)\b"
UP = (r"\b(?:sub\w*|ganó|ganaron|gana|ganan|ganando|ganaba|ganaban|avanz\w*|creci\w*|crece|crecen|aument\w*|se disparó|se dispararon|"
      r"repunt\w*|escal\w*|se revaloriz\w*|revaloriz\w*|alza|al alza|mejor\w*|increment\w*|se anotó|se anotaron|"
      r"dispar\w*|duplic\w*|más|positivo|incremento|aumento|crecimiento|ascend\w*\b(?!\s+a\s)|se elev\w*|"
      r"se apunt\w*|apuntó|avance|avances|ganancias?|revalorización|repunte|por encima)\b")
DOWN = (r"\b(?:pérdidas?|caído|caídas?|cay\w*|cae|caen|ca[ií]da|caía|caían|baj\w*|perd\w*|pierde|pierden|retroced\w*|retroceso|ced\w*|"
        r"se desplom\w*|desplome|se hundi\w*|se hunde|descend\w*|desciende|disminu\w*|se dej\w*|dej\w*|"
        r"recort\w*|a la baja|negativo|menos|reduj\w*|reducción|descenso|se contrajo|contracción|se redujo|"
        r"restó|restaron|se depreci\w*|depreci\w*|se resinti\w*)\b")
FLAT = r"\b(?:sin cambios|plano|estables?|se mantuvo|se mantuvieron|se mantuvo estable|apenas varió|inalterad\w*|en tablas)\b"
PRIOR = (r"\b(?:frente a(?:l| un| una| las| unas| los| unos) (?:pérdidas?|beneficios?|ganancias|números rojos|resultado)"
         r"(?: netas?| netos?| operativos?| operativas?| de explotación| atribuidos?| atribuidas?)?(?: \(\w+\))?(?: de)?|"
         r"desde|frente a|comparado con|en comparación con|respecto a|respecto de|en relación con|vs\.?|"
         r"pasó de|pasaron de|hasta entonces|anteriores|previos)\b")
PRIOR_AFTER = (r"(?:(?:de|del) (?:hace un año|un año antes|el año anterior|el mismo periodo(?: del año anterior)?|"
               r"el mismo trimestre(?: del año anterior)?|el ejercicio anterior|un año atrás)|hace un año|"
               r"un año antes|un año atrás|en el mismo (?:periodo|trimestre)(?: del año anterior| del ejercicio anterior| "
               r"de(?:l año)? 20\d\d| de hace un año)|del año pasado|del ejercicio anterior|"
               r"en el ejercicio anterior|anterior(?:es)?|previos?|previas?)")
LEVEL = (r"\b(?:en|a|hasta|cerró en|cerraron en|terminó en|finalizó en|se situó en|se situaron en|cotiza(?:ba)? a|"
         r"cotizaba en|quedó en|los|las|hasta los|hasta las|hasta el|en los|en las|a los|a las)\s*$")
HYPOTHETICAL = (r"\b(?:podría\w*|podrían|sería\w*|si|en caso de|escenario\w*|potencial(?: alcista| bajista)?|"
                r"implica\w*|supondría|debería\w*|tendría\w*|hipotétic\w*)\b")
PREVIEW = (r"\b(?:presentará|publicará|dará a conocer|antes de (?:sus|los) resultados|se espera que|los "
           r"analistas esperan|el consenso espera|el mercado espera|esperan los analistas|prevén los analistas|"
           r"anunciará)\b")
INTRADAY = (r"\b(?:hasta un|llegó a|llegaron a|en algún momento|en un momento|máximos? intradía|mínimos? intradía|"
            r"en la apertura|abrió|abrieron|al inicio de la sesión|durante la sesión|en el arranque|"
            r"a primera hora|momentáneamente|llegando a)\b")
THRESHOLD = (r"\b(?:por debajo de|por encima de|bajo|sobre|super\w*|perfor\w*|rebas\w*|"
             r"la cota de|la barrera de|el umbral de|la cota|la barrera|el umbral|del nivel de)\s*(?:los |las |el |la )?$")
FROM_PEAK = (r"^\s*(?:por debajo|por encima|desde|lejos|respecto a)\s+(?:de\s+)?(?:sus?|los|las|el|la)?"
             r"\s*(?:[\w-]+\s+){0,2}?(?:máximos?|mínimos?|récords?|pico)")
CONTRIBUTION = r"^\s*(?:puntos )?(?:al|del|a la|de la) (?=(?-i:[A-Z]))"
CURRENT_RATE = r"\b(?:actualmente|se sitúa|se sitúan|está en|están en|se encuentra|se encuentran|vigente)\b"
EXECUTED = (r"\b(?:recompró|recompraron|ha recomprado|devolvió|ha devuelto|retribuyó|destinó|amortizó|"
            r"ejecutó|ha ejecutado|completó|ha completado)\b")
MEDIAN = r"\b(?:mediana|medio|promedio|media|consenso)\b"
DEPOSIT = r"(?:facilidad|tipo|tasa) de depósito|depósito"
REFI = r"(?:tipo|tasa) (?:de|para las operaciones principales de) refinanciación|operaciones principales de financiación|refinanciación"
AFTER_HOURS = r"\b(?:fuera de hora(?:rio)?s?|tras el cierre|después del cierre|en el mercado posterior|after hours|operaciones posteriores al cierre)\b"
PRE_MARKET = r"\b(?:preapertura|antes de la apertura|previa a la apertura|pre-apertura|premarket)\b"
CLAUSE = (r";|\s[–—]\s|,\s*(?:mientras|aunque|pero|y|tras|después de que|ya que|lo que|que|con lo que|donde|"
          r"cuando|mientras que)\s|\s(?:mientras que|mientras|aunque|pero|tras)\s|\sy\s(?=(?:elevó|recortó|rebajó|aumentó|"
          r"mantuvo|redujo|confirmó|anunció|lanzó|aprobó|reiteró|ratificó)\b)|"
          r",\s(?=(?:abrió|cerró|terminó|finalizó|subió|cayó|avanzó|se disparó|se dejó|cedió)\b)")
ANY_WORD_NUMBER = r"\b(?:mitad|tercio|cuarto|quinto|(?:tercera|cuarta|quinta|décima) parte|duplic\w*|triplic\w*|punto de equilibrio|equilibrio)\b"
BY = r"(?<!situó )(?<!quedó )(?<!cerró )(?<!situaron )(?<!quedaron )(?<!cerraron )(?<!mantuvo )\ben\s*(?:unos |cerca de |casi |alrededor de )?$"
RELATIVE_SHORT = r"\b(?:un céntimo|dos céntimos|un centavo)\s+(?:por debajo|por encima|más|menos)"
ANALYSTS = r"\b(?:analistas?|expertos?|estrategas?|economistas?)\b"
ANALYST_VIEW = (r"\b(?:analistas?|expertos|consenso|mercado|estimaciones|inversores)\b[^.;]{0,40}?\b(?:esper\w*|"
                r"prev\w*|estim\w*|calcul\w*|pronostic\w*|proyect\w*|anticip\w*|apuesta\w*)\b|"
                r"\b(?:esperan|esperaban|prevén|preveían|estiman|estimaban) (?:los )?(?:analistas|expertos)\b")
PAYOUT_TOTAL = (r"\b(?:en total|total de|importe total|rentabilidad por dividendo|rentabilidad|pay-?out|"
                r"remuneración total|desembolso)\b")
LOSS = r"\b(?:pérdidas?|perdió|negativ\w*|números rojos)\b"
SEGMENT_LOWER = (r"(?:división|unidad|filial|negocio|segmento|área)(?: (?:de|en|del))? "
                 r"(?!que\b)[\wáéíóúñ]+(?: (?:en|de) (?:la |el )?[\wáéíóúñ]+|(?: (?-i:[a-záéíóúñ])[\wáéíóúñ]+){1,2})?"
                 r"(?: (?-i:[A-Z])[\w-]*)*(?: (?:de|del) (?-i:[A-Z])[\w&.-]*(?: (?-i:[A-Z])[\w&.-]*)*)?(?:, [^,.;]{2,40},)?|"
                 r"(?-i:[A-Z])[\w-]+(?: (?-i:[A-Z])[\w-]+)*, (?:su|la) (?:mayor |principal )?(?:filial|división|unidad)"
                 r"(?: [\wáéíóúñ]+)*, (?:aportó|generó)(?: unas| unos)?")
BY_AFTER = (r"(?:más|menos|por encima|por debajo) de lo (?:previsto|esperado|estimado|anticipado|que "
            r"(?:esperaban?|preveían?|estimaban?|anticipaban?))|"
            # "4,02 dólares, 14 centavos por encima del consenso", "3 céntimos por debajo de las estimaciones"
            r"(?:(?:más|menos) que|por encima|por debajo|mejor|peor) (?:del consenso|de(?:l| lo que esperaba el) mercado|"
            r"de (?:las|los) (?:previsiones|estimaciones|expectativas|pronósticos)|de lo que (?:esperaban|preveían|"
            r"estimaban|anticipaban|calculaban) los analistas)")
EXPECT_NOUN = (r"(?:lo )?que (?:esperab|preveí|estimab|anticipab|descontab|pronosticab|proyectab)\w*|"
               r"(?:las |los |el |la |lo )?(?:previsiones|estimaciones|expectativas|consenso|previsto|esperado|"
               r"pronósticos?)")
SECTOR = (r"\b(?:(?-i:E)l sector(?: [a-záéíóúñ]+)?(?= en su conjunto)|(?-i:L)a banca|el sector|los bancos|las eléctricas|las constructoras|las tecnológicas|las petroleras|"
          r"las mineras|las inmobiliarias|las aseguradoras|el sector bancario|los valores tecnológicos|"
          r"las acciones (?:tecnológicas|bancarias|europeas))\b")
GUIDANCE_AFTER = r"(?!x)x"
PRIOR_FIRST = r"^[\s,\"”»]*(?:\w+\s+){0,2}?(?:hasta ahora|hasta el momento|anterior(?:es)?\b|previos?\b)"
CARRY = (r"(?i:(?:la cifra|el dato|el importe|esta cifra)\s+(?:\w+\s+){0,3}?)?(?i:se\s+)?(?i:situó|situaron|quedó|quedaron|"
         r"sumó|sumaron|alcanzó|alcanzaron|ascendió|ascendieron|fue de|fueron de|totalizó|llegó a|llegaron a|creció|"
         r"crecieron|cayó|cayeron|aumentó|aumentaron|retrocedió|retrocedieron|mejoró|empeoró|se disparó)\b")
#: countries and regions a revenue figure can belong to ("Brasil aportó unos ingresos de", "en Estados Unidos la
#: cifra de negocio creció"): a region as the clause's subject makes the figure a segment's
REGIONS = (r"(?:Estados Unidos|EE\. ?UU\.|Norteamérica|América del Norte|Sudamérica|América del Sur|Latinoamérica|"
           r"América Latina|Centroamérica|Europa(?: del Norte| del Sur| Occidental)?|Asia(?:-Pacífico| Pacífico)?|"
           r"China|Japón|India|Oriente Medio|África|Oceanía|Australia|Canadá|México|Brasil|Argentina|Chile|Colombia|"
           r"Perú|Uruguay|España|Portugal|Francia|Alemania|Italia|Reino Unido|Polonia|Turquía|Países Bajos|Suiza|"
           r"Iberoamérica|resto del mundo|Resto del mundo|resto de Europa|Resto de Europa)(?![\w-])")
