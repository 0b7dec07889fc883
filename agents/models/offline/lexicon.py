"""Everyday shopper English: the words people type for what a store's tool descriptions name otherwise.

A real model knows that "what do people think of X" asks for reviews, that "promos" are promotions and
that "ordr" is "order". This module carries that bit of general English: it adds, for words and a few
phrases of an ask, plain words with the same meaning, and corrects misspelt words to the nearest word of
the offered tools' vocabulary. Who owns a meaning is still decided by the tools' own descriptions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from rapidfuzz.distance import DamerauLevenshtein
from spellchecker import SpellChecker

from agents.models.offline.text import (
    ACKNOWLEDGEMENTS,
    CANONICAL,
    PLACES_TEXT,
    STOPWORDS,
    Word,
    is_code,
    stem,
    terms,
    text_terms,
    without_spans,
    word_set,
    words,
)

SYNONYM_WEIGHT = 0.7

# word -> plain words of the same meaning (several for a word that says a little more than one).
_SYNONYMS_TEXT = """
think: review opinion | thoughts: review opinion | opinion: review | opinions: review | feedback: review
say: review | says: review | saying: review | said: review | complain: complaint review | worth: review rating
complaints: review | complaint: review | complaining: complaint review | complained: complaint review
mixed: cons complaint review | love: review | hate: review | impression: review | experiences: review
stars: rating | star: rating
people: customer | ppl: customer | buyers: customer | owners: customer | users: customer | reviewers: customer
promo: promotion deal | promos: promotion deal | sale: deal promotion | sales: deal promotion
offer: deal | offers: deal | voucher: coupon | vouchers: coupon | code: coupon code | codes: coupon code
save: discount | savings: discount | discounted: discount | cost: price amount total | costs: price amount total
pay: price amount total cost | paid: price amount total cost
member: loyalty tier | members: loyalty tier | membership: loyalty tier | vip: loyalty tier | rewards: loyalty
available: stock availability | availability: stock available | left: stock | inventory: stock
restocked: restock | restocking: restock | replenish: restock
send: ship | sent: ship | arrive: delivery | arrives: delivery | arrival: delivery
fast: fastest delivery | faster: fastest delivery | quickly: fastest delivery | quick: fastest delivery
overnight: fastest shipping | express: fastest shipping | courier: carrier | couriers: carrier
shippers: carrier | postage: shipping cost
package: order shipment tracking | parcel: order shipment tracking | purchase: order | purchased: order
bought: order | ordered: order | arrived: delivery order | came: delivery order | refund: order
update: tracking status | updates: tracking status | stuck: shipment tracking | delayed: shipment tracking delivery
returned: order | return: order | returning: order
late: delivery shipment tracking | eta: delivery date | overdue: delivery shipment tracking
shipped: shipment order | delivered: delivery order
sell: catalog product | carry: catalog product | gift: product recommend | present: product recommend
suggest: recommend | suggestion: recommend | need: looking product | looking: product | budget: price
ideas: gift product | idea: gift product
difference: compare | versus: compare | vs: compare | better: compare | together: bundle | combined: bundle
specs: specifications | features: specifications | different: compare | wise: topic
heavy: weight specifications | weigh: weight specifications | weighs: weight specifications
light: weight specifications | lightweight: weight specifications | big: size specifications
lighter: weight compare | heavier: weight compare | longer: compare | shorter: compare
weight: specifications | capacity: specifications | lumens: specifications | brightness: specifications
dimensions: specifications | wattage: specifications | rechargeable: specifications | battery: specifications
total: amount | totals: amount | level: tier | rank: tier | when: date | watts: wattage specifications
birthday: gift product | bday: gift product | christmas: gift product | anniversary: gift product | xmas: gift product
"""
_PHRASES_TEXT = """
how much: price amount | how soon: delivery days | how many+: stock quantity units | any good$: review rating
sold out: stock restock | back in stock: restock | out of stock: stock restock | get it by: delivery
like it: review | like them: review | like this: review | like the: review | like more: review rating compare
like better: review rating compare | people like more: review rating compare | people like: review
folks like: review | customers like: review
something like: similar alternatives | the same but: similar alternatives | one like it but: similar alternatives
else like: similar alternatives | else is there like: similar alternatives | anything like: similar alternatives
others like: similar alternatives | any others like: similar alternatives
like that but: similar alternatives | like this but: similar alternatives
come with: specifications | comes with: specifications | included with: specifications | in the box: specifications
one charge: battery specifications | per charge: battery specifications | single charge: battery specifications
full charge: battery specifications
refresh rate!: specifications | frame rate!: specifications | resolution: specifications
get more: restock | more in: restock | get here: delivery | get to me: delivery | be here: delivery order
was in: items | is in: items | were in: items | in it: items | in that: items | whats in: items | what's in: items
on the way: shipped shipment tracking | still coming: shipped shipment tracking
where is my: order tracking | where are my: order tracking | wheres my: order tracking
where's my: order tracking | did my: order | has my: order | will my: order | is my: order | are my: order
did i buy: order | have i bought: order | did i get: order | did i pay: order amount | i paid: order amount
my place!: delivery | east coast: us-east | shipped to: ship delivery | ship to: ship delivery | sent to: ship delivery
be delivered: delivery | be shipped: ship delivery
west coast: us-west | midwest: us-central | out west: us-west
any discount: price | any discounts: price | take off: discount | knock off: discount | takes off: discount
cheapest i can: best price | cheapest we can: best price | cheapest you can: best price | cheapest u can: best price
lowest i can: best price | lowest you can: best price | lowest u can: best price | lowest i'd: best price
cheapest for me: best price | lowest for me: best price
first order discount!: deal coupon | first-order discount!: deal coupon | first order deal!: deal coupon
first order coupon!: deal coupon | first order code!: deal coupon code | first purchase discount!: deal coupon
looking for: find catalog | percent off: discount deal | free shipping!: loyalty tier | shipping free!: loyalty tier
ships free!: loyalty tier | ship free!: loyalty tier | cheaper than: compare price
more expensive than: compare price
noise cancelling!: feature headphones | noise canceling!: feature headphones | noise-cancelling!: feature headphones
noise-canceling!: feature headphones | noise cancellation!: feature headphones
should i get: catalog find | should i buy: catalog find | should i bring: catalog find
should i pack: catalog find | what to bring: catalog find | what to pack: catalog find | do i need: catalog find
would help: catalog find | got anything: catalog find | have anything: catalog find | anything for: catalog find
something for: catalog find | anything that: catalog find | something that: catalog find | something to: catalog find
anything good for: catalog find | whats good for: catalog find | what's good for: catalog find
where do i start!: catalog find | where to start!: catalog find
where should i start!: catalog find
happy with: review opinion | satisfied with: review opinion | pleased with: review opinion
if i order!: buy | when i order!: buy | if we order!: buy | order today!: buy | order now!: buy
order another!: buy | order one!: buy | my back!:
back$: restock | back yet: restock | back soon: restock | be back: restock | come back: restock | coming back: restock
any idea!: | no idea!: | quick question!: | a while back!: | a while ago!: | way back!:
package deal!: bundle deal | best you can do!: price discount
lowest you can do!: price discount | shown up!: delivery order | show up!: delivery order
showed up!: delivery order | turned up!: delivery order | out the door!: shipped shipment
left the warehouse!: shipped shipment | left yet!: shipped shipment | has it left!: shipped shipment
have they left!: shipped shipment | wheres it at!: order tracking | where's it at!: order tracking
between charges: battery specifications
ship from$!: warehouse | ships from$!: warehouse | shipped from$!: warehouse | shipping from$!: warehouse
take care!: goodbye | see you!: goodbye | see ya!: goodbye | talk soon!: goodbye
that's all!: goodbye | thats all!: goodbye | that is all!: goodbye
you have it: stock available | you have them: stock available | you have one: stock available
you have those: stock available | you have that: stock available | you have these: stock available
money back!: refund order | on top of!: combined | stack with!: combined | stacks with!: combined
"""

# When a shopper needs a thing by ("before friday", "in time for the trip"): a delivery date.
_DAYS = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "tomorrow",
    "christmas",
    "the weekend",
]
_DEADLINES = [*(f"{by} {day}" for by in ("by", "before") for day in _DAYS), "next week", "this week", "in time"]
_DEADLINES_TEXT = " | ".join(f"{deadline}!: delivery date" for deadline in _DEADLINES)
# How many a thing is for ("a tent for 4 people"): its capacity, not what people say of it.
_HEADCOUNTS = [*"12345678", "one", "two", "three", "four", "five", "six"]
_HEADCOUNTS_TEXT = " | ".join(
    f"{n} {who}!: capacity specifications" for n in _HEADCOUNTS for who in ("people", "persons")
)
# Good wishes on leaving ("have a good one!", "have a nice weekend"): a goodbye.
_FAREWELLS_TEXT = " | ".join(
    f"have a {good} {when}!: goodbye"
    for good in ("good", "nice", "great", "lovely")
    for when in ("one", "day", "night", "evening", "weekend")
)
# Whether the store has the thing spoken of ("do you have them somewhere close to me"): its stock.
_HAVING_TEXT = " | ".join(
    f"you {have} {thing}!: stock availability"
    for have in ("have", "got")
    for thing in ("it", "them", "those", "these", "that one", "this one")
)
# Whether some of the things spoken of are kept at a place ("any of those in the reno warehouse", "any of them at
# venlo"): their stock there.
_HELD_AT_TEXT = " | ".join(
    f"any of {thing} {where}: stock availability"
    for thing in ("it", "them", "those", "these")
    for where in ("in", "at")
)
# A store's rules for something ("whats ur return policy", "the shipping policy"): a policy, which no return,
# shipment or refund is.
_RULED = ("return", "returns", "refund", "refunds", "exchange", "shipping", "delivery", "cancellation", "privacy")
_POLICIES_TEXT = " | ".join(f"{what} {policy}!: policy" for what in _RULED for policy in ("policy", "policies"))
# A standing a shopper holds in a store's programme ("im gold right?", "as a platinum member"): a loyalty tier.
_STANDINGS = ("bronze", "silver", "gold", "platinum")
_STANDINGS_TEXT = " | ".join(
    [
        *(
            f"{me} {standing}: loyalty tier"
            for me in ("i'm", "im", "i am", "i'm a", "im a", "i am a")
            for standing in _STANDINGS
        ),
        *(
            f"{standing} {held}: loyalty tier"
            for standing in _STANDINGS
            for held in ("member", "tier", "status", "level")
        ),
    ]
)
# To back a thing up is to support it ("do the reviews back that up?"): nothing comes back, nothing is restocked.
_BACKED_UP_TEXT = " | ".join(f"back {thing}up!:" for thing in ("", "it ", "them ", "this ", "that "))
# Needing the thing spoken of ("need it for a warranty form", "if i need them tomorrow") is no search for a product.
_NEEDED_TEXT = " | ".join(
    f"{need} {thing}!:" for need in ("need", "needed") for thing in ("it", "them", "that", "this")
)


# What people who like or do something tend to use: the words a shopper's interest or need ("a coffee lover",
# "for my camping trip", "to keep me dry") suggests searching for when it names no product. An underscore
# joins the words of one suggestion ("waterproof_jacket": a waterproof jacket, not anything waterproof).
_RELATED_TEXT = """
coffee: espresso grinder kettle | tea: kettle | barista: espresso grinder | cook: knife skillet fryer
cooking: knife skillet fryer | chef: knife skillet | kitchen: knife skillet blender | smoothie: blender
hiking: backpack poles headlamp | hiker: backpack poles headlamp | hike: backpack poles headlamp
camping: tent stove sleeping | camper: tent stove sleeping | camp: tent stove sleeping | trekking: poles backpack
running: shoes smartwatch | runner: shoes smartwatch | run: shoes smartwatch | jogging: shoes band
marathon: shoes smartwatch | jog: shoes band
fitness: band smartwatch | gym: band earbuds | workout: band earbuds | sleep: ring band
music: headphones speakers earbuds | audiophile: headphones speakers | movies: soundbar | tv: soundbar
gaming: keyboard mouse monitor | gamer: keyboard mouse monitor | office: desk chair monitor
screen: monitor | display: monitor
commute: earbuds headphones | travel: earbuds backpack | rain: waterproof_jacket jacket | winter: jacket vest sleeping
cold: wool_base_layer down_sleeping_bag insulated_jacket | outdoors: tent backpack jacket
latte: espresso grinder | cappuccino: espresso grinder
remote: webcam monitor desk chair | wfh: webcam monitor desk chair | zoom: webcam | video: webcam monitor
calls: webcam headphones | meetings: webcam headphones | streaming: webcam | streamer: webcam keyboard
programmer: keyboard mouse monitor | coder: keyboard mouse monitor | coding: keyboard mouse monitor
developer: keyboard mouse monitor | typing: keyboard | writer: keyboard | backpacker: backpack tent poles
backpacking: backpack tent poles | leftovers: storage | lunch: storage bottle | prep: storage
beach: speaker bottle | party: speaker | picnic: bottle speaker | pool: speaker | bbq: skillet knife
steak: skillet knife | cycling: smartwatch band | cyclist: smartwatch band | swimming: smartwatch band
swimmer: smartwatch band | yoga: band | student: earbuds kettle | dorm: kettle earbuds | podcasts: earbuds headphones
dry: waterproof_jacket | wet: waterproof_jacket | feet: shoes | foot: shoes
hydration: bottle | thirsty: bottle | warm: insulated_jacket down_sleeping_bag wool_base_layer
freezing: wool_base_layer insulated_jacket down_sleeping_bag | snow: insulated_jacket | ski: insulated_jacket
flight: noise_cancelling_headphones earbuds | flights: noise_cancelling_headphones earbuds
flying: noise_cancelling_headphones earbuds | airplane: noise_cancelling_headphones earbuds
noise: noise_cancelling_headphones | noisy: noise_cancelling_headphones | quiet: noise_cancelling_headphones
posture: chair desk | ergonomic: chair | sitting: chair desk | dark: headlamp
laptop: dock mouse keyboard | cable: dock | cables: dock
"""


# The class of goods a kind of thing belongs to, as stores group them ("a tent is outdoor gear"): what a
# category filter means when the ask names a kind of thing and not a category. An underscore joins the
# words of one kind ("sleeping_bag").
_GOODS_CLASSES_TEXT = """
outdoor: tent sleeping_bag stove backpack daypack trekking_poles hiking_poles headlamp lantern water_bottle
audio: headphones headphone earbuds earphones speaker speakers soundbar subwoofer
apparel: jacket vest shoes sneakers shirt hoodie base_layer socks clothes clothing
kitchen: knife skillet pan blender kettle espresso_machine coffee_machine grinder fryer
office: desk chair monitor keyboard mouse webcam docking_station
wearables: smartwatch watch fitness_band fitness_tracker smart_ring
"""


def _places(text: str) -> str:
    """`PLACES_TEXT` as phrase-table lines ("seattle: us-west")."""
    entries = (entry.split(":") for entry in re.split(r"\n(?=\S)", text.strip()))
    return "\n".join(
        " | ".join(f"{place.strip()}: {region}" for place in places.split(",")) for region, places in entries
    )


def _table(text: str) -> dict[str, tuple[str, ...]]:
    pairs = (item.split(":") for line in text.strip().splitlines() for item in line.split("|"))
    return {key.strip(): tuple(value.split()) for key, value in pairs}


SYNONYMS = _table(_SYNONYMS_TEXT)
_PLAIN_WORDS = frozenset(w for plain in SYNONYMS.values() for w in plain)
_CLIPPED_MIN = 4  # "diff", "specs"; shorter clippings ("rec", "pro") are as often words of their own


@lru_cache(maxsize=4096)
def _clipped(word: str) -> tuple[str, ...]:
    """What a word clipped from a longer one means ("diff": difference and different, which both mean compare):
    the one meaning that every word of the table it begins agrees on, a plain word of the table meaning itself
    ("revie" begins "reviewers", customers, and "review": no clipping; "shippe" begins "shippers" and "shipped");
    none for an everyday English word."""
    if len(word) < _CLIPPED_MIN or not word.isalpha() or word in SYNONYMS or is_english(word):
        return ()
    longer = [*SYNONYMS.items(), *((w, (w,)) for w in _PLAIN_WORDS)]
    meanings = {plain for key, plain in longer if key.startswith(word) and key != word}
    return next(iter(meanings)) if len(meanings) == 1 else ()


def _synonyms(word: str) -> tuple[str, ...]:
    """The plain words the table gives for `word` (lower case), or for the longer word it is clipped from."""
    return SYNONYMS.get(word) or _clipped(word)


PLACES = frozenset(_table(_places(PLACES_TEXT)))
PHRASES = _table(
    "\n".join(
        [
            _PHRASES_TEXT + _DEADLINES_TEXT,
            _HEADCOUNTS_TEXT,
            _BACKED_UP_TEXT,
            _NEEDED_TEXT,
            _FAREWELLS_TEXT,
            _HAVING_TEXT,
            _HELD_AT_TEXT,
            _POLICIES_TEXT,
            _STANDINGS_TEXT,
            _places(PLACES_TEXT),
        ]
    )
)
RELATED = {key: tuple(s.replace("_", " ") for s in plain) for key, plain in _table(_RELATED_TEXT).items()}


def _by_stem(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The table keyed by stems, so "runs" finds "run" and "marathons" "marathon" (a word's own entry first)."""
    found: dict[str, tuple[str, ...]] = {}
    for key, plain in table.items():
        for form in (key, f"{key}s"):  # "smoothies" does not stem as "smoothie" does
            found.setdefault(stem(form), plain)
    return found


