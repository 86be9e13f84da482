"""The user-facing error hierarchy.

Every error a person can act on derives from :class:`KreislaufError`. The CLI and the web
layer turn it into a localized message and an exit code / HTTP status; nothing else in the
code base decides how an error is shown. Messages live in the one i18n catalogue
(``kreislauf/i18n/messages/*.yaml``) under the class's ``key``.

Each error is raised with keyword parameters; ``file``, ``row``, ``column`` and ``field``
are reserved and build the location prefix ("responses.csv, Zeile 4, Spalte 'Q1'").

The tree (``tests/test_errors.py`` checks that it names every class)::

    KreislaufError
    ├── InputError                    bad input: exit code 2, HTTP 422
    │   ├── tables and files:         FileNotReadable, UnsupportedFormat, EmptyFile,
    │   │                             UnknownColumn, DuplicateColumn, NonNumericValue,
    │   │                             InvalidNumber, InvalidOption
    │   ├── survey:                   InvalidQuestionnaire, IncompleteResponse,
    │   │                             InvalidAnswer
    │   ├── ledger:                   InvalidLedger (collects the row-level ones:
    │   │                             MissingColumn, UnexpectedColumn, MissingValue,
    │   │                             LedgerNonNumeric, UnknownFlowKind, InvalidPeriod,
    │   │                             MixedPeriods, UnknownUnit, UnitMismatch,
    │   │                             NegativeQuantity, InvalidShare, InvalidChoice,
    │   │                             UnknownCentre, CyclicTransfers, NumberOutOfRange,
    │   │                             TextNotStorable, InvalidWasteCode,
    │   │                             WasteCodeNotOnWaste), InvalidMapping
    │   ├── carbon:                   NoFactor, UnitNotConvertible, InvalidFactorFile,
    │   │                             InvalidActivityFile, InvalidBom, BomCycle,
    │   │                             UnknownProduct, InvalidPriceFile, UnknownPricePath,
    │   │                             InvalidMeasure, CentreNotInLedger
    │   ├── passport:                 InvalidPassport, InvalidGtin, InvalidDisclosure,
    │   │                             NotDisclosed, MissingForFormat, NotExpressible,
    │   │                             InvalidExchangeDocument, SignatureInvalid,
    │   │                             PactBadRequest, PactNotImplemented,
    │   │                             PactSourceRefused (and PactTokenExpired,
    │   │                             PactEventNotDelivered, below)
    │   ├── exchange:                 InvalidListing, InvalidRuleTable, InvalidHistory,
    │   │                             SeriesTooShort, ForecastEngineMissing
    │   ├── advice:                   InvalidCompany, InvalidRules, InvalidFundingExport,
    │   │                             InvalidAnswers
    │   ├── web and store:            InvalidDatabaseUrl, AlreadyExists, InvalidField,
    │   │                             TextTooLong, InvalidJson, UploadTooLarge,
    │   │                             CommonPassword, PasswordLikeEmail
    │   ├── reporting:                InvalidReportingAnswers, YearNotInLedger,
    │   │                             InvalidSupplierList, InvalidLksgFollowUp
    │   ├── report renderer:          ReportNotLaidOut
    │   └── limits:                   LimitExceeded
    ├── OutputNotWritable
    ├── DatabaseError
    │   ├── DatabaseUnreachable
    │   ├── DatabaseUnavailable
    │   ├── DatabaseNotMigrated
    │   └── DowngradeLosesData
    ├── PactTokenExpired, PactEventNotDelivered
    ├── AuthenticationRequired, InvalidCredentials, TooManyLoginAttempts,
    │   PermissionDenied, InvitationForAnotherAddress, CsrfFailed, NotFound
    ├── SurveyClosed, NoResponses
    └── jobs:                         JobAlreadyEnded, JobStillActive, JobFilesGone,
                                      QueueNeedsPostgres

A new domain adds its section below the others (one class per condition, a docstring
"Raised when …", a ``key`` with ``de`` and ``en`` texts) and its line in this tree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from kreislauf.i18n import DEFAULT_LANG, Lang, Msg, msg, translate

_LOCATION_KEYS = ("file", "row", "column", "field")
#: The most characters of a value (``value`` parameter) a message shows; longer ones are cut.
VALUE_EXCERPT_CHARS = 80
#: The most characters of any other text parameter (a parser's detail, a list of names).
TEXT_EXCERPT_CHARS = 300


def excerpt(value: object, limit: int = VALUE_EXCERPT_CHARS) -> object:
    """``value`` with text longer than ``limit`` characters cut, ending in ``…``.

    Messages echo what a user sent; a hostile upload (a YAML alias bomb, a 300 MiB cell)
    must not come back in full. Text inside a :class:`~kreislauf.i18n.Msg` parameter is cut
    too; numbers pass unchanged, any other value (a list read from YAML) is cut as text.
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if not isinstance(value, str | Msg):
        value = str(value)
    if isinstance(value, str):
        return value if len(value) <= limit else value[: limit - 1] + "…"
    if isinstance(value, Msg):
        return Msg(value.key, {k: excerpt(v, TEXT_EXCERPT_CHARS) for k, v in value.params.items()})
    return value


