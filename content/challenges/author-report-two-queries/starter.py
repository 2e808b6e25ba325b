from django.db.models import Prefetch  # noqa: F401  (you may find it useful)


def author_report(Author, Book, min_pages=0):
    """Return [(name, book_count, total_pages, titles), ...] for every author.

    Only books with pages >= min_pages count. Authors sorted by name, titles sorted.
    Must run at most 2 SQL queries, however many authors there are.
    """
    report = []
    for author in Author.objects.order_by("name"):
        books = author.books.filter(pages__gte=min_pages).order_by("title")
        titles = [book.title for book in books]
        report.append((author.name, len(titles), sum(book.pages for book in books), titles))
    return report
