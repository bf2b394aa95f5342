import unicodedata


def fold(text):
    """Lowercase without accents, for accent-insensitive search on any database."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