_RELATED_STEMS = _by_stem(RELATED)


def _meaning(table: dict[str, tuple[str, ...]], stems: dict[str, tuple[str, ...]], word: str) -> tuple[str, ...]:
    lower = word.lower()
    return table.get(lower) or stems.get(stem(lower), ())


# Things a store sells, as the interests and goods-classes tables name them ("skillet", "headlamp", "watch"; the
# "jacket" of "waterproof jacket": the last word of a suggestion or kind is what it is).
# Words for a whole class of things a store sells ("what other wearables do you have"): kinds too.
_CLASSES = word_set("wearables electronics gadgets appliances furniture clothing clothes footwear apparel")
_PRODUCT_KINDS = frozenset(
    stem(s.split("_")[-1].split()[-1])
    for plain in [*RELATED.values(), *_table(_GOODS_CLASSES_TEXT).values()]
    for s in plain
) | {stem(w) for w in _CLASSES}


# "my shoes", "my new headphones": a thing the shopper has is one they ordered, as plainly as "my order" says it,
# when the ask speaks of what happens to an order ("when will my desk arrive" asks after an order, whoever else
# speaks of delivery); a thing they have is no order otherwise ("my tv speakers are garbage, want something
# better"), nor the place they are ("cold at night in my tent"), what a thing asked about goes with ("a chair
# for my desk") or the old one a new one is to replace ("my old sleeping bag is done").
_MY = re.compile(
    r"(?<!\bin )(?<!\bat )(?<!\binside )(?<!\bunder )(?<!\binto )(?<!\bfor )(?<!\bwith )"
    r"\bmy\s+(?!old\b)([a-z]+)\b(?:\s+([a-z]+)\b)?"
)
_OWN_THING = ("order",)
_ORDER_EVENTS = frozenset(text_terms("order delivery shipment tracking status cancel return"))


