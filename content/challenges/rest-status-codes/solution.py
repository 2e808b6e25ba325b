from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel


class BookIn(BaseModel):
    title: str
    author: str


def build_app():
    app = FastAPI()
    books = {}
    next_id = 1

    def existing(book_id):
        if book_id not in books:
            raise HTTPException(status_code=404, detail="book not found")
        return books[book_id]

    @app.post("/books", status_code=201)
    def create_book(book: BookIn, response: Response):
        nonlocal next_id
        created = {"id": next_id, **book.model_dump()}
        books[next_id] = created
        next_id += 1
        response.headers["Location"] = f"/books/{created['id']}"
        return created

    @app.get("/books")
    def list_books():
        return [books[i] for i in sorted(books)]

    @app.get("/books/{book_id}")
    def get_book(book_id: int):
        return existing(book_id)

    @app.put("/books/{book_id}")
    def replace_book(book_id: int, book: BookIn):
        existing(book_id)
        books[book_id] = {"id": book_id, **book.model_dump()}
        return books[book_id]

    @app.delete("/books/{book_id}", status_code=204)
    def delete_book(book_id: int):
        existing(book_id)
        del books[book_id]
        return Response(status_code=204)

    return app
