"""Convert the Phoenix actor dictionaries (PETRARCH-2) into our actor tables, so the resolver knows who is who.

The extractor must turn a bare "Netanyahu" into ISRGOV as of the article's date. Phoenix lists about 18,000 people
with dated CAMEO codes up to 2014 (our hand-made ``actors/people.tsv`` covers 2014 on), plus international bodies and
armed groups. This script writes ``actors/phoenix_people.tsv`` and ``actors/phoenix_organisations.tsv`` from
``Phoenix.{Countries,International,MilNonState}.actors.txt``; run from the project root, review the diff and the
printed counts, commit the output::

    .venv/bin/python -m communique.data.build_actors [--source PATH]

Country names, demonyms, cities, institutions and companies are skipped (the gazetteer has the places). A code we
cannot read (malformed date, no country block) is skipped and counted under its reason, never guessed at.
``actors/NOTICE.md`` names the source, its commit and its MIT licence.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from communique.settings import DATA_DIR, PROJECT_ROOT

ACTORS_DIR = DATA_DIR / "actors"
DEFAULT_SOURCE = PROJECT_ROOT.parent / "shared" / "knowledge" / "petrarch2" if PROJECT_ROOT else None
SOURCES = ("Countries", "International", "MilNonState")
PEOPLE_COLUMNS = ("code", "name", "aliases", "title", "office", "start", "end", "source", "note")
ORG_COLUMNS = ("code", "name", "aliases", "start", "end", "source", "note")
#: Phoenix was written in January 2014; a ``>A`` code still open then is closed two years later at the latest.
OPEN_END_CAP = dt.date(2016, 1, 30)
TOP_OFFICES = frozenset({"head_of_state", "head_of_government", "foreign_minister", "defence_minister", "igo_head"})
#: CAMEO has pre-ISO roots for states that no longer exist; Kosovo (CAMEO KSV) is XKX in our warehouse and East
#: Timor (CAMEO TMP, its pre-2002 ISO code) is TLS.
HISTORIC_ROOTS = frozenset({"SUN", "YUG", "CSK", "DDR", "XKX"})
TRANSNATIONAL_ROOTS = frozenset({"IGO", "NGO", "IMG"})
ROOT_ALIASES = {"KSV": "XKX", "TMP": "TLS"}

#: Second blocks that make a country code a person's role; anything else (YUGHRV, GBRFLK, SRPUNR) names a place.
_ROLES = frozenset(
    {"GOV", "MIL", "REB", "OPP", "ELI", "LEG", "JUD", "SPY", "COP", "PTY", "BUS", "MED", "CVL", "HRI", "EDU"}
    | {"LAB", "AGR", "ENV", "HLH", "REF", "DEV", "CRM", "UAF", "INS", "SEP", "MOD", "RAD", "REL", "IGO", "IMG"}
)
#: Words of a phrase that make it an organisation, a place or an office rather than a person's name.
_INSTITUTION_WORDS = frozenset(
    {"FORCES", "FORCE", "ARMY", "NAVY", "GUARD", "GUARDS", "POLICE", "DEPARTMENT", "MINISTRY", "OFFICE", "AGENCY"}
    | {"COUNCIL", "COMMITTEE", "COMMISSION", "PARTY", "FRONT", "MOVEMENT", "ORGANIZATION", "ORGANISATION"}
    | {"ASSOCIATION", "UNION", "FEDERATION", "GOVERNMENT", "ADMINISTRATION", "CONGRESS", "PARLIAMENT", "ASSEMBLY"}
    | {"SENATE", "COURT", "HOUSE", "BANK", "UNIVERSITY", "INSTITUTE", "CENTER", "CENTRE", "FOUNDATION", "SOCIETY"}
    | {"GROUP", "BRIGADE", "BRIGADES", "BATTALION", "REGIMENT", "COMMAND", "CORPS", "SERVICE", "SERVICES"}
    | {"BUREAU", "AUTHORITY", "REPUBLIC", "STATES", "KINGDOM", "EMIRATE", "NATIONAL", "DEMOCRATIC", "REVOLUTIONARY"}
    | {"LIBERATION", "ALLIANCE", "COALITION", "NETWORK", "TRIBUNAL", "MISSION", "PROGRAM", "PROGRAMME", "FUND"}
    | {"OBSERVATORY", "QAEDA", "AL-QAEDA", "TALIBAN", "HAMAS", "HEZBOLLAH", "JIHAD", "ISLAMIC", "ARMED", "MILITIA"}
    | {"MILITIAS", "REBELS", "SECURITY", "INTELLIGENCE", "CABINET", "REGIME", "JUNTA", "CHURCH", "COMPANY"}
    | {"CORPORATION", "INC", "LTD", "NEWS", "TELEVISION", "RADIO", "ISLANDS", "ISLAND", "PROVINCE", "REGION"}
    | {"RIOT", "COMMUNITY", "CONFERENCE", "CAMPAIGN", "TEAM", "BOARD", "DIVISION", "UNIT", "UNITS", "CELL"}
    | {"PEOPLE", "PEOPLE'S", "PEOPLES", "WORKERS", "STUDENTS", "CITIZENS", "SOLDIERS", "TROOPS", "FIGHTERS"}
    | {"INDEPENDENT", "INTERNATIONAL", "GLOBAL", "WORLD", "UNITED", "NATIONS", "AFRICAN", "EUROPEAN", "ARAB"}
    | {"CLUB", "COMMANDO", "COMMANDOS", "SENA", "ORDER", "CELLS", "QAIDA", "QA'IDA", "QAI'DAH", "KATAIB", "JAISH"}
    | {"JAMAAT", "HARAKAT", "TANZIM", "HIZB", "LASHKAR", "ANSAR", "JUND", "FEDAYEEN", "MUJAHIDEEN", "MUJAHIDIN"}
    | {"TIGERS", "MARTYRS", "WARRIORS", "GUERRILLA", "GUERRILLAS", "RESISTANCE", "LEAGUE", "FACTION", "WING"}
    | {"SQUAD", "CARTEL", "GANG", "FELLOWSHIP", "CHAMBER", "RIGHTS", "INTERNET", "WORLDWIDE", "SOLIDARITY"}
    | {"RELIEF", "DEVELOPMENT", "MONITOR", "VOICES", "NET", "CATHOLIC", "U.N.", "U.S.", "UN", "US", "KAPPA"}
    | {"FRANCOPHONIE", "ACTION", "INITIATIVE", "TRUST", "FRIENDS", "CHILDREN", "WOMEN", "MEDIA", "PRESS"}
    | {"BET", "SOVIET", "POLITBURO", "NATIONALITIES", "KATAEB", "LIWA", "JAYSH", "JABHAT", "AL-JABHAT", "TANZEEM"}
    | {"QAEDAT", "FEDERAL", "ROYAL", "IMPERIAL", "STATE", "MINISTERS", "OFFICIALS", "LEADERS", "LEADERSHIP"}
)
#: Words that, not being part of the person's name, make an alias a title form ("PRIME_MINISTER_NETANYAHU").
_ROLE_WORDS = frozenset(
    {"PRESIDENT", "VICE-PRESIDENT", "MINISTER", "PREMIER", "CHANCELLOR", "SECRETARY", "SECRETARY-GENERAL"}
    | {"DIRECTOR-GENERAL", "GENERAL", "GEN.", "KING", "QUEEN", "EMIR", "SULTAN", "PRINCE", "PRINCESS", "AMBASSADOR"}
    | {"GOVERNOR", "LEADER", "CHAIRMAN", "CHAIRWOMAN", "DIRECTOR", "COMMISSIONER", "SENATOR", "CONGRESSMAN"}
    | {"CONGRESSWOMAN", "REPRESENTATIVE", "SPEAKER", "COLONEL", "COL.", "ADMIRAL", "MARSHAL", "COMMANDER"}
    | {"CAPTAIN", "LT.", "LIEUTENANT", "BRIGADIER", "SIR", "LORD", "LADY", "BARON", "BARONESS", "SHEIKH", "SHAIKH"}
    | {"AYATOLLAH", "MULLAH", "IMAM", "DR.", "MR.", "MRS.", "MS.", "RATU", "TUANKU", "POPE", "CARDINAL", "BISHOP"}
    | {"ARCHBISHOP", "REV.", "FORMER", "EX", "DEPUTY", "ACTING", "SPOKESMAN", "SPOKESWOMAN", "ENVOY", "MONARCH"}
    | {"DICTATOR", "STRONGMAN", "PRES.", "SEC.", "CHIEF", "HEAD", "MAYOR", "JUDGE", "PROSECUTOR", "OFFICIAL"}
    | {"GOV.", "SEN.", "REP.", "AMB.", "SGT.", "MAJ.", "CAPT.", "GEN", "LT", "COL", "ADM.", "PM", "FM", "MR", "MRS"}
    | {"MS", "DR", "KANZLER", "BUNDESKANZLER", "ELECT", "PRESIDENTE", "PRESIDENTIAL", "MINISTRO", "TSAR", "CZAR"}
)
#: Title phrases as they open an alias: (words, title as news writes it, office, kind of code it fits).
_TITLES: tuple[tuple[str, str, str, str], ...] = (
    ("SECRETARY GENERAL OF THE UNITED NATIONS", "Secretary-General", "igo_head", "igo"),
    ("SECRETARY-GENERAL", "Secretary-General", "igo_head", "igo"),
    ("SECRETARY GENERAL", "Secretary-General", "igo_head", "igo"),
    ("DIRECTOR-GENERAL", "Director-General", "igo_head", "igo"),
    ("DIRECTOR GENERAL", "Director-General", "igo_head", "igo"),
    ("HIGH COMMISSIONER", "High Commissioner", "igo_head", "igo"),
    ("DEPUTY PRIME MINISTER", "Deputy Prime Minister", "", "gov"),
    ("PRIME MINISTER", "Prime Minister", "head_of_government", "gov"),
    ("VICE PRESIDENT", "Vice President", "", "gov"),
    ("VICE-PRESIDENT", "Vice President", "", "gov"),
    ("PRESIDENT", "President", "head_of_state", "gov"),
    ("PREMIER", "Premier", "head_of_government", "gov"),
    ("CHANCELLOR OF THE EXCHEQUER", "Chancellor of the Exchequer", "finance_minister", "gov"),
    ("FEDERAL CHANCELLOR", "Chancellor", "head_of_government", "gov"),
    ("CHANCELLOR", "Chancellor", "head_of_government", "gov"),
    ("SUPREME LEADER", "Supreme Leader", "head_of_state", "gov"),
    ("FOREIGN MINISTER", "Foreign Minister", "foreign_minister", "gov"),
    ("MINISTER OF FOREIGN AFFAIRS", "Minister of Foreign Affairs", "foreign_minister", "gov"),
    ("FOREIGN SECRETARY", "Foreign Secretary", "foreign_minister", "gov"),
    ("DEPUTY SECRETARY OF STATE", "Deputy Secretary of State", "", "gov"),
    ("UNDER SECRETARY OF STATE", "Under Secretary of State", "", "gov"),
    ("SECRETARY OF STATE", "Secretary of State", "foreign_minister", "gov"),
    ("DEFENSE MINISTER", "Defense Minister", "defence_minister", "gov"),
    ("DEFENCE MINISTER", "Defence Minister", "defence_minister", "gov"),
    ("MINISTER OF DEFENSE", "Minister of Defense", "defence_minister", "gov"),
    ("MINISTER OF DEFENCE", "Minister of Defence", "defence_minister", "gov"),
    ("DEFENSE SECRETARY", "Defense Secretary", "defence_minister", "gov"),
    ("SECRETARY OF DEFENSE", "Secretary of Defense", "defence_minister", "gov"),
    ("FINANCE MINISTER", "Finance Minister", "finance_minister", "gov"),
    ("TREASURY SECRETARY", "Treasury Secretary", "finance_minister", "gov"),
    ("INTERIOR MINISTER", "Interior Minister", "interior_minister", "gov"),
    ("HOME SECRETARY", "Home Secretary", "interior_minister", "gov"),
    ("GENERAL SECRETARY", "General Secretary", "", "gov"),
    ("AMB.", "Ambassador", "ambassador", "gov"),
    ("MINISTER", "Minister", "", "gov"),
    ("SECRETARY", "Secretary", "", "gov"),
    ("CROWN PRINCE", "Crown Prince", "", "gov"),
    ("KING", "King", "head_of_state", "gov"),
    ("QUEEN", "Queen", "head_of_state", "gov"),
    ("EMIR", "Emir", "head_of_state", "gov"),
    ("SULTAN", "Sultan", "head_of_state", "gov"),
    ("PRINCE", "Prince", "", "gov"),
    ("AMBASSADOR", "Ambassador", "ambassador", "gov"),
    ("GOVERNOR", "Governor", "", "gov"),
    ("CHAIRMAN", "Chairman", "", "gov"),
    ("LEADER", "Leader", "", "gov"),
    ("DIRECTOR", "Director", "", "gov"),
    ("SPEAKER", "Speaker", "speaker", "leg"),
    ("SENATOR", "Senator", "", "leg"),
    ("CONGRESSMAN", "Congressman", "", "leg"),
    ("REPRESENTATIVE", "Representative", "", "leg"),
    ("FIELD MARSHAL", "Field Marshal", "", "mil"),
    ("LT. GEN.", "Lt. Gen.", "", "mil"),
    ("GENERAL", "General", "", "mil"),
    ("GEN.", "Gen.", "", "mil"),
    ("COLONEL", "Colonel", "", "mil"),
    ("ADMIRAL", "Admiral", "", "mil"),
    ("MARSHAL", "Marshal", "", "mil"),
    ("COMMANDER", "Commander", "", "mil"),
    ("SIR", "Sir", "", "any"),
    ("LORD", "Lord", "", "any"),
    ("BARONESS", "Baroness", "", "any"),
    ("SHEIKH", "Sheikh", "", "any"),
    ("AYATOLLAH", "Ayatollah", "", "any"),
    ("MULLAH", "Mullah", "", "any"),
)
_TITLE_WORDS = tuple((tuple(words.split()), title, office, kind) for words, title, office, kind in _TITLES)
#: Bare aliases that never name one person.
_STOP_WORDS = frozenset({"THE", "MR", "MRS", "SIR", "LORD", "DR", "JR", "SR", "JR.", "SR.", "AL", "EL", "BIN", "IBN"})
#: Single-word aliases that are also everyday English words (dictionary entries in lower case): ambiguous, so kept
#: only for holders of a top office and flagged ``common-word alias`` (the resolver then requires title case).
_COMMON_WORDS_TEXT = """
    ado baker bell best bird bishop black bolt bond bongo booth borne bright brook brown burns bush butler carcasses
    carpenter carter chase chinchilla church clay cleverly cole cook cooper coward cross day dean dung eke english
    fisher fleming foot ford fox frank french fry gallant gates gay glass gold good gray green grey gross guest hall
    hand hardy hart hawk head heath hill holmes hood hope horn house hunt jolly keen king knight lake lamb lane
    lasso law leach lemma little long lord love macron madrigal major mark marsh martin mason may mercy merino miles
    miller mills moody moon more moss muscat newman noble north nurse odor page paine park parker peace pence penny
    person peters pierce pike pool pope porter post power price pride prior quick ray read reed reeves rice rich
    rider root rose rowe rush sage salami salt savage sharp shepherd short singer slater small smart snow spring
    steel stone storm street strong summers sweet swift talon tanner taylor temple thatcher trump truss turner tusk
    vine wade walker wall waltz ward ware waters weaver wells west whipple white wise wolf wood woods worth wright
    xi young
    """
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
#: Particles written in lower case inside a name ("Ayman al Zawahiri", "F. W. de Klerk", "Ursula von der Leyen").
_PARTICLES = frozenset(
    {"AL", "EL", "AD", "AN", "AR", "AS", "ASH", "AT", "AZ", "UD", "UL", "BIN", "BINT", "IBN", "DE", "DEL", "DELLA"}
    | {"DEI", "DI", "DA", "DAS", "DO", "DOS", "DU", "LA", "LE", "LES", "VAN", "VON", "DER", "DEN", "TER", "Y", "E"}
)
_HYPHEN_PREFIXES = frozenset({"AL", "EL", "AD", "AN", "AR", "AS", "ASH", "AT", "AZ", "UD", "UL"})
_MAC_NAMES = frozenset(
    {"MACDONALD", "MACARTHUR", "MACMILLAN", "MACKENZIE", "MACLEAN", "MACLEOD", "MACGREGOR", "MACINTYRE", "MACNEIL"}
    | {"MACDOUGALL", "MACFARLANE", "MACKINNON", "MACPHERSON", "MACEACHEN", "MACSHARRY", "MACKAY", "MACNAMARA"}
)
_ROMAN = frozenset({"II", "III", "IV", "VI", "VII", "VIII", "IX", "XII", "XIII", "XIV", "XV", "XVI", "XXIII"})
#: Short words of an organisation's name ("Food and Agriculture Organization of the United Nations").
_SMALL_WORDS = frozenset({"OF", "THE", "FOR", "AND", "IN", "ON", "AT", "TO", "DE", "DU", "DES", "LA", "LE", "ET", "Y"})
#: Single-word names that news writes as words although they stand alone like an initialism.
_NOT_INITIALISMS = frozenset({"HAMAS", "FATAH", "FATEH", "AMAL", "ZERO", "YOUTH", "OXFAM", "ALEPH", "KACH", "KAKH"})
_APOSTROPHES = "'’`"
_DATE = re.compile(r"^(?:\d{6}|\d{8})$")
_CODE = re.compile(r"^(?P<code>\S+)(?:\s+(?P<when>.*))?$")
_BLOCKS = re.compile(r"^(?:[A-Z]{3})+$")


@dataclass
class Entry:
    """One Phoenix record: its phrases (first = primary), codes and comments, as PETRARCH-2 groups them."""

    file: str
    line: int
    phrases: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    code_comments: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Code:
    """A readable code with its validity; ``open_end`` marks ``>A`` (never closed in the source)."""

    code: str
    start: dt.date | None
    end: dt.date | None
    open_end: bool = False
    remark: str = ""


def read_entries(lines: Iterable[str], file: str) -> Iterator[Entry]:
    """Group the lines as PETRARCH-2's reader does: phrase lines until the first code share that code list."""
    current: Entry | None = None
    for number, raw in enumerate(lines, 1):
        body, _, comment = raw.partition("#")
        text = body.strip()
        if not text:
            continue
        codes = re.findall(r"\[([^\]]*)\]", text)
        if text.startswith("+") and current is not None:
            current.aliases.append(text[1:].split("[", 1)[0].strip())
        elif text.startswith("[") and current is not None:
            pass
        elif current is not None and not current.codes:
            current.phrases.append(text.split("[", 1)[0].strip())
        else:
            if current is not None:
                yield current
            current = Entry(file, number, [text.split("[", 1)[0].strip()])
        if current is not None:
            current.codes.extend(codes)
            current.code_comments.extend(comment.strip() for _ in codes)
            current.comments.append(comment)
    if current is not None:
        yield current


