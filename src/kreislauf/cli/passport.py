"""``kreislauf passport …``: build, check, export, sign, verify and import product passports.

Commands parse options, call :mod:`kreislauf.passport` and print with Rich; the passport
domain (pydantic models, pandas through the PCF rollup, BaSyx, joserfc) is imported inside
the commands, so ``kreislauf passport --help`` loads none of it (tests/cli/test_startup.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kreislauf.cli.common import console, console_err, parse_lang
from kreislauf.errors import (
    FileNotReadable,
    InvalidExchangeDocument,
    InvalidOption,
    OutputNotWritable,
    os_error_reason,
)
from kreislauf.files import atomic_write
from kreislauf.i18n import translate

if TYPE_CHECKING:
    from kreislauf.passport import Passport, Tier

app = typer.Typer(
    help="Produktpässe: bauen, prüfen, exportieren (PACT, AAS, Catena-X, HTML), signieren / "
    "product passports.",
    no_args_is_help=True,
)

#: The formats of ``export``, written out so that ``--help`` imports no domain module;
#: tests/cli/test_passport.py checks that they equal kreislauf.passport.formats.FORMATS.
FORMAT_NAMES = (
    "json", "pact-v3", "pact-v2", "aas-json", "aasx", "catenax-pcf", "catenax-dpp", "pcds",
    "batterypass", "html",
)  # fmt: skip
TIER_NAMES = ("public", "legitimate_interest", "authority", "owner")
IMPORT_FORMATS = (
    "auto", "pact-v3", "pact-v2", "aas", "catenax-pcf", "catenax-dpp", "batterypass",
)  # fmt: skip

LangOption = Annotated[str | None, typer.Option("--lang", help="Sprache / language: de|en.")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Ausgabedatei / output.")]
TierOption = Annotated[
    str,
    typer.Option("--tier", "-t", help="Sichtbarkeitsstufe / tier: " + ", ".join(TIER_NAMES)),
]


def _tier(value: str) -> Tier:
    from kreislauf.passport import Tier

    if value not in TIER_NAMES:
        raise InvalidOption(value=value, option="--tier", expected=", ".join(TIER_NAMES))
    return Tier(value)


def _write_or_print(data: bytes, out: Path | None) -> None:
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        atomic_write(out, data)


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@app.command()
def build(
    data: Annotated[Path, typer.Argument(help="Passdaten (YAML/JSON) / passport data.")],
    bom: Annotated[Path | None, typer.Option("--bom", help="Stückliste / BOM (CSV).")] = None,
    ledger: Annotated[
        list[Path] | None, typer.Option("--ledger", "-l", help="Ledger-Datei(en).")
    ] = None,
    factors: Annotated[
        list[Path] | None, typer.Option("--factors", "-f", help="Emissionsfaktoren (CSV).")
    ] = None,
    product: Annotated[
        str | None, typer.Option("--product", "-p", help="Produkt der Stückliste / product.")
    ] = None,
    archive: Annotated[
        Path | None,
        typer.Option("--archive", help="Versionsarchiv (Ordner) / version archive (folder)."),
    ] = None,
    out: OutOption = None,
    lang: LangOption = None,
) -> None:
    """Pass aus Daten, Stückliste und PCF bauen / build a passport (PCF from BOM + ledger)."""
    from kreislauf.passport import passport_from_data, read_data, save_version

    language = parse_lang(lang)
    raw = read_data(data)
    passport: Passport
    if bom is None:
        passport = passport_from_data(raw, file=data.name)
    else:
        passport = _from_pcf(raw, data.name, bom, ledger or [], factors, product)
    if archive is not None:
        passport = save_version(archive, passport)
    _write_or_print(passport.model_dump_json(indent=2).encode("utf-8") + b"\n", out)
    if out is not None or archive is not None:
        console_err.print(
            translate(
                "passport.cli.built",
                language,
                id=str(passport.id),
                version=passport.version,
                file=str(out or archive),
            ),
            highlight=False,
        )


def _from_pcf(
    raw: Any,
    name: str,
    bom: Path,
    ledgers: list[Path],
    factors: list[Path] | None,
    product: str | None,
) -> Passport:
    from kreislauf.carbon.bom import read_bom
    from kreislauf.carbon.factors import read_factors
    from kreislauf.carbon.pcf import product_footprints
    from kreislauf.errors import InvalidPassport
    from kreislauf.ledger import read_ledgers
    from kreislauf.passport import passport_from_pcf

    if not ledgers:
        raise InvalidOption(value="", option="--ledger", expected="a ledger file with --bom")
    if not isinstance(raw, dict):
        raise InvalidPassport(file=name, detail="expected a mapping of passport fields")
    bill = read_bom(bom)
    wanted = product or (raw.get("identification") or {}).get("product_name")
    (result,) = product_footprints(
        bill,
        read_ledgers(ledgers),
        read_factors(factors),
        products=[wanted] if wanted else bill.roots[:1],
    )
    return passport_from_pcf(raw, result, bom=bill, file=name)


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="Passdatei (JSON/YAML) / passport file.")],
    lang: LangOption = None,
) -> None:
    """Passdatei prüfen / check a passport file against the schema (docs/passport.md)."""
    from kreislauf.passport import read_passport

    language = parse_lang(lang)
    passport = read_passport(file)
    console.print(
        translate(
            "passport.cli.valid",
            language,
            file=file.name,
            id=str(passport.id),
            version=passport.version,
        ),
        highlight=False,
    )


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="Passdatei (JSON/YAML) / passport file.")],
    form: Annotated[
        str, typer.Option("--format", help="Format: " + ", ".join(FORMAT_NAMES))
    ] = "json",
    tier: TierOption = "public",
    sign: Annotated[
        Path | None,
        typer.Option("--sign", help="mit diesem privaten Schlüssel signieren (JWK; json)."),
    ] = None,
    out: OutOption = None,
    lang: LangOption = None,
) -> None:
    """Pass für eine Stufe exportieren / export a passport as one tier may see it.

    html: ein lesbares Dokument in der Sprache von --lang / a readable document in --lang.

    batterypass: die Battery-Pass-1.2-Aspekte, die die Stufe ganz sieht
    (public: CO2-Fußabdruck, Sorgfaltspflichten) / the Battery Pass 1.2
    aspects the tier sees completely (public: carbon footprint, due
    diligence); see docs/passport.md.
    """
    from kreislauf.passport import disclose, read_passport
    from kreislauf.passport.formats import export as write

    language = parse_lang(lang)
    passport = read_passport(file)
    if sign is not None:
        from kreislauf.passport.signing import import_jwk, signed_bytes

        if form != "json":
            raise InvalidOption(value=form, option="--format", expected="json with --sign")
        key = import_jwk(_read_text(sign), file=sign.name)
        _write_or_print(signed_bytes(disclose(passport, _tier(tier)), key), out)
        return
    if form not in FORMAT_NAMES:
        raise InvalidOption(value=form, option="--format", expected=", ".join(FORMAT_NAMES))
    data = write(passport, tier=_tier(tier), form=form, lang=language)
    if out is None and form == "aasx":
        raise InvalidOption(value="aasx", option="--out", expected="a file for a package")
    _write_or_print(data, out)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error


def _key_text(source: str) -> tuple[str, str]:
    """The text of a key file or ``https://`` URL, and its name for messages."""
    if source.startswith(("https://", "http://")):
        import urllib.request
        from urllib.error import URLError

        try:
            with urllib.request.urlopen(source, timeout=10) as response:
                return response.read(64 * 1024).decode("utf-8"), source
        except (URLError, OSError, UnicodeError) as error:
            raise FileNotReadable(file=source, reason=str(error)) from error
    path = Path(source)
    return _read_text(path), path.name


