"""CNAM (caller ID) records: a walk through the SDK in the order of its README.

    python cnam_demo.py

Without FR_ACCESS_KEY/FR_SECRET_KEY this runs on a local Flowroute sandbox (its own, or the one
FR_BASE_URI names on a loopback address), which approves new records within a second. With them
it uses your Flowroute account, where approval takes up to 48 hours: the demo waits briefly, then
uses an already approved record if it has to. Assigning a record to a number (which Flowroute
bills) happens only with FR_DEMO_ALLOW_CHARGES=1, and only to a number that has no CNAM record
yet. The record the demo creates is removed at the end.
"""

from __future__ import annotations

import random
import string

from demo_support import Demo, DemoFailure, run_demo


def random_generator(size: int = 4, chars: str = string.ascii_uppercase + string.digits) -> str:
    return "".join(random.choice(chars) for _ in range(size))


def main(demo: Demo) -> None:
    client = demo.client
    numbers_controller = client.numbers
    cnams_controller = client.cnams

    demo.step("List CNAM Records")
    limit = 10
    offset = None
    cnam_records = cnams_controller.list_cnams(limit, offset)
    demo.show(cnam_records)

    demo.step("List Approved CNAM Records")
    approved_records = cnams_controller.list_cnams(is_approved=True)
    demo.show(approved_records)
    approved_cnam_id = approved_records["data"][0]["id"] if approved_records["data"] else None

    demo.step("List CNAM Detail")
    if approved_cnam_id is not None:
        cnam_detail = cnams_controller.get_cnam(approved_cnam_id)
        demo.show(cnam_detail)
    else:
        demo.skip("the account has no approved CNAM records yet")

    demo.step("Create a CNAM Record")
    cnam_value = "FR " + random_generator()
    new_record = cnams_controller.create_cnam_record(cnam_value)
    demo.show(new_record)
    cnam_id = new_record["data"]["id"]
    print(
        "NOTE: Newly created CNAM records need to be approved first before they can be "
        "associated with your long code number."
    )

    demo.step(f"Wait for CNAM Record {cnam_id} to be Approved")
    decided = demo.wait_for(
        lambda: cnams_controller.get_cnam(cnam_id),
        lambda record: (
            record["data"]["attributes"]["is_approved"]
            or bool(record["data"]["attributes"]["rejection_reason"])
        ),
        sandbox_seconds=10,
        real_seconds=30,
    )
    if decided is None:
        if demo.on_sandbox:
            raise DemoFailure(
                f"CNAM record {cnam_id} was not decided within 10 seconds (a sandbox on a port "
                "decides records after --cnam-approval-seconds)"
            )
        print(f"CNAM record {cnam_id} is not approved yet: Flowroute takes up to 48 hours.")
    else:
        demo.show(decided)
        attributes = decided["data"]["attributes"]
        if attributes["is_approved"]:
            approved_cnam_id = cnam_id
        elif demo.on_sandbox:
            raise DemoFailure(
                f"CNAM record {cnam_id} was rejected: {attributes['rejection_reason']}"
            )

    demo.step("Associate a CNAM Record to a DID")
    our_numbers = numbers_controller.list_account_phone_numbers()
    did_id = our_numbers["data"][0]["id"] if our_numbers["data"] else None
    associated_did = None
    if approved_cnam_id is None:
        demo.skip("there is no approved CNAM record to associate yet")
    elif did_id is None:
        demo.skip("the account has no phone numbers")
    elif not demo.charges_skipped("assigning a CNAM record to a number"):
        details = numbers_controller.list_phone_number_details(did_id)
        if details["data"]["relationships"]["cnam_preset"]["data"] is not None:
            demo.skip(f"{did_id} already shows a CNAM record, which this demo leaves alone")
        else:
            association = cnams_controller.associate_cnam(approved_cnam_id, did_id)
            demo.show(association)
            associated_did = did_id

    demo.step("Unassociate a CNAM Record from a DID")
    if associated_did is not None:
        unassociation = cnams_controller.unassociate_cnam(associated_did)
        demo.show(unassociation)
    else:
        demo.skip("no number was associated above")

    demo.step("Remove a CNAM Record from your account")
    # Returns None: Flowroute answers 204 No Content.
    cnams_controller.remove_cnam(cnam_id)
    print("204: No Content")


if __name__ == "__main__":
    run_demo(main, __doc__)