def is_product_kind(word: str) -> bool:
    """A kind of thing a store sells ("skillets"): an ask naming one is a shopping question. An interest is
    none ("backpacking" is what one does with a backpack)."""
    if word.lower() in RELATED:
        return False
    return stem(word) in _PRODUCT_KINDS or stem(f"{word.lower()}s") in _PRODUCT_KINDS


# Words that open a phrase asking for a thing of a kind ("a good gps watch", "which tent", "any cheap speakers").
_ASKING_FOR = word_set("a an any some what whats what's which")
_MOST_DESCRIBING = 3  # describing words between the opener and the kind ("a good cheap gps watch")


def asked_kinds(text: str) -> list[str]:
    """The kinds of thing `text` asks for (lower case), as written: a kind after an article or a question
    word, with only describing words between ("whats a good gps watch" -> watch, "which tents" -> tents);
    not a kind the shopper has or speaks of ("run 2 monitors off my laptop", "the tent")."""
    ws = words(text)
    found: list[str] = []
    for i, w in enumerate(ws):
        if w.lower not in _ASKING_FOR:
            continue
        for before, after in zip(ws[i : i + _MOST_DESCRIBING + 1], ws[i + 1 : i + _MOST_DESCRIBING + 2], strict=False):
            if text[before.end : after.start].strip() or after.is_filler:
                break
            if is_product_kind(after.text):
                found.append(after.lower)
                break
    return list(dict.fromkeys(found))