def os_error_reason(error: OSError | UnicodeError) -> Msg:
    """A short, translatable reason for a failed file operation (for the ``reason`` param)."""
    if isinstance(error, FileNotFoundError):
        return msg("reason.not_found")
    if isinstance(error, IsADirectoryError):
        return msg("reason.is_directory")
    if isinstance(error, PermissionError):
        return msg("reason.permission")
    if isinstance(error, UnicodeError):
        return msg("reason.encoding")
    return msg("reason.os", detail=error.strerror or str(error))


class KreislaufError(Exception):
    """Base of every error that is shown to a user instead of a traceback."""

    key: ClassVar[str] = "error.generic"
    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 400

    def __init__(self, **params: Any) -> None:
        self.params = {
            name: excerpt(value, VALUE_EXCERPT_CHARS if name == "value" else TEXT_EXCERPT_CHARS)
            for name, value in params.items()
        }
        super().__init__(self.message("en"))

    def location(self, lang: Lang = DEFAULT_LANG) -> str:
        """The 'where' part of the message, e.g. ``data.csv, row 4, column 'Q1'``."""
        parts: list[str] = []
        for name in _LOCATION_KEYS:
            value = self.params.get(name)
            if value is None:
                continue
            if name == "file":
                parts.append(str(value))
            else:
                parts.append(translate(f"location.{name}", lang, value=value))
        return ", ".join(parts)

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        """The full message in ``lang``: where, what was found, what was expected."""
        text = translate(self.key, lang, **self.params)
        where = self.location(lang)
        return f"{where}: {text}" if where else text


class InputError(KreislaufError):
    """Base for errors caused by input the user can fix (files, options, questionnaires)."""

    key = "error.input"
    exit_code = 2
    http_status = 422


class FileNotReadable(InputError):
    """Raised when an input file does not exist, cannot be opened or is corrupt."""

    key = "error.file_not_readable"


class UnsupportedFormat(InputError):
    """Raised when a file's type is not one of the supported input formats."""

    key = "error.unsupported_format"


class EmptyFile(InputError):
    """Raised when an input file has no data rows (or no columns)."""

    key = "error.empty_file"


class UnknownColumn(InputError):
    """Raised when a questionnaire or option names a column the data does not have."""

    key = "error.unknown_column"


class NonNumericValue(InputError):
    """Raised when a numeric or Likert column holds a value that is not a number."""

    key = "error.non_numeric_value"


class InvalidNumber(InputError):
    """Raised when a table cell that must hold a number holds something else."""

    key = "error.invalid_number"


class InvalidOption(InputError):
    """Raised when a command-line option or setting has a value of the wrong form."""

    key = "error.invalid_option"


class InvalidQuestionnaire(InputError):
    """Raised when a questionnaire file is not valid YAML or violates the schema."""

    key = "error.invalid_questionnaire"


class ReportNotLaidOut(InputError):
    """Raised when the PDF renderer cannot set a report on A4 pages (a table cell with
    more text than a page holds); ``detail`` is the renderer's own description."""

    key = "error.report_not_laid_out"


