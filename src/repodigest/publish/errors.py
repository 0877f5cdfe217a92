"""What publishers raise. Messages never carry a token, a signing secret or a webhook URL."""

from repodigest.errors import RepodigestError


class PublishError(RepodigestError):
    pass


class DeliveryRefused(PublishError):
    """The service said "not delivered", or nothing reached it (connection refused): sending
    again is safe, and the next run does."""


class DeliveryUnknown(PublishError):
    """The request went out but no answer came back (a timeout or a dropped connection after
    the request was written): it may or may not have been delivered."""