def is_kind_of(suggestion: str, kind: str) -> bool:
    """Whether a suggestion is a thing of the kind ("smartwatch" and "gps watch" are watches; "shoes" is none)."""
    last, wanted = stem(suggestion.split()[-1].lower()), stem(kind.lower())
    return last == wanted or (len(wanted) >= _CLIPPED_MIN and last.endswith(wanted))


def may_name_thing(word: str) -> bool:
    """A word that may name a thing a store sells: a kind ("tents"), a word its interests use ("trail
    runners") or no everyday English word (a brand, "aerobrew"); not "welcome" of "a welcome code"."""
    return is_product_kind(word) or bool(_meaning(RELATED, _RELATED_STEMS, word)) or not is_english(word)


# A yes/no question about one named thing ("can the skillet go in the oven?"), about its specifications
# when it names nothing else that is asked.
ABOUT_ONE = re.compile(
    r"^\s*(?:is|are|does|do|has|have|can|will)\s+(?:the|this|that|these|those|your|it|they)\b"
    r"|,\s*(?:is|are|does|do|has|have)\s+(?:it|they)\b",
    re.IGNORECASE,
)
ABOUT_ONE_MEANING = "specifications"

_LEXICON_WORDS = frozenset(
    [
        *SYNONYMS,
        *RELATED,
        *(w for table in (SYNONYMS, RELATED) for plain in table.values() for s in plain for w in s.split()),
    ]
)


def related_words(text: str) -> list[str]:
    """What the interests and needs of `text` suggest searching for ("coffee lover" -> espresso, grinder,
    kettle): first what more of them suggest ("winter camping" -> sleeping, which both ask for; "dry on a
    rainy hike" -> waterproof jacket), then the longer suggestion, then in the order written."""
    suggested = [_meaning(RELATED, _RELATED_STEMS, w.text) for w in words(text)]
    found = list(dict.fromkeys(s for group in suggested for s in group))

    def shared(suggestion: str) -> int:
        said = set(suggestion.split())
        return sum(1 for group in suggested if any(said & set(s.split()) for s in group))

    ranked = sorted(found, key=lambda s: (-shared(s), -len(s.split())))
    kind = next((w.lower for w in words(text) if is_product_kind(w.text)), None)
    if kind is None:
        return ranked
    # The need qualifies the thing the ask names: "a speaker that survives rain" is a waterproof speaker.
    pairs = [s.split() for s in ranked if len(s.split()) == 2]  # a feature and a kind ("waterproof jacket")
    qualified = [f"{feature} {kind}" for feature, named in pairs if stem(named) != stem(kind)]
    return list(dict.fromkeys([*qualified, *ranked]))


# The end of a clause, after any words that only stress it ("is it any good honestly", "rated well at least") or
# a tag that asks for a yes or no ("is it any good or nah", "worth it or not").
_TAIL_WORDS = "honestly actually really seriously tho though anyway anyways then at least"
_TAGS = r"or\s+(?:not|nah|no|what)"
_CLAUSE_END = r"(?=(?:\s+(?:" + "|".join([*_TAIL_WORDS.split(), _TAGS]) + r")\b)*\s*(?:[?.!,;]|$))"


