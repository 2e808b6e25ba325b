from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, Field


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=200)


def build_app(open_session, DuplicateNote):
    app = FastAPI()

    def get_session():
        # TODO: one unit of work per request: commit when the request succeeded, roll back when
        # anything raised (HTTPException included), and always close.
        return open_session()

    Session = Annotated[object, Depends(get_session)]

    def current_user(session: Session, authorization: Annotated[str | None, Header()] = None) -> str:
        # TODO: "Bearer <token>" only; 401 with a WWW-Authenticate: Bearer header otherwise.
        token = (authorization or "").removeprefix("Bearer ")
        return session.user_for(token) or "anonymous"

    User = Annotated[str, Depends(current_user)]

    @app.post("/notes", status_code=201)
    def create_note(note: NoteIn, user: User, session: Session):
        # TODO: a duplicate note is a 409 with {"detail": "duplicate note"}.
        note_id = session.add(user, note.text)
        return {"id": note_id, "owner": user, "text": note.text}

    @app.get("/notes")
    def list_notes(user: User, session: Session):
        return [{"id": note_id, "text": text} for note_id, text in session.list(user)]

    return app
