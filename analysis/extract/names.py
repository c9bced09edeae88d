"""Finding proper-noun phrases (names) in news text, with a person / place / organisation guess.

    >>> from analysis.extract.names import proper_noun_spans
    >>> text = "President Nicolás Maduro spoke to the State Department."
    >>> [(text[s:e], kind) for s, e, kind in proper_noun_spans(text)]
    [('Nicolás Maduro', 'person'), ('State Department', 'organization')]

A name is a run of capitalised word tokens (accents welcome, `U.S.` and middle initials allowed)
that may hold joiners such as `of`, `de`, `van` (`Department of Defense`, `Gulf of Mexico`). The
evidence used, in order:

* Capitalisation at the start of a sentence says nothing, so a sentence-initial word joins a name
  only if it is not a common word: not a stop word, never written in lower case in this article,
  and not known from NLTK's punkt training statistics (which record whether a word was seen in
  lower case) -- unless the same word is capitalised mid-sentence elsewhere in the article.
* Titles (President, Sen., Col., Prime Minister, ...) are cut off and mark what follows as a
  `person` (`Army Col. Amanda Azubuike` gives `Army` and the person `Amanda Azubuike`).
* Head words (Department, Council, Command, University, ...), a few well-known bodies and acronyms
  suggest an `organization`; a list of countries, US states, large cities and regions, and head
  words such as River or Street, suggest a `place`.
* A single word that is the surname of a person named earlier or later in the same article is a
  `person` (`Maduro` after `Nicolás Maduro`), as is a short run of words that are never common
  words (`Evan Ellis`). Otherwise the guess is None.

Everything is computed from the text passed in (plus constant word lists), in one linear pass over
its tokens, so the function is safe to run in worker processes over any amount of text.
"""

from __future__ import annotations

import functools

from analysis.load.nlp_data import STOPWORDS, punkt_tokenizer
from analysis.load.text import _TOKEN

PERSON, PLACE, ORGANIZATION = "person", "place", "organization"

NameSpan = tuple[int, int, "str | None"]

# Core titles: a capitalised run holding one marks the words after it as a person's name.
_CORE_TITLES = frozenset(
    """
    president president-elect senator sen sens representative rep reps congressman congresswoman
    governor gov mayor secretary secretary-general minister chancellor premier ambassador judge
    justice speaker adviser advisor spokesman spokeswoman spokesperson director chairman
    chairwoman chair ceo commissioner commander chief sheriff detective officer agent inspector
    gen lt lieutenant col colonel maj major capt captain cmdr adm admiral sgt sergeant
    cpl corporal pvt private dr prof professor mr mrs ms miss mx sir dame lord lady rev reverend
    father pope king queen prince princess sheikh emir sultan ayatollah rabbi bishop cardinal
    archbishop coach attorney manager
    """.split()
)
# Words that belong to a title when they stand next to a core title (`Prime Minister`,
# `Defense Secretary`, `Attorney General`); on their own they are ordinary name words.
_TITLE_MODIFIERS = frozenset(
    """
    prime crown vice deputy former acting chief senior junior assistant associate executive general
    attorney foreign defense defence interior finance treasury state homeland health education
    energy justice commerce labor labour trade economy culture supreme opposition press national
    security first lt. brig brigadier staff master petty republican democrat democratic gop
    """.split()
)

# Party labels written before a person's name.
_DESCRIPTORS = frozenset("republican democrat democratic conservative labour liberal independent".split())

# Words that may sit inside a name between capitalised words.
_JOINERS = frozenset("of de del della da das do dos di du van von der den la le al bin ibn y".split())
# Joiners allowed only after an organisation head word (`Center for Disease Control`).
_HEAD_JOINERS = frozenset("for on".split())
_EDGE_JOINERS = _JOINERS | _HEAD_JOINERS | {"the"}
# Joiners that belong inside personal names (`Mohammad bin Salman`, `Ludwig van Beethoven`).
_PARTICLES = frozenset("de del della da das do dos di du van von der den la le al bin ibn y".split())