def _phrase_pattern(phrase: str) -> str:
    """A phrase of the table; one ending in "$" only at the end of a clause ("is it any good?", not "any good
    blenders"); one ending in "!" is one word whose parts mean nothing on their own ("noise cancelling"); one
    ending in "+" only before a thing a store sells or a few words of asking for them ("how many tents are
    left", "how many do you have"; "how many lumens" and "how many burners" ask for a figure, not stock)."""
    phrase = phrase.removesuffix("!")
    lead = _NOT_THE_SHOPPER if phrase.startswith("like ") else ""
    if phrase.endswith("+"):
        return lead + _spelt(phrase[:-1]) + rf"\b(?=\s*(?:[?.!,;]|$|(?:{_COUNTED})\b)|{_HELD})"
    if phrase.endswith("$"):
        return lead + _spelt(phrase[:-1]) + _CLAUSE_END
    return lead + _spelt(phrase) + r"\b"


# Chat shorthand for the words of everyday phrases ("hw much is it", "wat abt the tent").
_SHORTHAND = {"hw": "how", "abt": "about", "u": "you", "ur": "your", "r": "are", "wat": "what", "wht": "what"}
_SHORTHAND |= {"w": "with"}  # "happy w/ them"
_SPELLINGS = {
    word: [word, *(short for short, long in _SHORTHAND.items() if long == word)] for word in _SHORTHAND.values()
}


# Words that only stress what they stand in, written inside a phrase ("did i ever buy", "has it already shipped").
_STRESS_WORDS = ("ever", "already", "just", "actually", "even", "really")
_STRESSED = r"\ (?:(?:" + "|".join(_STRESS_WORDS) + r")\ )?"


def _spelt(phrase: str) -> str:
    """A pattern for the words of `phrase`, each also in its chat shorthand, a stressing word allowed between."""
    return _STRESSED.join(
        f"(?:{'|'.join(map(re.escape, _SPELLINGS[w]))})" if w in _SPELLINGS else re.escape(w) for w in phrase.split(" ")
    )


def _phrase(found: str) -> str:
    """The phrase of the table a match of `_PHRASE` is, its shorthand written out and stressing words left out
    ("hw much" -> "how much", "did i ever buy" -> "did i buy")."""
    return " ".join(_SHORTHAND.get(w, w) for w in found.split(" ") if w not in _STRESS_WORDS)


# What others like is an opinion ("do people like the tent"); the shopper's own liking or wish is none ("I like
# the look of the merino base layer", "I'd like the blue one"), nor what a thing is like ("what's the weather
# gonna be like this weekend", "what is it like").
_NOT_THE_SHOPPER = r"(?<!\bi )(?<!\bi'd )(?<!\bwe )(?<!\bwould )(?<!\bi really )(?<!\bbe )(?<!\bis )(?<!\bwas )"


# What "how many" counts when it asks after stock: the things a store sells, units, or nothing named.
_COUNTED = "|".join(
    sorted({*(f"{w}s?" for plain in RELATED.values() for w in plain), "do", "are", "is", "left", "units?", "of", "in"})
)
# A few words, then asking whether the store holds them ("how many trailpeak 2 do u have", "how many stride s3 are
# left"): what is counted is a thing it sells, whatever its name.
_HELD = (
    r"(?:\s+[\w-]+){1,3}\s+(?:(?:do|does)\s+(?:you|u|ya|y'all|we)\s+(?:have|got|carry|stock)"
    r"|(?:are|r)\s+(?:there|left|in stock|available)|left|in stock)\b"
)
_MEANING = {phrase.rstrip("!$+"): plain for phrase, plain in PHRASES.items()}


def _fixed_pattern(phrase: str) -> str:
    """A phrase that is one word ("noise cancelling!"), at the end of a clause only when it ends in "$" too."""
    phrase = phrase.removesuffix("!")
    return re.escape(phrase[:-1]) + _CLAUSE_END if phrase.endswith("$") else re.escape(phrase) + r"\b"


_FIXED = re.compile(r"\b(?:" + "|".join(_fixed_pattern(p) for p in PHRASES if p.endswith("!")) + r")", re.I)


# Words that name a topic only inside a phrase of this table ("back in stock", "be back", "sending back"), never on
# their own ("got back from a trip", "my money back").
PHRASE_ONLY_TERMS = frozenset(stem(w) for w in ("back",))


# A thing asked for by what it can do to something ("what else can track my sleep", "anything that could keep
# coffee hot"): a search of the catalog, as "something that" is. What a person can do ("what else can you do") is
# none, nor what is done to the thing ("anything that can ship by friday": a shipping ask).
_CAN_DO = re.compile(
    r"\b(?:what|anything|something)(?:\s+else)?(?:\s+that)?\s+(?:can|could)\s+"
    r"(?!(?:you|u|i|we|they|it|he|she|be)\b)([a-z]+)\s+([a-z]+)",
    re.IGNORECASE,
)
_DETERMINERS = word_set("my your his her our their the a an this that these those")
_FOUND_BY_USE = ("catalog", "find")
# Whether a thing suits a use ("r those ok for rocky trails", "is the tent fine for winter"): what it is made
# like, its specifications; not "ok for now", nor leave to do something ("is it ok for me to cancel").
_SUITS = re.compile(
    r"\b(?:ok|okay|fine|suitable|good enough|made|meant|built)\s+for\s+"
    r"(?!(?:now|today|tonight|the moment)\b)(?!(?:me|you|u|us|him|her|them)\s+to\b)(?=\w)",
    re.IGNORECASE,
)
_SUITING = ("specifications",)
_USE = re.compile(r"[^?.!,;]*")  # the use a thing is to suit, up to the end of its clause