@app.command()
def verify(
    file: Annotated[Path, typer.Argument(help="Signierter Pass / signed passport (JSON).")],
    key: Annotated[
        str,
        typer.Option(
            "--key",
            "-k",
            help="Öffentlicher Schlüssel: JWK oder JWK Set (Datei oder URL, z. B. "
            "https://HOST/.well-known/jwks.json) / public key or key set.",
        ),
    ],
    lang: LangOption = None,
) -> None:
    """Signatur eines Passes prüfen (offline mit Datei) / verify a signed passport."""
    from kreislauf.passport.signing import key_for
    from kreislauf.passport.signing import verify as check

    language = parse_lang(lang)
    text, key_name = _key_text(key)
    try:
        document = json.loads(_read_text(file))
    except json.JSONDecodeError as error:
        from kreislauf.errors import SignatureInvalid

        raise SignatureInvalid(file=file.name, detail=f"not JSON: {error}") from error
    public = key_for(text, document, file=key_name)
    data = check(document, public, file=file.name)
    console.print(
        translate(
            "passport.cli.verified",
            language,
            file=file.name,
            kid=public.thumbprint(),
            fields=sum(len(v) if isinstance(v, dict) else 1 for v in data.values()),
        ),
        highlight=False,
    )


def _detect(document: Any, raw: bytes) -> str:
    if raw[:2] == b"PK" or (isinstance(document, dict) and "assetAdministrationShells" in document):
        return "aas"
    if isinstance(document, dict) and "scopeOfPcfForm" in document:
        return "catenax-pcf"
    if (
        isinstance(document, dict)
        and document
        and (
            all(str(k).startswith("urn:samm:io.BatteryPass.") for k in document)
            or {"batteryPassportIdentifier", "batteryCategory"} <= set(document)
        )
    ):
        return "batterypass"
    metadata = document.get("metadata") if isinstance(document, dict) else None
    if isinstance(metadata, dict) and "digital_product_passport" in str(
        metadata.get("specVersion", "")
    ):
        return "catenax-dpp"
    spec = str(document.get("specVersion", "")) if isinstance(document, dict) else ""
    if spec.startswith("3."):
        return "pact-v3"
    if spec.startswith("2."):
        return "pact-v2"
    return "unknown"


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="PACT-, AAS-, Catena-X- oder Battery-Pass-Dokument / document to import."
        ),
    ],
    source: Annotated[
        str, typer.Option("--from", help="Format: " + ", ".join(IMPORT_FORMATS))
    ] = "auto",
    out: OutOption = None,
    lang: LangOption = None,
) -> None:
    """PACT v3/v2, AAS (JSON/AASX), Catena-X PCF/DPP, Battery Pass 1.2 einlesen / import.

    batterypass: ein Objekt mit Aspekt-URNs als Schlüsseln (wie export es
    schreibt) oder eine GeneralProductInformation allein / an object keyed
    by aspect URNs (as export writes it) or a GeneralProductInformation
    payload alone; GeneralProductInformation is required.
    """
    from kreislauf.passport.aas import read_aas
    from kreislauf.passport.batterypass_read import from_batterypass
    from kreislauf.passport.catenax import from_catenax_pcf
    from kreislauf.passport.catenax_dpp import from_catenax_dpp
    from kreislauf.passport.pact import from_pact_v2, from_pact_v3

    language = parse_lang(lang)
    if source not in IMPORT_FORMATS:
        raise InvalidOption(value=source, option="--from", expected=", ".join(IMPORT_FORMATS))
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise FileNotReadable(file=file.name, reason=os_error_reason(error)) from error
    document: Any = None
    if raw[:2] != b"PK":
        try:
            document = json.loads(raw)
        except (json.JSONDecodeError, UnicodeError) as error:
            raise InvalidExchangeDocument(
                file=file.name, format=source, detail=f"not JSON: {error}"
            ) from error
    kind = _detect(document, raw) if source == "auto" else source
    readers = {
        "pact-v3": lambda: from_pact_v3(document, file=file.name),
        "pact-v2": lambda: from_pact_v2(document, file=file.name),
        "catenax-pcf": lambda: from_catenax_pcf(document, file=file.name),
        "catenax-dpp": lambda: from_catenax_dpp(document, file=file.name),
        "batterypass": lambda: from_batterypass(document, file=file.name),
        "aas": lambda: read_aas(raw, file=file.name),
    }
    if kind not in readers:
        raise InvalidExchangeDocument(
            file=file.name,
            format="PACT/AAS/Catena-X",
            detail="cannot tell the format; give --from " + ", ".join(IMPORT_FORMATS[1:]),
        )
    passport = readers[kind]()
    _write_or_print(passport.model_dump_json(indent=2).encode("utf-8") + b"\n", out)
    if out is not None:
        console_err.print(
            translate("passport.cli.imported", language, file=file.name, format=kind, out=str(out)),
            highlight=False,
        )


