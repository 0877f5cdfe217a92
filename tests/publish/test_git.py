"""Committing reports into a git repository: one commit per change, none for a re-run."""

from support.cli import run_cli
from support.day_fixture import DAY, build_day_repo
from support.gitrepo import GitRepo, site_with_bare_remote


def test_reports_are_committed_once(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    site = GitRepo.create(tmp_path / "site")
    site.commit("start", "2026-01-01T00:00:00+00:00", files={"README.md": "reports\n"})
    config = tmp_path / "repodigest.toml"
    config.write_text(
        f'output = "{site.path / "reports"}"\n[[repositories]]\npath = "{day_repo.path}"\n[[publish]]\nkind = "git"\n'
    )
    for _ in range(2):
        result = run_cli("run", "--config", str(config), "--date", DAY)
        assert result.code == 0, result.stderr
    log = site.git("log", "--format=%s", "--name-only").splitlines()
    assert log.count(f"repodigest: reports for {DAY}") == 1
    assert f"reports/2026/demo/{DAY}.md" in log


def test_the_archive_site_is_committed_with_the_reports(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    site = GitRepo.create(tmp_path / "site")
    site.commit("start", "2026-01-01T00:00:00+00:00", files={"README.md": "reports\n"})
    config = tmp_path / "repodigest.toml"
    config.write_text(
        f'output = "{site.path / "reports"}"\n[archive]\nenabled = true\n'
        f'[[repositories]]\npath = "{day_repo.path}"\n[[publish]]\nkind = "git"\n'
    )
    result = run_cli("run", "--config", str(config), "--date", DAY)
    assert result.code == 0, result.stderr
    committed = set(site.git("show", "--format=", "--name-only", "HEAD").splitlines())
    assert {"reports/index.html", "reports/feed.xml", "reports/repos/demo/feed.xml"} <= committed
    assert site.git("status", "--porcelain") == ""


def test_output_outside_a_repository_is_bad_input(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    config = tmp_path / "repodigest.toml"
    config.write_text(
        f'output = "{tmp_path / "plain"}"\n[[repositories]]\npath = "{day_repo.path}"\n[[publish]]\nkind = "git"\n'
    )
    result = run_cli("run", "--config", str(config), "--date", DAY)
    assert result.code == 2 and "not inside a git work tree" in result.stderr
    assert not (tmp_path / "plain").exists()


def test_reports_are_pushed_when_asked(tmp_path):
    _, remote, config = _pushing_site(tmp_path)
    result = run_cli("run", "--config", str(config), "--date", DAY)
    assert result.code == 0, result.stderr
    pushed = remote.git("log", "--format=%s", "main")
    assert pushed.splitlines()[0] == f"repodigest: reports for {DAY}"


def _pushing_site(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    site, remote = site_with_bare_remote(tmp_path)
    config = tmp_path / "repodigest.toml"
    config.write_text(
        f'output = "{site.path / "reports"}"\n[[repositories]]\npath = "{day_repo.path}"\n'
        f'[[publish]]\nkind = "git"\npush = true\n'
    )
    return site, remote, config


def test_origin_moved_on_is_fetched_and_rebased_onto(tmp_path):
    _site, remote, config = _pushing_site(tmp_path)
    other = tmp_path / "other"
    GitRepo(path=tmp_path).git("clone", "-q", str(remote.path), str(other))
    colleague = GitRepo(path=other)
    colleague.git("config", "user.name", "Colleague")
    colleague.git("config", "user.email", "c@example.com")
    colleague.commit("notes", "2026-01-02T00:00:00+00:00", files={"NOTES.md": "notes\n"})
    colleague.git("push", "-q", "origin", "main")
    result = run_cli("run", "--config", str(config), "--date", DAY)
    assert result.code == 0, result.stderr
    assert remote.git("log", "--format=%s", "main").splitlines() == [f"repodigest: reports for {DAY}", "notes", "start"]


def test_a_refused_push_shows_git_whole_error_and_the_rerun_pushes_it(tmp_path):
    site, remote, config = _pushing_site(tmp_path)
    hook = remote.path / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'first line of the refusal' >&2\necho 'branch main is protected' >&2\nexit 1\n")
    hook.chmod(0o755)
    failed = run_cli("run", "--config", str(config), "--date", DAY)
    assert failed.code == 1
    assert "first line of the refusal" in failed.stderr and "branch main is protected" in failed.stderr
    assert "pre-receive hook declined" in failed.stderr
    hook.unlink()
    again = run_cli("run", "--config", str(config), "--date", DAY)  # nothing new to commit, but origin is behind
    assert again.code == 0, again.stderr
    assert remote.git("log", "--format=%s", "main").splitlines()[0] == f"repodigest: reports for {DAY}"
    assert site.git("log", "--format=%s").count("repodigest: reports") == 1


def test_a_lost_state_and_a_fresh_clone_make_no_second_commit(tmp_path, monkeypatch):
    site, remote, config = _pushing_site(tmp_path)
    assert run_cli("run", "--config", str(config), "--date", DAY).code == 0
    # Next day's machine: a new clone (as actions/checkout makes) and no state at all.
    fresh = tmp_path / "fresh"
    GitRepo(path=tmp_path).git("clone", "-q", str(remote.path), str(fresh))
    monkeypatch.setenv("REPODIGEST_HOME", str(tmp_path / "new-home"))
    config.write_text(config.read_text().replace(str(site.path), str(fresh)))
    result = run_cli("run", "--config", str(config), "--date", DAY)
    assert result.code == 0, result.stderr
    assert remote.git("log", "--format=%s", "main").count("repodigest: reports for") == 1
