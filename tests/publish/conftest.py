import pytest

from repodigest.publish.base import Edition, RenderedDocument
from support.day_fixture import DAY, build_day_repo
from support.reports import render_day


@pytest.fixture(scope="session")
def day_edition(tmp_path_factory) -> Edition:
    day_repo = build_day_repo(tmp_path_factory.mktemp("day") / "demo")
    return render_day(day_repo.path, DAY, formats=("md", "json", "html"))


def long_edition(edition: Edition, characters: int) -> tuple[Edition, str]:
    """The same day with a Markdown report of about `characters`, made of many sections."""
    section = (
        '#### <a name="c-{i}"></a>commit {i}\n\n'
        + "A paragraph about what changed and why it matters. " * 20
        + "\n\n---\n\n"
    )
    text, i = "# Report\n\n", 0
    while len(text) < characters:
        text += section.format(i=i)
        i += 1
    documents = (RenderedDocument(repository=None, format="md", content=text),)
    return edition.model_copy(update={"documents": documents}), text


def earlier_edition(edition: Edition) -> Edition:
    """The same day as seen earlier: its last commit not there yet and its first one ranked low,
    so that `edition` has one new commit and one changed importance against it."""
    from repodigest.analysis.models import Importance

    report = edition.report
    repository = report.repositories[0]
    first, *rest = repository.commits
    first = first.model_copy(update={"analysis": first.analysis.model_copy(update={"importance": Importance.LOW})})
    if first.analysis.importance == edition.report.repositories[0].commits[0].analysis.importance:
        first = first.model_copy(update={"analysis": first.analysis.model_copy(update={"importance": Importance.HIGH})})
    commits = (first, *rest[:-1])
    repositories = (repository.model_copy(update={"commits": commits}), *report.repositories[1:])
    return edition.model_copy(update={"report": report.model_copy(update={"repositories": repositories})})