@app.command()
def keygen(
    out: Annotated[Path, typer.Option("--out", "-o", help="privater Schlüssel (JWK) / key.")],
    lang: LangOption = None,
) -> None:
    """Ed25519-Schlüsselpaar erzeugen; druckt den öffentlichen JWK / make a signing key."""
    from kreislauf.passport.signing import generate_key, private_jwk, public_jwk

    language = parse_lang(lang)
    if out.exists():
        raise InvalidOption(value=str(out), option="--out", expected="a file that does not exist")
    key = generate_key()
    try:  # readable by the owner only from the first byte on
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(_json(private_jwk(key)))
    except OSError as error:
        out.unlink(missing_ok=True)
        raise OutputNotWritable(file=str(out), reason=os_error_reason(error)) from error
    typer.echo(json.dumps(public_jwk(key)))
    console_err.print(translate("passport.cli.key", language, file=str(out)), highlight=False)


@app.command()
def qr(
    file: Annotated[Path, typer.Argument(help="Passdatei (JSON/YAML) / passport file.")],
    base: Annotated[
        str, typer.Option("--base", help="Resolver, z. B. https://id.example.com / resolver.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="QR-Code (.svg oder .png).")],
    lang: LangOption = None,
) -> None:
    """QR-Code mit dem GS1-Digital-Link des Passes / QR code with the Digital Link URI."""
    from kreislauf.passport import read_passport
    from kreislauf.passport.qr import product_qr

    language = parse_lang(lang)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("svg", "png"):
        raise InvalidOption(value=out.name, option="--out", expected="a .svg or .png file")
    ident = read_passport(file).identification
    if ident.gtin is None:
        from kreislauf.errors import MissingForFormat

        raise MissingForFormat(
            field="identification.gtin", format="GS1 Digital Link", hint="give the GTIN"
        )
    uri, data = product_qr(base, ident.gtin, serial=ident.serial, batch=ident.batch, kind=kind)
    atomic_write(out, data)
    console.print(translate("passport.cli.qr", language, uri=uri, file=str(out)), highlight=False)


@app.command()
def schema(out: OutOption = None) -> None:
    """JSON Schema der Passdatei ausgeben / print the passport JSON Schema."""
    from kreislauf.passport.schema import schema_text

    _write_or_print(schema_text().encode("utf-8"), out)


pact_client_app = typer.Typer(
    help="PACT-Zugänge für Kunden / PACT client credentials.", no_args_is_help=True
)
app.add_typer(pact_client_app, name="pact-client")

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", help="SQLAlchemy-URL (Standard: KREISLAUF_DATABASE_URL)."),
]
OrgOption = Annotated[str, typer.Option("--org", help="Organisation (Kurzname) / org slug.")]


def _sessions(database: str | None) -> Any:
    from kreislauf.cli.db import database_url
    from kreislauf.store import check_schema, make_engine, make_sessionmaker

    engine = make_engine(database_url(database))
    check_schema(engine)
    return make_sessionmaker(engine)


@pact_client_app.command("create")
def pact_client_create(
    org: OrgOption,
    name: Annotated[str, typer.Option("--name", help="Name des Kunden / client name.")],
    database: DatabaseOption = None,
) -> None:
    """Zugangsdaten anlegen; druckt {"client_id", "client_secret"} als JSON / new client."""
    from kreislauf.store import passport as passport_store

    factory = _sessions(database)
    with factory.begin() as session:
        organisation = passport_store.organisation_by_slug(session, org)
        client, secret = passport_store.create_pact_client(
            session, organisation_id=organisation.id, name=name
        )
        credentials = {"client_id": client.client_id, "client_secret": secret}
    typer.echo(json.dumps(credentials))


@app.command()
def publish(
    file: Annotated[Path, typer.Argument(help="Passdatei (JSON/YAML) / passport file.")],
    org: OrgOption,
    database: DatabaseOption = None,
    lang: LangOption = None,
) -> None:
    """Pass auf der Plattform speichern (nächste Version, öffentliche Seite, Resolver) und
    seinen PACT-Footprint über /pact veröffentlichen / store on the platform and publish."""
    from kreislauf.errors import AlreadyExists
    from kreislauf.passport import read_passport
    from kreislauf.store import passport as passport_store
    from kreislauf.web.services.passport_platform import publish as store_passport

    language = parse_lang(lang)
    passport = read_passport(file)
    factory = _sessions(database)
    with factory.begin() as session:
        organisation = passport_store.organisation_by_slug(session, org)
        done = store_passport(session, organisation_id=organisation.id, passport=passport)
        if not done.new:
            raise AlreadyExists(
                what="passport version", value=f"{done.passport_id} v{done.version}"
            )
    console.print(
        translate(
            "passport.cli.stored", language, id=done.passport_id, version=done.version, org=org
        ),
        highlight=False,
    )
    if done.footprint_id is not None:
        console.print(
            translate("passport.cli.published", language, id=done.footprint_id, org=org),
            highlight=False,
        )
    else:
        console_err.print(
            translate("web.passport.pact_skipped", language, reason=done.pact_skipped),
            highlight=False,
        )