class _UnreadableError(ValueError):
    """A code or date we cannot read; the message is the counted reason."""


def _date(text: str) -> dt.date:
    """YYMMDD (00-29 = 20xx, else 19xx) or YYYYMMDD."""
    if not _DATE.match(text):
        raise _UnreadableError("malformed date")
    year = int(text[:2]) + (2000 if int(text[:2]) < 30 else 1900) if len(text) == 6 else int(text[:4])
    try:
        return dt.date(year, int(text[-4:-2]), int(text[-2:]))
    except ValueError:
        raise _UnreadableError("malformed date") from None


def _validity(when: str) -> tuple[dt.date | None, dt.date | None, bool]:
    """(start, end, open-ended) of ``A-B``, ``>A``, ``<B`` or nothing."""
    if not when:
        return None, None, False
    if when[0] == "<":
        return None, _date(when[1:]), False
    if when[0] == ">":
        return _date(when[1:]), None, True
    first, _, last = when.partition("-")
    start, end = _date(first), _date(last)
    if start > end:
        raise _UnreadableError("start after end")
    return start, end, False


def parse_code(raw: str, stats: Counter[str], remark: str = "") -> Code | None:
    """Read ``CODE``, ``CODE A-B``, ``CODE >A`` or ``CODE <B``; count and drop what cannot be read."""
    match = _CODE.match(raw.strip())
    try:
        if match is None or match["code"] == "---":
            raise _UnreadableError("null code [---]")
        if not _BLOCKS.match(match["code"]):
            raise _UnreadableError("not 3-letter blocks")
        start, end, open_end = _validity((match["when"] or "").replace(" ", ""))
    except _UnreadableError as why:
        stats[f"codes skipped: {why}"] += 1
        return None
    code = ROOT_ALIASES.get(match["code"][:3], match["code"][:3]) + match["code"][3:]
    return Code(code, start, end, open_end, remark)