class OutputNotWritable(KreislaufError):
    """Raised when a result cannot be written to the requested place."""

    key = "error.output_not_writable"
    exit_code = 3
    http_status = 500


# --- ledger -------------------------------------------------------------------------------


class InvalidLedger(InputError):
    """Raised when a ledger file has one or more invalid rows; nothing of it was imported.

    ``problems`` holds one error per problem found (each of the classes below), in file
    order; the message lists them all (the first 50, then how many more).
    """

    key = "error.invalid_ledger"
    shown: ClassVar[int] = 50

    def __init__(self, *, problems: list[InputError], file: str, total: int | None = None):
        self.problems = problems
        self.total = len(problems) if total is None else total
        super().__init__(file=file, count=self.total)

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        lines = [super().message(lang)]
        lines += [f"  - {problem.message(lang)}" for problem in self.problems[: self.shown]]
        if self.total > self.shown:
            lines.append(
                "  " + translate("error.invalid_ledger_more", lang, count=self.total - self.shown)
            )
        return "\n".join(lines)


class MissingColumn(InputError):
    """Raised when a ledger file lacks a column the canonical format requires."""

    key = "error.missing_column"


class UnexpectedColumn(InputError):
    """Raised when a ledger file has a column the canonical format does not define."""

    key = "error.unexpected_column"


class MissingValue(InputError):
    """Raised when a ledger row leaves a required cell blank (e.g. the centre)."""

    key = "error.missing_value"


class LedgerNonNumeric(InputError):
    """Raised when a ledger's quantity, cost or share cell is not a number."""

    key = "error.ledger_non_numeric"


class UnknownFlowKind(InputError):
    """Raised when a ledger row's ``flow`` is not one of the defined flow kinds."""

    key = "error.unknown_flow_kind"


class InvalidPeriod(InputError):
    """Raised when a ledger row's ``period`` is not of the form ``YYYY`` or ``YYYY-MM``."""

    key = "error.invalid_period"


class MixedPeriods(InputError):
    """Raised when one ledger has both yearly (``YYYY``) and monthly (``YYYY-MM``) periods.

    Raised for the rows of the rarer granularity; ``other_file``/``other_row`` name the
    first row of the other one, so the user sees both sides.
    """

    key = "error.mixed_periods"


class UnknownUnit(InputError):
    """Raised when a quantity's unit is not in the units registry."""

    key = "error.unknown_unit"


class UnitMismatch(InputError):
    """Raised when a unit does not fit the flow kind (e.g. kWh for a material input)."""

    key = "error.unit_mismatch"


class NegativeQuantity(InputError):
    """Raised when a mass, energy or water quantity is negative (only stock changes may be)."""

    key = "error.negative_quantity"


class NumberOutOfRange(InputError):
    """Raised when a quantity or cost is infinite or beyond the documented magnitude (10¹⁵)."""

    key = "error.number_out_of_range"


class TextNotStorable(InputError):
    """Raised when a ledger cell's text is longer than its column holds or contains NUL."""

    key = "error.text_not_storable"


class InvalidShare(InputError):
    """Raised when a share (e.g. ``recycled_share``) lies outside 0 to 1."""

    key = "error.invalid_share"


class InvalidWasteCode(InputError):
    """Raised when a ledger's ``waste_code`` is not a List-of-Waste (AVV) code of six
    digits, optionally with the asterisk of a hazardous entry."""

    key = "error.invalid_waste_code"


class WasteCodeNotOnWaste(InputError):
    """Raised when a ledger row that is not ``waste_out`` has a ``waste_code``."""

    key = "error.waste_code_not_on_waste"


class InvalidChoice(InputError):
    """Raised when a cell must be one of a fixed set of values (category, treatment) and is not."""

    key = "error.invalid_choice"


class UnknownCentre(InputError):
    """Raised when a transfer names a ``to_centre`` that has no flows at the same site."""

    key = "error.unknown_centre"


class InvalidMapping(InputError):
    """Raised when a ledger mapping file is not valid YAML or violates the mapping schema."""

    key = "error.invalid_mapping"


