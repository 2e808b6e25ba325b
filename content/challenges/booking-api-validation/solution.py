from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

PRICE_PER_NIGHT = 80
EXTRA_GUEST_PER_NIGHT = 20

app = FastAPI()
BOOKINGS: dict[int, dict] = {}


class BookingIn(BaseModel):
    room: str = Field(pattern=r"^[1-9][0-9]{2}$")
    nights: int = Field(ge=1, le=14)
    guests: int = Field(default=1, ge=1, le=4)


@app.post("/bookings", status_code=201)
def create_booking(booking: BookingIn):
    if any(b["room"] == booking.room for b in BOOKINGS.values()):
        raise HTTPException(status_code=409, detail="room already booked")
    booking_id = len(BOOKINGS) + 1
    total = booking.nights * (PRICE_PER_NIGHT + (booking.guests - 1) * EXTRA_GUEST_PER_NIGHT)
    record = {"id": booking_id, **booking.model_dump(), "total": total}
    BOOKINGS[booking_id] = record
    return record


@app.get("/bookings/{booking_id}")
def get_booking(booking_id: int):
    if booking_id not in BOOKINGS:
        raise HTTPException(status_code=404, detail="booking not found")
    return BOOKINGS[booking_id]