def _known_roots() -> frozenset[str]:
    return frozenset(country.alpha_3 for country in pycountry.countries) | HISTORIC_ROOTS


def _root_ok(code: str, roots: frozenset[str]) -> bool:
    return code[:3] in roots or code[:3] in TRANSNATIONAL_ROOTS


def _words(phrase: str) -> list[str]:
    return [word for word in re.split(r"[_\s]+", phrase.upper()) if word]


def _letters(text: str) -> int:
    return sum(char.isalpha() for char in text)


def _cap(word: str) -> str:
    """First letter upper, rest lower, keeping dotted Turkish capitals sane."""
    return word[:1].upper() + word[1:].lower().replace("i̇", "i")


def _person_word(word: str, first: bool, style: str) -> str:
    """Proper-case one word of a person's name: initials, hyphens, apostrophes, then the plain word."""
    if "." in word:
        return ".".join(part.upper() if len(part) == 1 else _cap(part) for part in word.split("."))
    if "-" in word:
        parts = word.split("-")
        head = parts[0].lower() if parts[0] in _HYPHEN_PREFIXES else _person_word(parts[0], first, style)
        tail = [part.lower() if style == "korean" else _person_word(part, False, style) for part in parts[1:]]
        return "-".join([head, *tail])
    mark = next((mark for mark in _APOSTROPHES if mark in word), "")
    if mark:
        before, _, after = word.partition(mark)
        if len(before) <= 1:  # O'Neill, D'Escoto, N'Dour
            return before.upper() + mark + _cap(after)
        return _cap(before) + mark + after.lower()  # Ja'fari
    return _plain_word(word, first or style == "vietnamese")