class CyclicTransfers(InputError):
    """Raised when transfers between quantity centres form a cycle, so MFCA has no order."""

    key = "error.cyclic_transfers"


class DuplicateColumn(InputError):
    """Raised when a table (e.g. a response file) has the same column heading more than once."""

    key = "error.duplicate_column"


# --- carbon (kreislauf.carbon): add carbon error classes below this line ---------------


class NoFactor(InputError):
    """Raised when no emission factor matches a flow or key; names the closest keys."""

    key = "error.no_factor"


class UnitNotConvertible(InputError):
    """Raised when a quantity's unit cannot be converted to its emission factor's unit."""

    key = "error.unit_not_convertible"


class InvalidFactorFile(InputError):
    """Raised when a row of an emission-factor CSV has a missing or malformed cell."""

    key = "error.invalid_factor_file"


class InvalidActivityFile(InputError):
    """Raised when a row of a carbon activity file (travel, transport, spend) is invalid."""

    key = "error.invalid_activity_file"


# carbon products (kreislauf.carbon.pcf, .prices, .measures)


class InvalidBom(InputError):
    """Raised when a bill-of-materials row is incomplete, not a number or in a wrong unit."""

    key = "error.invalid_bom"


class BomCycle(InputError):
    """Raised when the bill of materials contains a cycle (an item is part of itself)."""

    key = "error.bom_cycle"


class UnknownProduct(InputError):
    """Raised when ``--product`` names an item that is not a product (root) of the BOM."""

    key = "error.unknown_product"


class InvalidPriceFile(InputError):
    """Raised when a CO2 price file row is incomplete, not a number or duplicated."""

    key = "error.invalid_price_file"


class UnknownPricePath(InputError):
    """Raised when a measure or option names a CO2 price path that is not defined."""

    key = "error.unknown_price_path"


class InvalidMeasure(InputError):
    """Raised when a measures file is not valid YAML/CSV or a measure field is invalid."""

    key = "error.invalid_measure"


class CentreNotInLedger(InputError):
    """Raised when a BOM row or a measure names a quantity centre the ledger does not have."""

    key = "error.centre_not_in_ledger"


# --- exchange (kreislauf.exchange): listings, rule tables, availability history --------


class InvalidListing(InputError):
    """Raised when a cell of a listings file is missing or not of the expected form."""

    key = "error.invalid_listing"


class InvalidRuleTable(InputError):
    """Raised when a data-quality rule table (YAML) is not of the documented form."""

    key = "error.invalid_rule_table"


class InvalidHistory(InputError):
    """Raised when a cell of an availability history file is missing or malformed."""

    key = "error.invalid_history"


class SeriesTooShort(InputError):
    """Raised when a history series has too few periods to backtest a forecast."""

    key = "error.series_too_short"


class ForecastEngineMissing(InputError):
    """Raised when a distributed forecast engine (dask, ray) is asked for but not installed."""

    key = "error.forecast_engine_missing"


# --- web platform (kreislauf.web, kreislauf.store): add web/store error classes below ---


class DatabaseError(KreislaufError):
    """Base for problems with the database of the web platform."""

    key = "error.database"
    exit_code = 4
    http_status = 503


class DatabaseUnreachable(DatabaseError):
    """Raised when the database in the settings cannot be opened or connected to."""

    key = "error.database_unreachable"


class DatabaseUnavailable(DatabaseError):
    """Raised when the database stops answering while a request is served (connection lost,
    server restarting, pool exhausted, locked); the request may be repeated later."""

    key = "error.database_unavailable"


class DatabaseNotMigrated(DatabaseError):
    """Raised when the database schema is not at the version this kreislauf needs."""

    key = "error.database_not_migrated"


class DowngradeLosesData(DatabaseError):
    """Raised when a downgrade would drop stored data (tables, rows or column values) and
    was not forced; ``lost`` lists what, with row counts."""

    key = "error.downgrade_loses_data"
    exit_code = 2


class InvalidDatabaseUrl(InputError):
    """Raised when a database URL is not a SQLite or PostgreSQL SQLAlchemy URL."""

    key = "error.invalid_database_url"


