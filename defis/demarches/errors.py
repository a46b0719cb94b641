from collections.abc import Sequence

from django.utils.translation import gettext as _

from defis.common.errors import DomainError


class RowRejected(DomainError):
    """One row of an observatory file cannot be imported; the import goes on without it."""

    code = "row_rejected"


class ObservatoryFileError(DomainError):
    """The whole file cannot be read: nothing was imported."""

    code = "observatory_file_error"


class ObservatoryFileMissing(ObservatoryFileError):
    code = "observatory_file_missing"

    def __init__(self, *, file: str) -> None:
        super().__init__(_("The file %(file)s does not exist.") % {"file": file})


class ObservatoryFileUnreadable(ObservatoryFileError):
    code = "observatory_file_unreadable"

    def __init__(self, *, file: str) -> None:
        super().__init__(_("The file %(file)s cannot be read as CSV text in UTF-8.") % {"file": file})


class ObservatoryFileEmpty(ObservatoryFileError):
    code = "observatory_file_empty"

    def __init__(self, *, file: str) -> None:
        super().__init__(_("The file %(file)s is empty.") % {"file": file})


class ObservatoryFileWrongFormat(ObservatoryFileError):
    code = "observatory_file_wrong_format"

    def __init__(self, *, file: str, missing: Sequence[str]) -> None:
        super().__init__(
            _("The file %(file)s is not in the observatory format: its header lacks the columns %(columns)s.")
            % {"file": file, "columns": ", ".join(missing)}
        )


class ObservatoryFileWithoutRows(ObservatoryFileError):
    code = "observatory_file_without_rows"

    def __init__(self, *, file: str) -> None:
        super().__init__(_("The file %(file)s has a header but no démarche.") % {"file": file})


class ObservatoryFileAllRejected(ObservatoryFileError):
    code = "observatory_file_all_rejected"

    def __init__(self, *, file: str, rejections: Sequence[str]) -> None:
        super().__init__(_("No row of the file %(file)s could be imported.") % {"file": file})
        self.rejections = list(rejections)
