"""What publishers raise. Messages never carry a token, a signing secret or a webhook URL."""

from repodigest.errors import RepodigestError


class PublishError(RepodigestError):
    pass
