"""Page furniture in the main languages of the news an analyst reads, beside English.

:mod:`tui.core.cues` holds English vocabulary; the cleaner applies it to
every page, since English labels ("Home", "Login", "Share") are common on
sites in any language. This module adds, per language, the few words a page
cannot do without and that mean furniture wherever they stand alone: "read
also", "related articles", "comments", "share", "photo:", a subscription or
newsletter box, a cookie notice, a comment form. The lists are short, generic
and high-precision: what any news site or blog in that language prints, not
phrases taken from particular pages.

Languages: German, French, Spanish, Italian, Portuguese, Dutch, Polish,
Russian, Ukrainian, Turkish, Arabic, Persian, plus a handful of labels in
Chinese, Japanese and Korean. The page's language picks its table (see
:func:`for_language`); a page whose language is unknown, or has no table
here, gets them all (identification can mistake German for Luxembourgish).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tui.core.cues import Guarded

# Each table maps a language code to "|"-separated, lower-case alternatives
# (regular expressions).

#: Lines that are nothing but a label: navigation, sharing, comment and
#: section headers.
LABELS = {
    "de": "startseite|menü|suche|suchen|anmelden|abmelden|einloggen|registrieren|mein konto|teilen|drucken|"
    "kommentare?|kommentieren|antworten|antwort abbrechen|impressum|datenschutz(?:erklärung)?|kontakt|agb|"
    "newsletter(?: abonnieren)?|abonnieren|werbung|anzeige|weiterlesen|mehr lesen|mehr anzeigen|alle anzeigen|"
    "nach oben|zurück|schlagwörter|schlagworte|kategorien|archiv|gefällt mir|teilen mit|themen",
    "fr": "accueil|menu|rechercher|recherche|connexion|se connecter|s'inscrire|mon compte|partager|imprimer|"
    "commentaires?|commenter|répondre|mentions légales|confidentialité|contact|newsletter|s'abonner|abonnez-vous|"
    "publicité|lire la suite|lire plus|voir plus|voir tout|haut de page|retour|mots-clés|catégories|archives",
    "es": "inicio|menú|buscar|búsqueda|iniciar sesión|acceder|registrarse|regístrate|mi cuenta|compartir|imprimir|"
    "comentarios?|comentar|responder|aviso legal|privacidad|política de privacidad|contacto|suscríbete|suscribirse|"
    "publicidad|leer más|ver más|ver todo|volver arriba|volver|etiquetas|categorías|archivo",
    "it": "home ?page|menu|cerca|accedi|registrati|il mio account|condividi|stampa|commenti|commenta|rispondi|"
    "privacy|contatti|iscriviti|abbonati|pubblicità|leggi (?:di )?più|leggi tutto|mostra (?:di )?più|torna su|"
    "tag|categorie|archivio",
    "pt": "início|página inicial|menu|pesquisar|buscar|entrar|iniciar sessão|cadastre-se|registar|minha conta|"
    "compartilhar|partilhar|imprimir|comentários?|comentar|responder|privacidade|contato|contacto|assine|"
    "subscrever|publicidade|leia mais|ler mais|ver mais|ver tudo|voltar ao topo|tags|categorias|arquivo",
    "nl": "home|menu|zoeken|inloggen|registreren|mijn account|delen|printen|afdrukken|reacties?|reageer|"
    "beantwoorden|privacy|contact|abonneren|advertentie|lees meer|meer lezen|bekijk alles|terug naar boven|"
    "tags|categorieën|archief",
    "pl": "strona główna|menu|szukaj|wyszukaj|zaloguj(?: się)?|zarejestruj(?: się)?|moje konto|udostępnij|drukuj|"
    "komentarze?|skomentuj|odpowiedz|polityka prywatności|kontakt|subskrybuj|reklama|czytaj (?:więcej|dalej)|"
    "zobacz (?:więcej|wszystkie)|do góry|tagi|kategorie|archiwum",
    "ru": "главная|меню|поиск|найти|войти|вход|регистрация|зарегистрироваться|мой аккаунт|поделиться|печать|"
    "комментарии|комментировать|ответить|контакты|подписаться|подписка|реклама|читать (?:далее|дальше|полностью)|"
    "подробнее|показать (?:ещё|все)|наверх|теги|метки|рубрики|категории|архив",
    "uk": "головна|меню|пошук|увійти|вхід|реєстрація|поділитися|друк|коментарі|коментувати|відповісти|контакти|"
    "підписатися|реклама|читати (?:далі|більше)|детальніше|показати (?:ще|всі)|теги|рубрики|категорії|архів",
    "tr": "ana ?sayfa|menü|ara|arama|giriş(?: yap)?|üye ol|kayıt ol|hesabım|paylaş|yazdır|yorumlar|yorum yap|"
    "yanıtla|cevapla|gizlilik(?: politikası)?|iletişim|künye|abone ol|reklam|devamını oku|daha fazla|tümünü gör|"
    "başa dön|etiketler|kategoriler|arşiv",
    "ar": "الرئيسية|الصفحة الرئيسية|القائمة|بحث|ابحث|تسجيل الدخول|دخول|تسجيل|حسابي|شارك|مشاركة|طباعة|"
    "التعليقات|تعليقات|أضف تعليق|رد|سياسة الخصوصية|اتصل بنا|اشترك|إعلان|اقرأ المزيد|المزيد|عرض الكل|"
    "الوسوم|الأقسام|الأرشيف",
    "fa": "صفحه اصلی|خانه|منو|جستجو|ورود|ثبت نام|اشتراک گذاری|چاپ|نظرات|ارسال نظر|پاسخ|تماس با ما|"
    "بیشتر بخوانید|برچسب ها|آرشیو",
    "zh": "首页|菜单|搜索|登录|注册|分享|打印|评论|回复|联系我们|隐私政策|广告|阅读更多|查看更多|返回顶部|标签|分类",
    "ja": "ホーム|メニュー|検索|ログイン|新規登録|シェア|印刷|コメント|返信|お問い合わせ|プライバシーポリシー|広告|"
    "続きを読む|もっと見る|トップへ戻る|タグ|カテゴリー",
    "ko": "홈|메뉴|검색|로그인|회원가입|공유|인쇄|댓글|답글|문의|개인정보처리방침|광고|더보기|맨 위로|태그|카테고리",
}

#: Openings of a line that links to another article: "Read also: ...".
LINK_OPENINGS = {
    "de": "lesen sie (?:auch|mehr|hier)|lies auch|mehr zum thema|auch interessant|siehe auch|zum thema|weiterlesen|"
    "das könnte sie (?:auch )?interessieren|empfehlungen",
    "fr": "(?:à )?lire aussi|lire la suite|voir aussi|à voir aussi|à lire|sur le même sujet|découvrez aussi",
    "es": "lea (?:también|más)|lee (?:también|más)|leer más|ver también|vea también|te puede interesar|"
    "le puede interesar|puedes ver|también te puede interesar|noticias relacionadas|más información",
    "it": "leggi anche|leggi (?:di )?più|vedi anche|potrebbe interessarti|ti potrebbe interessare|approfondisci",
    "pt": "leia (?:também|mais)|veja (?:também|mais)|saiba mais|você pode gostar|relacionad[ao]s?",
    "nl": "lees (?:ook|meer)|bekijk ook|zie ook|meer over",
    "pl": "czytaj (?:też|także|również|więcej)|zobacz (?:też|także|również)|przeczytaj (?:też|także|również)",
    "ru": "читайте (?:также|тоже)|читать также|смотрите также|подробнее|по теме|ещё по теме|также читайте",
    "uk": "читайте також|дивіться також|детальніше|по темі",
    "tr": "ayrıca (?:okuyun|bakınız)|devamını oku|ilgili (?:haber|haberler|yazılar)|bunlar da ilginizi çekebilir",
    "ar": "اقرأ (?:أيضا|أيضاً|أيضًا|المزيد)|إقرأ (?:أيضا|أيضاً)|شاهد (?:أيضا|أيضاً)|طالع أيضا",
    "fa": "بیشتر بخوانید|بخوانید",
    "zh": "相关阅读|相关新闻|延伸阅读|推荐阅读",
    "ja": "関連記事|あわせて読みたい",
    "ko": "관련기사|관련 기사|함께 보면 좋은",
}

#: Lines after which the rest of a page is no longer the article (like
#: :data:`tui.core.cues.TAIL_MARKER`): related articles, comments, "more from".
TAIL_MARKERS = {
    "de": "ähnliche (?:artikel|beiträge|themen)|verwandte (?:artikel|beiträge|themen)|das könnte (?:sie|dich) auch interessieren.*|"
    "weitere (?:artikel|beiträge|nachrichten|themen)|mehr zum thema.*|\\d* ?kommentare?(?: \\(\\d+\\))?|"
    "(?:schreibe|hinterlasse) einen kommentar.*|kommentar (?:schreiben|verfassen).*|meistgelesen|"
    "beliebte (?:artikel|beiträge)|auch interessant|newsletter",
    "fr": "articles? (?:similaires|liés|connexes)|sur le même (?:sujet|thème)|à lire aussi|vous aimerez aussi|"
    "\\d* ?commentaires?|laisser un commentaire|(?:les )?plus lus|dans la même rubrique|newsletter",
    "es": "artículos relacionados|noticias relacionadas|más noticias|te puede interesar|\\d* ?comentarios?|"
    "(?:deja|dejar|escribe) (?:un|tu) comentario|lo más leído|más leídas?|newsletter",
    "it": "articoli correlati|notizie correlate|potrebbe interessarti|ti potrebbe interessare|\\d* ?commenti|"
    "lascia un commento|i più letti|più lette",
    "pt": "(?:artigos|notícias|posts|matérias) relacionad[ao]s|você (?:pode|também pode) gostar|\\d* ?comentários?|"
    "deixe (?:um|seu) comentário|mais lidas?",
    "nl": "gerelateerde artikelen|meer nieuws|\\d* ?reacties?|laat een reactie achter|meest gelezen",
    "pl": "podobne artykuły|powiązane artykuły|zobacz (?:też|także)|\\d* ?komentarz[ey]?|dodaj komentarz|najczęściej czytane",
    "ru": "похожие (?:статьи|новости|материалы|записи)|читайте также|другие новости|\\d* ?комментари[йиея]|"
    "оставить комментарий|добавить комментарий|самое читаемое|популярное",
    "uk": "схожі (?:статті|новини)|читайте також|інші новини|\\d* ?коментар[іяів]*|залишити коментар|популярне",
    "tr": "ilgili haberler|benzer haberler|diğer haberler|\\d* ?yorum(?:lar)?|yorum yap|yorum yazın|"
    "en çok okunanlar|bunlar da ilginizi çekebilir",
    "ar": "مقالات ذات صلة|أخبار ذات صلة|اخبار ذات صلة|مواضيع ذات صلة|التعليقات|أضف تعليق|اترك تعليقا|الأكثر قراءة",
    "fa": "مطالب مرتبط|اخبار مرتبط|نظرات|ارسال نظر|پربازدیدترین",
    "zh": "相关阅读|相关新闻|相关文章|评论|热门文章",
    "ja": "関連記事|コメント|人気記事",
    "ko": "관련기사|관련 기사|댓글|많이 본 뉴스",
}

#: Words that open a photo credit: "Foto: ...", "Photo : ...", "Фото: ...", "تصوير: ...".
CREDIT_WORDS = {
    "de": "foto|fotos|bild|bilder|bildquelle|quelle|titelbild|beitragsbild|abbildung|grafik",
    "fr": "photo|photos|crédit|crédits|crédit photo|illustration|image|source",
    "es": "foto|fotos|fotografía|imagen|crédito|ilustración|fuente",
    "it": "foto|immagine|credito|fonte",
    "pt": "foto|fotos|imagem|crédito|fonte",
    "nl": "foto|beeld|afbeelding|bron",
    "pl": "fot|foto|zdjęcie|źródło",
    "ru": "фото|фотография|иллюстрация|источник",
    "uk": "фото|ілюстрація|джерело",
    "tr": "fotoğraf|foto|görsel|kaynak",
    "ar": "صورة|الصورة|تصوير|المصدر",
    "fa": "عکس|منبع",
}

#: Appeals, subscriptions, newsletters, comment forms and cookie notices,
#: searched anywhere in a line: trigger words -> pattern (as in
#: :class:`tui.core.cues.Guarded`). One cue drops a short line, two a long one.
APPEALS = {
    "de": {
        "newsletter abonnieren abonniere abonnent abonnenten abo": r"\bnewsletter\b|\babonnier\w*|\babonnent\w*|\babo\b",
        "e-mail-adresse pflichtfelder felder": (
            r"\be-mail-adresse wird nicht veröffentlicht|\bpflichtfelder\b|\berforderliche felder\b"
        ),
        "cookies cookie": r"\bcookies?\b.{0,80}\b(?:verwende|nutz|einverstanden|akzeptier)|\b(?:verwende|nutz)\w*.{0,60}\bcookies?\b",
        "kommentar kommentare kommentieren": r"\bkommentar\w* (?:schreiben|verfassen|abgeben)|\bum (?:einen |zu )?kommentar",
        "unterstützen unterstützung spende spenden": r"\b(?:unterstützen sie|ihre unterstützung|jetzt spenden|spenden sie)\b",
        "registrieren anmelden einloggen": r"\b(?:jetzt|kostenlos|bitte) (?:registrieren|anmelden|einloggen)\b",
    },
    "fr": {
        "newsletter abonnez-vous abonner abonné abonnement": r"\bnewsletter\b|\babonnez-vous\b|\bs'abonner\b|\babonnement\b",
        "adresse champs": r"\badresse (?:e-mail|de messagerie|mail) ne sera pas publiée|\bchamps obligatoires\b",
        "cookies cookie": r"\bcookies?\b.{0,80}\b(?:utilis|accept)|\butilis\w*.{0,60}\bcookies?\b",
        "soutenez soutenir don dons": r"\bsoutenez\b|\bsoutenir (?:notre|le) journal|\bfaire un don\b",
    },
    "es": {
        "newsletter boletín suscríbete suscribirse suscripción suscríbase": (
            r"\bnewsletter\b|\bboletín\b|\bsuscr[ií]b\w*|\bsuscripción\b"
        ),
        "dirección campos": r"\bdirección de correo electrónico no será publicada|\bcampos obligatorios\b",
        "cookies cookie": r"\bcookies?\b.{0,80}\b(?:utiliza|usa|acept)|\b(?:utiliza|usa)\w*.{0,60}\bcookies?\b",
        "apoya apoyar donar donación": r"\bapoya (?:nuestro|el) periodismo|\bdonar\b|\bdonación\b",
    },
    "it": {
        "newsletter iscriviti abbonati abbonamento": r"\bnewsletter\b|\biscriviti\b|\babbonati\b|\babbonamento\b",
        "indirizzo campi": r"\bindirizzo email non sarà pubblicato|\bcampi obbligatori\b",
        "cookie cookies": r"\bcookies?\b.{0,80}\b(?:utilizz|usa|accett)|\b(?:utilizz|usa)\w*.{0,60}\bcookies?\b",
    },
    "pt": {
        "newsletter assine assinante assinatura subscreva": r"\bnewsletter\b|\bassin(?:e|ante|atura)\b|\bsubscrev\w*",
        "endereço campos": r"\bendereço de e-?mail não será publicado|\bcampos obrigatórios\b",
        "cookies cookie": r"\bcookies?\b.{0,80}\b(?:utiliza|usa|acei)|\b(?:utiliza|usa)\w*.{0,60}\bcookies?\b",
    },
    "nl": {
        "nieuwsbrief abonneren abonnement": r"\bnieuwsbrief\b|\babonne\w*",
        "e-mailadres velden": r"\be-mailadres wordt niet gepubliceerd|\bverplichte velden\b",
        "cookies cookie": r"\bcookies?\b.{0,80}\b(?:gebruik|accept)|\bgebruik\w*.{0,60}\bcookies?\b",
    },
    "pl": {
        "newsletter subskrybuj subskrypcja prenumerata": r"\bnewsletter\b|\bsubskryb\w*|\bsubskrypcj\w*|\bprenumerat\w*",
        "adres pola": r"\badres e-?mail nie zostanie opublikowany|\bwymagane pola\b",
        "cookies cookie": r"\bcookies?\b.{0,80}\b(?:używa|akcept)|\bużywa\w*.{0,60}\bcookies?\b",
    },
    "ru": {
        "подпишитесь подписаться подписка рассылку рассылка": r"\bподпи(?:шитесь|саться|ска)\b|\bрассылк\w*",
        "адрес поля": r"\bваш адрес email не будет опубликован|\bобязательные поля\b",
        "cookie cookies куки": r"\b(?:cookies?|куки)\b.{0,80}\b(?:использ|принима)|\bиспольз\w*.{0,60}\b(?:cookies?|куки)\b",
    },
    "uk": {
        "підпишіться підписатися підписка розсилку": r"\bпідпи(?:шіться|сатися|ска)\b|\bрозсилк\w*",
        "cookie cookies": r"\bcookies?\b.{0,80}\bвикорист|\bвикорист\w*.{0,60}\bcookies?\b",
    },
    "tr": {
        "abone bülten bültenimize": r"\babone ol\w*|\bbülten\w*",
        "e-posta alanlar": r"\be-posta (?:adresiniz|hesabınız) yayımlanmayacak|\bgerekli alanlar\b",
        "çerez çerezler çerezleri cookie cookies": r"\b(?:çerez\w*|cookies?)\b.{0,80}\bkullan|\bkullan\w*.{0,60}\bçerez\w*",
    },
    "ar": {
        "اشترك النشرة البريدية": r"اشترك|النشرة البريدية",
        "الكوكيز الارتباط": r"ملفات تعريف الارتباط|الكوكيز",
        "بريدك": r"لن يتم نشر عنوان بريدك الإلكتروني",
    },
}


@dataclass(frozen=True)
class Vocabulary:
    """The furniture patterns of one language (or of all, when the language is unknown)."""

    label: re.Pattern[str] | None
    link: re.Pattern[str] | None
    tail: re.Pattern[str] | None
    credit: re.Pattern[str] | None
    appeal: Guarded | None


def _alternation(table: dict[str, str], codes: list[str]) -> str | None:
    parts = [table[code] for code in codes if code in table]
    return "|".join(parts) if parts else None


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


@cache
def for_language(code: str | None) -> Vocabulary:
    """The vocabulary for the language ``code``; every language's when it has none here, or is None."""
    codes = [code] if code in LABELS else list(LABELS)
    label = _alternation(LABELS, codes)
    link = _alternation(LINK_OPENINGS, codes)
    tail = _alternation(TAIL_MARKERS, codes)
    credit = _alternation(CREDIT_WORDS, codes)
    appeals: dict[str, str] = {}
    for c in codes:
        appeals.update(APPEALS.get(c, {}))
    return Vocabulary(
        label=_compile(rf"^\W*(?:{label})(?:\s*\(?\d+\)?)?\W*$") if label else None,
        # A link line: its opening, then a separator and the linked headline.
        link=_compile(rf"^\W*(?:{link})\b[^.?!]{{0,20}}?(?:[:|»›>–—-]|\s*$)") if link else None,
        tail=_compile(rf"^\W*(?:{tail})\W*$") if tail else None,
        # At the start of the line, after the caption's last sentence ("… on Monday. Foto: AA"), or in brackets.
        credit=_compile(rf"(?:^|[.!?…]\s+)\W*(?:{credit})\s*[:©]|[(|/]\s*(?:{credit})\s*:") if credit else None,
        appeal=Guarded(appeals) if appeals else None,
    )


def trigger_words() -> frozenset[str]:
    """Every trigger word of every language's appeals (the cleaner gathers these from each line)."""
    words: set[str] = set()
    for table in APPEALS.values():
        for triggers in table:
            words.update(triggers.split())
    return frozenset(words)