class AuthenticationRequired(KreislaufError):
    """Raised when a request needs a signed-in user or an API token and has neither."""

    key = "error.authentication_required"
    http_status = 401


class InvalidCredentials(KreislaufError):
    """Raised when e-mail and password (or an API token) do not match an account."""

    key = "error.invalid_credentials"
    http_status = 401


class TooManyLoginAttempts(KreislaufError):
    """Raised when an account has too many failed logins from one address in the window."""

    key = "error.too_many_login_attempts"
    http_status = 429


class PermissionDenied(KreislaufError):
    """Raised when the user is not a member of the organisation or lacks the role."""

    key = "error.permission_denied"
    http_status = 403


class InvitationForAnotherAddress(KreislaufError):
    """Raised when an invitation is accepted by an account with another e-mail address."""

    key = "error.invitation_for_another_address"
    http_status = 403


class CsrfFailed(KreislaufError):
    """Raised when a form post or cookie-authenticated API call lacks the CSRF token."""

    key = "error.csrf_failed"
    http_status = 403


class NotFound(KreislaufError):
    """Raised when a record does not exist within the organisation of the request."""

    key = "error.not_found"
    http_status = 404


class AlreadyExists(InputError):
    """Raised when an e-mail address or organisation slug is already taken."""

    key = "error.already_exists"
    http_status = 409


class InvalidField(InputError):
    """Raised when a submitted field (form or JSON) has a value of the wrong form."""

    key = "error.invalid_field"


class TextTooLong(InputError):
    """Raised when a submitted text (form field or JSON) is longer than its store column."""

    key = "error.text_too_long"


class InvalidJson(InputError):
    """Raised when a request body sent as JSON does not parse as JSON."""

    key = "error.invalid_json"
    http_status = 400


class CommonPassword(InputError):
    """Raised when a new password is on the shipped list of commonly used passwords."""

    key = "error.common_password"


class PasswordLikeEmail(InputError):
    """Raised when a new password is the account's e-mail address or its local part."""

    key = "error.password_like_email"


class UploadTooLarge(InputError):
    """Raised when an uploaded file exceeds ``upload_max_bytes``."""

    key = "error.upload_too_large"
    http_status = 413


class LimitExceeded(InputError):
    """Raised when an input exceeds a limit of :class:`kreislauf.bounded.Limits`.

    ``limit`` names the limit (``max_rows``, ``yaml_max_nodes`` …), ``found`` what the file
    has or asks for, ``allowed`` the limit's value; nothing of the file was kept.
    """

    key = "error.limit_exceeded"
    http_status = 413


class SurveyClosed(KreislaufError):
    """Raised when a survey link is used while the questionnaire is not published."""

    key = "error.survey_closed"
    http_status = 409


class IncompleteResponse(InputError):
    """Raised when a questionnaire is submitted with required items unanswered.

    ``questions`` names them by their texts (what the respondent reads), ``field`` is the
    first one's column (for the API's problem details), not shown in the message.
    """

    key = "error.incomplete_response"

    def location(self, lang: Lang = DEFAULT_LANG) -> str:
        return ""  # the questions are named in the message by their texts


class InvalidAnswer(InputError):
    """Raised when a form answer is not one the question allows (a code off its choices,
    text in a number field, a text too long); ``question`` is the question's text,
    ``field`` its column (for the API's problem details), not shown in the message."""

    key = "error.invalid_answer"

    def location(self, lang: Lang = DEFAULT_LANG) -> str:
        return ""  # the question is named in the message by its text


class NoResponses(KreislaufError):
    """Raised when an analysis, export or report is asked for before any response came in."""

    key = "error.no_responses"
    http_status = 409


# --- passport (kreislauf.passport) ---------------------------------------------------------


class InvalidPassport(InputError):
    """Raised when a passport file is not JSON/YAML or a field violates the passport schema."""

    key = "error.invalid_passport"


class InvalidGtin(InputError):
    """Raised when a GTIN has the wrong length, a non-digit or a wrong check digit."""

    key = "error.invalid_gtin"