_ORG_HEADS = frozenset(
    """
    department ministry council command university college school institute academy agency
    administration commission committee court senate congress parliament assembly party army
    navy force forces guard corps police bank company corporation corp inc ltd llc plc group
    association union federation foundation organization organisation office service services
    bureau board authority embassy consulate church club network news times post journal
    center centre centers centres hospital airlines airways cabinet government fund trust league
    tribunal reserve exchange museum society secretariat brigade regiment battalion division
    fleet marines navy coalition alliance movement front brotherhood industries holdings
    motors systems technologies labs laboratories studios records press institute program
    programme house railway railways banque banco banca groupe gruppo ag gmbh sa spa nv bv co
    cos partners capital securities investments petroleum electric pharmaceuticals chemical
    chemicals steel mining insurance bancorp financial communications resources international
    entertainment media broadcasting airline
    """.split()
)

_KNOWN_ORGS = frozenset(
    """
    pentagon kremlin nato fbi cia nsa nsc un u.n. eu e.u. who imf opec reuters ap afp bbc cnn
    nasa interpol hamas hezbollah taliban wikinews wikipedia google facebook twitter apple
    microsoft amazon boeing airbus congress senate southcom centcom white_house downing_street
    """.replace("_", " ").split()
) | frozenset({"white house", "downing street", "wall street", "supreme court", "united nations",
               "european union", "european commission", "red cross", "world bank", "islamic state"})

_PLACE_HEADS = frozenset(
    """
    street avenue road boulevard highway river mountains mountain mount lake island islands sea
    ocean gulf bay county province city valley beach canyon peninsula strait coast desert
    village town square park region district territory republic kingdom airport harbor harbour
    bridge station junction
    """.split()
)

# Countries, US states, large and capital cities, continents and regions (lower case).
_PLACES = frozenset(
    line.strip().lower()
    for line in """
    Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan
    Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia
    Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Chad|Chile
    China|Colombia|Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti
    Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|Eritrea|Estonia|Eswatini|Ethiopia|Fiji
    Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guyana
    Haiti|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast
    Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon
    Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia
    Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia
    Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|Holland
    New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Macedonia|Norway|Oman
    Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal
    Qatar|Romania|Russia|Rwanda|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles
    Sierra Leone|Singapore|Slovakia|Slovenia|Somalia|South Africa|South Korea|Korea|South Sudan
    Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania
    Thailand|Togo|Tonga|Trinidad|Tobago|Tunisia|Turkey|Turkmenistan|Tuvalu|Uganda|Ukraine
    United Arab Emirates|UAE|United Kingdom|UK|U.K.|Britain|Great Britain|England|Scotland
    Wales|Northern Ireland|United States|United States of America|US|U.S.|USA|U.S.A.|America
    Uruguay|Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|Gaza
    West Bank|Crimea|Hong Kong|Macau|Puerto Rico|Greenland|Tibet|Kashmir|Chechnya
    Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii
    Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts
    Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey
    New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania
    Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington
    West Virginia|Wisconsin|Wyoming|District of Columbia|D.C.|Washington D.C.
    New York City|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego
    Dallas|San Francisco|Seattle|Boston|Miami|Atlanta|Detroit|Denver|Baltimore|Las Vegas
    Portland|New Orleans|Pittsburgh|Cleveland|Minneapolis|St. Louis|Sacramento|Austin|Orlando
    Tampa|Honolulu|Anchorage|Manhattan|Brooklyn|Queens|Bronx|Silicon Valley|Hollywood
    London|Paris|Berlin|Madrid|Rome|Lisbon|Dublin|Brussels|Amsterdam|Vienna|Prague|Warsaw
    Budapest|Athens|Stockholm|Oslo|Copenhagen|Helsinki|Moscow|Kiev|Kyiv|Minsk|Istanbul|Ankara
    Geneva|Zurich|Munich|Frankfurt|Hamburg|Milan|Naples|Barcelona|Edinburgh|Manchester
    Liverpool|Birmingham|Belgrade|Bucharest|Sofia|Zagreb|Tbilisi|Yerevan|Baku|Riga|Tallinn
    Vilnius|Beijing|Shanghai|Tokyo|Osaka|Seoul|Pyongyang|Taipei|Manila|Jakarta|Bangkok|Hanoi
    Singapore|Kuala Lumpur|Delhi|New Delhi|Mumbai|Kolkata|Karachi|Lahore|Islamabad|Kabul|Dhaka
    Tehran|Baghdad|Damascus|Beirut|Jerusalem|Tel Aviv|Amman|Riyadh|Dubai|Abu Dhabi|Doha|Cairo
    Tripoli|Tunis|Algiers|Rabat|Casablanca|Lagos|Abuja|Nairobi|Addis Ababa|Khartoum|Kinshasa
    Johannesburg|Cape Town|Pretoria|Harare|Luanda|Accra|Dakar|Mogadishu|Sydney|Melbourne
    Canberra|Brisbane|Perth|Auckland|Wellington|Toronto|Montreal|Vancouver|Ottawa|Mexico City
    Havana|Caracas|Bogota|Bogotá|Lima|Quito|Santiago|Buenos Aires|Montevideo|Brasilia|Brasília
    Rio de Janeiro|Sao Paulo|São Paulo|La Paz|Asunción|Managua|Tegucigalpa|San Salvador
    Guatemala City|Panama City|San Juan|Kingston|Port-au-Prince|Santo Domingo|Maracaibo
    Africa|Asia|Europe|North America|South America|Latin America|Central America|Antarctica
    Oceania|Middle East|Caribbean|Balkans|Scandinavia|Siberia|Sahara|Arctic|Pacific|Atlantic
    Mediterranean|Persian Gulf|Gulf of Mexico|Amazon|Himalayas|Alps|Andes|Mars|Moon
    Southeast Asia|East Asia|Central Asia|Eastern Europe|Western Europe|Horn of Africa
    N.H.|N.J.|N.Y.|N.C.|S.C.|N.M.|N.D.|S.D.|W.Va.|Fla|Calif|Tex|Ariz|Colo|Conn|Okla|Tenn|Penn|Minn
    Mich|Wis|Neb|Nev|Ore|Ky|Md|Va|Vt|Ga|Ala|Ark|Kan|Wyo
    """.replace("|", "\n").splitlines()
    if line.strip()
)

