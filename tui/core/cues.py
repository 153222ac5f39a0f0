"""The vocabulary of web boilerplate, captions and page furniture.

Kept apart from the rules in :mod:`tui.core.clean` so that the rules read as
reasoning about a page's shape, and the word lists can be reviewed on their
own. The lists are general (news sites, blogs, donation pages, comment
systems), not phrases taken from any one corpus.
"""

from __future__ import annotations

import re


class Guarded:
    """Patterns each searched for only when one of its trigger words is present.

    Searching a long alternation at every position of every line is the
    cleaner's main cost; a set intersection with the line's words (done in C)
    decides which few small patterns are worth running. Each rule maps its
    triggers (lower-case whole words, or single symbols such as ``$``) to a
    pattern that cannot match without one of them.
    """

    def __init__(self, rules: dict[str, str], flags: int = re.IGNORECASE) -> None:
        self.flags = flags
        self.by_trigger: dict[str, list[str]] = {}
        for triggers, pattern in rules.items():
            for trigger in triggers.split():
                self.by_trigger.setdefault(trigger, []).append(pattern)
        self.words = frozenset(t for t in self.by_trigger if t[0].isalpha())
        self.symbols = tuple(t for t in self.by_trigger if not t[0].isalpha())
        # Each pattern is compiled the first time a line triggers it: most
        # articles trigger few, and compiling them all cost start-up time.
        self._compiled: dict[str, re.Pattern[str]] = {}

    def _candidates(self, text: str, wordset: frozenset[str] | None) -> list[re.Pattern[str]]:
        if wordset is None:
            wordset = frozenset(w.lower() for w in WORD.findall(text))
        triggered = [t for t in self.symbols if t in text]
        triggered.extend(sorted(wordset & self.words))  # sorted: a set's order follows the hash seed, and so would the reason shown
        if not triggered:
            return []
        return [self._regex(pattern) for pattern in dict.fromkeys(p for t in triggered for p in self.by_trigger[t])]

    def _regex(self, pattern: str) -> re.Pattern[str]:
        regex = self._compiled.get(pattern)
        if regex is None:  # two threads may both compile it: the same pattern either way
            regex = self._compiled[pattern] = re.compile(pattern, self.flags)
        return regex

    def search(self, text: str, wordset: frozenset[str] | None = None) -> re.Match[str] | None:
        """The first match of any triggered pattern.

        ``wordset`` is the line's lower-case words, or just those of them in
        :data:`TRIGGER_WORDS` (all that matters here).
        """
        for regex in self._candidates(text, wordset):
            found = regex.search(text)
            if found:
                return found
        return None

    def count(self, text: str, wordset: frozenset[str] | None = None) -> int:
        """How many matches all triggered patterns find."""
        return sum(len(regex.findall(text)) for regex in self._candidates(text, wordset))