def _plain_word(word: str, first: bool) -> str:
    """Roman numerals and particles inside the name, Mc/Mac names, else a capital and lower case."""
    if not first and (word in _ROMAN or word in _PARTICLES):
        return word if word in _ROMAN else word.lower()
    if word.startswith("MC") and len(word) > 3:
        return "Mc" + _cap(word[2:])
    if word in _MAC_NAMES:
        return "Mac" + _cap(word[3:])
    return _cap(word)


def _name_style(entry: Entry) -> str:
    """Korean given names keep a lower-case syllable after the hyphen (Ban Ki-moon); Vietnamese have no particles."""
    roots = {raw.strip()[:3] for raw in entry.codes}
    return "korean" if roots & {"KOR", "PRK"} else "vietnamese" if "VNM" in roots else ""


def person_name(phrase: str, style: str = "") -> str:
    """'BENJAMIN_NETANYAHU_' -> 'Benjamin Netanyahu'; 'B._LYNN_PASCOE_' -> 'B. Lynn Pascoe'."""
    words = _words(phrase.replace("(", " ").replace(")", " "))
    if len(words) == 1 and len(words[0]) <= 4 and not re.search(r"[AEIOUY]", words[0]):
        return words[0]  # an initialism used alone: JFK, LBJ, MBS
    return " ".join(_person_word(word, index == 0, style) for index, word in enumerate(words))


