from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

PRICE_PER_NIGHT = 80
EXTRA_GUEST_PER_NIGHT = 20

app = FastAPI()
BOOKINGS: dict[int, dict] = {}


class BookingIn(BaseModel):
    """The JSON body of POST /bookings.

    TODO: add the constraints from the statement (room pattern, nights 1-14,
    guests 1-4 with a default of 1).
    """
    room: str
    nights: int
    guests: int = 1


@app.post("/bookings")
def create_booking(booking: BookingIn):
    """Store the booking and return it with its id and total.

    TODO: answer 201, reject a room that is already booked with 409,
    and compute the total price.
    """
    booking_id = len(BOOKINGS) + 1
    record = {"id": booking_id, **booking.model_dump()}
    BOOKINGS[booking_id] = record
    return record


@app.get("/bookings/{booking_id}")
def get_booking(booking_id: int):
    """Return the stored booking, or 404 with detail "booking not found"."""
    return BOOKINGS[booking_id]