#: A word: letters, then letters, digits, apostrophes or hyphens.
WORD = re.compile(r"[^\W\d_][\w'’\-]*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even few for from
    further had has have having he her here hers him his how i if in into is it its itself just me
    more most my no nor not now of off on once only or other our out over own same she should so
    some such than that the their them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your yours
    says said say may might must shall while though although whether since yet still already""".split()
)

# `![]() |`, `![alt](url)`, `[image]`, a lone close button or separator.
IMAGE_RESIDUE = re.compile(
    r"^(?:!\[[^\]]*\]\([^)]*\)\s*\|?|\[(?:image|photo|video|embed)[^\]]*\]|[×✕✖✗xX|•·*=_\-–—]{1,3})$",
    re.IGNORECASE,
)

# Photo credits: "Photo: Jane Doe / Reuters", "(AP Photo/John Smith)",
# "Jane Doe / AFP via Getty Images", "Image credit: ...".
_AGENCY_NAMES = (
    "AP AFP Reuters EPA Getty Shutterstock Alamy TASS ТАСС Sputnik Anadolu Xinhua PA Bloomberg Wikimedia Unsplash "
    "iStock iStockphoto Thinkstock dpa imago Keystone ANSA EFE Pixabay"
)
_AGENCIES = (
    r"(?:AP|AFP|Reuters|EPA|Getty(?: Images)?|Shutterstock|Alamy|TASS|ТАСС|Sputnik|Anadolu(?: Agency)?|Xinhua|PA|"
    r"Bloomberg|Wikimedia(?: Commons)?|Unsplash|iStock(?:photo)?|Thinkstock|dpa|picture alliance|imago|Keystone|"
    r"ANSA|EFE|Pixabay)(?:\.com)?"
)
# One to three capitalised words: a photographer's or an agency's name.
_CAPITALISED = r"(?-i:[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,2})"
CREDIT = Guarded(
    {
        "photo photos photograph photographs picture pictures image images credit credits illustration illustrations": (
            r"\b(?:photo|photograph|picture|image|credit|illustration)s?(?: credit| by)?\s*[:©]"
            r"|\(\s*(?:AP|AFP|Reuters)\s+Photo\b|\((?:photo|image|file photo)[^)]*\)\s*$"
        ),
        # "/ Reuters" at the end; "Agency/Photographer" or "Name / Agency" alone on a short line.
        "/": r"/\s*" + _AGENCIES + r"\s*\)?\s*$|^" + _CAPITALISED + r" ?/ ?" + _CAPITALISED + "$",
        # An agency's name alone: "Getty Images", "Reuters files", "dpa".
        _AGENCY_NAMES.lower(): r"^\W*" + _AGENCIES + r"(?:\s*(?:[/,|]|via)\s*" + _AGENCIES + r")*(?:\s+(?:files?|photos?))?\W*$",
        "getty ©": r"\bvia Getty Images\b|©\s*\w+.*\b" + _AGENCIES + r"\b",
    }
)

# Words that describe a picture rather than tell a story. Used only on lines
# without sentence punctuation, which headlines and captions share.
CAPTION_WORDS = Guarded(
    {
        "(": r"\((?:R|L|C|centre|center|left|right|top|bottom|front|back|second [lr]\w*)\)",
        "pictured portrait foreground background file pose poses posing gesture gestures": (
            r"\b(?:pictured|portrait|foreground|background|file photo|poses?|posing|gestures?)\b"
        ),
        "look looks placed seen lay lays wave waves flag": (
            r"\b(?:looks? on|are placed|is placed|are seen|is seen|lay flowers|lays flowers|waves? to|flag on)\b"
        ),
        "photo picture image": r"\bin this (?:photo|picture|image)\b",
    }
)

# Short lines that are page furniture whatever their context: navigation,
# sharing, comments, ads, sign-in, cookie notices, footers.
BOILERPLATE_LINE = re.compile(
    r"^\W*(?:advertisement|sponsored(?: content)?|ad\b|skip to (?:main )?content|menu|search|"
    r"home|log ?in|log ?out|sign ?in|sign ?up|register|my account|subscribe(?: now| today)?|"
    r"share(?: this)?(?: article| story| on \w+)?|tweet|email|print|copy link|whatsapp|facebook|"
    r"twitter|linkedin|reddit|telegram|pinterest|follow us.*|"
    r"read more|continue reading|show more|load more|see more|view all|more stories|"
    r"related(?: posts?| articles?| stories| content| topics| coverage)?|"
    r"(?:most )?(?:read|popular|viewed|shared)(?: now| today)?|trending(?: now)?|"
    r"you (?:may|might) also like|recommended(?: for you)?|"
    r"leave a (?:reply|comment)|(?:post|add|write) a comment|(?:reader |user )?comments?|"
    r"\d+ comments?|(?:show|view|hide|load|read)(?: all| \d+)? comments|join the (?:discussion|conversation)|"
    r"gift (?:this )?(?:article|story)|recommend|upvote|downvote|follow|unfollow|"
    r"accept(?: all)?(?: cookies)?|reject(?: all)?|cookie (?:settings|policy)|manage (?:cookies|preferences)|"
    r"privacy(?: policy)?|terms(?: of (?:use|service))?|about us|contact(?: us)?|careers|"
    r"advertise(?: with us)?|site ?map|newsletters?|podcasts?|donate(?: now)?|contribute|"
    r"save|saved|bookmark|email (?:this )?(?:story|article|link)|share this story|"
    r"support us|paiment methods|payment methods|once|monthly|annual|one-time|continue|"
    r"remind me later\.?|not now|close|back to top|next article|previous article|"
    r"tags?:.*|topics?:.*|filed under:?.*|categories:.*|"
    r"listen(?: to this article)?|watch(?: live)?|live|video|gallery|photos"
    r")(?:\s*\(?\d+\)?)?\W*$"
    r"|^\W*(?:breaking|live|just in|developing|video|watch|audio|listen|gallery|photos|podcast)\s*:"
    r"|^\W*listen to (?:this )?(?:article|story)\b|^\W*click (?:to|here)\b",
    re.IGNORECASE,
)

# Furniture recognisable at any length: cookie notices, copyright footers,
# breadcrumbs, "A | B | C" menus, log-in walls.
STRONG_BOILERPLATE_START = re.compile(
    r"^\s*©|^\s*(?:copyright|\(c\))\s+\d{4}"
    r"|^\W*(?:you must be logged in|log in to (?:comment|reply)|already (?:a )?subscriber)",
    re.IGNORECASE,
)
#: Breadcrumbs ("Home > World > Europe") and "World | Politics | Business"
#: menus; tried only on lines holding one of :data:`SEPARATORS`.
SEPARATED_LABELS = re.compile(
    r"^[\w&'’ -]{1,30}(?:\s[>›»/]\s[\w&'’ -]{1,30}){1,6}$"
    r"|^[\w&' -]{1,25}(?:\s+[|•·/]\s+[\w&' -]{1,25}){2,}$",
    re.IGNORECASE,
)
SEPARATORS = frozenset(">›»/|•·")
STRONG_BOILERPLATE = Guarded(
    {
        "reserved": r"\ball rights reserved\b",
        "cookie cookies": (
            r"\b(?:we|(?:this|our) (?:site|website))\s+uses?\s+(?:\w+\s+){0,3}cookies\b|^cookies on\b"
            r"|\buses? cookies (?:to|and)|\bcookie (?:policy|settings|preferences)"
        ),
        "comment comments community": (
            r"\bleave a comment\b|\bcomments are (?:moderated|closed)\b|\bcommunity (?:guidelines|standards)\b"
        ),
        "amended updated corrected": r"\bthis (?:article|story) (?:was|has been) (?:amended|updated|corrected)\b",
        "privacy partners manage": (
            r"\bwe value your privacy\b|\bwe and our \d*\s*(?:trusted )?partners\b|\bmanage (?:your )?(?:choices|consent)\b"
        ),
        "earn affiliate": r"\b(?:may|might|can) earn (?:a )?(?:small )?(?:commission|fee)\b|\baffiliate (?:links?|commission)\b",
    }
)

# Appeals for money, subscriptions or sign-ups. A line needs one cue if it is
# short, two if it is long (prose that merely mentions a subscription stays).
APPEAL = Guarded(
    {
        "donate donates donated donating donation donations": r"\bdonat(?:e|es|ed|ing|ion|ions)\b",
        "support": r"\bsupport (?:us|our|independent|quality)\b|\byour support\b",
        "contribute contribution contributions": r"\bcontribut(?:e|ion)s? (?:to|today|now)\b|\bcontribute\b",
        "subscribe subscriber subscribers subscription": r"\bsubscri(?:be|ber|bers|ption)\b",
        "sign newsletter inbox": r"\bsign up\b|\bnewsletter\b|\binbox\b",
        "become membership paywall": r"\bbecome a (?:member|patron|supporter)\b|\bmembership\b|\bpaywall\b",
        "readers journalism newsroom news": (
            r"\breaders like you\b|\b(?:independent|quality) (?:journalism|newsroom|news)\b|\bkeep (?:our )?journalism\b"
        ),
        "help helps": r"\bwe need your help\b|\bhelps? us (?:keep|continue|grow|fill)\b",
        "month": r"\b(?:per|a) month\b",
        "ad-free ads": r"\bad-free\b|\bdisabled (?:all )?ads\b",
        "unlimited access trial enjoying": (
            r"\bunlimited (?:access|articles)\b|\bfull access\b|\bfree trial\b|\benjoying (?:this|our)\b"
        ),
        "funded rely billionaire billionaires": r"\bfunded by\b|\brely on (?:readers|you)\b|\bbillionaires?\b",
        "download app apps": r"\bdownload (?:the|our) (?:[\w-]+ )?apps?\b",
        "updates": r"\b(?:get|receive) (?:regular |the latest |our )?updates\b",
        "disclosure compensation": r"\badvertising disclosure\b|\b(?:may|might) receive (?:a )?compensation\b",
        "missing": r"\bmissing out on\b",
        "invest thank dear": (
            r"\binvest in (?:yourself|independent)\b|\bthank you for (?:reading|supporting|standing)\b|\bdear readers?\b"
        ),
    }
)

# "Read more: ...", "READ MORE: ...", "Related: ...", "See also: ...".
LINK_WORDS = frozenset("read see related more also watch listen recommended".split())
LINK_LINE = re.compile(
    r"^\W*(?:read (?:more|also|next)|see also|related|more on this|also read|watch|listen|"
    r"recommended|more from [\w .'’-]+?)\b[^.?!:|]{0,40}[:|–—-]\s*\S",
    re.IGNORECASE,
)

# Dates, bylines, reading times: metadata, not article text.
META_LINE = re.compile(
    r"^\W*(?:by|words by|reporting by|written by|posted by|author:)\s+(?-i:[A-Z][\w'’.-]+\s+[A-Z][\w'’.-]+)"
    r"(?=\s*(?:$|[,;|·&(/]|and\b|\d))"
    r"|^\W*(?:published|updated|posted|last updated|first published)\b"
    r"|^\W*(?:(?:reviewed|edited|fact-checked|produced|compiled|photographs?|additional reporting) by)\b"
    r"|^\W*(?:staff|special|senior|chief|political|foreign|our) (?:\w+ )?(?:reporter|writer|correspondent|editor)\W*$"
    r"|^\W*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|^\W*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+\d{1,2}\s+\w+\s+\d{4}"
    r"|^\W*\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b[\d:\sapmAPMGTUC.,]*$"
    r"|^\W*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\b(?:\W+\w+){0,6}\W*$",
    re.IGNORECASE,
)
META_ANYWHERE = Guarded(
    {
        "read": r"\b\d+\s*min(?:ute)?s? read\b",
        "contributed": r"\bcontributed (?:reporting|to this (?:report|article|story))\W*$",
    }
)

# Comment-thread furniture: "2 hours ago", "Reply", "12 likes", "Report".
COMMENT_META = re.compile(
    r"^\W*(?:reply|report|like|likes|\d+\s+(?:likes?|replies|upvotes?|points?)|"
    r"\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago|"
    r"(?:view|show|hide)\s+\d*\s*repl(?:y|ies)|flag|share|edit|delete)\W*$",
    re.IGNORECASE,
)
TIME_AGO = Guarded({"ago": r"\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\W*$"})

# A marker after which the rest of a page is no longer the article.
TAIL_MARKER = re.compile(
    r"^\W*(?:related(?: posts?| articles?| stories| content| coverage| reading)?|"
    r"more (?:from|on|in|stories|news)\b.*|most (?:read|popular|viewed|shared)\b.*|"
    r"you (?:may|might) also (?:like|enjoy)|recommended(?: for you| reading)?|"
    r"(?:read|see) (?:next|more)|what to read next|trending(?: now)?|"
    r"leave a (?:reply|comment)|\d*\s*(?:reader |user )?comments?(?:\s*\(?\d+\)?)?|(?:join|start) the (?:discussion|conversation)|"
    r"(?:post|add|write) a comment|conversation|discussion|"
    r"a message from\b.*|support (?:us|our journalism)\b.*|"
    r"(?:sign up|subscribe) (?:for|to) (?:our|the)\b.*|newsletter|"
    r"about (?:us|the author)|share this (?:article|story)|tags?:.*|topics?:.*|"
    r"©.*|copyright\b.*)\W*$",
    re.IGNORECASE,
)

# "- item", "• item", "1. item", "(a) item".
LIST_ITEM = re.compile(r"^\s*(?:[-•*·▪–]\s+|\d{1,2}[.)]\s+|\([a-z0-9]\)\s+)")

# Words that may stand before an author's name ("By Jane Doe", "Von Jan Berg",
# "Par Anne Roux", "Por Ana Ruiz") and that join two names.
BY_WORDS = frozenset("by von par por di da door av af od от автор yazan".split())
NAME_JOINERS = frozenset("and & und et y e en og och i и ve".split())

#: Every word that can trigger a guarded pattern or a link line: a line with
#: none of them skips those rules.
TRIGGER_WORDS = frozenset().union(
    LINK_WORDS, *(group.words for group in (CREDIT, CAPTION_WORDS, STRONG_BOILERPLATE, APPEAL, META_ANYWHERE, TIME_AGO))
)
