from django.db.models import Prefetch


def author_report(Author, Book, min_pages=0):
    books = Prefetch(
        "books",
        queryset=Book.objects.filter(pages__gte=min_pages).order_by("title"),
        to_attr="long_books",
    )
    report = []
    for author in Author.objects.order_by("name").prefetch_related(books):
        titles = [book.title for book in author.long_books]
        total = sum(book.pages for book in author.long_books)
        report.append((author.name, len(titles), total, titles))
    return report
