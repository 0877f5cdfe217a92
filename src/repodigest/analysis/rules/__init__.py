"""The built-in analyzer: no network, no key; every section written from the commit's facts."""
