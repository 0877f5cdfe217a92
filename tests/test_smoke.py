from repodigest import __version__


def test_version_is_set():
    assert __version__
