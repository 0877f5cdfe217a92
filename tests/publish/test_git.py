"""Committing reports into a git repository: one commit per change, none for a re-run."""

from support.cli import run_cli
from support.day_fixture import DAY, build_day_repo
from support.gitrepo import GitRepo


def test_reports_are_committed_once(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    site = GitRepo.create(tmp_path / "site")
    site.commit("start", "2026-01-01T00:00:00+00:00", files={"README.md": "reports\n"})
    config = tmp_path / "repodigest.toml"
    config.write_text(f'output = "{site.path / "reports"}"\n[[repositories]]\npath = "{day_repo.path}"\n'
                      f'[[publish]]\nkind = "git"\n')
    for _ in range(2):
        result = run_cli("run", "--config", str(config), "--date", DAY)
        assert result.code == 0, result.stderr
    log = site.git("log", "--format=%s", "--name-only").splitlines()
    assert log.count(f"repodigest: reports for {DAY}") == 1
    assert f"reports/2026/demo/{DAY}.md" in log


def test_output_outside_a_repository_is_bad_input(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    config = tmp_path / "repodigest.toml"
    config.write_text(f'output = "{tmp_path / "plain"}"\n[[repositories]]\npath = "{day_repo.path}"\n'
                      '[[publish]]\nkind = "git"\n')
    result = run_cli("run", "--config", str(config), "--date", DAY)
    assert result.code == 2 and "not inside a git work tree" in result.stderr
    assert not (tmp_path / "plain").exists()


def test_reports_are_pushed_when_asked(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    remote = tmp_path / "remote.git"
    GitRepo(path=tmp_path).git("init", "-q", "--bare", "-b", "main", str(remote))
    site = GitRepo.create(tmp_path / "site")
    site.commit("start", "2026-01-01T00:00:00+00:00", files={"README.md": "reports\n"})
    site.git("remote", "add", "origin", str(remote))
    site.git("push", "-q", "origin", "main")
    config = tmp_path / "repodigest.toml"
    config.write_text(f'output = "{site.path / "reports"}"\n[[repositories]]\npath = "{day_repo.path}"\n'
                      f'[[publish]]\nkind = "git"\npush = true\n')
    result = run_cli("run", "--config", str(config), "--date", DAY)
    assert result.code == 0, result.stderr
    pushed = GitRepo(path=remote).git("log", "--format=%s", "main")
    assert pushed.splitlines()[0] == f"repodigest: reports for {DAY}"
