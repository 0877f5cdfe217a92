"""Every word repodigest shows, in one package below all the stages: a locale file per language
(locales/<language>.toml) and the Catalog that reads it. A new language is one locale file."""

from repodigest.wording.catalog import Catalog, labels, languages, plural

__all__ = ["Catalog", "labels", "languages", "plural"]
