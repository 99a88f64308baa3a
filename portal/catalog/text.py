"""Localised catalog text: a plain string or a mapping by locale."""


def localize(text, locale: str | None) -> str:
    """The text for `locale`: exact, then its language (pt_BR -> pt), then en, then the first."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if not text:
        return ""
    tried = []
    if locale:
        exact = str(locale)
        tried += [exact, exact.replace("-", "_"), exact.replace("_", "-")]
        tried.append(exact.replace("-", "_").split("_")[0])
    tried.append("en")
    for key in tried:
        if text.get(key):
            return text[key]
    return next(iter(text.values())) or ""