class InvalidDisclosure(InputError):
    """Raised when a disclosure grant names an unknown field or a range for a text field."""

    key = "error.invalid_disclosure"


class NotDisclosed(InputError):
    """Raised when a format needs a field that the caller's tier does not see exactly."""

    key = "error.not_disclosed"


class InvalidExchangeDocument(InputError):
    """Raised when an imported PACT, AAS or Catena-X document violates that format."""

    key = "error.invalid_exchange_document"


class SignatureInvalid(InputError):
    """Raised when a signed passport does not verify: changed, wrong key or not a JWS."""

    key = "error.signature_invalid"


class MissingForFormat(InputError):
    """Raised when a format requires a field that the passport does not have."""

    key = "error.missing_for_format"


class NotExpressible(InputError):
    """Raised when a passport value has no valid form in a format's type (a warranty of
    more than 12 months in the Battery Pass ``warrentyPeriod``, typed ``xsd:gMonth``)."""

    key = "error.not_expressible"


class PactBadRequest(InputError):
    """Raised when a PACT request has a malformed parameter or event attribute (BadRequest)."""

    key = "error.pact_bad_request"
    http_status = 400


class PactNotImplemented(InputError):
    """Raised when a PACT request uses a feature this host does not offer (NotImplemented)."""

    key = "error.pact_not_implemented"
    http_status = 400


class PactSourceRefused(InputError):
    """Raised when a PACT request's ``source`` is no address a reply may be sent to."""

    key = "error.pact_source_refused"
    http_status = 422


class PactEventNotDelivered(KreislaufError):
    """Raised when a PACT reply event did not reach the requester's events endpoint."""

    key = "error.pact_event_not_delivered"
    http_status = 502


class PactTokenExpired(KreislaufError):
    """Raised when a PACT access token was valid and has expired (TokenExpired, 401)."""

    key = "error.pact_token_expired"
    http_status = 401


# --- advice (kreislauf.advice): self-check, funding finder, Förderdatenbank import --------


class InvalidCompany(InputError):
    """Raised when a company file (employees, turnover, state, …) has an invalid field."""

    key = "error.invalid_company"


class InvalidRules(InputError):
    """Raised when a funding rule table is not valid YAML or a programme row is invalid."""

    key = "error.invalid_rules"


class InvalidFundingExport(InputError):
    """Raised when a Förderdatenbank export (ZIP of XML files) cannot be read as one."""

    key = "error.invalid_funding_export"


class InvalidAnswers(InputError):
    """Raised when a company's self-check answers do not fit the questionnaire."""

    key = "error.invalid_answers"


# --- jobs (the job queue and its operators' commands) ----------------------------------------


class JobAlreadyEnded(KreislaufError):
    """Raised when a job that has already ended (done, failed, cancelled) is cancelled."""

    key = "error.job_already_ended"
    http_status = 409
    exit_code = 2


class JobStillActive(KreislaufError):
    """Raised when a job that is still queued or running is retried."""

    key = "error.job_still_active"
    http_status = 409
    exit_code = 2


class JobFilesGone(KreislaufError):
    """Raised when a job is retried whose uploaded files were deleted when it ended."""

    key = "error.job_files_gone"
    http_status = 409
    exit_code = 2


class QueueNeedsPostgres(InputError):
    """Raised when ``kreislauf worker`` is started on a database other than PostgreSQL."""

    key = "error.queue_needs_postgres"


# --- reporting (kreislauf.reporting): VSME, ESRS E5, LkSG ---


class InvalidReportingAnswers(InputError):
    """Raised when a field of a VSME answers file is unknown, of the wrong type or invalid."""

    key = "error.invalid_reporting_answers"


class YearNotInLedger(InputError):
    """Raised when the reporting year has no flow in the ledger."""

    key = "error.year_not_in_ledger"


class InvalidSupplierList(InputError):
    """Raised when a row of an LkSG supplier list has a missing or invalid cell."""

    key = "error.invalid_supplier_list"


class InvalidLksgFollowUp(InputError):
    """Raised when an entry of an LkSG follow-up (assessments, measures) is unknown,
    incomplete or invalid."""

    key = "error.invalid_lksg_followup"