# Nationalities and groups (`American`, `Latino`): names of no person, place or organisation.
_DEMONYMS = frozenset(
    """
    american americans african asian asians european europeans hispanic hispanics latino latinos
    latina latinas arab arabs jewish jew jews muslim muslims christian christians catholic
    catholics protestant evangelical evangelicals hindu hindus sikh buddhist black white native
    chinese japanese korean koreans indian indians pakistani russian russians ukrainian british
    english french german germans italian spanish portuguese dutch swiss swedish norwegian danish
    irish scottish welsh polish greek turkish turks iranian iranians iraqi iraqis syrian syrians
    israeli israelis palestinian palestinians saudi saudis egyptian afghan kurdish kurds
    mexican mexicans cuban cubans canadian canadians brazilian venezuelan venezuelans
    colombian argentine chilean peruvian haitian nigerian kenyan australian vietnamese filipino
    republican republicans democrat democrats democratic conservative conservatives liberal
    liberals
    """.split()
)

_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_DATE_WORDS = _WEEKDAYS | _MONTHS
# Abbreviations after which a period does not end the name (`Col. Amanda`, `St. Louis`).
_DOTTED = frozenset("mr mrs ms dr sen rep gov gen col lt maj capt cmdr adm sgt cpl pvt rev st jr sr prof brig ft mt".split())

_OPENERS = "“‘«([{\"'"
_CLOSERS = "”’»)]}\"'"
_ENDS = ".!?:"
_POSSESSIVE = ("’s", "'s", "’S", "'S")
# Possessives that are part of a name (`International Women’s Day`, `People’s Republic`).
_POSSESSIVE_IN_NAMES = frozenset("women men people children veterans workers st".split())
_LOWER_BITS = 0b1110000  # punkt's _ORTHO_BEG_LC | _ORTHO_MID_LC | _ORTHO_UNK_LC


@functools.cache
def _ortho() -> dict[str, int]:
    """punkt's orthographic statistics: word -> bit flags of the case contexts it was seen in."""
    return dict(punkt_tokenizer()._params.ortho_context)


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


def _is_stop(word: str) -> bool:
    return _norm(word) in STOPWORDS