def _org_word(word: str, first: bool, initialisms: frozenset[str]) -> str:
    """Proper-case one word of an organisation's name, keeping initialisms (UN, NATO, U.N., FARC) upper case."""
    core = word.strip("()[],;:\"'")
    letters = re.sub(r"[^A-Z]", "", core)
    bracketed = word.startswith("(") and word.endswith(")") and len(core) <= 6
    dotted = re.fullmatch(r"(?:[A-Z]{1,2}\.)+[A-Z]{0,2}", core) is not None
    if dotted or core in initialisms or bracketed or (letters and not re.search(r"[AEIOUY]", letters)):
        return word
    if not first and word in _SMALL_WORDS:
        return word.lower()
    parts = word.split("-")
    tail = [part.lower() if part in _HYPHEN_PREFIXES or len(part) == 1 else _cap(part) for part in parts[1:]]
    return "-".join([_cap(parts[0]), *tail])


def org_name(phrase: str, initialisms: frozenset[str] = frozenset()) -> str:
    """'INTERNATIONAL_ATOMIC_ENERGY_AGENCY_' -> 'International Atomic Energy Agency'; 'UN_' -> 'UN'."""
    return " ".join(_org_word(word, index == 0, initialisms) for index, word in enumerate(_words(phrase)))


def initialisms_of(entries: Iterable[Entry]) -> frozenset[str]:
    """Words of up to five letters that stand alone as a whole phrase somewhere (IAEA_, NATO, UNHCR_)."""
    found = set()
    for entry in entries:
        for phrase in [*entry.phrases, *entry.aliases]:
            words = _words(phrase)
            if len(words) == 1 and words[0].isalpha() and len(words[0]) <= 5:
                found.add(words[0])
    return frozenset(found - _NOT_INITIALISMS)


# ---------------------------------------------------------------- people or organisations


def _is_person_name(words: Sequence[str]) -> bool:
    """Two to six words, none of them an institution's: the shape of a person's name."""
    return (
        2 <= len(words) <= 6
        and not any(word in _INSTITUTION_WORDS for word in words)
        and not any(char.isdigit() for word in words for char in word)
    )


def is_person(entry: Entry, codes: Sequence[Code], first_names: frozenset[str]) -> bool:
    """CountryInfo and IGOrulers records are people; others are when their name and codes look like a person's."""
    if any("countryinfo" in comment.lower() for comment in entry.comments[:1]):
        return True
    if not all(_person_code(code.code) for code in codes):
        return False
    if any("igorulers" in comment.lower() for comment in entry.comments):
        return True
    words = _words(entry.phrases[0])
    while words and _is_role(words[0]):
        words = words[1:]
    if not _is_person_name(words):
        return False
    if any(code.start or code.end for code in codes):
        return True
    return words[0] in first_names or bool(re.fullmatch(r"[A-Z]\.([A-Z]\.)?", words[0]))


def _person_code(code: str) -> bool:
    return code[:3] in TRANSNATIONAL_ROOTS or (len(code) > 3 and code[3:6] in _ROLES)


def first_names_of(entries: Iterable[Entry]) -> frozenset[str]:
    """Given names: the words before the last of the CountryInfo people's names, which a person's name starts with."""
    names: set[str] = set()
    for entry in entries:
        if any("countryinfo" in comment.lower() for comment in entry.comments[:1]):
            names.update(_words(entry.phrases[0])[:-1])
    return frozenset(names - _INSTITUTION_WORDS - _ROLE_WORDS - _PARTICLES - _STOP_WORDS)


def _display_phrase(entry: Entry) -> str:
    """The record's name: the CountryInfo phrase, else the first phrase without a title or institution word."""
    if any("countryinfo" in comment.lower() for comment in entry.comments[:1]):
        return entry.phrases[0]
    for phrase in [*entry.phrases, *entry.aliases]:
        words = _words(phrase)
        if words and not any(word in _ROLE_WORDS or word in _INSTITUTION_WORDS for word in words):
            return phrase
    return entry.phrases[0]


# ---------------------------------------------------------------- aliases and titles


@dataclass(frozen=True)
class Title:
    """A title read off an alias such as ISRAELI_PRIME_MINISTER_BENJAMIN_NETANYAHU."""

    length: int
    title: str
    office: str
    kind: str


def _title_of(words: Sequence[str]) -> Title | None:
    for start in range(len(words)):
        for key, title, office, kind in _TITLE_WORDS:
            if tuple(words[start : start + len(key)]) == key:
                return Title(len(" ".join(words)), title, office, kind)
    return None


