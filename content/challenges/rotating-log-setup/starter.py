import logging
import time
from logging.handlers import RotatingFileHandler, TimedRotatingFileHandler

LINE_FORMAT = "%(levelname)s %(name)s: %(message)s"
STAMPED_FORMAT = "%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def setup_rotating_logger(name, path, max_bytes, backup_count):
    """Return logger `name` writing to `path`, rotated by size.

    Level INFO, exactly one handler (a RotatingFileHandler with the given
    maxBytes and backupCount, UTF-8, formatted with LINE_FORMAT), and no
    propagation to ancestor loggers. Calling it again for the same name
    replaces the previous handler instead of adding a second one.
    """
    logger = logging.getLogger(name)
    handler = logging.FileHandler(path, encoding="utf-8")   # TODO: rotate by size
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def setup_daily_logger(name, path, days):
    """Return logger `name` writing to `path`, rotated at midnight UTC, keeping `days` old files.

    Same rules as above, but with a TimedRotatingFileHandler and STAMPED_FORMAT,
    dates formatted with DATE_FORMAT in UTC.
    """
    raise NotImplementedError