def suited_uses(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where `text` asks whether a thing suits a use ("are those ok for rocky trails"): the span of the words
    asking it ("ok for ") and that of the use ("rocky trails"), which names what the thing is for, not a topic."""
    found = []
    for m in _SUITS.finditer(text):
        use = _USE.match(text, m.end())
        found.append((m.span(), (m.end(), use.end() if use else m.end())))
    return found


def _uses(text: str) -> list[re.Match[str]]:
    """The matches of `_CAN_DO` whose verb takes an object: a determiner or a word naming a thing, not one of
    how, when or where ("by", "overnight", "today")."""
    return [
        m
        for m in _CAN_DO.finditer(text)
        if m.group(2).lower() in _DETERMINERS or not (m.group(2).lower() in STOPWORDS or is_generic(m.group(2)))
    ]


# The shopper adding a thing to what was spoken of ("what if i add the poles too", "and if i throw in the stove"):
# how the cart changes, not what is asked; "what do i need to add to get the camp kit" asks what to add.
_ADDS_THING = re.compile(
    r"\b(?:add|adding|added|throw in|throwing in|toss in|tossing in)\b(?!\s*(?:to|for|on|[?.!,;]|$))", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def without_fixed_phrases(text: str) -> str:
    """`text` with the phrases that are one word blanked out ("noise cancelling" says nothing of cancelling),
    the verb of what a thing is asked for by ("what else can track my sleep" tracks no order) and the verb of
    adding a thing ("what if i add the poles too" asks of no bundle's items to add)."""
    text = _FIXED.sub(lambda m: " " * len(m.group()), text)
    for m in _uses(text):
        text = text[: m.start(1)] + " " * len(m.group(1)) + text[m.end(1) :]
    return _ADDS_THING.sub(lambda m: " " * len(m.group()), text)


# What a thing is to keep a thing in ("to keep my coffee hot", "that keeps drinks cold"): what the thing does, in
# the words a product's description says it with ("keeps cold 24 h, hot 12 h"). Not the shopper's own habit ("i
# keep getting cold"), a person kept so ("keep me dry": what the person needs), nor keeping what was spoken of.
_KEEPS_THING = re.compile(
    r"(?<!\bi )(?<!\bwe )(?<!\bu )(?<!\byou )\b(keeps?|keeping)\s+"
    r"(?!(?:me|us|you|u|him|her|them|it|this|that|those|these|one|getting|going)\b)"
    r"(?:(?:my|your|his|her|our|their|the|a|an)\s+)?[a-z]+\s+(?!(?:for|in|on|at|to|or|and|until|till)\b)[a-z]+",
    re.IGNORECASE,
)


# What others say of the shopper ("ppl keep saying they can barely see me", "my team says i sound muffled"): the
# shopper's problem, told as others see it, no opinion of a thing the store sells (those speak of one: "ppl say
# the buds hurt their ears", "people say it's loud").
_SAID_OF = re.compile(
    r"\b(?:people|ppl|everyone|everybody|folks|they|friends|coworkers|colleagues|team|boss)\s+(?:\w+\s+)?"
    r"(?:say|says|saying|said|tell me|tells me|told me|telling me)\b([^.?!,;]*)",
    re.IGNORECASE,
)
_OF_SHOPPER = re.compile(r"\b(?:me|i|i'm|im|my)\b", re.IGNORECASE)
_OF_THING = re.compile(r"\b(?:it|its|it's|this|that|these|those|the|them|one|ones)\b", re.IGNORECASE)


def said_of_shopper_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` tells what others say of the shopper: words of the shopper's problem, not of reviews."""
    return [
        m.span() for m in _SAID_OF.finditer(text) if _OF_SHOPPER.search(m.group(1)) and not _OF_THING.search(m.group(1))
    ]


def keeping_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` says what a thing is to keep a thing as ("keep my coffee hot"): the span of the verb, which,
    an everyday word elsewhere, is here what the thing asked for does."""
    return [m.span(1) for m in _KEEPS_THING.finditer(text)]


def adding_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` says the shopper adds a thing ("and if i throw in the stove"): the verb names nothing."""
    return [m.span() for m in _ADDS_THING.finditer(text)]


_PHRASE = re.compile(r"\b(?:" + "|".join(_phrase_pattern(p) for p in sorted(PHRASES, key=len, reverse=True)) + r")")


@lru_cache(maxsize=4096)
def _phrase_matches(lowered: str) -> tuple[tuple[str, tuple[int, int]], ...]:
    """The phrases of this table in `lowered` (a text in lower case), each with its span: the table's one pattern
    is long, so each text is scanned once."""
    return tuple((_phrase(m.group()), m.span()) for m in _PHRASE.finditer(lowered))


def _unphrased(text: str) -> list[Word]:
    """The words of `text` outside its everyday phrases: a phrase's meaning is its words' meaning ("shipped to"
    asks where a thing can go, not after an order)."""
    spans = [span for _, span in _phrase_matches(text.lower())]
    return [w for w in words(text) if not any(start <= w.start and w.end <= end for start, end in spans)]


# A thing sent, taken or brought back ("send the fitness band back", "i'm sending it back") is a return of
# something ordered, not stock coming back.
_SENT_BACK = re.compile(
    r"\b(?:send|sending|sent|ship|shipping|take|taking|bring|bringing|mail|mailing)\b(?:\s+[\w'-]+){0,4}?\s+back\b"
)
_RETURN = ("return", "order")


# A need the shopper is in ("i keep getting cold", "i'm always freezing"), not one a thing has ("keeps drinks cold").
_STATE = re.compile(
    r"\b(?:i|i'm|im|we|we're)\b(?:\s+(?:am|are|keep|keeps|kept|always|get|gets|getting|got|feel|feeling|felt|was"
    r"|were|be|been|so|really|too|very|still|just|often|constantly|usually|kinda|pretty))*\s+([a-z]+)",
    re.IGNORECASE,
)


def shopper_states(text: str) -> list[str]:
    """The needs `text` says the shopper is in, as the words the interests table knows ("cold", "wet")."""
    return [m.group(1).lower() for m in _STATE.finditer(text) if _meaning(RELATED, _RELATED_STEMS, m.group(1))]


def state_remedies(text: str) -> list[str]:
    """What the needs the shopper is in suggest, in the order the table gives them, those suggested together
    with the kind of thing the ask names first ("cold at night in my tent": a sleeping bag, which camping
    suggests with a tent); the need qualifies no kind here, since the shopper, not the tent, is cold."""
    found = list(dict.fromkeys(s for w in shopper_states(text) for s in _meaning(RELATED, _RELATED_STEMS, w)))
    kinds = {stem(w.lower) for w in words(text) if is_product_kind(w.text)}

    def goes_with_kind(suggestion: str) -> bool:
        said = set(suggestion.split())
        return any(
            any(said & set(s.split()) for s in group) and kinds & {stem(s.split()[-1]) for s in group}
            for group in RELATED.values()
        )

    return sorted(found, key=lambda s: not goes_with_kind(s))


_SPEED = "fastest"  # what a word of delivery speed means ("overnight", "express")


def _says_outing(text: str, w: Word) -> bool:
    """A word of speed describing the outing the next word names ("first overnight hike", "a quick run"), not a
    delivery: that word is an interest of the tables."""
    if _SPEED not in _synonyms(w.lower):
        return False
    after = re.match(r"\s+([a-z]+)", text[w.end :], re.IGNORECASE)
    return after is not None and bool(_meaning(RELATED, _RELATED_STEMS, after.group(1)))


def _word_synonyms(text: str) -> list[tuple[str, ...]]:
    """What each word of `text` outside its phrases means; in "send the band back", "send" means no
    shipping and "back" no restock, but together a return; "overnight" of "an overnight hike" means no
    shipping."""
    sent = [m.span() for m in _SENT_BACK.finditer(text.lower())]
    return [
        _RETURN
        if any(w.end == end for _, end in sent)
        else ()
        if any(w.start == start for start, _ in sent) or _says_outing(text, w)
        else _synonyms(w.lower)
        for w in _unphrased(text)
    ]


@lru_cache(maxsize=2048)
def synonym_terms(text: str, *, interests: bool = True) -> dict[str, float]:
    """Terms of the plain words that mean what the words and phrases of `text` say (at a lower weight), and
    with `interests` what its interests suggest ("tea": kettle)."""
    found: dict[str, float] = {}
    lowered = text.lower()
    meanings = _word_synonyms(text)
    sent_back = {m.end() for m in _SENT_BACK.finditer(lowered)}  # "back?" is no restock after "send the band"
    meanings += [_RETURN if end in sent_back else _MEANING[phrase] for phrase, (_, end) in _phrase_matches(lowered)]
    meanings += [_FOUND_BY_USE for _ in _uses(lowered)]
    meanings += [_SUITING for _ in _SUITS.finditer(lowered)]
    if interests:
        meanings += [_meaning(RELATED, _RELATED_STEMS, w.text) for w in words(text)]
    for plain in (w for group in meanings for p in group for w in without_fixed_phrases(p).split()):
        for term, weight in terms(plain, SYNONYM_WEIGHT).items():
            found[term] = max(found.get(term, 0.0), weight)
    owns = any(is_product_kind(w) for m in _MY.finditer(lowered) for w in m.groups() if w)  # "my (new) desk"
    if owns and (found.keys() | text_terms(text).keys()) & _ORDER_EVENTS:
        found |= terms(" ".join(_OWN_THING))
    return found


@lru_cache(maxsize=2048)
def word_meanings(text: str) -> dict[str, frozenset[str]]:
    """For each word of `text` this table gives a meaning, its term and the terms of what it means
    ("cost" -> price, amount, total)."""
    found: dict[str, frozenset[str]] = {}
    for w, plain in zip(_unphrased(text), _word_synonyms(text), strict=True):
        if plain:
            meant = frozenset(t for p in plain for t in terms(p))
            for term in terms(w.text):
                found[term] = found.get(term, frozenset()) | meant
    return found


def phrases_in(text: str) -> list[str]:
    """The everyday phrases of this table that `text` holds ("how much", "on the way")."""
    return [phrase for phrase, _ in _phrase_matches(text.lower())]


def phrase_spans(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Each plain word an everyday phrase of `text` means, with where the phrase sits ("europe" -> eu-central)."""
    return [(plain, span) for phrase, span in _phrase_matches(text.lower()) for plain in _MEANING[phrase]]


_GOODS_CLASSES = {cls: tuple(k.replace("_", " ") for k in kinds) for cls, kinds in _table(_GOODS_CLASSES_TEXT).items()}
_GOODS_KIND = {
    cls: re.compile(r"\b(?:" + "|".join(re.escape(k) for k in kinds) + r")s?\b")
    for cls, kinds in _GOODS_CLASSES.items()
}


def goods_classes(text: str) -> frozenset[str]:
    """The classes of goods the kinds of thing `text` names belong to ("any code for a tent?" -> outdoor)."""
    lowered = text.lower()
    return frozenset(cls for cls, kind in _GOODS_KIND.items() if kind.search(lowered))


def place_phrase_spans(text: str) -> list[tuple[int, int]]:
    """Where the places of `text` are, written in any case ("reno", "New York"): where, never a name."""
    return [span for phrase, span in _phrase_matches(text.lower()) if phrase in PLACES]


_DESTINATION = re.compile(r"\b(?:to|into|towards?)\s+$")


def destination_terms(text: str) -> frozenset[str]:
    """The terms of the places `text` sends a thing to ("ship the camp stove to germany" -> eu-central)."""
    lowered = text.lower()
    return frozenset(
        t
        for start, end in place_phrase_spans(text)
        if _DESTINATION.search(lowered[:start])
        for t in synonym_terms(text[start:end], interests=False)
    )


@lru_cache(maxsize=2048)
def place_terms(text: str) -> frozenset[str]:
    """The terms only the places of `text` give ("europe" -> eu-central) where a thing is: they fill a region,
    but are no evidence of what is asked ("is the kettle in stock in europe?" asks about stock). A place a
    thing goes to ("send the kettle to germany") is a destination, which asks about delivery."""
    lowered = text.lower()
    spans = [(start, end) for start, end in place_phrase_spans(text) if not _DESTINATION.search(lowered[:start])]
    if not spans:
        return frozenset()
    found = {t for start, end in spans for t in synonym_terms(text[start:end], interests=False)}
    rest = without_spans(text, spans)
    return frozenset(found - text_terms(rest).keys() - synonym_terms(rest, interests=False).keys())


_TARGETS = frozenset(stem(w) for w in ("where", "when", "hello", "goodbye"))


def _max_edits(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 10 else 2


@lru_cache(maxsize=4096)
def _nearest(word: str, vocabulary: frozenset[str]) -> str | None:
    """The one vocabulary word within a small edit distance of `word` (none when two are as near)."""
    limit = _max_edits(word)
    best: list[tuple[int, str]] = []
    for known in sorted(vocabulary):
        if abs(len(known) - len(word)) > limit or not known.isalpha():
            continue
        distance = DamerauLevenshtein.distance(word, known, score_cutoff=limit)
        if distance <= limit:
            best.append((distance, known))
    # Of words as near, a longer one wins: a missing letter is the commonest slip ("stok" is "stock", not "stov").
    best.sort(key=lambda found: (found[0], -len(found[1]), found[1]))
    if not best or (len(best) > 1 and best[0][0] == best[1][0] and len(best[0][1]) == len(best[1][1])):
        return None
    return best[0][1]


_ENGLISH_MIN_USES = 1000  # rarer entries of the frequency list are as likely a slip as a word ("wen")


@cache
def _english() -> frozenset[str]:
    """Everyday English words (pyspellchecker's word-frequency list): "stay" and "starting" are words, not
    misspellings of "star"; "stok" and "ordr" are no words."""
    counts = SpellChecker(distance=1).word_frequency.dictionary
    return frozenset(word for word, uses in counts.items() if uses >= _ENGLISH_MIN_USES)


def preload() -> None:
    """Read the English word list now (about 0.2 s of CPU, once per process), not during a shopper's turn."""
    _english()


def is_english(word: str) -> bool:
    """An everyday English word ("trail", "runner"; not "ergochair")."""
    return word.lower() in _english()


@lru_cache(maxsize=256)
def _with_targets(known: frozenset[str]) -> frozenset[str]:
    """The words a misspelling may be corrected to (built once per vocabulary)."""
    return known | _TARGETS


def corrected(text: str, vocabulary: Iterable[str]) -> str:
    """`text` with misspelt words ("ordr", "stok") replaced by the nearest word of `vocabulary` (stems)."""
    known = frozenset(vocabulary)
    out = text
    for w in reversed(words(text)):
        lower = w.lower
        if not lower.isalpha() or lower in STOPWORDS or _max_edits(lower) == 0:
            continue
        if stem(lower) in known or stem(lower) in _TARGETS or lower in _LEXICON_WORDS or lower in _english():
            continue  # a word these tables or English know ("think", "stay") is no misspelling of another
        targets = _with_targets(known)
        if (fix := _nearest(lower, targets) or _nearest(stem(lower), targets)) is not None:
            out = out[: w.start] + fix + out[w.end :]
    return out


# Words that describe or point at a thing without naming it ("the cheaper one", "the pro version").
GENERIC_WORDS = word_set(
    """
    version way option options kind type model thing price one ones use using put bigger smaller cheaper cheapest final
    lowest
    cheap better best faster fastest newer older more less least well minimum maximum again btw anyway info
    expensive pricey pricier costly affordable inexpensive crazy insanely ridiculously
    information details detail right
    now today currently else apply applies work works hey hi hello never mind nevermind ok okay then please
    thanks include includes including contain contains part long end ends until keep keeps lover lovers fan fans
    obsessed
    day days week weeks month months night nights tonight weekend yesterday morning evening time times next
    question happy satisfied pair color colour colors colours
    pleased like likes actually honestly seriously basically literally start started starting getting
    brother sister mom mum dad mother father wife husband son daughter kid kids friend partner boyfriend
    girlfriend grandma grandpa uncle aunt niece nephew boss coworker colleague nothing none somewhere anywhere
    buddy buddies pal bro sis gf bf hubby roommate neighbor neighbour coworkers friends
    """
)
_GENERIC_STEMS = frozenset(stem(w) for w in (*GENERIC_WORDS, *SYNONYMS))


def is_generic(word: str) -> bool:
    """A word that is never part of a product's or a topic's name: an everyday word of this table or a
    describing word ("cheaper", "version")."""
    lower = word.lower()
    return lower in GENERIC_WORDS or bool(_synonyms(lower)) or stem(lower) in _GENERIC_STEMS


_MEANT_STEMS = frozenset(stem(w) for plain in SYNONYMS.values() for w in plain)


def names_a_thing(word: str) -> bool:
    """A word that may be the head of a thing's name ("bags" of "the 2 sleeping bags", "pros" of "the aurora
    pros"): no generic word, and none of the plain words the table means ("reviews", "orders")."""
    return not is_generic(word) and stem(word.lower()) not in _MEANT_STEMS


_HELLOS = sorted({word for word, canonical in CANONICAL.items() if canonical == "hello"} | {"hello"})
_GREETING = re.compile(
    rf"^\W*(?:(?:{'|'.join(_HELLOS)})(?:\s+(?:there|all|everyone|folks|guys|team))?|good (?:morning|afternoon|evening))"
    r"\b[\s!,.]*",
    re.IGNORECASE,
)
# A sentence ends at its punctuation or at a smiley ("hope you're well :) do you sell tents?").
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s*[:;]-?[)(dDpP](?![\w])\s*")
# Words a sentence of small talk opens with: thanks, good wishes, laughter.
_PLEASANTRY_OPENERS = ACKNOWLEDGEMENTS | word_set(
    "hope hoping lovely wonderful brilliant amazing glad sweet so lol haha wow oh ah"
)


def without_pleasantries(ask: str, vocabulary: frozenset[str]) -> str:
    """The ask without the greeting it opens with and the sentences of small talk before its question ("hi
    there! hope your day's going well :) got anything for hiking?", "thanks for earlier! is the stove any
    good?"): a sentence that opens with thanks, a greeting or good wishes and names nothing the offered
    tools know of. The ask as it is when nothing else is left."""
    rest = _GREETING.sub("", ask, count=1)
    rest = rest if rest.strip() and rest != ask else ask
    sentences = [part for part in _SENTENCE.split(rest) if part and part.strip()]
    kept = list(sentences)
    while len(kept) > 1 and _is_pleasantry(kept[0], vocabulary):
        kept.pop(0)
    return " ".join(kept) if len(kept) < len(sentences) else rest


def _is_pleasantry(sentence: str, vocabulary: frozenset[str]) -> bool:
    ws = words(sentence)
    if not ws or "?" in sentence or CANONICAL.get(ws[0].lower, ws[0].lower) not in {*_PLEASANTRY_OPENERS, "hello"}:
        return False
    named = [w for w in ws if w.lower not in _PLEASANTRY_OPENERS and CANONICAL.get(w.lower) != "hello"]
    return not any(is_code(w.text) or stem(w.lower) in vocabulary or is_product_kind(w.text) for w in named)