def sort_aliases(entry: Entry, name: str, style: str, stats: Counter[str]) -> tuple[list[str], list[str], list[Title]]:
    """Split a person's other phrases into kept aliases, common-word aliases and the titles of title forms."""
    name_words = set(_words(name))
    kept: list[str] = []
    common: list[str] = []
    titles: list[Title] = []
    seen = {name.casefold()}
    for phrase in [*entry.phrases, *entry.aliases]:
        words = _words(phrase)
        reason = _drop_reason(words, name_words)
        if reason == "title or role word":
            title = _title_of(words)
            if title is not None:
                titles.append(title)
        alias = person_name(phrase, style)
        if alias.casefold() in seen:
            continue
        seen.add(alias.casefold())
        if reason:
            stats[f"aliases dropped: {reason}"] += 1
        elif len(words) == 1 and words[0].lower() in COMMON_WORDS:
            common.append(alias)
        else:
            kept.append(alias)
    return kept, common, titles


def _drop_reason(words: Sequence[str], name_words: set[str]) -> str:
    text = " ".join(words)
    if "\ufffd" in text:
        return "replacement character"
    if any(_is_role(word) and word not in name_words for word in words):
        return "title or role word"
    if any(word in _INSTITUTION_WORDS and word not in name_words for word in words):
        return "institution word"
    if _letters(text) < 3:
        return "shorter than 3 letters"
    if len(words) == 1 and words[0] in _STOP_WORDS:
        return "stop word"
    return ""


def _is_role(word: str) -> bool:
    """A title word, alone or inside a hyphenated one (VICE-PRESIDENT, PRESIDENT-ELECT, EX-PRESIDENT)."""
    return word in _ROLE_WORDS or word.startswith("EX-") or any(part in _ROLE_WORDS for part in word.split("-"))


def _fits(title: Title, code: str) -> bool:
    """Whether a title can describe the holder of this code (no 'Prime Minister' on an ELI or OPP row)."""
    blocks = [code[i : i + 3] for i in range(0, len(code), 3)]
    if title.kind == "any":
        return True
    if blocks[0] == "IGO":
        return title.kind in {"igo", "gov"}
    roles = blocks[1:]
    if title.kind == "gov":
        return "GOV" in roles and "LEG" not in roles
    if title.kind == "leg":
        return "LEG" in roles
    return title.kind == "mil" and "MIL" in roles


_GENERIC_TITLES = frozenset({"Minister", "Secretary", "Leader", "Chairman", "Director", "Prince"})


def title_for(code: Code, titles: Sequence[Title], stats: Counter[str]) -> tuple[str, str]:
    """The (title, office) of one row: named by the code's own comment, else the longest fitting title form.

    A title form says what the person was called at some time, not during which code: when the fitting forms name
    different offices (Putin as President and as Prime Minister) the row gets none rather than a wrong one.
    """
    words = _words(code.remark)
    if any(tuple(words[: len(key)]) == key for key, *_ in _TITLE_WORDS):  # the comment names this code's office
        remark = _remark_title(code.remark)
        return _office_for(remark, code.code) if remark and _fits(remark, code.code) else ("", "")
    fitting = [title for title in titles if _fits(title, code.code)]
    if "GOVMIL" in code.code:
        fitting = [t for t in fitting if t.office == "defence_minister"] or fitting
    if not fitting:
        return "", ""
    kinds = {t.office or t.title for t in fitting if t.kind != "any" and t.title not in _GENERIC_TITLES}
    if len(kinds) > 1:
        stats["titles left empty: title forms name different offices"] += 1
        return "", ""
    return _office_for(max(fitting, key=lambda t: (t.title not in _GENERIC_TITLES, t.length, t.title)), code.code)


def _remark_title(remark: str) -> Title | None:
    """The title a code's comment opens with ('# Foreign Minister', '# Chancellor of Germany'), not a regional one
    ('# Prime Minister of Lower Saxony')."""
    words = _words(remark)
    for key, title, office, kind in _TITLE_WORDS:
        if tuple(words[: len(key)]) != key:
            continue
        rest = words[len(key) :]
        if rest[:1] == ["OF"]:
            try:
                pycountry.countries.lookup(" ".join(rest[1:]).title())
            except LookupError:
                return None
        return Title(len(remark), title, office, kind)
    return None


def _office_for(title: Title, code: str) -> tuple[str, str]:
    if code.startswith("IGO"):
        return title.title, "igo_head" if title.kind == "igo" or title.title in {"President", "Chairman"} else ""
    return title.title, title.office


# ---------------------------------------------------------------- the team table and open-ended codes


def _fold(text: str) -> str:
    """Compare names without accents, case, hyphens or dots: 'Abdel-Fattah el-Sisi' == 'abdel fattah el sisi'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[-.'’`,]", " ", text).split())


def _area(code: str) -> str:
    """The country (or IGO/IMG body) a code belongs to, for matching a Phoenix row to a team row."""
    return code[:6] if code[:3] in TRANSNATIONAL_ROOTS else code[:3]


def _first_day(text: str) -> dt.date:
    parts = [int(part) for part in text.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _last_day(text: str) -> dt.date:
    year, month, day = ([int(part) for part in text.split("-")] + [12, 0])[:3]
    if day:
        return dt.date(year, month, day)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class TeamRow:
    """What the expiry rule needs of a people.tsv row."""

    area: str
    names: frozenset[str]
    start: dt.date | None
    end: dt.date | None


def read_team(path: Path) -> list[TeamRow]:
    """The hand-made table's rows (for the open-ended rule); empty when the file is not there."""
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("code\t") or not line:
            continue
        code, name, aliases, _title, _office, start, end, *_ = line.split("\t")
        names = frozenset(_fold(form) for form in [name, *aliases.split("|")] if form)
        rows.append(TeamRow(_area(code), names, _first_day(start) if start else None, _last_day(end) if end else None))
    return rows


