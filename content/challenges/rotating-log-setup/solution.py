import logging
import time
from logging.handlers import RotatingFileHandler, TimedRotatingFileHandler

LINE_FORMAT = "%(levelname)s %(name)s: %(message)s"
STAMPED_FORMAT = "%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def _reset(logger):
    """Remove and close handlers left by an earlier setup call."""
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def setup_rotating_logger(name, path, max_bytes, backup_count):
    """Return logger `name` writing to `path`, rotated by size."""
    logger = logging.getLogger(name)
    _reset(logger)
    handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def setup_daily_logger(name, path, days):
    """Return logger `name` writing to `path`, rotated at midnight UTC, keeping `days` old files."""
    logger = logging.getLogger(name)
    _reset(logger)
    handler = TimedRotatingFileHandler(path, when="midnight", backupCount=days, utc=True, encoding="utf-8")
    formatter = logging.Formatter(STAMPED_FORMAT, datefmt=DATE_FORMAT)
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger
