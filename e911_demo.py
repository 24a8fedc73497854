"""E911 addresses: a walk through the SDK in the order of its README.

    python e911_demo.py

Without FR_ACCESS_KEY/FR_SECRET_KEY this runs on a local Flowroute sandbox (its own, or the one
FR_BASE_URI names on a loopback address). With them it uses your Flowroute account: the address
it creates is deleted at the end, and assigning it to a number (which Flowroute bills) happens
only with FR_DEMO_ALLOW_CHARGES=1, and only to a number that has no E911 address yet, so no live
number loses its emergency address.
"""

from __future__ import annotations

import random
import string

from demo_support import Demo, run_demo


def random_generator(size: int = 4, chars: str = string.ascii_uppercase + string.digits) -> str:
    return "".join(random.choice(chars) for _ in range(size))


def main(demo: Demo) -> None:
    # Imported here rather than at the top, like everything from the SDK in the demos, so that
    # --help answers at once and Ctrl-C is handled from the first moment.
    from flowroutenumbersandmessaging.exceptions import ErrorException

    client = demo.client
    numbers_controller = client.numbers
    e911s_controller = client.e911s

    demo.step("List E911 Records")
    limit = 2
    offset = None
    e911_records = e911s_controller.list_e911s(limit, offset)
    demo.show(e911_records)

    demo.step("Get Details for a specific E911 Record")
    if e911_records["data"]:
        e911_id = e911_records["data"][0]["id"]
        e911_record = e911s_controller.get_e911(e911_id)
        demo.show(e911_record)
    else:
        demo.skip("the account has no E911 records yet")

    demo.step("Validate an Address")
    # Returns None: Flowroute answers 204 No Content when it can use the address.
    e911s_controller.validate_address(
        label="Test Address",
        first_name="Chris",
        last_name="Smith",
        street_name="3rd Ave",
        street_number="1218",
        city="Seattle",
        state="WA",
        country="US",
        zipcode="98101",
    )
    print("204: No Content")
    print("The address is valid.")

    demo.step("Validate an Address that does not exist")
    try:
        e911s_controller.validate_address(
            label="Test Address",
            first_name="Chris",
            last_name="Smith",
            street_name="Nowhere Rd",
            street_number="1182",
            city="Seattle",
            state="WA",
            country="US",
            zipcode="98101",
        )
        print("204: No Content")
    except ErrorException as e:
        # The API's reason, with its status and the request it answered.
        print(str(e))

    demo.step("Create and Validate an Address")
    new_address = e911s_controller.create_address(
        label="E911 Demo " + random_generator(),
        first_name="Chris",
        last_name="Smith",
        street_name="3rd Ave",
        street_number="1218",
        city="Seattle",
        state="WA",
        country="US",
        zipcode="98101",
    )
    demo.show(new_address)
    record_id = new_address["data"]["id"]

    demo.step("Update an E911 Address (last_name only)")
    updated_address = e911s_controller.update_address(record_id, last_name="Wiley")
    demo.show(updated_address)

    demo.step("Associate an E911 Record and a DID")
    did_list = numbers_controller.list_account_phone_numbers()
    did = did_list["data"][0]["attributes"]["value"] if did_list["data"] else None
    associated_did = None
    if did is None:
        demo.skip("the account has no phone numbers")
    elif not demo.charges_skipped("assigning an E911 address to a number"):
        details = numbers_controller.list_phone_number_details(did)
        if details["data"]["relationships"]["e911_address"]["data"] is not None:
            demo.skip(f"{did} already has an E911 address, which this demo leaves alone")
        else:
            e911s_controller.associate(record_id, did)
            print("204: No Content")
            associated_did = did

    demo.step("List all DIDs associated with an E911 Record")
    associated_dids = e911s_controller.list_dids_for_e911(record_id)
    demo.show(associated_dids)

    demo.step("Un-associate the address")
    if associated_did is not None:
        e911s_controller.disconnect(associated_did)
        print("204: No Content")
    else:
        demo.skip("no number was associated above")

    demo.step("Delete an E911 Address")
    e911s_controller.delete_address(record_id)
    print("204: No Content")


if __name__ == "__main__":
    run_demo(main, __doc__)