def expire(code: Code, names: set[str], team: Sequence[TeamRow], stats: Counter[str]) -> dt.date:
    """End of a ``>A`` code, the earliest of: (a) the day before the person's next people.tsv row in the same country
    starts; (a') the end of their people.tsv row running when the code starts (the team table says they left then);
    (b) 2016-01-30, two years after the dictionary was written.
    """
    start = code.start or OPEN_END_CAP
    rows = [row for row in team if row.area == _area(code.code) and row.start and row.names & names]
    ends = {"(b) 2016-01-30": OPEN_END_CAP}
    later = [row.start - dt.timedelta(days=1) for row in rows if row.start and row.start > start]
    running = [row.end for row in rows if row.start and row.end and row.start <= start <= row.end]
    if later:
        ends["(a) day before a later people.tsv row"] = min(later)
    if running:
        ends["(a') end of the people.tsv row running at its start"] = min(running)
    rule = min(sorted(ends), key=lambda key: ends[key])
    stats[f"open-ended codes expired: {rule}"] += 1
    return ends[rule]


# ---------------------------------------------------------------- rows


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _valid_codes(entry: Entry, roots: frozenset[str], stats: Counter[str]) -> list[Code]:
    codes = []
    for raw, remark in zip(entry.codes, entry.code_comments, strict=True):
        code = parse_code(raw, stats, remark)
        if code is None:
            continue
        if not _root_ok(code.code, roots):
            stats[f"codes skipped: {_bad_root(code.code)}"] += 1
            continue
        codes.append(code)
    return codes


def _bad_root(code: str) -> str:
    """Why a code's first block is no country or transnational body, for the counts."""
    if code.startswith("MNC"):
        return "company (MNC...)"
    if code[:3] in _ROLES or code[:3] in {"MED", "---"}:
        return "no country block (ELI, MED ... alone)"
    return "first block not ISO alpha-3 / IGO / NGO / IMG"


def person_rows(entry: Entry, codes: Sequence[Code], team: Sequence[TeamRow], stats: Counter[str]) -> list[list[str]]:
    """One row per code of a person, with the same name and aliases; titles only where they fit the code."""
    style = _name_style(entry)
    name = person_name(_display_phrase(entry), style)
    aliases, common, titles = sort_aliases(entry, name, style, stats)
    offices = [title_for(code, titles, stats) for code in codes]
    top = any(office in TOP_OFFICES for _title, office in offices)
    if common and top:
        aliases += common
    elif common:
        stats["aliases dropped: common English word, no top office"] += len(common)
    matchable = {_fold(form) for form in [name, *aliases]}
    rows = []
    for code, (title, office) in zip(codes, offices, strict=True):
        notes = []
        end = code.end
        if code.open_end:
            end = expire(code, matchable, team, stats)
            notes.append("open-ended in source")
        if not code.start and not code.end:
            notes.append("undated")
        if common and top:
            notes.append("common-word alias")
        source = f"phoenix:{entry.file}"
        rows.append(
            [code.code, name, "|".join(aliases), title, office, _iso(code.start), _iso(end), source, "; ".join(notes)]
        )
    return rows


def org_rows(entry: Entry, codes: Sequence[Code], initialisms: frozenset[str]) -> list[list[str]]:
    """One row per code of an organisation; its other phrases become aliases."""
    forms: list[str] = []
    for phrase in [*entry.phrases, *entry.aliases]:
        form = org_name(phrase, initialisms)
        if _letters(form) >= 2 and "\ufffd" not in form and form.casefold() not in {f.casefold() for f in forms}:
            forms.append(form)
    if not forms:
        return []
    named = next((form for form in forms if form != form.upper()), forms[0])
    aliases = [form for form in forms if form != named]
    rows = []
    for code in codes:
        notes = ["undated"] if not code.start and not code.end else []
        if code.open_end:  # a body outlives its dictionary: its code stays open
            notes = ["open-ended in source"]
        rows.append(
            [
                code.code,
                named,
                "|".join(aliases),
                _iso(code.start),
                _iso(code.end),
                f"phoenix:{entry.file}",
                "; ".join(notes),
            ]
        )
    return rows


def _initials(name: str) -> str:
    return "".join(word[0] for word in _words(name) if word not in _SMALL_WORDS and word[0].isalpha())


def _merge_initialism_rows(rows: list[list[str]], stats: Counter[str]) -> list[list[str]]:
    """Fold a row named only by an initialism (IAEA) into the row of the same code and dates that spells it out."""
    spelled: dict[tuple[str, ...], list[str]] = {}
    for row in rows:
        key = (row[0], row[3], row[4], row[5], _initials(row[1]))
        if row[1] != row[1].upper() and key not in spelled:
            spelled[key] = row
    kept = []
    for row in rows:
        target = spelled.get((row[0], row[3], row[4], row[5], re.sub(r"[^A-Z]", "", row[1])))
        if row[1] == row[1].upper() and target is not None:
            forms = [form for form in [*target[2].split("|"), row[1], *row[2].split("|")] if form]
            target[2] = "|".join(dict.fromkeys(form for form in forms if form != target[1]))
            stats["organisation rows folded into a spelled-out row"] += 1
        else:
            kept.append(row)
    return kept


def _finish(rows: Iterable[list[str]]) -> list[list[str]]:
    """Drop exact duplicates and sort by code, name, start (then the rest) so the output is byte-stable."""
    unique = {tuple(row) for row in rows}
    return [list(row) for row in sorted(unique, key=lambda row: (row[0], row[1], row[5 if len(row) == 9 else 3], row))]


_ALWAYS_COUNTED = (
    "aliases dropped: common English word, no top office",
    "aliases dropped: shorter than 3 letters",
    "aliases dropped: stop word",
    "aliases dropped: replacement character",
    "codes skipped: malformed date",
    "codes skipped: start after end",
)


