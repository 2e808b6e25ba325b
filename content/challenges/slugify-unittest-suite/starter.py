import unittest

from slugs import slugify


class SlugifyTest(unittest.TestCase):
    def test_lowercases(self):
        self.assertEqual(slugify("Python"), "python")

    def test_spaces_become_hyphens(self):
        self.assertEqual(slugify("hello world"), "hello-world")

    # TODO: one or more tests for each rule of the contract: separators (runs of them,
    # punctuation, underscores), what is kept (digits), the ends of the slug, max_length
    # (including 0 and a cut that lands on a hyphen), and the TypeError.


if __name__ == "__main__":
    unittest.main()