def _is_title(word: str) -> bool:
    return word.lower().rstrip(".") in _CORE_TITLES


def _is_titleish(word: str) -> bool:
    w = word.lower().rstrip(".")
    return w in _CORE_TITLES or w in _TITLE_MODIFIERS


_DIGITS = frozenset("0123456789")


def _has_digit(token: str) -> bool:
    return not _DIGITS.isdisjoint(token)


def _capitalised(token: str) -> bool:
    return token[0].isupper() and _DIGITS.isdisjoint(token)


def _sentence_initial(prev_token: str | None, gap: str, first: bool) -> bool:
    """Whether a token preceded by `gap` (the text since the previous token) starts a sentence."""
    if first or "\n\n" in gap:
        return True
    stripped = gap.strip()
    if not stripped:
        return False
    if stripped[-1] in _OPENERS and (len(stripped) == 1 or stripped[-1] not in "\"'" or stripped[-2] not in _ENDS):
        return True  # an opening quote or bracket starts a (quoted) sentence
    core = stripped.rstrip(_CLOSERS)
    if not core or core[-1] not in _ENDS:
        return False
    if core == "." and prev_token is not None and (
        prev_token.lower() in _DOTTED or (len(prev_token) == 1 and prev_token.isupper())
    ):
        return False  # `Col. Amanda`, `John F. Kennedy`
    return True


