"""The data stamp changes with every upload or deletion and comes with the access query."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from kreislauf.store import account as account_store
from kreislauf.store import carbon as carbon_store
from kreislauf.store import ledger as ledger_store
from kreislauf.store.stamp import data_stamp

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "demo-company"


def _owner_and_org(session: Session) -> tuple[int, int]:
    user = account_store.create_user(session, email="o@example.org", name="O", password="x" * 12)
    org = account_store.create_organisation(
        session, owner=user, slug="acme", name="Acme", kind="company"
    )
    return user.id, org.id


def test_stamp_changes_with_every_upload_restore_and_deletion(
    session: Session, tmp_path: Path
) -> None:
    _, org = _owner_and_org(session)
    seen = [data_stamp(session, organisation_id=org)]
    assert seen[0].ledger == (0, None, None) and seen[0].carbon == (0, None, None)
    corrected = tmp_path / "ledger-corrected.csv"
    text = (EXAMPLES / "ledger.csv").read_text(encoding="utf-8")
    corrected.write_text(text.replace(",0.769,t,", ",0.800,t,", 1), encoding="utf-8")

    first = ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLES / "ledger.csv")
    seen.append(data_stamp(session, organisation_id=org))
    second = ledger_store.import_ledger(session, organisation_id=org, path=corrected)
    seen.append(data_stamp(session, organisation_id=org))
    assert seen[-1].ledger[:2] == (2, second.sequence)
    again = ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLES / "ledger.csv")
    seen.append(data_stamp(session, organisation_id=org))  # stored once, applied again
    assert again.id == first.id and seen[-1].ledger[:2] == (2, again.sequence)
    ledger_store.delete_upload(session, organisation_id=org, upload_id=first.id)
    seen.append(data_stamp(session, organisation_id=org))
    assert seen[-1].ledger[0] == 1
    ledger_store.delete_upload(session, organisation_id=org, upload_id=second.id)
    ledger_store.import_ledger(session, organisation_id=org, path=corrected)
    seen.append(data_stamp(session, organisation_id=org))  # same count as before: newer time
    assert len({s.ledger for s in seen}) == len(seen)
    assert {s.carbon for s in seen} == {(0, None, None)}  # the ledger does not touch carbon

    carbon_store.add_carbon_inputs(
        session, organisation_id=org, activities=EXAMPLES / "carbon" / "activities.csv"
    )
    after_one = data_stamp(session, organisation_id=org)
    carbon_store.add_carbon_inputs(  # replaces the stored activity file: same count
        session, organisation_id=org, activities=EXAMPLES / "carbon" / "activities.csv"
    )
    after_replace = data_stamp(session, organisation_id=org)
    assert after_one.carbon[0] == after_replace.carbon[0] == 1
    assert after_one.carbon != after_replace.carbon
    assert after_one.ledger == after_replace.ledger == seen[-1].ledger


def test_access_of_reads_membership_and_stamp_in_one_query(session: Session) -> None:
    owner, org = _owner_and_org(session)
    ledger_store.import_ledger(session, organisation_id=org, path=EXAMPLES / "ledger.csv")
    record, token = account_store.create_api_token(session, user_id=owner, name="bench")
    expected = data_stamp(session, organisation_id=org)

    by_token = account_store.access_of(session, slug="acme", token=token)
    by_user = account_store.access_of(session, slug="acme", user_id=owner)
    assert by_token is not None and by_user is not None
    assert (by_token.role, by_token.user_id, by_token.stamp) == ("owner", owner, expected)
    assert by_user.stamp == expected and by_user.organisation_id == org

    stranger = account_store.create_user(
        session, email="s@example.org", name="S", password="y" * 12
    )
    assert account_store.access_of(session, slug="acme", user_id=stranger.id) is None
    assert account_store.access_of(session, slug="nowhere", user_id=owner) is None
    assert account_store.access_of(session, slug="acme", token="kl_unknown") is None
    account_store.revoke_api_token(session, user_id=owner, token_id=record.id)
    assert account_store.access_of(session, slug="acme", token=token) is None
    assert account_store.access_of(session, slug="acme") is None