def build(source: Path, team: Sequence[TeamRow]) -> tuple[list[list[str]], list[list[str]], Counter[str]]:
    """Read the three dictionaries and return (people rows, organisation rows, counts)."""
    stats: Counter[str] = Counter({key: 0 for key in _ALWAYS_COUNTED})
    roots = _known_roots()
    entries = {name: list(read_entries(_lines(source / f"Phoenix.{name}.actors.txt"), name)) for name in SOURCES}
    first_names = first_names_of(entries["Countries"])
    initialisms = initialisms_of([*entries["International"], *entries["MilNonState"]])
    people: list[list[str]] = []
    orgs: list[list[str]] = []
    for file, items in entries.items():
        for entry in items:
            stats[f"entries read: {file}"] += 1
            codes = _valid_codes(entry, roots, stats)
            if not codes:
                company = any(raw.strip().startswith("MNC") for raw in entry.codes)
                stats[f"entries skipped: {'company (MNC...)' if company else 'no usable code'}"] += 1
            elif is_person(entry, codes, first_names):
                stats[f"people: {file}"] += 1
                people += person_rows(entry, codes, team, stats)
            elif file == "Countries":
                stats["entries skipped: country, place or institution (Countries)"] += 1
            else:
                kept = [code for code in codes if file == "MilNonState" or code.code[:3] in TRANSNATIONAL_ROOTS]
                if not kept:
                    stats["entries skipped: company or other non-IGO/NGO/IMG body (International)"] += 1
                    continue
                stats[f"organisations: {file}"] += 1
                orgs += org_rows(entry, kept, initialisms)
    return _finish(people), _finish(_merge_initialism_rows(_finish(orgs), stats)), stats


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


_PROVENANCE = (
    "# Source: Phoenix actor dictionaries (PETRARCH-2), openeventdata/petrarch2 at commit\n"
    "# 676801cd9cb2924bbbad09f86d15c9323e7097bf, petrarch2/data/dictionaries/. MIT licence,\n"
    "# Copyright (c) 2014 Open Event Data (the Open Event Data Alliance): see NOTICE.md.\n"
    "# Generated by communique/data/build_actors.py; do not edit by hand.\n"
)
_PEOPLE_HEADER = (
    "# phoenix_people.tsv: people of the Phoenix dictionaries with their dated CAMEO codes, one row per code.\n"
    + _PROVENANCE
    + "# Columns (tab-separated):\n"
    "#   code     CAMEO actor code as given (ISRGOV, USAGOVBUS, IGOUNOREFHCR); KSV (Kosovo) is written XKX,\n"
    "#            TMP (East Timor) TLS\n"
    "#   name     the person's name in proper case\n"
    "#   aliases  other forms (|); title forms dropped, bare common words kept only for top offices\n"
    "#   title    read off the longest title form that fits the code (President, Prime Minister), or empty\n"
    "#   office   derived from the title (head_of_state, head_of_government, foreign_minister, defence_minister,\n"
    "#            finance_minister, interior_minister, ambassador, speaker, igo_head), or empty\n"
    "#   start    first day of the code (YYYY-MM-DD), empty = open\n"
    "#   end      last day; a code open in the source (>A, written in January 2014) ends the day before the person's\n"
    "#            first later people.tsv row in the same country, or on 2016-01-30 at the latest\n"
    "#   source   phoenix:Countries, phoenix:International or phoenix:MilNonState\n"
    "#   note     open-ended in source; undated (a code without dates); common-word alias (match it in title case)\n"
)
_ORG_HEADER = (
    "# phoenix_organisations.tsv: international bodies, NGOs, armed groups and parties of the Phoenix dictionaries.\n"
    + _PROVENANCE
    + "# Columns (tab-separated):\n"
    "#   code     CAMEO actor code as given (IGOUNOIAE, NGOHRIAMN, YEMREB, IMGMUSALQ)\n"
    "#   name     the body's name in proper case (initialisms kept: UN, NATO)\n"
    "#   aliases  other forms (|), initialisms included\n"
    "#   start    first day of the code (YYYY-MM-DD), empty = open\n"
    "#   end      last day, empty = open\n"
    "#   source   phoenix:International or phoenix:MilNonState\n"
    "#   note     undated (a code without dates); open-ended in source\n"
)


def write_table(path: Path, header: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """UTF-8 TSV: comment header, column line, rows; LF line ends, so the bytes depend on the rows only."""
    body = "".join("\t".join(row) + "\n" for row in rows)
    path.write_text(header + "\t".join(columns) + "\n" + body, encoding="utf-8", newline="\n")


def summary(people: Sequence[Sequence[str]], orgs: Sequence[Sequence[str]], stats: Counter[str]) -> list[str]:
    """The counts a reviewer checks before committing the output."""
    lines = [f"people rows: {len(people)}", f"organisation rows: {len(orgs)}"]
    lines += [f"{key}: {stats[key]}" for key in sorted(stats)]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Convert the dictionaries and print the counts; exit 2 when the source folder is missing."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of the Phoenix .actors.txt files")
    parser.add_argument("--out", type=Path, default=ACTORS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    missing = [name for name in SOURCES if not (args.source and (args.source / f"Phoenix.{name}.actors.txt").is_file())]
    if args.source is None or not args.source.is_dir() or missing:
        sys.stderr.write(f"build_actors: Phoenix source folder not found or incomplete: {args.source}\n")
        return 2
    people, orgs, stats = build(args.source, read_team(args.out / "people.tsv"))
    args.out.mkdir(parents=True, exist_ok=True)
    write_table(args.out / "phoenix_people.tsv", _PEOPLE_HEADER, PEOPLE_COLUMNS, people)
    write_table(args.out / "phoenix_organisations.tsv", _ORG_HEADER, ORG_COLUMNS, orgs)
    sys.stdout.write("\n".join(summary(people, orgs, stats)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
