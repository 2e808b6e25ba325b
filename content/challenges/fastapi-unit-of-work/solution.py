from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, Field


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=200)


def build_app(open_session, DuplicateNote):
    app = FastAPI()

    def get_session():
        session = open_session()
        try:
            yield session
        except Exception:
            # Raised by the endpoint or by a later dependency (an HTTPException included): nothing
            # of this request may be kept.
            session.rollback()
            raise
        else:
            session.commit()
        finally:
            session.close()

    Session = Annotated[object, Depends(get_session)]

    def current_user(session: Session, authorization: Annotated[str | None, Header()] = None) -> str:
        scheme, _, token = (authorization or "").partition(" ")
        user = session.user_for(token) if scheme.lower() == "bearer" and token else None
        if user is None:
            raise HTTPException(status_code=401, detail="not authenticated", headers={"WWW-Authenticate": "Bearer"})
        return user

    User = Annotated[str, Depends(current_user)]

    @app.post("/notes", status_code=201)
    def create_note(note: NoteIn, user: User, session: Session):
        try:
            note_id = session.add(user, note.text)
        except DuplicateNote:
            raise HTTPException(status_code=409, detail="duplicate note") from None
        return {"id": note_id, "owner": user, "text": note.text}

    @app.get("/notes")
    def list_notes(user: User, session: Session):
        return [{"id": note_id, "text": text} for note_id, text in session.list(user)]

    return app