def proper_noun_spans(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, entity) of each proper-noun phrase in `text`, in text order.

    `entity` is "person", "place", "organization" or None (no evidence either way). Spans never
    overlap; titles and a final possessive `’s` are left out (`President Trump’s` gives `Trump`).
    Offsets index `text` (end exclusive). Empty or name-less text gives [].
    """
    if not text:
        return []
    return spans_from_tokens(text, tokenize(text))


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for every word token of `text` (`analysis.load.text`'s tokenizer)."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def spans_from_tokens(text: str, tokens: list[tuple[str, int, int]]) -> list[tuple[int, int, str | None]]:
    """:func:`proper_noun_spans` for a text already split by :func:`tokenize` (saves a pass)."""
    n = len(tokens)
    if n == 0:
        return []

    # Evidence from the article itself: words it writes in lower case, and capitalised words it
    # uses in mid-sentence. Only capitalised tokens need the sentence-start test.
    lower_seen = {tok.lower() for tok, _, _ in tokens if tok[0].islower()}
    capital = [i for i, (tok, _, _) in enumerate(tokens) if tok[0].isupper()]
    initial: dict[int, bool] = {}
    cap_mid: set[str] = set()
    for i in capital:
        tok, start, _ = tokens[i]
        if i == 0:
            flag = _sentence_initial(None, text[:start], True)
        else:
            prev_tok, _, prev_end = tokens[i - 1]
            gap = text[prev_end:start]
            flag = gap != " " and _sentence_initial(prev_tok, gap, False)
        initial[i] = flag
        if not flag:
            cap_mid.add(tok)
    ortho = _ortho()

    def common(word: str) -> bool:
        low = word.lower()
        return _is_stop(word) or low in lower_seen or bool(ortho.get(low, 0) & _LOWER_BITS)

    # The same run of words in the same position gives the same parts: cache them, which keeps
    # long texts that repeat a few names fast.
    cache: dict[tuple[str, bool], list[tuple[int, int, str | None, list[str]]]] = {}
    found: list[list] = []  # [start, end, entity, words]
    next_free = 0
    for i in capital:
        if i < next_free:
            continue
        tok = tokens[i][0]
        low = tok.lower()
        if _has_digit(tok) or low in _WEEKDAYS or low in _MONTHS:
            continue
        j = i
        while not tokens[j][0].endswith(_POSSESSIVE) or tokens[j][0][:-2].lower() in _POSSESSIVE_IN_NAMES:
            k = _next_name_token(text, tokens, j)
            if k is None:
                break
            j = k
        next_free = j + 1
        key = (text[tokens[i][1]:tokens[j][2]], initial[i])
        parts = cache.get(key)
        if parts is None:
            run = list(range(i, j + 1))
            parts = []
            for part, is_person in _split_titles(tokens, run):
                part = _trim(tokens, part, initial, common, cap_mid)
                if part:
                    s, e, entity, words = _make_span(text, tokens, part, is_person, common)
                    parts.append((part[0] - i, part[-1] - i, entity, words))
            cache[key] = parts
        for first, last, entity, words in parts:
            s = tokens[i + first][1]
            e = tokens[i + last][2] - (2 if tokens[i + last][0].endswith(_POSSESSIVE) else 0)
            found.append([s, e, entity, words])

    _resolve_people(found)
    return [(start, end, entity) for start, end, entity, _ in found]


def _next_name_token(text: str, tokens: list, j: int) -> int | None:
    """Index of the token that continues the name ending at token j, or None."""
    n = len(tokens)
    if j + 1 >= n:
        return None
    tok, _, end = tokens[j]
    gap = text[end:tokens[j + 1][1]]
    if gap.strip() == "." and (tok.lower() in _DOTTED or (len(tok) == 1 and tok.isupper())):
        if "\n\n" in gap or _is_stop(tokens[j + 1][0]):
            return None
    elif not gap.isspace() or "\n\n" in gap:
        return None
    nxt = tokens[j + 1][0]
    if _capitalised(nxt) and nxt.lower() not in _WEEKDAYS:
        # A capitalised stop word starts a new sentence (`Washington D.C. He`), not a name part.
        return None if _is_stop(nxt) else j + 1
    low = nxt.lower()
    before = tok.lower()
    if low == "of":
        joiner = before in _OF_HEADS  # `Bank of America`, not `Martin Smith of PBS`
    else:
        joiner = low in _JOINERS or (low in _HEAD_JOINERS and before in _ORG_HEADS)
    if not joiner:
        return None
    k = j + 2
    if low == "of" and k < n and tokens[k][0] == "the" and text[tokens[k - 1][2]:tokens[k][1]].isspace():
        k += 1
    if (
        k < n
        and _capitalised(tokens[k][0])
        and tokens[k][0].lower() not in _MONTHS
        and tokens[k][0].lower() not in _WEEKDAYS
        and text[tokens[k - 1][2]:tokens[k][1]].isspace()
    ):
        return k
    return None


def _split_titles(tokens: list, run: list[int]) -> list[tuple[list[int], bool]]:
    """Cut titles out of a run: the words before a title block, and the person after it."""
    words = [tokens[t][0] for t in run]
    if (
        len(words) >= 3
        and words[0].lower() in _DESCRIPTORS
        and not any(w.lower() in _ORG_HEADS or w.lower() in _JOINERS for w in words)
    ):
        return [(run[1:], True)]  # `Republican Kevin McCarthy`
    last_core = None
    for idx, word in enumerate(words):
        if _is_title(word):
            # The title must have a name after it (`of State` is part of the title).
            after = idx + 1
            if after < len(words) and words[after].lower() == "of":
                after += 1
                if after < len(words) and words[after].lower() == "the":
                    after += 1
                after += 1
            while after < len(words) and _is_titleish(words[after]):
                after += 1
            if after < len(words):
                last_core = (idx, after)
    if last_core is None:
        # A title block at the end (`Sirius XM Vice President`) is cut off; the rest is kept.
        end = len(words)
        while end > 0 and (_is_titleish(words[end - 1]) or words[end - 1].lower() in ("of", "the")):
            end -= 1
        if end < len(words) and any(_is_title(w) for w in words[end:]):
            return [(run[:end], False)] if end else []
        return [(run, False)]
    core, after = last_core
    start = core
    while start > 0 and _is_titleish(words[start - 1]):
        start -= 1
    parts = []
    if start > 0:
        parts.append((run[:start], False))
    parts.append((run[after:], True))
    return parts


def _trim(tokens: list, part: list[int], initial: dict[int, bool], common, cap_mid: set[str]) -> list[int]:
    """Drop leading stop words, sentence-initial common words and trailing joiners."""
    while part and (_is_stop(tokens[part[0]][0]) or tokens[part[0]][0].lower() in _DATE_WORDS):
        part = part[1:]  # `The`, `In March`
    while part and tokens[part[-1]][0].lower() in _EDGE_JOINERS:
        part = part[:-1]
    if not part:
        return part
    first = tokens[part[0]][0]
    shouting = len(part) > 1 and all(tokens[t][0].isupper() for t in part)  # `NEW YORK (UPI)`
    if initial.get(part[0], False) and common(first) and first not in cap_mid and not shouting:
        heads = {tokens[t][0].lower() for t in part}
        if len(part) == 1 or not (heads & (_ORG_HEADS | _PLACE_HEADS)):
            part = part[1:]
            while part and tokens[part[0]][0].lower() in _JOINERS:
                part = part[1:]
    if all(_is_titleish(tokens[t][0]) or tokens[t][0].lower() in ("of", "the") for t in part) or (
        len(part) == 1 and _is_stop(tokens[part[0]][0])
    ):
        return []  # a bare title (`Vice President`, `Secretary of State`) is not a name
    return part


def _make_span(text: str, tokens: list, part: list[int], is_person: bool, common) -> list:
    start = tokens[part[0]][1]
    last, _, end = tokens[part[-1]]
    if last.endswith(_POSSESSIVE):
        end -= 2
    words = [tokens[t][0] for t in part]
    if words[-1].endswith(_POSSESSIVE):
        words[-1] = words[-1][:-2]
    return [start, end, PERSON if is_person else _guess(words, " ".join(text[start:end].split()), common), words]


def _guess(words: list[str], written: str, common) -> str | None:
    low = [w.lower() for w in words]
    phrase = written.lower()
    if all(w in _DEMONYMS or w.split("-")[0] in _DEMONYMS for w in low):
        return None  # `African American`, `Cuban-American`
    if phrase in _KNOWN_ORGS:
        return ORGANIZATION
    if phrase in _PLACES:
        return PLACE
    # `U.S. Embassy`: a country before an organisation head is the organisation's country.
    if any(w in _ORG_HEADS for w in low):
        return ORGANIZATION
    if low[-1] in _PLACE_HEADS or (len(low) > 1 and " ".join(low[1:]) in _PLACES and low[0] in
                                   {"north", "south", "east", "west", "northern", "southern", "eastern",
                                    "western", "central", "new", "upper", "lower", "greater"}):
        return PLACE
    if len(words) == 1:
        word = words[0]
        if word in _KNOWN_ORGS or (word.isupper() and 2 <= len(word.replace(".", "")) <= 6):
            return ORGANIZATION
        return None
    if len(words) <= 4 and not any(
        (w in _EDGE_JOINERS and w not in _PARTICLES) or w in _PLACES or w in _KNOWN_ORGS or w in _DEMONYMS
        for w in low
    ) and all(
        w[0].isupper() and not (w.isupper() and len(w) > 1) and not common(w) for w in words
    ):
        return PERSON
    return None


# Words after which `of` continues a name.
_OF_HEADS = (
    _ORG_HEADS | _PLACE_HEADS | _CORE_TITLES
    | frozenset("duke duchess earl isle cape port states kingdom republic emirates gulf secretary "
                "minister office chamber house church sea bay".split())
)


def _resolve_people(found: list[list]) -> None:
    """Give a one-word name with no guess the entity of a longer name in the same article.

    A surname of a person named elsewhere is that person (`Maduro`); the first word of an
    organisation's name is that organisation (`Ford` after `Ford Motor Company`).
    """
    surnames = {words[-1].lower() for _s, _e, entity, words in found if entity == PERSON}
    first_names = {words[0].lower() for _s, _e, entity, words in found if entity == PERSON and len(words) > 1}
    org_firsts = {
        words[0].lower() for _s, _e, entity, words in found if entity == ORGANIZATION and len(words) > 1
    }
    for item in found:
        if item[2] is not None:
            continue
        words = item[3]
        word = words[-1].lower()
        if word in _DEMONYMS:
            continue
        if len(words) == 1:
            if word in surnames or word in first_names:
                item[2] = PERSON
            elif word in org_firsts and word not in _PLACES:
                item[2] = ORGANIZATION
        elif len(words) <= 3 and word in surnames and all(w[:1].isupper() for w in words):
            item[2] = PERSON  # `Bill Clinton` beside `Hillary Clinton`
