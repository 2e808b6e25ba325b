from fastapi import FastAPI
from pydantic import BaseModel


class BookIn(BaseModel):
    title: str
    author: str


def build_app():
    app = FastAPI()
    books = {}
    next_id = 1

    @app.post("/books")
    def create_book(book: BookIn):
        nonlocal next_id
        created = {"id": next_id, **book.model_dump()}
        books[next_id] = created
        next_id += 1
        return created

    @app.get("/books")
    def list_books():
        return [books[i] for i in sorted(books)]

    @app.get("/books/{book_id}")
    def get_book(book_id: int):
        return books.get(book_id)

    # TODO: PUT and DELETE, and the right status code for every answer.

    return app
