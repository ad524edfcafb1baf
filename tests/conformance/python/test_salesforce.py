"""simple-salesforce against the sandbox's Salesforce instance: SOQL with paging, an Event's
create, update, read and delete through `sf.Event`, and documented errors raised as the
library's exception types. The sign-in (OAuth web server flow with PKCE) is done by hand with
requests; simple-salesforce is then given the instance URL and the access token, as its
documentation shows for a session obtained elsewhere."""

from datetime import datetime, timedelta, timezone

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceMalformedRequest,
    SalesforceResourceNotFound,
)

from conftest import DANIEL, demo_user, salesforce_sign_in

# Salesforce returns query results in batches of 200 to 2,000 records as this header asks.
BATCH_OF_200 = {"Sforce-Query-Options": "batchSize=200"}


@pytest.fixture(scope="module")
def token(sandbox):
    return salesforce_sign_in(sandbox, DANIEL)


@pytest.fixture(scope="module")
def sf(sandbox, token):
    session = sandbox.session()
    versions = session.get(f"{token['instance_url']}/services/data/", timeout=10).json()
    latest = max(versions, key=lambda v: float(v["version"]))["version"]
    return Salesforce(
        instance_url=token["instance_url"],
        session_id=token["access_token"],
        session=session,
        version=latest,
    )


def test_the_web_server_flow_gives_an_https_instance(token, demo_org):
    assert token["instance_url"].startswith("https://localhost:")
    assert token["token_type"] == "Bearer"
    assert "refresh_token" in token
    crm = demo_user(demo_org, DANIEL)["crm"]
    assert token["id"].endswith(f"/id/{crm['org_id']}/{crm['user_id']}")


def test_query_pages_through_next_records_url(sf):
    soql = "SELECT Id, Name FROM Contact ORDER BY Id"
    first = sf.query(soql, headers=BATCH_OF_200)
    assert first["done"] is False
    assert len(first["records"]) == 200
    total = first["totalSize"]
    assert total > 400, "enough contacts for three batches"
    # A path, as Salesforce documents it; the library puts the instance in front.
    assert first["nextRecordsUrl"].startswith(f"/services/data/v{sf.sf_version}/query/")

    records = list(first["records"])
    page = first
    pages = 1
    while not page["done"]:
        page = sf.query_more(page["nextRecordsUrl"], identifier_is_url=True, headers=BATCH_OF_200)
        records.extend(page["records"])
        pages += 1
    assert pages == -(-total // 200)
    assert len(records) == total
    ids = [r["Id"] for r in records]
    assert len(set(ids)) == total

    everything = sf.query_all(soql, headers=BATCH_OF_200)
    assert everything["totalSize"] == total
    assert [r["Id"] for r in everything["records"]] == ids


def test_event_create_update_get_delete(sf, demo_org):
    start = (datetime.now(timezone.utc) + timedelta(days=3)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    created = sf.Event.create(
        {
            "Subject": "Conformance: simple-salesforce",
            "StartDateTime": start.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "EndDateTime": (start + timedelta(minutes=30))
            .isoformat(timespec="seconds")
            .replace("+00:00", "Z"),
        }
    )
    assert created["success"] is True and created["errors"] == []
    event_id = created["id"]
    assert event_id.startswith("00U") and len(event_id) == 18

    read = sf.Event.get(event_id)
    assert read["Id"] == event_id
    assert read["Subject"] == "Conformance: simple-salesforce"
    assert read["DurationInMinutes"] == 30
    assert read["OwnerId"] == demo_user(demo_org, DANIEL)["crm"]["user_id"]

    assert sf.Event.update(event_id, {"Subject": "Conformance: renamed"}) == 204
    assert sf.Event.get(event_id)["Subject"] == "Conformance: renamed"

    assert sf.Event.delete(event_id) == 204
    with pytest.raises(SalesforceResourceNotFound) as gone:
        sf.Event.get(event_id)
    assert gone.value.status == 404
    # The record is in the recycle bin: Salesforce answers reads of it with ENTITY_IS_DELETED.
    assert gone.value.content[0]["errorCode"] == "ENTITY_IS_DELETED"


def test_a_malformed_query_raises_the_librarys_error(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.query("SELEC Id FROM Event")
    assert failure.value.status == 400
    assert failure.value.content[0]["errorCode"] == "MALFORMED_QUERY"


def test_an_unknown_field_raises_the_librarys_error(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.query("SELECT Id, NoSuchField__c FROM Event")
    assert failure.value.status == 400
    [error] = failure.value.content
    assert error["errorCode"] == "INVALID_FIELD"
    assert "NoSuchField__c" in error["message"]
