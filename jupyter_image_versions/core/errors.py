"""The project's error family. Front ends catch these, never botocore's exceptions."""

from __future__ import annotations

from .labels import labelled, message_words


class ImageVersionsError(Exception):
    """Base of every error this package raises on purpose."""

    code: str = "Error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_dict(self) -> dict:
        """The JSON error body shared by the REST API and `--json` output."""
        return {"message": self.message, "code": self.code, "problems": {}}


class SpecError(ImageVersionsError, ValueError):
    """A spec or argument broke a rule; `problems` maps each field to its message."""

    code = "ValidationError"

    def __init__(self, problems: dict[str, str], message: str | None = None) -> None:
        # Each problem in words without the API key (every front end leads it with its own
        # name for the field: the label, the option); the message leads each with its label.
        self.problems = {k: message_words(k, v) for k, v in problems.items()}
        if message is None:
            message = "; ".join(labelled(k, v) for k, v in self.problems.items()) or "invalid input"
        super().__init__(message)

    def to_dict(self) -> dict:
        return {"message": self.message, "code": self.code, "problems": self.problems}

    def naming(self, field: str) -> SpecError:
        """This error with its message under `field` when it names none (AWS's own
        ValidationException, whose message is the only detail): the caller knows the field."""
        if self.problems:
            return self
        return SpecError({field: self.message}, message=self.message)


class NotFound(ImageVersionsError, LookupError):
    code = "ResourceNotFound"


class Conflict(ImageVersionsError):
    """The resource is in use or was modified concurrently (AWS `ResourceInUse`)."""

    code = "ResourceInUse"


class Throttled(ImageVersionsError):
    code = "ThrottlingException"


class NoCredentials(ImageVersionsError):
    code = "NoCredentials"


class CreateFailed(ImageVersionsError):
    """A version ended in CREATE_FAILED; `reason` is AWS's FailureReason."""

    code = "CreateFailed"

    def __init__(self, message: str, *, reason: str, version: object = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.version = version


class DeleteFailed(ImageVersionsError):
    """A delete ended in DELETE_FAILED; `reason` is AWS's FailureReason."""

    code = "DeleteFailed"

    def __init__(self, message: str, *, reason: str, version: object = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.version = version


class AwsError(ImageVersionsError):
    """Any other AWS error, carrying AWS's code and message."""

    code = "AwsError"
