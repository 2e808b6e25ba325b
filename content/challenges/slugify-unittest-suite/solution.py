import unittest

from slugs import slugify


class SlugifyTest(unittest.TestCase):
    def test_lowercases(self):
        self.assertEqual(slugify("Python"), "python")

    def test_spaces_become_hyphens(self):
        self.assertEqual(slugify("hello world"), "hello-world")

    def test_runs_of_separators_become_one_hyphen(self):
        self.assertEqual(slugify("a  --  b"), "a-b")
        self.assertEqual(slugify("Hello, World!"), "hello-world")

    def test_underscores_and_accents_are_separators(self):
        self.assertEqual(slugify("snake_case"), "snake-case")
        self.assertEqual(slugify("café au lait"), "caf-au-lait")

    def test_digits_are_kept(self):
        self.assertEqual(slugify("Python 3.13"), "python-3-13")

    def test_no_hyphen_at_either_end(self):
        self.assertEqual(slugify("  --Hello--  "), "hello")

    def test_nothing_to_keep(self):
        self.assertEqual(slugify("!!! ???"), "")
        self.assertEqual(slugify(""), "")

    def test_max_length_cuts(self):
        self.assertEqual(slugify("abcdef", max_length=4), "abcd")
        self.assertEqual(slugify("abc", max_length=10), "abc")
        self.assertEqual(slugify("abc", max_length=3), "abc")

    def test_cut_removes_a_trailing_hyphen(self):
        self.assertEqual(slugify("ab cd", max_length=3), "ab")

    def test_max_length_zero(self):
        self.assertEqual(slugify("anything", max_length=0), "")

    def test_no_limit_by_default(self):
        title = "word " * 50
        self.assertEqual(len(slugify(title)), 249)

    def test_rejects_non_text(self):
        for value in (42, None, b"bytes", ["a"]):
            with self.subTest(value=value):
                with self.assertRaises(TypeError):
                    slugify(value)


if __name__ == "__main__":
    unittest.main()
