import pytest

from repodigest.source.hosts import commit_url_template, host_kind, parse_remote, web_url


@pytest.mark.parametrize(
    ("url", "host", "path"),
    [
        ("https://github.com/ai-dynamo/nixl.git", "github.com", "ai-dynamo/nixl"),
        ("https://github.com/ai-dynamo/nixl", "github.com", "ai-dynamo/nixl"),
        ("git@github.com:vllm-project/production-stack.git", "github.com", "vllm-project/production-stack"),
        ("ssh://git@gitlab.com:2222/group/sub/project.git", "gitlab.com", "group/sub/project"),
        ("https://codeberg.org/forgejo/forgejo", "codeberg.org", "forgejo/forgejo"),
        ("file:///srv/git/demo.git", None, "srv/git/demo"),
    ],
)
def test_parse_remote(url, host, path):
    location = parse_remote(url)
    assert (location.host, location.path) == (host, path)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/o/r", "https://github.com/o/r/commit/abc"),
        ("https://gitlab.com/g/s/r", "https://gitlab.com/g/s/r/-/commit/abc"),
        ("https://codeberg.org/o/r", "https://codeberg.org/o/r/commit/abc"),
        ("git@bitbucket.org:o/r.git", "https://bitbucket.org/o/r/commits/abc"),
        ("https://github.example.com/o/r", "https://github.example.com/o/r/commit/abc"),
    ],
)
def test_commit_links_for_known_hosts(url, expected):
    location = parse_remote(url)
    template = commit_url_template(web_url(location), host_kind(location.host))
    assert template.format(sha="abc") == expected


def test_unknown_host_gets_no_link():
    location = parse_remote("https://git.example.net/o/r")
    assert commit_url_template(web_url(location), host_kind(location.host)) is None


def test_configured_kind_wins_for_self_hosted_gitea():
    assert host_kind("git.example.net", "gitea") == "gitea"
